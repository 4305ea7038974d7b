/// One row of the inventory: a variant's units at a location, on hand, held by carts, and
/// available to sell.
public struct InventoryLevel: Sendable, Hashable, Encodable {
    /// The variant's ID.
    public var variantId: String
    /// Its SKU.
    public var sku: String
    /// Its product.
    public var productId: String
    /// The stock location.
    public var location: String
    /// Units physically there (below zero for backorders).
    public var onHand: Int
    /// Units held by unexpired reservations.
    public var reserved: Int

    /// Creates a row.
    public init(variantId: String, sku: String, productId: String, location: String, onHand: Int, reserved: Int) {
        self.variantId = variantId
        self.sku = sku
        self.productId = productId
        self.location = location
        self.onHand = onHand
        self.reserved = reserved
    }

    /// `on_hand − reserved`, never negative: what can still be sold there.
    public var available: Int { StockLevel(locationId: location, onHand: onHand, reserved: reserved).available }

    enum CodingKeys: String, CodingKey {
        case sku, location, reserved, available
        case variantId = "variant_id"
        case productId = "product_id"
        case onHand = "on_hand"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(variantId, forKey: .variantId)
        try container.encode(sku, forKey: .sku)
        try container.encode(productId, forKey: .productId)
        try container.encode(location, forKey: .location)
        try container.encode(onHand, forKey: .onHand)
        try container.encode(reserved, forKey: .reserved)
        try container.encode(available, forKey: .available)
    }
}

/// Which inventory rows to list.
public struct InventoryFilter: Sendable, Hashable {
    /// Only this SKU.
    public var sku: String?
    /// Only this location.
    public var location: String?
    /// Only rows with fewer units available than this (low stock).
    public var below: Int?
    /// Only this product's variants.
    public var productId: String?

    /// Creates a filter.
    public init(sku: String? = nil, location: String? = nil, below: Int? = nil, productId: String? = nil) {
        self.sku = sku
        self.location = location
        self.below = below
        self.productId = productId
    }
}

/// Which adjustment log lines to list.
public struct AdjustmentFilter: Sendable, Hashable {
    /// Only this SKU.
    public var sku: String?
    /// Only this location.
    public var location: String?
    /// Only this batch.
    public var batch: String?

    /// Creates a filter.
    public init(sku: String? = nil, location: String? = nil, batch: String? = nil) {
        self.sku = sku
        self.location = location
        self.batch = batch
    }
}
