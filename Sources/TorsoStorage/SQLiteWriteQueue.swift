import SQLKit
import Synchronization

/// A job left the connection outside the batch's transaction.
struct BatchAborted: Error {}

/// Group commit for SQLite. Transactions that arrive while another commit is on its way to
/// disk queue up, and the next batch runs them back to back inside one `BEGIN … COMMIT`, each in
/// its own savepoint: a transaction that throws rolls back to its savepoint and leaves the
/// others alone. Every caller hears of its result only after the batch's commit (and fsync)
/// succeeded, so an acknowledged write is as durable as before, and the cost of the fsync and
/// of `BEGIN`/`COMMIT` is shared by the batch.
final class SQLiteWriteQueue: Sendable {
    /// Runs a closure with exclusive use of the connection.
    typealias Exclusive = @Sendable (@Sendable (any SQLDatabase) async throws -> Void) async throws -> Void

    /// One queued transaction.
    struct Job: Sendable {
        /// Runs in a savepoint; returns what to do once the commit's outcome is known, and
        /// whether the connection left the batch's transaction (then the batch is void).
        var run: @Sendable (any SQLDatabase) async -> (finish: @Sendable ((any Error)?) -> Void, poisoned: Bool)
        /// Fails the job without running it.
        var fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    private let state = Mutex(State())

    /// The largest batch.
    static let maxBatch = 64

    /// Runs `body` as one transaction of a batch and returns its result after the batch commits.
    func run<T: Sendable>(exclusive: @escaping Exclusive, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(run: { db in
                do {
                    try await db.raw("SAVEPOINT torso_tx").run()
                } catch {
                    return ({ _ in continuation.resume(throwing: error) }, true)
                }
                do {
                    let result = try await body(db)
                    try await db.raw("RELEASE torso_tx").run()
                    return ({ failure in
                        if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: result) }
                    }, false)
                } catch {
                    do {
                        try await db.raw("ROLLBACK TO torso_tx").run()
                        try await db.raw("RELEASE torso_tx").run()
                        return ({ _ in continuation.resume(throwing: error) }, false)
                    } catch {
                        // SQLite already rolled back the whole transaction (disk full, say): the
                        // batch is void, and nothing after it may run outside a transaction.
                        return ({ _ in continuation.resume(throwing: error) }, true)
                    }
                }
            }, fail: { continuation.resume(throwing: $0) })
            let start = state.withLock { state in
                state.pending.append(job)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if start { Task { await drain(exclusive) } }
        }
    }

    private func drain(_ exclusive: Exclusive) async {
        while true {
            let batch = state.withLock { state in
                let batch = Array(state.pending.prefix(Self.maxBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            let outcomes = Mutex<[@Sendable ((any Error)?) -> Void]>([])
            do {
                try await exclusive { db in
                    try await db.raw("BEGIN IMMEDIATE").run()
                    for job in batch {
                        let outcome = await job.run(db)
                        outcomes.withLock { $0.append(outcome.finish) }
                        if outcome.poisoned { throw BatchAborted() }
                    }
                    do {
                        try await db.raw("COMMIT").run()
                    } catch {
                        try? await db.raw("ROLLBACK").run()
                        throw error
                    }
                }
                for finish in outcomes.withLock({ $0 }) { finish(nil) }
            } catch {
                let finished = outcomes.withLock { $0 }
                for finish in finished { finish(error) }
                for job in batch.dropFirst(finished.count) { job.fail(error) }
            }
        }
    }
}
