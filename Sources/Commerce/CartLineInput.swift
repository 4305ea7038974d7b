/// A cart line as promotions see it.
public struct CartLineInput: Sendable, Hashable, Codable {
    /// The line's ID, unique in the cart (the allocation tie-break).
    public var lineId: String
    /// The variant's ID.
    public var variantId: String
    /// The product's ID.
    public var productId: String
    /// The product's categories including all their ancestors.
    public var categories: Set<String>
    /// Units.
    public var quantity: Int
    /// The resolved unit price in minor units.
    public var unitAmount: Int64

    /// Creates a line.
    public init(lineId: String, variantId: String, productId: String, categories: Set<String> = [],
                quantity: Int, unitAmount: Int64) {
        self.lineId = lineId
        self.variantId = variantId
        self.productId = productId
        self.categories = categories
        self.quantity = quantity
        self.unitAmount = unitAmount
    }

    /// `quantity × unitAmount`, never negative.
    public var amount: Int64 { max(0, Int64(max(0, quantity)) * max(0, unitAmount)) }

    enum CodingKeys: String, CodingKey {
        case categories, quantity
        case lineId = "line_id"
        case variantId = "variant_id"
        case productId = "product_id"
        case unitAmount = "unit_amount"
    }
}
