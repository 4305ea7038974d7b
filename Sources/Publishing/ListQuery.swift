import Catalog
import TorsoKit

/// A storefront list request.
public struct ListQuery: Sendable {
    /// How to order the results.
    public enum Sort: String, Sendable, CaseIterable {
        case relevance, price
        case priceDescending = "-price"
        case name, newest

        /// What a cursor of this sort carries to name it: names sort per locale, so a name
        /// cursor carries its locale too and is refused in another.
        func cursorTag(locale: LocaleCode) -> String { self == .name ? "name@\(locale.rawValue)" : rawValue }
    }

    /// Search text.
    public var text: String?
    /// A category ID or slug; includes its sub-categories.
    public var category: String?
    /// Option codes (or `true`/`false`) per attribute; any of them matches.
    public var filters: [String: Set<String>] = [:]
    /// Number ranges per attribute (`filter.rating=3..5`).
    public var ranges: [String: ClosedRange<Double>] = [:]
    /// Price bounds in minor units of the default currency.
    public var priceMin: Int64?
    /// Price bounds in minor units of the default currency.
    public var priceMax: Int64?
    /// Only products in stock (true) or out of stock (false).
    public var inStock: Bool?
    /// Only products with a unit available at this store (its position among the channel's
    /// stores, ``StockScope/storeIndex(_:)``).
    public var inStockAt: Int?
    /// The order; relevance needs `text`, else it means newest.
    public var sort: Sort = .relevance
    /// The largest page a head may ask for.
    public static let maxLimit = 100
    /// The page size when a head does not say.
    public static let defaultLimit = 20
    /// Page size.
    public var limit = defaultLimit
    /// Where the previous page ended.
    public var cursor: String?
    /// The locale.
    public var locale: LocaleCode

    /// Creates a query in a locale.
    public init(locale: LocaleCode) { self.locale = locale }
}

/// A page of a storefront list with its total and facets.
public struct ListResult: Sendable {
    /// The list entries.
    public var data: [JSONValue]
    /// The cursor of the next page.
    public var nextCursor: String?
    /// How many products match.
    public var total: Int
    /// Counts per option of each filterable attribute, under the other filters.
    public var facets: [JSONValue]
}
