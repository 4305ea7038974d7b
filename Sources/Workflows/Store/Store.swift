import Access
import Catalog
import Commerce
import Customers
import Events
import Exchange
import Inventory
import Publishing
import TorsoKit

/// Where Torso keeps its state. One implementation over SQL (SQLite or PostgreSQL) lives in
/// TorsoStorage and is wired to this protocol in TorsoApp; workflows see only this protocol.
public protocol Store: Sendable {
    /// Runs `body` in one transaction: it commits when `body` returns, and nothing of it
    /// remains when `body` throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any Transaction) async throws -> T) async throws -> T
    /// Runs read-only `body` against a consistent view.
    func read<T: Sendable>(_ body: @Sendable (any Transaction) async throws -> T) async throws -> T
    /// Runs read-only `body` against a committed snapshot, beside a transaction being written
    /// where the database allows it: what it reads may be older than that write, so a caller
    /// checks it again in its own write transaction (an import's next batch is worked out so).
    func readBeside<T: Sendable>(_ body: @Sendable (any Transaction) async throws -> T) async throws -> T
    /// Yields when events may have been committed: after this process commits a transaction
    /// that appended events and, where the database can say so (PostgreSQL LISTEN/NOTIFY), when
    /// another process does. For one consumer; a missed signal is made good by polling.
    func eventSignals() -> AsyncStream<Void>
}

extension Store {
    /// ``read(_:)``, for stores with no reader beside the writer.
    public func readBeside<T: Sendable>(_ body: @Sendable (any Transaction) async throws -> T) async throws -> T {
        try await read(body)
    }
}

/// One transaction: it hands out the repositories of each aggregate, declared by the module
/// that owns the aggregate. A use case names the repositories it touches (`tx.carts`,
/// `tx.stock`); every method of every repository runs inside this transaction.
public protocol Transaction: Sendable {
    /// Settings and catalog documents (TorsoKit).
    var documents: any DocumentRepository { get }
    /// Unique values held by documents: SKUs, slugs (TorsoKit).
    var claims: any ClaimRepository { get }
    /// Documents' change history (TorsoKit).
    var history: any HistoryRepository { get }
    /// Named counters: order numbers, promotion uses (TorsoKit).
    var counters: any CounterRepository { get }
    /// The admin product index (Catalog).
    var products: any ProductIndexRepository { get }
    /// API keys (Access).
    var keys: any KeyRepository { get }
    /// Stored answers for idempotency keys (Access).
    var idempotency: any IdempotencyRepository { get }
    /// Listings and published copies per channel (Publishing).
    var listings: any ListingRepository { get }
    /// Stock levels (Inventory).
    var stock: any StockRepository { get }
    /// Holds on stock (Inventory).
    var reservations: any ReservationRepository { get }
    /// Carts (Commerce).
    var carts: any CartRepository { get }
    /// Orders and payments (Commerce).
    var orders: any OrderRepository { get }
    /// Customers and sessions (Customers).
    var customers: any CustomerRepository { get }
    /// The event outbox (Events).
    var outbox: any OutboxRepository { get }
    /// Webhook subscriptions (Events).
    var webhooks: any WebhookRepository { get }
    /// Webhook fan-out, deliveries and attempts (Events).
    var deliveries: any WebhookDeliveryRepository { get }
    /// Import jobs and their error reports (Exchange).
    var imports: any ImportJobRepository { get }
    /// People of the back office and their sessions (Access).
    var adminUsers: any AdminUserRepository { get }
    /// The audit log (Access).
    var audit: any AuditRepository { get }

    /// Lets this transaction's commit return before it reaches the disk (PostgreSQL
    /// `synchronous_commit = off`; SQLite's group commit makes it moot): a crash right after may
    /// lose the whole transaction, never part of it. For the webhook sender's bookkeeping, which
    /// is redone when lost (at the price of a repeated delivery).
    func relaxDurability() async throws

    /// Runs `body` in a savepoint: what it wrote is undone when it throws, while the rest of the
    /// transaction stays (one product of an import batch fails alone).
    func savepoint<T: Sendable>(_ body: () async throws -> T) async throws -> T
}
