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
        let services = try await TorsoServices.open(try database.url())
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        let channels = publish?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
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
            progress.show(last)
            if ![.queued, .running].contains(last.state) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        progress.finish(last)
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
        let counts = last.counts
        print("\(last.state.rawValue): \(counts.rows) rows, \(counts.created) created, \(counts.updated) updated, \(counts.skipped) skipped, \(counts.failed) failed"
              + (last.published > 0 ? ", \(last.published) listings published" : "")
              + ((counts.stockKept ?? 0) > 0 ? ", \(counts.stockKept!) stock counts kept as on hand (--stock set applies them)" : ""))
        for line in last.report ?? [] { print("  " + line) }
        if let failure = last.failure { print("stopped: \(failure)") }
        if let failedReport { print("errors: \(failedReport)") }
        if last.state != .completed || counts.failed > 0 { throw ExitCode(1) }
    }
}

/// A progress bar on a terminal (rows a second, percent, time left), progress lines otherwise.
struct ProgressLine {
    let total: Int
    let terminal = isatty(STDERR_FILENO) == 1
    let start = Date()

    func show(_ job: ImportJob) {
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

    func finish(_ job: ImportJob) {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
