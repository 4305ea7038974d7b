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
    /// Only products with a unit available at this store (its position among the channel's
    /// stores, ``StockScope/storeIndex(_:)``).
    public var inStockAt: Int?
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
    var facetAttributes: [AttributeDefinition] { facets.attributes }

    /// Runs a list query: search, filters, facets, sort and keyset pagination that neither skips
    /// nor repeats items while the catalog changes.
    public func list(_ query: ListQuery) throws -> ListResult {
        let locale = index(of: query.locale)
        let facets = self.facets
        var errors = ValidationErrors()
        // A filter is a table over the flat facet indexes: which options of its attribute match.
        var filters: [(attribute: Int, allowed: [Bool])] = []
        for code in query.filters.keys.sorted() {
            guard let attribute = facets.index(of: code) else {
                errors.add("/query/filter.\(code)", "unknown_filter", "'\(code)' is not a filterable attribute of this channel.")
                continue
            }
            var allowed = [Bool](repeating: false, count: facets.size)
            for option in query.filters[code]! { if let value = facets.code(code, option) { allowed[facets.flat(value)] = true } }
            filters.append((attribute, allowed))
        }
        for code in query.ranges.keys.sorted() where context.attributes[code]?.type != .number {
            errors.add("/query/filter.\(code)", "unknown_filter", "'\(code)' is not a number attribute.")
        }
        var categoryIDs: Set<String>?
        if let category = query.category {
            guard let root = categories[category]?.key
                ?? categories.values.first(where: { $0.slug.values.values.contains(category) })?.key else {
                throw DomainError.validation([FieldError(pointer: "/query/category", code: "unknown_category", detail: "No category '\(category)'.")])
            }
            categoryIDs = Category.descendants(of: root, in: categories.values)
        }
        try errors.throwIfAny()
        let sort = query.sort == .relevance && query.text.map(TextNormalizer.tokens)?.isEmpty != false ? .newest : query.sort
        var after: SortKey?
        if let text = query.cursor {
            guard let cursor = Cursor(encoded: text), let key = SortKey(cursor: cursor.after, sort: sort) else {
                throw DomainError.validation([FieldError(pointer: "/query/cursor", code: "invalid_cursor", detail: "The cursor does not belong to this sort.")])
            }
            after = key
        }

        // One pass over the candidates of both segments, on their fact columns: filter, count
        // facets, and keep the page (a key is made only for entries that may be on it).
        let terms = query.text.map(TextNormalizer.tokens) ?? []
        var counts = [Int](repeating: 0, count: facets.size)
        let attributeOf = facets.attributeOf
        var total = 0
        var page = TopEntries(capacity: query.limit + 1)
        let afterNumber: Double? = if case .number(let value)? = after?.primary { value } else { nil }
        let storeCount = projector.stockScope.stores.count
        for (segment, isBase) in [(base, true), (delta, false)] {
            let columns = segment.columns
            let products = segment.products
            let masked = isBase ? self.masked : []
            func consider(_ ordinal: Int, score: Int) {
                guard columns.visible[ordinal] else { return }
                if let minimum = query.priceMin, !columns.hasPrice[ordinal] || columns.price[ordinal] < minimum { return }
                if let maximum = query.priceMax, !columns.hasPrice[ordinal] || columns.price[ordinal] > maximum { return }
                if let inStock = query.inStock, (columns.available[ordinal] > 0) != inStock { return }
                if let store = query.inStockAt, !products[ordinal].hasStock(atStore: store, of: storeCount) { return }
                if let categoryIDs, !products[ordinal].categories.contains(where: categoryIDs.contains) { return }
                if !query.ranges.isEmpty, query.ranges.contains(where: { code, range in
                    products[ordinal].numbers[code].map { !range.contains($0) } ?? true
                }) { return }
                let values = Int(columns.facetStart[ordinal])..<Int(columns.facetStart[ordinal + 1])
                var failed = -1
                var failures = 0
                for filter in filters where !values.contains(where: { filter.allowed[Int(columns.facets[$0])] }) {
                    failures += 1
                    failed = filter.attribute
                    if failures > 1 { return }
                }
                for index in values {
                    let flat = Int(columns.facets[index])
                    if failures == 0 || failed == attributeOf[flat] { counts[flat] += 1 }
                }
                guard failures == 0 else { return }
                total += 1
                let number: Double? = switch sort {
                case .relevance: -Double(score)
                case .price: columns.hasPrice[ordinal] ? Double(columns.price[ordinal]) : .infinity
                case .priceDescending: columns.hasPrice[ordinal] ? -Double(columns.price[ordinal]) : .infinity
                case .newest: -columns.published[ordinal]
                case .name: nil
                }
                if let number {
                    if let afterNumber, number < afterNumber { return }
                    if let worst = page.worstNumber, number > worst { return }
                }
                let product = products[ordinal]
                let key = SortKey(primary: number.map { .number($0) } ?? .text(product.sortNames[locale]), id: product.id)
                if let after, !(key > after) { return }
                page.offer(key, product)
            }
            if terms.isEmpty {
                for ordinal in 0..<products.count where !isBase || !masked.contains(Int32(ordinal)) { consider(ordinal, score: 0) }
            } else {
                for hit in segment.search[locale].search(terms) where !isBase || !masked.contains(hit.ordinal) {
                    consider(Int(hit.ordinal), score: hit.score)
                }
            }
        }

        let entries = page.entries
        let shown = entries.prefix(query.limit)
        let next = entries.count > query.limit ? shown.last.map { Cursor(after: $0.key.cursor(sort: sort)).encoded } : nil
        let order = channel.lookupOrder(for: query.locale)
        let facetValues: [JSONValue] = facets.attributes.enumerated().map { index, attribute in
            let values: [JSONValue] = facets.options[index].enumerated().map { number, option in
                let label = attribute.type == .boolean ? option
                    : attribute.option(option).flatMap { found in order.lazy.compactMap { found.labels[$0] }.first } ?? option
                return .object(["code": .string(option), "label": .string(label),
                                "count": .number(Double(counts[facets.offsets[index] + number]))])
            }
            return .object(["attribute": .string(attribute.code), "type": .string(attribute.type.rawValue),
                            "label": .string(order.lazy.compactMap { attribute.labels[$0] }.first ?? attribute.code),
                            "values": .array(values)])
        }
        return ListResult(data: shown.map { $0.product.summary(locale: locale) }, nextCursor: next, total: total, facets: facetValues)
    }

    /// The localized category tree with the number of listed products in each (sub-categories included).
    public func categoryTree(locale: LocaleCode) -> JSONValue {
        let order = channel.lookupOrder(for: locale)
        var direct: [String: Set<String>] = [:]
        for product in products where product.visibleInListings {
            for category in product.categories { direct[category, default: []].insert(product.id) }
        }
        var children: [String: [Category]] = [:]
        var roots: [Category] = []
        for category in categories.values {
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

/// The smallest entries offered so far, in order, up to a capacity: a page and one more, kept
/// without sorting everything that matched.
struct TopEntries {
    let capacity: Int
    private(set) var entries: [(key: SortKey, product: ProjectedProduct)] = []

    init(capacity: Int) {
        self.capacity = capacity
        entries.reserveCapacity(capacity + 1)
    }

    /// The numeric key of the last entry once the page is full: anything greater cannot enter.
    var worstNumber: Double? {
        guard entries.count == capacity, case .number(let value) = entries.last?.key.primary else { return nil }
        return value
    }

    mutating func offer(_ key: SortKey, _ product: ProjectedProduct) {
        if entries.count == capacity, let last = entries.last, !(key < last.key) { return }
        let position = entries.partitioningIndex { key < $0.key }
        entries.insert((key, product), at: position)
        if entries.count > capacity { entries.removeLast() }
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
