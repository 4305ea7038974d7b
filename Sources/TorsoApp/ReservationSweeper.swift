import Logging
import ServiceLifecycle
import Workflows

/// Removes expired stock reservations every minute. Expired holds stop counting the moment they
/// expire whether or not this runs; sweeping only keeps the table small.
struct ReservationSweeper: Service {
    let inventory: InventoryService
    let logger: Logger

    func run() async throws {
        await PeriodicLoop(name: "reservation sweeper", logger: logger, retryAfter: .seconds(60)).run {
            let variants = try await inventory.expire()
            if !variants.isEmpty { logger.info("expired stock reservations removed", metadata: ["variants": "\(variants.count)"]) }
            return .seconds(60)
        }
    }
}
