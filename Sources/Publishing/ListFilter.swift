import Catalog
import TorsoKit

/// A list query's filters compiled against a snapshot: what a product must match to be listed,
/// and a key naming the filter set, under which a segment keeps what the filters made of it
/// (``SegmentTally``). The key leaves out the sort, the page and the search text.
struct ListFilter: Sendable {
    /// What a product makes of the filters.
    enum Outcome: Equatable {
        /// It fails a filter that is not a facet, or two facet filters: it counts nowhere.
        case excluded
        /// It fails exactly one facet filter: it counts only for that attribute's options.
        case failed(attribute: Int)
        /// It matches: it is listed and counts for all its options.
        case matched
    }

    let priceMin: Int64?
    let priceMax: Int64?
    let inStock: Bool?
    let inStockAt: Int?
    let storeCount: Int
    let categoryIDs: Set<String>?
    let ranges: [(code: String, range: ClosedRange<Double>)]
    /// A table per facet filter over the flat facet indexes: which options of its attribute match.
    let facetFilters: [(attribute: Int, allowed: [Bool])]
    /// The cache key: every filter, in a canonical order.
    let key: String

    /// Compiles the filters of `query`; unknown attributes and categories are 422s with a pointer.
    init(_ query: ListQuery, snapshot: ChannelSnapshot) throws {
        let facets = snapshot.facets
        var errors = ValidationErrors()
        var facetFilters: [(attribute: Int, allowed: [Bool])] = []
        var key = ""
        for code in query.filters.keys.sorted() {
            guard let attribute = facets.index(of: code) else {
                errors.add("/query/filter.\(code)", "unknown_filter", "'\(code)' is not a filterable attribute of this channel.")
                continue
            }
            var allowed = [Bool](repeating: false, count: facets.size)
            var known: [Int] = []
            for option in query.filters[code]! {
                if let value = facets.code(code, option) {
                    allowed[facets.flat(value)] = true
                    known.append(facets.flat(value))
                }
            }
            facetFilters.append((attribute, allowed))
            key += "f\(attribute):\(known.sorted().map(String.init).joined(separator: ","));"
        }
        for code in query.ranges.keys.sorted() where snapshot.context.attributes[code]?.type != .number {
            errors.add("/query/filter.\(code)", "unknown_filter", "'\(code)' is not a number attribute.")
        }
        var categoryIDs: Set<String>?
        if let category = query.category {
            let categories = snapshot.categories
            guard let root = categories[category]?.key
                ?? categories.values.first(where: { $0.slug.values.values.contains(category) })?.key else {
                throw DomainError.validation([FieldError(pointer: "/query/category", code: "unknown_category", detail: "No category '\(category)'.")])
            }
            let ids = Category.descendants(of: root, in: categories.values)
            categoryIDs = ids
            key += "c\(ids.sorted().joined(separator: ","));"
        }
        try errors.throwIfAny()
        ranges = query.ranges.keys.sorted().map { ($0, query.ranges[$0]!) }
        for (code, range) in ranges { key += "r\(code):\(range.lowerBound)..\(range.upperBound);" }
        priceMin = query.priceMin
        priceMax = query.priceMax
        inStock = query.inStock
        inStockAt = query.inStockAt
        key += "p\(priceMin.map(String.init) ?? "")..\(priceMax.map(String.init) ?? "");s\(inStock.map(String.init) ?? "");a\(inStockAt.map(String.init) ?? "")"
        storeCount = snapshot.projector.stockScope.stores.count
        self.categoryIDs = categoryIDs
        self.facetFilters = facetFilters
        self.key = key
    }

    /// What the product at `ordinal` makes of the filters, read from its segment's columns and
    /// products (passed in, so a walk holds them once).
    func outcome(_ ordinal: Int, _ columns: borrowing CatalogSegment.Columns, _ products: borrowing [ProjectedProduct]) -> Outcome {
        guard columns.visible[ordinal] else { return .excluded }
        if let priceMin, !columns.hasPrice[ordinal] || columns.price[ordinal] < priceMin { return .excluded }
        if let priceMax, !columns.hasPrice[ordinal] || columns.price[ordinal] > priceMax { return .excluded }
        if let inStock, (columns.available[ordinal] > 0) != inStock { return .excluded }
        if let inStockAt, !products[ordinal].hasStock(atStore: inStockAt, of: storeCount) { return .excluded }
        if let categoryIDs, !products[ordinal].categories.contains(where: categoryIDs.contains) { return .excluded }
        if !ranges.isEmpty, ranges.contains(where: { code, range in products[ordinal].numbers[code].map { !range.contains($0) } ?? true }) {
            return .excluded
        }
        let values = Int(columns.facetStart[ordinal])..<Int(columns.facetStart[ordinal + 1])
        var failed: Int?
        for filter in facetFilters where !values.contains(where: { filter.allowed[Int(columns.facets[$0])] }) {
            if failed != nil { return .excluded }
            failed = filter.attribute
        }
        return failed.map { .failed(attribute: $0) } ?? .matched
    }

    /// Adds (or, with `sign` -1, takes away) the facet counts of the product at `ordinal`.
    static func count(_ outcome: Outcome, _ ordinal: Int, in columns: borrowing CatalogSegment.Columns, attributeOf: [Int],
                      into counts: inout [Int], sign: Int = 1) {
        switch outcome {
        case .excluded: return
        case .matched:
            for index in Int(columns.facetStart[ordinal])..<Int(columns.facetStart[ordinal + 1]) { counts[Int(columns.facets[index])] += sign }
        case .failed(let attribute):
            for index in Int(columns.facetStart[ordinal])..<Int(columns.facetStart[ordinal + 1]) {
                let flat = Int(columns.facets[index])
                if attributeOf[flat] == attribute { counts[flat] += sign }
            }
        }
    }
}
