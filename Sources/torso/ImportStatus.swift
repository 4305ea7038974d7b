import ArgumentParser
import Exchange
import Foundation

/// An import job as the CLI reports it, read from the API or from the database.
struct ImportStatus: Decodable {
    var id: String
    var state: String
    var bytes: Int
    var bytesRead: Int
    var counts: ImportJob.Counts
    var errorCount: Int
    var published: Int?
    var failure: String?
    var report: [String]?

    enum CodingKeys: String, CodingKey {
        case id, state, bytes, counts, failure, report, published
        case bytesRead = "bytes_read"
        case errorCount = "error_count"
    }

    /// Whether the job is still going.
    var running: Bool { ["queued", "running"].contains(state) }

    /// The status of a job in the database.
    init(_ job: ImportJob) {
        id = job.id.rawValue
        state = job.state.rawValue
        bytes = job.bytes
        bytesRead = job.bytesRead
        counts = job.counts
        errorCount = job.errorCount
        published = job.published
        failure = job.failure
        report = job.report
    }

    /// Prints the outcome; exits 1 when the job did not complete or products failed.
    func conclude(errors report: String?) throws {
        print("\(state): \(counts.rows) rows, \(counts.created) created, \(counts.updated) updated, \(counts.skipped) skipped, \(counts.failed) failed"
              + ((published ?? 0) > 0 ? ", \(published!) listings published" : "")
              + ((counts.stockKept ?? 0) > 0 ? ", \(counts.stockKept!) stock counts kept as on hand (--stock set applies them)" : ""))
        for line in self.report ?? [] { print("  " + line) }
        if let failure { print("stopped: \(failure)") }
        if let report { print("errors: \(report)") }
        if state != "completed" || counts.failed > 0 { throw ExitCode(1) }
    }
}
