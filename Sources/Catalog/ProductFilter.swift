/// Filters of the admin product list.
public struct ProductFilter: Sendable {
    /// Lower-cased text that must occur in the product's search text.
    public var query: String?
    /// The product type's code.
    public var productType: String?
    /// Category IDs, any of which the product must be in.
    public var categories: [String]?
    /// Where the product stands in publishing.
    public var publication: Publication?
    /// Whether the product has units on hand anywhere.
    public var stocked: Bool?
    /// The last key to look at: a bounded walk, for filters that may match few products.
    public var through: String?

    /// Where a product stands in publishing, for the back office's list.
    public enum Publication: Sendable, Equatable {
        /// Live on the channel.
        case live(channel: String)
        /// Not live on the channel (never published, or unpublished).
        case notLive(channel: String)
        /// Live somewhere, and changed since it was published there.
        case staged
        /// A publication waits for its time somewhere.
        case scheduled
    }

    /// Creates a filter.
    public init(query: String? = nil, productType: String? = nil, categories: [String]? = nil, publication: Publication? = nil, stocked: Bool? = nil) {
        self.query = query
        self.productType = productType
        self.categories = categories
        self.publication = publication
        self.stocked = stocked
    }
}
