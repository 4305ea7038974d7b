import Foundation
import Logging
import ServiceLifecycle
import Workflows

/// Puts scheduled publications live on time: sleeps until the next one is due (checking at
/// least every second, so schedules made by other nodes are seen), then promotes what is due.
struct PublishScheduler: Service {
    let publishing: PublishingService
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let promoted = try await publishing.promoteDue()
                if !promoted.isEmpty { logger.info("scheduled publications went live", metadata: ["products": "\(promoted.count)"]) }
                let next = try await publishing.nextScheduledTime()
                let wait = min(1.0, max(0.01, (next ?? .distantFuture).timeIntervalSinceNow))
                try await Task.sleep(for: .seconds(wait))
            } catch is CancellationError {
                return
            } catch {
                logger.error("publish scheduler failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
