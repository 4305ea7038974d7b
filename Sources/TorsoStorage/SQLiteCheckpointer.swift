import Logging
import SQLKit
import SQLiteKit
import TorsoKit

/// Copies a SQLite file's write-ahead log into the database off the writer's path: after
/// commits (at most five times a second), a passive checkpoint on the reader connection, which
/// never blocks the writer. The writer's own automatic checkpoint stays as a backstop at a
/// larger log, so a long write transaction no longer pays for copying the pages of the last.
final class SQLiteCheckpointer: Sendable {
    /// Pages of log at which the writer checkpoints by itself (32 MiB of 4 KiB pages).
    static let backstopPages = 8_192

    private let signal: AsyncStream<Void>.Continuation
    private let task: Task<Void, Never>

    /// Starts checkpointing on `connection`, taking `lock` (the connection's) for each.
    init(connection: SQLiteConnection, lock: AsyncMutex, logger: Logger) {
        let (stream, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.signal = signal
        task = Task {
            for await _ in stream {
                do {
                    try await lock.withLock { try await connection.sql(queryLogLevel: nil).raw("PRAGMA wal_checkpoint(PASSIVE)").run() }
                } catch {
                    logger.debug("a passive checkpoint failed", metadata: ["error": "\(error)"])
                }
                // Commits meanwhile are copied by the next one.
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Says a transaction committed.
    func committed() {
        signal.yield()
    }

    /// Stops checkpointing (the last commits are copied when the connection closes).
    func stop() async {
        signal.finish()
        task.cancel()
        await task.value
    }
}
