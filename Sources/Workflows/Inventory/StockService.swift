import Access
import Foundation
import Synchronization
import Inventory
import TorsoKit

/// The inventory API's use cases: levels with what is held and available, batches of
/// adjustments (absolute counts, deltas, transfers) applied all or nothing under an idempotency
/// key, and the adjustment log. Every change is logged with who, when, why, before and after,
/// announced as `stock.changed`, and shown by the storefront before the call returns.
public struct StockService: Sendable {
    /// A batch of adjustments as a caller sends it.
    public struct Batch: Sendable {
        /// The rows, applied in order.
        public var rows: [AdjustmentRow]
        /// Why (for rows that give no reason of their own).
        public var reason: String
        /// A reference in the caller's system (an ERP document number).
        public var reference: String?

        /// Creates a batch.
        public init(rows: [AdjustmentRow], reason: String, reference: String? = nil) {
            self.rows = rows
            self.reason = reason
            self.reference = reference
        }
    }

    let store: any Store
    let observer: (any ChangeObserver)?

    /// Creates the service.
    public init(store: any Store, observer: (any ChangeObserver)? = nil) {
        self.store = store
        self.observer = observer
    }

    /// One page of levels matching `filter`, by SKU then location; a location that does not
    /// exist is 422 `unknown_location` (an empty page would read as "nothing there").
    public func levels(_ filter: InventoryFilter, page: PageRequest) async throws -> Page<InventoryLevel> {
        let now = Timestamp.string(Date())
        let rows = try await store.read { tx in
            try await Self.checkLocation(filter.location, in: tx)
            return try await tx.stock.inventory(filter, asOf: now, after: page.cursor?.after, limit: page.limit + 1)
        }
        return Page.slice(rows, limit: page.limit) { $0.sku + "|" + $0.location }
    }

    /// 422 `unknown_location` for a location filter that names nothing.
    static func checkLocation(_ location: String?, in tx: any Transaction) async throws {
        if let location, try await tx.documents.fetch(StockLocation.self, key: location) == nil {
            throw DomainError.validation([FieldError(pointer: "/query/location", code: "unknown_location",
                                                     detail: "There is no stock location '\(location)'.")])
        }
    }

    /// One page of the log matching `filter`, newest batch first; an unknown location is 422.
    public func adjustments(_ filter: AdjustmentFilter, page: PageRequest) async throws -> Page<StockAdjustment> {
        let lines = try await store.read { tx in
            try await Self.checkLocation(filter.location, in: tx)
            return try await tx.stock.adjustments(filter, before: page.cursor?.after, limit: page.limit + 1)
        }
        return Page.slice(lines, limit: page.limit) { "\($0.batch)|\($0.line)" }
    }

    /// Applies a batch, all or nothing (422 with a pointer to each bad row); answers 201 with the
    /// batch's log lines, or replays the first answer for a repeated idempotency key.
    public func adjust(_ batch: Batch, context: WriteContext) async throws -> StoredResponse {
        var errors = ValidationErrors()
        let reason = batch.reason.trimmingCharacters(in: .whitespaces)
        if reason.isEmpty { errors.add("/reason", "required", "Say why: stock_take, received, damaged…") }
        if reason.count > 200 { errors.add("/reason", "too_long", "A reason has at most 200 characters.") }
        if (batch.reference?.count ?? 0) > 200 { errors.add("/reference", "too_long", "A reference has at most 200 characters.") }
        if batch.rows.isEmpty { errors.add("/rows", "required", "Send at least one row.") }
        // The batch's own problems are reported with its rows' (below), unless there are no rows.
        if batch.rows.isEmpty { try errors.throwIfAny() }
        let problems = errors
        let products = Mutex<[String]>([])
        let response = try await Idempotent.run(store: store, context: context) { tx in
            let batchId = ID<AdjustmentEntity>.generate(at: context.now).rawValue
            let log = try await Self.apply(batch.rows, batch: batchId, reason: reason, reference: batch.reference, problems: problems,
                                           context: context, in: tx)
            products.withLock { $0 = Array(Set(log.map(\.productId))).sorted() }
            let body = try JSONCoding.encode(AdjustmentReceipt(id: batchId, at: context.timestamp, reason: reason, reference: batch.reference,
                                                               actor: context.actor.keyId, adjustments: log))
            return StoredResponse(status: 201, body: Data(body))
        }
        let changed = products.withLock { $0 }
        if !changed.isEmpty { await observer?.changed(.adjusted(productIds: changed)) }
        return response
    }
}

extension StockService {
    /// Applies rows in a transaction (locked, logged, announced); answers the log. For the
    /// inventory API and for imports, whose files' stock goes through here with the file as
    /// the reason.
    /// `quiet` names products that announce no `stock.changed` (new in this transaction: on no
    /// channel yet). `fresh` are variants written in this transaction, which have no stock yet:
    /// rows naming them by SKU are neither looked up nor locked.
    static func apply(_ rows: [AdjustmentRow], batch batchId: String, reason: String, reference: String?, problems: ValidationErrors = ValidationErrors(),
                      quiet: Set<String> = [], fresh: [StockedVariant] = [], context: WriteContext, in tx: any Transaction) async throws -> [StockAdjustment] {
        let freshSKUs = Set(fresh.map(\.sku))
        let stored = rows.filter { $0.variantId != nil || !freshSKUs.contains($0.sku ?? "") }
        let adjuster = StockAdjuster(
            variants: fresh + (try await tx.stock.variants(skus: stored.compactMap { $0.variantId == nil ? $0.sku : nil }, ids: stored.compactMap(\.variantId))),
            locations: Set(try await tx.documents.fetchAll(StockLocation.self).map(\.code)))
        let keys = stored.flatMap { row in
            adjuster.variant(of: row).map { variant in row.locations.map { StockKey(variantId: variant.id, location: $0) } } ?? []
        }
        let onHand = try await tx.stock.lockOnHand(keys)
        let plan = try adjuster.plan(rows, onHand: onHand, batch: batchId, reason: reason, reference: reference,
                                     actor: context.actor.keyId, at: context.timestamp, problems: problems)
        try await tx.stock.setStock(plan.levels)
        try await tx.stock.appendAdjustments(plan.log)
        let changed = Dictionary(plan.log.filter { !quiet.contains($0.productId) }.map { ($0.variantId, $0.productId) },
                                 uniquingKeysWith: { first, _ in first })
        try await EventRecorder.stockChanged(variants: changed.map { ($0.value, $0.key) }, in: tx)
        return plan.log
    }
}

/// The answer to a batch: its ID and every log line it wrote.
struct AdjustmentReceipt: Encodable {
    var id: String
    var at: String
    var reason: String
    var reference: String?
    var actor: String
    var adjustments: [StockAdjustment]
}
