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
