import ArgumentParser
import Exchange
import Foundation
import TorsoApp
import TorsoKit
import Workflows

/// `torso export`: writes the catalog as NDJSON or Torso's CSV, a page at a time.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export products as NDJSON or Torso's CSV (docs/import.md).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "ndjson or csv.") var format = "ndjson"
    @Option(help: "Only products published on this channel.") var channel: String?
    @Option(help: "Only this locale's columns (CSV).") var locale: String?
    @Option(help: "Only products in this category (ID or slug).") var category: String?
    @Option(help: "Only products changed since (RFC 3339).") var updatedSince: String?
    @Option(name: .shortAndLong, help: "The file to write (stdout when left out).") var output: String?
    @Option(help: "A running Torso server to export from (its URL), instead of a database.") var server: String?
    @Option(help: "A secret key with catalog:read (with --server).") var key: String?

    func run() async throws {
        guard ["ndjson", "csv"].contains(format) else { throw ValidationError("--format is ndjson or csv.") }
        if let updatedSince, Timestamp.parse(updatedSince) == nil { throw ValidationError("--updated-since is an RFC 3339 time.") }
        if let server {
            guard let key else { throw ValidationError("--server needs --key: a secret key with catalog:read.") }
            try await exportRemotely(server: server, key: key)
            return
        }
        let services = try await TorsoServices.open(try database.url())
        defer { Task { await services.store.close() } }
        let filter = ExportService.Filter(channel: channel, category: category, updatedSince: updatedSince.flatMap(Timestamp.parse).map(Timestamp.string))
        let (layout, resolved): (ExportLayout, ExportService.Filter)
        do {
            (layout, resolved) = try await services.exports.layout(filter, locale: locale)
        } catch let error as DomainError {
            throw ValidationError(error.errors.first?.detail ?? error.detail)
        }
        let sink = try openSink()
        if format == "csv" { sink.write(Data(CSVWriter.row(layout.header).utf8)) }
        var cursor: String?, count = 0
        repeat {
            let page = try await services.exports.page(resolved, cursor: cursor)
            sink.write(Data(ExportLayout.encode(page.products, layout: format == "csv" ? layout : nil)))
            count += page.products.count
            cursor = page.next
        } while cursor != nil
        if output != nil { try sink.close() }
        FileHandle.standardError.write(Data("exported \(count) products\n".utf8))
    }

    /// The export streamed from a running server's admin API.
    func exportRemotely(server: String, key: String) async throws {
        let query = [("format", format), ("channel", channel), ("locale", locale), ("category", category), ("updated_since", updatedSince)]
            .compactMap { name, value in value.map { (name, $0) } }
        try await RemoteTorso.with(server: server, key: key) { remote in
            try await remote.download("/admin/v1/exports/products", query: query) { try openSink() }
        }
    }

    /// The file to write, or standard output.
    func openSink() throws -> FileHandle {
        guard let output else { return FileHandle.standardOutput }
        guard FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output) else {
            throw ValidationError("Cannot write '\(output)'.")
        }
        return handle
    }
}
