import Foundation
import Logging
import ServiceLifecycle
import Workflows

/// Changes storefront prices on time when a price list starts or ends, with no write to wait
/// for: sleeps until the next start or end of any list (checking at least every second), then
/// has the projections re-price the products the lists that started or ended price.
struct PriceListScheduler: Service {
    let projections: ProjectionService
    let logger: Logger

    /// How long after a boundary the projections are asked, so that the boundary is surely past.
    static let margin: TimeInterval = 0.002

    func run() async throws {
        await PeriodicLoop(name: "price list scheduler", logger: logger).run {
            let repriced = try await projections.refreshPrices(at: Date())
            if repriced > 0 { logger.info("price lists started or ended", metadata: ["products": "\(repriced)"]) }
            let next = projections.nextPriceBoundary(after: Date())
            return .seconds(min(1.0, max(0.001, (next ?? .distantFuture).timeIntervalSinceNow + Self.margin)))
        }
    }
}
