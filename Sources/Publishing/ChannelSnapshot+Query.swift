import Catalog
import Foundation
import TorsoKit

/// A storefront list request.
public struct ListQuery: Sendable {
    /// How to order the results.
    public enum Sort: String, Sendable, CaseIterable {
        case relevance, price
        case priceDescending = "-price"
        case name, newest
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
    /// The order; relevance needs `text`, else it means newest.
    public var sort: Sort = .relevance
    /// Page size.
    public var limit = 20
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

extension ChannelSnapshot {
    /// The attributes a head can filter and facet on: exposed select, multi-select and boolean ones.
    var facetAttributes: [AttributeDefinition] {
        state.context.attributes.values
            .filter { [.select, .multiSelect, .boolean].contains($0.type) && (channel.exposedAttributes.isEmpty || channel.exposedAttributes.contains($0.code)) }
            .sorted { $0.code < $1.code }
    }

    /// Runs a list query: search, filters, facets, sort and keyset pagination that neither skips
    /// nor repeats items while the catalog changes.
    public func list(_ query: ListQuery) throws -> ListResult {
        let locale = query.locale.rawValue
        let facetAttributes = self.facetAttributes
        var errors = ValidationErrors()
        for code in query.filters.keys.sorted() where !facetAttributes.contains(where: { $0.code == code }) {
            errors.add("/query/filter.\(code)", "unknown_filter", "'\(code)' is not a filterable attribute of this channel.")
        }
        for code in query.ranges.keys.sorted() where state.context.attributes[code]?.type != .number {
            errors.add("/query/filter.\(code)", "unknown_filter", "'\(code)' is not a number attribute.")
        }
        var categoryIDs: Set<String>?
        if let category = query.category {
            guard let root = state.categories[category]?.key
                ?? state.categories.values.first(where: { $0.slug.values.values.contains(category) })?.key else {
                throw DomainError.validation([FieldError(pointer: "/query/category", code: "unknown_category", detail: "No category '\(category)'.")])
            }
            categoryIDs = Category.descendants(of: root, in: state.categories.values)
        }
        try errors.throwIfAny()

        // Candidates: searched, or every listed product.
        var scores: [Int32: Int]?
        let terms = query.text.map(TextNormalizer.tokens) ?? []
        if !terms.isEmpty { scores = state.search[locale]?.search(terms) ?? [:] }
        let candidates: [Int32] = scores.map { Array($0.keys) } ?? Array(0..<Int32(state.products.count))

        // Filters other than the facet attributes apply to everything.
        let filterCodes = query.filters.keys.sorted()
        var matching: [Int32] = []
        var counts: [String: [String: Int]] = [:]
        for ordinal in candidates {
            guard let product = state.products[Int(ordinal)], product.visibleInListings else { continue }
            if let categoryIDs, !product.categories.contains(where: categoryIDs.contains) { continue }
            if let minimum = query.priceMin, (product.price ?? Int64.min) < minimum { continue }
            if let maximum = query.priceMax, (product.price ?? Int64.max) > maximum { continue }
            if let inStock = query.inStock, product.inStock != inStock { continue }
            if query.ranges.contains(where: { code, range in product.numbers[code].map { !range.contains($0) } ?? true }) { continue }
            var failed: String?
            var failures = 0
            for code in filterCodes where (product.facets[code] ?? []).isDisjoint(with: query.filters[code]!) {
                failures += 1
                failed = code
                if failures > 1 { break }
            }
            if failures > 1 { continue }
            for attribute in facetAttributes where failures == 0 || failed == attribute.code {
                for option in product.facets[attribute.code] ?? [] { counts[attribute.code, default: [:]][option, default: 0] += 1 }
            }
            if failures == 0 { matching.append(ordinal) }
        }

        // Order, then cut the page after the cursor.
        let sort = query.sort == .relevance && scores == nil ? .newest : query.sort
        func key(_ ordinal: Int32) -> SortKey {
            let product = state.products[Int(ordinal)]!
            switch sort {
            case .relevance: return SortKey(primary: .number(-Double(scores?[ordinal] ?? 0)), id: product.id)
            case .price: return SortKey(primary: .number(product.price.map(Double.init) ?? .infinity), id: product.id)
            case .priceDescending: return SortKey(primary: .number(product.price.map { -Double($0) } ?? .infinity), id: product.id)
            case .name: return SortKey(primary: .text(product.sortNames[locale] ?? ""), id: product.id)
            case .newest: return SortKey(primary: .number(-product.publishedTime), id: product.id)
            }
        }
        var keyed = matching.map { (key: key($0), ordinal: $0) }
        keyed.sort { $0.key < $1.key }
        var start = 0
        if let text = query.cursor {
            guard let cursor = Cursor(encoded: text), let after = SortKey(cursor: cursor.after, sort: sort) else {
                throw DomainError.validation([FieldError(pointer: "/query/cursor", code: "invalid_cursor", detail: "The cursor does not belong to this sort.")])
            }
            start = keyed.partitioningIndex { $0.key > after }
        }
        let page = keyed[start..<min(keyed.count, start + query.limit)]
        let next = start + query.limit < keyed.count ? page.last.map { Cursor(after: $0.key.cursor(sort: sort)).encoded } : nil
        let data = page.compactMap { state.products[Int($0.ordinal)]?.summaries[locale] }

        let facets: [JSONValue] = facetAttributes.map { attribute in
            let order = channel.lookupOrder(for: query.locale)
            let values: [JSONValue]
            if attribute.type == .boolean {
                values = ["true", "false"].map { .object(["code": .string($0), "label": .string($0), "count": .number(Double(counts[attribute.code]?[$0] ?? 0))]) }
            } else {
                values = attribute.options.map { option in
                    .object(["code": .string(option.code), "label": .string(order.lazy.compactMap { option.labels[$0] }.first ?? option.code),
                             "count": .number(Double(counts[attribute.code]?[option.code] ?? 0))])
                }
            }
            return .object(["attribute": .string(attribute.code), "type": .string(attribute.type.rawValue),
                            "label": .string(order.lazy.compactMap { attribute.labels[$0] }.first ?? attribute.code),
                            "values": .array(values)])
        }
        return ListResult(data: data, nextCursor: next, total: keyed.count, facets: facets)
    }

    /// The localized category tree with the number of listed products in each (sub-categories included).
    public func categoryTree(locale: LocaleCode) -> JSONValue {
        let order = channel.lookupOrder(for: locale)
        var direct: [String: Set<String>] = [:]
        for case let product? in state.products where product.visibleInListings {
            for category in product.categories { direct[category, default: []].insert(product.id) }
        }
        var children: [String: [Category]] = [:]
        var roots: [Category] = []
        for category in state.categories.values {
            if let parent = category.parentId?.rawValue { children[parent, default: []].append(category) } else { roots.append(category) }
        }
        func node(_ category: Category) -> (JSONValue, Set<String>) {
            var products = direct[category.key] ?? []
            let kids = (children[category.key] ?? []).sorted { ($0.position, $0.key) < ($1.position, $1.key) }.map { child in
                let (json, ids) = node(child)
                products.formUnion(ids)
                return json
            }
            return (.object([
                "id": .string(category.key),
                "name": .string(order.lazy.compactMap { category.names[$0] }.first ?? category.key),
                "slug": .string(order.lazy.compactMap { category.slug[$0] }.first ?? category.key),
                "position": .number(Double(category.position)),
                "product_count": .number(Double(products.count)),
                "children": .array(kids),
            ]), products)
        }
        return .array(roots.sorted { ($0.position, $0.key) < ($1.position, $1.key) }.map { node($0).0 })
    }
}

/// A total order over list entries: the sort's key, then the ID.
struct SortKey: Comparable {
    enum Primary: Comparable {
        case number(Double)
        case text(String)
    }

    var primary: Primary
    var id: String

    static func < (lhs: SortKey, rhs: SortKey) -> Bool {
        lhs.primary != rhs.primary ? lhs.primary < rhs.primary : lhs.id < rhs.id
    }

    /// The cursor text: the sort, the key and the ID.
    func cursor(sort: ListQuery.Sort) -> String {
        switch primary {
        case .number(let value): "\(sort.rawValue)\u{1}n\(value)\u{1}\(id)"
        case .text(let value): "\(sort.rawValue)\u{1}t\(value)\u{1}\(id)"
        }
    }

    init(primary: Primary, id: String) {
        self.primary = primary
        self.id = id
    }

    /// Parses a cursor made by ``cursor(sort:)`` for the same sort.
    init?(cursor: String, sort: ListQuery.Sort) {
        let parts = cursor.split(separator: "\u{1}", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == sort.rawValue, let tag = parts[1].first else { return nil }
        let value = String(parts[1].dropFirst())
        switch tag {
        case "n":
            guard let number = Double(value) else { return nil }
            primary = .number(number)
        case "t": primary = .text(value)
        default: return nil
        }
        id = String(parts[2])
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is false then true.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
