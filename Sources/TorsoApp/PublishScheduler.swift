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
        await PeriodicLoop(name: "publish scheduler", logger: logger).run {
            let promoted = try await publishing.promoteDue()
            if !promoted.isEmpty { logger.info("scheduled publications went live", metadata: ["products": "\(promoted.count)"]) }
            let next = try await publishing.nextScheduledTime()
            return .seconds(min(1.0, max(0.01, (next ?? .distantFuture).timeIntervalSinceNow)))
        }
    }
}
