/// A variant as Inventory knows it: its SKU, its product, and whether it may be sold beyond
/// stock (its on-hand count may then go below zero).
public struct StockedVariant: Sendable, Hashable {
    /// The variant's ID.
    public var id: String
    /// Its SKU.
    public var sku: String
    /// The product it belongs to.
    public var productId: String
    /// Whether it may be sold beyond stock.
    public var allowBackorder: Bool

    /// Creates a variant reference.
    public init(id: String, sku: String, productId: String, allowBackorder: Bool) {
        self.id = id
        self.sku = sku
        self.productId = productId
        self.allowBackorder = allowBackorder
    }
}

/// A variant at a location: the key of a stock level.
public struct StockKey: Sendable, Hashable, Comparable {
    /// The variant's ID.
    public var variantId: String
    /// The location's code.
    public var location: String

    /// Creates a key.
    public init(variantId: String, location: String) {
        self.variantId = variantId
        self.location = location
    }

    public static func < (lhs: StockKey, rhs: StockKey) -> Bool {
        (lhs.variantId, lhs.location) < (rhs.variantId, rhs.location)
    }
}
