import Logging
import ServiceLifecycle
import Workflows

/// Runs ``Housekeeping`` every hour: abandoned carts and idempotency answers past their window.
struct Housekeeper: Service {
    let housekeeping: Housekeeping
    let logger: Logger

    func run() async throws {
        await PeriodicLoop(name: "housekeeper", logger: logger, retryAfter: .seconds(300)).run {
            let swept = try await housekeeping.sweep()
            if swept.carts + swept.idempotency > 0 {
                logger.info("swept", metadata: ["abandoned_carts": "\(swept.carts)", "idempotency_answers": "\(swept.idempotency)"])
            }
            return .seconds(3_600)
        }
    }
}
