import TorsoKit

/// One line of the stock adjustment log: a change of units on hand of one variant at one
/// location, with who made it, when, why, and the count before and after.
public struct StockAdjustment: Sendable, Hashable, Encodable {
    /// What kind of change a line records.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// An absolute count, as from a stock take or an ERP sync.
        case set
        /// Units added or taken away (received, damaged, found).
        case delta
        /// Units leaving a location for another (the pair's first line).
        case transferOut = "transfer_out"
        /// Units arriving from another location (the pair's second line).
        case transferIn = "transfer_in"
    }

    /// The batch: one per call, time-ordered (`adj_…`).
    public var batch: String
    /// The line within the batch, from 0.
    public var line: Int
    /// The variant.
    public var variantId: String
    /// Its SKU.
    public var sku: String
    /// The product the variant belongs to.
    public var productId: String
    /// The stock location.
    public var location: String
    /// What kind of change it was.
    public var kind: Kind
    /// The count set, or the units added (negative: taken away).
    public var quantity: Int
    /// Units on hand before.
    public var onHandBefore: Int
    /// Units on hand after.
    public var onHandAfter: Int
    /// Why (a short code or sentence: `stock_take`, `received`, `damaged`…).
    public var reason: String
    /// A reference in the system that made the change (an ERP document number).
    public var reference: String?
    /// Who made it: an API key's ID, `system`, a person.
    public var actor: String
    /// When (RFC 3339).
    public var at: String

    /// Creates a log line.
    public init(batch: String, line: Int, variantId: String, sku: String, productId: String, location: String, kind: Kind,
                quantity: Int, onHandBefore: Int, onHandAfter: Int, reason: String, reference: String?, actor: String, at: String) {
        self.batch = batch
        self.line = line
        self.variantId = variantId
        self.sku = sku
        self.productId = productId
        self.location = location
        self.kind = kind
        self.quantity = quantity
        self.onHandBefore = onHandBefore
        self.onHandAfter = onHandAfter
        self.reason = reason
        self.reference = reference
        self.actor = actor
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case batch, line, sku, location, kind, quantity, reason, reference, actor, at
        case variantId = "variant_id"
        case productId = "product_id"
        case onHandBefore = "on_hand_before"
        case onHandAfter = "on_hand_after"
    }
}

/// Marks adjustment batch identifiers (`adj_…`).
public enum AdjustmentEntity: IdentifiedEntity { public static let idPrefix = "adj" }
