import Access
import Catalog
import Commerce
import Customers
import Events
import Exchange
import Inventory
import Publishing
import TorsoKit

/// The repositories of one SQL transaction, one property per aggregate. Workflows see them
/// through their `Transaction` protocol, to which TorsoApp conforms this type.
public struct SQLRepositories: Sendable {
    let tx: SQLTransaction

    /// Settings and catalog documents.
    public var documents: any DocumentRepository { tx }
    /// Unique values held by documents.
    public var claims: any ClaimRepository { tx }
    /// Documents' change history.
    public var history: any HistoryRepository { tx }
    /// Named counters.
    public var counters: any CounterRepository { tx }
    /// The admin product index.
    public var products: any ProductIndexRepository { tx }
    /// API keys.
    public var keys: any KeyRepository { tx }
    /// Stored answers for idempotency keys.
    public var idempotency: any IdempotencyRepository { tx }
    /// Listings and published copies per channel.
    public var listings: any ListingRepository { tx }
    /// Stock levels.
    public var stock: any StockRepository { tx }
    /// Holds on stock.
    public var reservations: any ReservationRepository { tx }
    /// Carts.
    public var carts: any CartRepository { tx }
    /// Orders and payments.
    public var orders: any OrderRepository { tx }
    /// Customers and sessions.
    public var customers: any CustomerRepository { tx }
    /// The event outbox.
    public var outbox: any OutboxRepository { tx }
    /// Webhook subscriptions.
    public var webhooks: any WebhookRepository { tx }
    /// Webhook fan-out, deliveries and attempts.
    public var deliveries: any WebhookDeliveryRepository { tx }
    /// Import jobs and their error reports.
    public var imports: any ImportJobRepository { tx }
    /// People of the back office and their sessions.
    public var adminUsers: any AdminUserRepository { tx }
    /// The audit log.
    public var audit: any AuditRepository { tx }

    /// Lets this transaction's commit return before it reaches the disk (PostgreSQL
    /// `synchronous_commit = off`): a crash right after may lose the whole transaction, never part of it.
    public func relaxDurability() async throws { try await tx.relaxDurability() }

    /// Runs `body` in a savepoint: undone alone when it throws.
    public func savepoint<T: Sendable>(_ body: () async throws -> T) async throws -> T { try await tx.savepoint(body) }
}
