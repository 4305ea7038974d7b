import Access
import Catalog
import Commerce
import Customers
import Events
import Foundation
import Publishing
import TorsoKit

/// Where Torso keeps its state. One implementation over SQL (SQLite or PostgreSQL) lives in
/// TorsoStorage; workflows see only this protocol.
public protocol Store: Sendable {
    /// Runs `body` in one transaction: it commits when `body` returns, and nothing of it
    /// remains when `body` throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) async throws -> T) async throws -> T
    /// Runs read-only `body` against a consistent view.
    func read<T: Sendable>(_ body: @Sendable (any StoreTransaction) async throws -> T) async throws -> T
    /// Yields when events may have been committed: after this process commits a transaction
    /// that appended events and, where the database can say so (PostgreSQL LISTEN/NOTIFY), when
    /// another process does. For one consumer; a missed signal is made good by polling.
    func eventSignals() -> AsyncStream<Void>
}

/// A claim on a unique value: a SKU, a slug in a locale, a unique attribute's value.
public struct UniqueClaim: Hashable, Sendable {
    /// What kind of value (`sku`, `product_slug:en-US`, `category_slug:de-DE`, `attribute:ean`).
    public var namespace: String
    /// The value.
    public var value: String

    /// Creates a claim.
    public init(namespace: String, value: String) {
        self.namespace = namespace
        self.value = value
    }
}

/// Filters of the admin product list.
public struct ProductFilter: Sendable {
    /// Lower-cased text that must occur in the product's search text.
    public var query: String?
    /// The product type's code.
    public var productType: String?
    /// Category IDs, any of which the product must be in.
    public var categories: [String]?

    /// Creates a filter.
    public init(query: String? = nil, productType: String? = nil, categories: [String]? = nil) {
        self.query = query
        self.productType = productType
        self.categories = categories
    }
}

/// A response stored for an idempotency key, replayed on a retry.
public struct StoredResponse: Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// The JSON body.
    public var body: Data

    /// Creates a stored response.
    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// The operations a transaction offers. Every method runs inside the transaction it was handed by.
public protocol StoreTransaction: Sendable {
    /// One resource by key.
    func fetch<R: StoredResource>(_ type: R.Type, key: String) async throws -> R?
    /// Every resource of a kind, ordered by key (settings are small).
    func fetchAll<R: StoredResource>(_ type: R.Type) async throws -> [R]
    /// One page of resources ordered by key.
    func list<R: StoredResource>(_ type: R.Type, page: PageRequest) async throws -> [R]
    /// Inserts a resource with its encoded document; throws 409 `already_exists` if its key is taken.
    func insert<R: StoredResource>(_ resource: R, document: Data) async throws
    /// Replaces a resource whose stored version is `expectedVersion`; `false` if it moved on.
    func replace<R: StoredResource>(_ resource: R, expectedVersion: Int) async throws -> Bool
    /// Deletes a resource.
    func delete<R: StoredResource>(_ type: R.Type, key: String) async throws

    /// A counter that every settings change increases, so caches of settings know when to reload.
    func settingsVersion() async throws -> Int
    /// Increases the settings counter.
    func bumpSettingsVersion() async throws

    /// The owners of those claims that are held by someone other than `owner`.
    func conflictingClaims(_ claims: [UniqueClaim], excluding owner: String) async throws -> [UniqueClaim: String]
    /// Replaces every claim `owner` holds with `claims`; `fresh` when the owner is new and holds none.
    func replaceClaims(_ claims: [UniqueClaim], owner: String, fresh: Bool) async throws
    /// The owner of one claim.
    func claimOwner(_ claim: UniqueClaim) async throws -> String?

    /// Replaces a product's category memberships; `fresh` when the product is new.
    func indexProduct(_ product: Product, fresh: Bool) async throws
    /// Removes a product's index rows.
    func unindexProduct(_ id: String) async throws
    /// One page of products matching `filter`, ordered by ID.
    func listProducts(_ filter: ProductFilter, page: PageRequest) async throws -> [Product]
    /// How many products use a product type.
    func countProducts(productType: String) async throws -> Int
    /// How many products are in a category.
    func countProducts(category: String) async throws -> Int
    /// Which of the given category IDs exist.
    func existingCategories(_ ids: [String]) async throws -> Set<String>

    /// Appends a history entry.
    func appendHistory(_ entry: HistoryEntry) async throws
    /// One page of a resource's history, oldest first.
    func history(of key: String, page: PageRequest) async throws -> [HistoryEntry]

    /// Stores a new API key by its hash.
    func insertKey(_ key: APIKey, hash: String) async throws
    /// The key with this hash, revoked or not.
    func findKey(hash: String) async throws -> APIKey?
    /// One page of keys ordered by ID.
    func listKeys(page: PageRequest) async throws -> [APIKey]
    /// Marks a key revoked; `false` if there is no such key.
    func revokeKey(_ id: String, at: String) async throws -> Bool

    /// The response stored for an idempotency key of a principal.
    func idempotentResponse(principal: String, key: String) async throws -> (fingerprint: String, response: StoredResponse)?
    /// Stores the response for an idempotency key; fails if one is stored already.
    func saveIdempotentResponse(principal: String, key: String, fingerprint: String, response: StoredResponse, at: String) async throws

    /// The listings of some products on every channel.
    func listings(ofProducts ids: [String]) async throws -> [ChannelListing]
    /// Every listing of the next `limit` products after `productId`, in product order, with its
    /// stored facts but without documents.
    func listingRecords(afterProduct productId: String, limit: Int) async throws -> [ListingRecord]
    /// The text of a product's published copy on a channel: the one of `version` if it is
    /// still live or scheduled, else the live one.
    func publishedDocument(productId: String, channel: String, version: Int) async throws -> String?
    /// Stores projected facts per (product, channel), replacing older ones.
    func saveListingFacts(_ facts: [(productId: String, channel: String, facts: ListingRecord.Facts)]) async throws
    /// Writes a listing, replacing the one for the same product and channel.
    func saveListing(_ listing: ChannelListing) async throws
    /// Removes a product's listing on a channel.
    func deleteListing(productId: String, channel: String) async throws
    /// Listings whose scheduled copy is due at `now`.
    func dueListings(asOf now: String) async throws -> [ChannelListing]
    /// The earliest scheduled time of any listing.
    func nextScheduledTime() async throws -> String?

    /// Replaces a product's stock levels (variant, location, on hand); `fresh` when the product is new.
    func replaceStock(productId: String, levels: [(variant: String, location: String, onHand: Int)], fresh: Bool) async throws
    /// Units on hand per variant, summed over locations, for some products (all when `nil`).
    func stockOnHand(products: [String]?) async throws -> [String: Int]

    /// The stock levels of some variants per location, with the units held by unexpired
    /// reservations of other holders, locked until the transaction ends (PostgreSQL row locks;
    /// SQLite has a single writer), so that what is read is still true at commit.
    func lockStock(variants: [String], asOf now: String, excludingHolder holder: String) async throws -> [String: [StockLevel]]
    /// Replaces every reservation of a holder (a cart).
    func replaceReservations(holder: String, with reservations: [Reservation]) async throws
    /// The unexpired reservations of a holder.
    func reservations(holder: String, asOf now: String) async throws -> [Reservation]
    /// Takes a holder's unexpired reservations out of stock on hand and removes them; returns them.
    func consumeReservations(holder: String, asOf now: String) async throws -> [Reservation]
    /// Removes reservations that expired before `now`; returns the variants they held.
    func deleteExpiredReservations(asOf now: String) async throws -> [String]

    /// Stores a new customer with its password hash; throws 409 `email_taken` if its e-mail is taken.
    func insertCustomer(_ customer: Customer, passwordHash: String?) async throws
    /// One customer by ID.
    func customer(id: String) async throws -> Customer?
    /// The customer with this (lower-cased) e-mail and their password hash.
    func customerCredentials(email: String) async throws -> (customer: Customer, passwordHash: String?)?
    /// Replaces a customer whose stored version is `expectedVersion`; `false` if it moved on.
    /// Throws 409 `email_taken` if the new e-mail belongs to someone else.
    func replaceCustomer(_ customer: Customer, expectedVersion: Int) async throws -> Bool
    /// One page of customers ordered by ID, those whose e-mail contains `emailContains` when given.
    func listCustomers(emailContains: String?, page: PageRequest) async throws -> [Customer]
    /// Stores a session, removing the customer's sessions that expired before `now`.
    func insertCustomerSession(_ session: CustomerSession, now: String) async throws
    /// The session with this token hash and its customer, expired or not.
    func customerSession(tokenHash: String) async throws -> (session: CustomerSession, customer: Customer)?
    /// Removes a session; nothing happens if there is none.
    func deleteCustomerSession(tokenHash: String) async throws

    /// Stores a new cart.
    func insertCart(_ cart: Cart) async throws
    /// A cart, locked until the transaction ends when `forUpdate` (PostgreSQL row lock).
    func cart(_ id: String, forUpdate: Bool) async throws -> Cart?
    /// Replaces a cart stored at `expectedVersion`; `false` if it moved on.
    func replaceCart(_ cart: Cart, expectedVersion: Int) async throws -> Bool
    /// Stores a new order; throws 409 `already_exists` if its cart already has one.
    func insertOrder(_ order: Order) async throws
    /// An order by ID.
    func order(_ id: String) async throws -> Order?
    /// Replaces an order stored at `expectedVersion`; `false` if it moved on.
    func replaceOrder(_ order: Order, expectedVersion: Int) async throws -> Bool
    /// One page of orders by ID, optionally of one status or one customer.
    func listOrders(status: String?, customer: String?, page: PageRequest) async throws -> [Order]
    /// Records a payment of an order.
    func insertPayment(orderId: String, payment: Order.Payment, currency: String, at: String) async throws
    /// Adds units back to stock on hand (a canceled order's lines).
    func restock(variant: String, location: String?, quantity: Int) async throws
    /// Increases a named counter and returns its new value; the row stays locked until commit.
    func nextCounter(_ name: String) async throws -> Int
    /// Increases a named counter, creating it at zero first if needed; returns the new value.
    func incrementCounter(_ name: String) async throws -> Int
    /// The values of named counters that exist.
    func counters(_ names: [String]) async throws -> [String: Int]
    /// Appends an event to the outbox with the next sequence number, in the caller's transaction.
    @discardableResult
    func appendEvent(type: String, channel: String?, subject: String, data: JSONValue, at: String) async throws -> Int
    /// Up to `limit` events after `seq`, in order, optionally only of some types.
    func events(after seq: Int, limit: Int, types: Set<String>?) async throws -> [OutboxEvent]
    /// The sequence number of the last committed event (0 when there is none).
    func lastEventSeq() async throws -> Int

    // MARK: Webhooks

    /// Stores a new webhook subscription with its signing secrets.
    func insertWebhook(_ webhook: WebhookSubscription, secrets: WebhookSecrets) async throws
    /// A subscription and its secrets, locked until the transaction ends when `forUpdate` (PostgreSQL row lock).
    func webhook(_ id: String, forUpdate: Bool) async throws -> (webhook: WebhookSubscription, secrets: WebhookSecrets)?
    /// Some subscriptions by ID, locked in ID order when `forUpdate`.
    func webhooks(_ ids: [String], forUpdate: Bool) async throws -> [WebhookSubscription]
    /// One page of subscriptions ordered by ID.
    func listWebhooks(page: PageRequest) async throws -> [WebhookSubscription]
    /// Every enabled subscription.
    func enabledWebhooks() async throws -> [WebhookSubscription]
    /// Replaces a subscription stored at `expectedVersion` (document, flag, failure count and
    /// pause); `false` if it moved on.
    func replaceWebhook(_ webhook: WebhookSubscription, expectedVersion: Int) async throws -> Bool
    /// Replaces a subscription's secrets.
    func replaceWebhookSecrets(_ id: String, secrets: WebhookSecrets) async throws
    /// Sets the failure count and pause of subscriptions without a new version (the sender's bookkeeping).
    func updateWebhookHealth(_ updates: [(id: String, consecutiveFailures: Int, pausedUntil: String?)]) async throws
    /// Pauses a subscription until `until` if it is not paused at `now`; `false` if it is (another sender probes it).
    func pauseWebhook(_ id: String, until: String, ifUnpausedAt now: String) async throws -> Bool
    /// Lets this transaction's commit return before it reaches the disk (PostgreSQL
    /// `synchronous_commit = off`; SQLite's group commit makes it moot): a crash right after may
    /// lose the whole transaction, never part of it. For the webhook sender's bookkeeping, which
    /// is redone when lost (at the price of a repeated delivery).
    func relaxDurability() async throws
    /// Deletes a subscription with its deliveries and their attempts.
    func deleteWebhook(_ id: String) async throws
    /// The fan-out cursor (the last event given to subscriptions), locked until the transaction ends.
    func lockWebhookCursor() async throws -> Int
    /// Moves the fan-out cursor.
    func setWebhookCursor(_ seq: Int) async throws
    /// Stores new deliveries.
    func insertWebhookDeliveries(_ deliveries: [WebhookDelivery]) async throws
    /// The enabled, unpaused subscriptions with a delivery due at `now` that no sender holds, with their secrets.
    func webhooksWithDueDeliveries(asOf now: String) async throws -> [(webhook: WebhookSubscription, secrets: WebhookSecrets)]
    /// Up to `limit` of a subscription's due, unleased deliveries with their events, oldest due
    /// first, locked until the transaction ends; rows other transactions hold are skipped
    /// (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite has a single writer).
    func dueWebhookDeliveries(webhook: String, asOf now: String, limit: Int) async throws -> [(delivery: WebhookDelivery, event: OutboxEvent)]
    /// Sets the lease of deliveries (`nil` releases them).
    func leaseWebhookDeliveries(_ ids: [String], until: String?) async throws
    /// Deliveries by ID, with their event types, locked in ID order when `forUpdate`.
    func webhookDeliveries(_ ids: [String], forUpdate: Bool) async throws -> [WebhookDelivery]
    /// Writes the status, attempts, next attempt, lease, last status code and update time of deliveries.
    func updateWebhookDeliveries(_ deliveries: [WebhookDelivery]) async throws
    /// Logs attempts.
    func insertWebhookAttempts(_ attempts: [WebhookAttempt]) async throws
    /// One page of a subscription's deliveries with their event types, newest first, optionally of one status.
    func listWebhookDeliveries(webhook: String, status: String?, page: PageRequest) async throws -> [WebhookDelivery]
    /// A delivery's attempts, in order.
    func webhookAttempts(delivery: String) async throws -> [WebhookAttempt]
}

