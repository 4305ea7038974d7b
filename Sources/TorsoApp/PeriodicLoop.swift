import Logging
import ServiceLifecycle

/// The loop every scheduled background service runs: do one round, wait as long as the round
/// asks, repeat until the service group shuts down. A failed round is logged and retried after
/// `retryAfter`; graceful shutdown ends a wait at once, and cancellation ends the loop.
struct PeriodicLoop: Sendable {
    /// What the loop does, for the log (`publish scheduler`).
    let name: String
    let logger: Logger
    /// How long to wait after a failed round.
    var retryAfter: Duration = .seconds(1)

    /// Runs rounds until shutdown; each round returns how long to wait before the next.
    func run(_ round: @Sendable () async throws -> Duration) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let wait: Duration
            do {
                wait = try await round()
            } catch is CancellationError {
                return
            } catch {
                logger.error("\(name) failed", metadata: ["error": "\(error)"])
                wait = retryAfter
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            } catch {
                return
            }
        }
    }
}
