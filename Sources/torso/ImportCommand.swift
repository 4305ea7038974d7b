import ArgumentParser
import Exchange
import Foundation
import TorsoApp
import TorsoKit
import Workflows

/// `torso import FILE`: imports a catalog file into the database, with a progress bar on a
/// terminal (plain progress lines otherwise). Exits 1 when products failed, naming the
/// error report it wrote beside the file.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import products from NDJSON or Torso's CSV (docs/import.md).")

    @Argument(help: "The file.") var file: String
    @OptionGroup var database: DatabaseOptions
    @Option(help: "auto, ndjson, csv or shopify.") var format = "auto"
    @Option(help: "create, update or upsert.") var mode = "upsert"
    @Option(help: "Channels to publish complete products to, comma-separated.") var publish: String?
    @Option(help: "initial: stock cells set first counts only; set: every differing count is set (a stock take).") var stock = "initial"
    @Option(help: "Stop after this many failed products.") var maxErrors: Int?
    @Option(help: "The currency of a Shopify file's prices (the first channel's by default).") var currency: String?
    @Option(help: "A running Torso server to import into (its URL), instead of a database.") var server: String?
    @Option(help: "A secret key with catalog:write (with --server).") var key: String?

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("Cannot read '\(file)'.") }
        guard let mode = ImportJob.Mode(rawValue: mode) else { throw ValidationError("--mode is create, update or upsert.") }
        guard let stock = ImportJob.StockMode(rawValue: stock) else { throw ValidationError("--stock is initial or set.") }
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: file)).read(upToCount: 4_096)) ?? Data()
        let detected: ImportJob.Format
        switch format {
        case "auto": detected = ImportJob.Format.detect(head)
        case "ndjson": detected = .ndjson
        case "csv": detected = .csv
        case "shopify": detected = .shopify
        default: throw ValidationError("--format is auto, ndjson, csv or shopify.")
        }
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        let channels = publish?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        if let server {
            guard let key else { throw ValidationError("--server needs --key: a secret key with catalog:write.") }
            try await importRemotely(path, server: server, key: key, format: detected)
            return
        }
        let services = try await TorsoServices.open(try database.url())
        let job: ImportJob
        do {
            job = try await services.imports.start(.init(format: detected, mode: mode, publish: channels, maxErrors: maxErrors, stock: stock,
                                                         currency: currency), path: path,
                                                   fileName: URL(fileURLWithPath: file).lastPathComponent,
                                                   context: WriteContext(actor: .init(keyId: "cli", name: "torso import")))
        } catch let error as DomainError {
            await services.store.close()
            throw ValidationError(error.errors.first?.detail ?? error.detail)
        }
        let progress = ProgressLine(total: job.bytes)
        var last = job
        while true {
            last = try await services.imports.job(job.id.rawValue)
            progress.show(ImportStatus(last))
            if ![.queued, .running].contains(last.state) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        progress.finish()
        var failedReport: String?
        if last.errorCount > 0 {
            let report = path + ".errors.csv"
            var text = CSVWriter.row(ExchangeError.reportColumns)
            var after = 0
            while true {
                let page = try await services.imports.errors(job.id.rawValue, after: after, limit: 1_000)
                for error in page { text += CSVWriter.row(error.reportFields) }
                after += page.count
                if page.count < 1_000 { break }
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: report))
            failedReport = report
        }
        await services.store.close()
        try ImportStatus(last).conclude(errors: failedReport)
    }

    /// The file uploaded to a running server's admin API, and its job followed there.
    func importRemotely(_ path: String, server: String, key: String, format: ImportJob.Format) async throws {
        var query: [(String, String)] = [("format", format.rawValue), ("mode", mode), ("stock", stock),
                                         ("file_name", URL(fileURLWithPath: path).lastPathComponent)]
        if let publish { query.append(("publish", publish)) }
        if let maxErrors { query.append(("max_errors", String(maxErrors))) }
        if let currency { query.append(("currency", currency)) }
        let (last, report) = try await RemoteTorso.with(server: server, key: key) { remote -> (ImportStatus, String?) in
            var last = try await remote.upload(path, query: query)
            let progress = ProgressLine(total: last.bytes)
            while last.running {
                try await Task.sleep(for: .milliseconds(250))
                last = try await remote.job(last.id)
                progress.show(last)
            }
            progress.finish()
            guard last.errorCount > 0 else { return (last, nil) }
            let file = path + ".errors.csv"
            try await remote.download("/admin/v1/imports/\(last.id)/errors", query: [("format", "csv")]) {
                guard FileManager.default.createFile(atPath: file, contents: nil), let sink = FileHandle(forWritingAtPath: file) else {
                    throw RemoteError("Cannot write '\(file)'.")
                }
                return sink
            }
            return (last, file)
        }
        try last.conclude(errors: report)
    }
}

/// A progress bar on a terminal (rows a second, percent, time left), progress lines otherwise.
struct ProgressLine {
    let total: Int
    let terminal = isatty(STDERR_FILENO) == 1
    let start = Date()

    func show(_ job: ImportStatus) {
        let elapsed = max(0.001, Date().timeIntervalSince(start))
        let fraction = total > 0 ? min(1, Double(job.bytesRead) / Double(total)) : 0
        let rate = Double(job.counts.rows) / elapsed
        let left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let text = String(format: "%5.1f%%  %d rows  %.0f rows/s  %d failed  %.0fs left", fraction * 100, job.counts.rows, rate, job.counts.failed, left)
        if terminal {
            let width = 30, filled = Int(fraction * Double(width))
            FileHandle.standardError.write(Data(("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + text).utf8))
        } else if Int(elapsed) % 2 == 0 {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
