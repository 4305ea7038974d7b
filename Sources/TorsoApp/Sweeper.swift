import Logging
import ServiceLifecycle
import Workflows

/// A service that sweeps something at a fixed interval and logs what it removed.
struct Sweeper: Service {
    /// What it sweeps, for the log.
    let name: String
    /// How long between sweeps.
    let interval: Duration
    /// One sweep; returns what was removed, by kind, for the log (empty: nothing).
    let sweep: @Sendable () async throws -> [String: Int]
    let logger: Logger

    func run() async throws {
        await PeriodicLoop(name: name, logger: logger, retryAfter: .seconds(60)).run {
            let removed = try await sweep().filter { $0.value > 0 }
            if !removed.isEmpty { logger.info("\(name) swept", metadata: removed.mapValues { "\($0)" }) }
            return interval
        }
    }

    /// Removes expired stock reservations every five seconds and announces the units they free
    /// (`stock.changed`, so the storefront counts them again). Checkout stops counting a hold the
    /// moment it expires whether or not this has run.
    static func reservations(_ inventory: InventoryService, logger: Logger) -> Sweeper {
        Sweeper(name: "reservation sweeper", interval: .seconds(5), sweep: { ["variants": try await inventory.expire().count] }, logger: logger)
    }

    /// Runs ``Housekeeping`` every hour: abandoned carts, idempotency answers past their window,
    /// expired handoff codes, and audit entries past their retention.
    static func housekeeping(_ housekeeping: Housekeeping, backOffice: BackOfficeService, logger: Logger) -> Sweeper {
        Sweeper(name: "housekeeper", interval: .seconds(3_600), sweep: {
            let swept = try await housekeeping.sweep()
            return ["abandoned_carts": swept.carts, "idempotency_answers": swept.idempotency, "handoff_codes": swept.handoffs,
                    "audit_entries": try await backOffice.trimAudit()]
        }, logger: logger)
    }
}
