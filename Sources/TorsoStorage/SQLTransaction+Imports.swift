import Exchange
import Foundation
import SQLKit
import TorsoKit

/// Import jobs and their error reports; savepoints, so one product of a batch can fail alone.
extension SQLTransaction: ImportJobRepository {
    private func jobDocument(_ job: ImportJob) throws -> String { String(decoding: try JSONCoding.encode(job), as: UTF8.self) }

    func insertImportJob(_ job: ImportJob) async throws {
        try await db.raw("""
            INSERT INTO import_jobs (id, state, doc, created_at) VALUES (
                \(bind: job.id.rawValue), \(bind: job.state.rawValue), \(bind: try jobDocument(job)), \(bind: job.createdAt))
            """).run()
    }

    func importJob(_ id: String) async throws -> ImportJob? {
        try await db.raw("SELECT doc FROM import_jobs WHERE id = \(bind: id)").first().map {
            try JSONCoding.decode(ImportJob.self, bytes: try $0.decode(column: "doc", as: String.self).utf8)
        }
    }

    func replaceImportJob(_ job: ImportJob) async throws {
        try await db.raw("UPDATE import_jobs SET state = \(bind: job.state.rawValue), doc = \(bind: try jobDocument(job)) WHERE id = \(bind: job.id.rawValue)").run()
    }

    func importJobs(limit: Int) async throws -> [ImportJob] {
        try await db.raw("SELECT doc FROM import_jobs ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)").all().map {
            try JSONCoding.decode(ImportJob.self, bytes: try $0.decode(column: "doc", as: String.self).utf8)
        }
    }

    func unfinishedImportJobs() async throws -> [ImportJob] {
        try await db.raw("SELECT doc FROM import_jobs WHERE state IN ('queued', 'running') ORDER BY created_at").all().map {
            try JSONCoding.decode(ImportJob.self, bytes: try $0.decode(column: "doc", as: String.self).utf8)
        }
    }

    func appendImportErrors(_ errors: [ExchangeError], job: String) async throws {
        guard !errors.isEmpty else { return }
        let start = try await db.raw("SELECT COALESCE(MAX(seq), 0) AS last FROM import_errors WHERE job_id = \(bind: job)").first()?
            .decode(column: "last", as: Int.self) ?? 0
        for chunk in stride(from: 0, to: errors.count, by: 100) {
            let rows = errors[chunk..<min(chunk + 100, errors.count)].enumerated().map { offset, error -> SQLQueryString in
                "(\(bind: job), \(bind: start + chunk + offset + 1), \(bind: error.line), \(bind: error.column), \(bind: error.code), \(bind: error.detail))"
            }
            try await db.raw("""
                INSERT INTO import_errors (job_id, seq, line, column_name, code, detail) VALUES \(rows.joined(separator: ", "))
                """).run()
        }
    }

    func importErrors(job: String, after: Int, limit: Int) async throws -> [ExchangeError] {
        try await db.raw("""
            SELECT line, column_name, code, detail FROM import_errors WHERE job_id = \(bind: job) AND seq > \(bind: after)
            ORDER BY seq LIMIT \(bind: limit)
            """).all().map { row in
            ExchangeError(code: try row.decode(column: "code", as: String.self), line: try row.decode(column: "line", as: Int.self),
                          column: try row.decode(column: "column_name", as: String?.self), detail: try row.decode(column: "detail", as: String.self))
        }
    }

    /// Runs `body` inside a savepoint: what it wrote is undone when it throws, the rest of the
    /// transaction stays.
    func savepoint<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await db.raw("SAVEPOINT torso_item").run()
        do {
            let value = try await body()
            try await db.raw("RELEASE SAVEPOINT torso_item").run()
            return value
        } catch {
            try await db.raw("ROLLBACK TO SAVEPOINT torso_item").run()
            try await db.raw("RELEASE SAVEPOINT torso_item").run()
            throw error
        }
    }
}
