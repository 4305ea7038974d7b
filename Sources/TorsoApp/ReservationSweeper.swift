import Logging
import ServiceLifecycle
import Workflows

/// Removes expired stock reservations every minute. Expired holds stop counting the moment they
/// expire whether or not this runs; sweeping only keeps the table small.
struct ReservationSweeper: Service {
    let inventory: InventoryService
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let variants = try await inventory.expire()
                if !variants.isEmpty { logger.info("expired stock reservations removed", metadata: ["variants": "\(variants.count)"]) }
                // Graceful shutdown ends the wait at once rather than after up to a minute.
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
            } catch is CancellationError {
                return
            } catch {
                logger.error("reservation sweeper failed", metadata: ["error": "\(error)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
            }
        }
    }
}
