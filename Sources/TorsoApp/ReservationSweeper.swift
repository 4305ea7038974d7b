import Logging
import ServiceLifecycle
import Workflows

/// Removes expired stock reservations every five seconds and announces the units they free
/// (`stock.changed`, so the storefront counts them again). Checkout stops counting a hold the
/// moment it expires whether or not this has run.
struct ReservationSweeper: Service {
    let inventory: InventoryService
    let logger: Logger

    func run() async throws {
        await PeriodicLoop(name: "reservation sweeper", logger: logger, retryAfter: .seconds(60)).run {
            let variants = try await inventory.expire()
            if !variants.isEmpty { logger.info("expired stock reservations removed", metadata: ["variants": "\(variants.count)"]) }
            return .seconds(5)
        }
    }
}
