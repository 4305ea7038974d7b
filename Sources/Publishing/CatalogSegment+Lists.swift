extension CatalogSegment {
    /// How many filter sets a segment keeps tallies for; past it, the kept ones are dropped and
    /// made again on need (a head shows a bounded set of category pages and filters).
    static let maxTallies = 512

    /// What `filter` makes of this segment: kept, so the next list with the same filters only
    /// walks its page.
    func tally(_ filter: ListFilter, facets: FacetSpace) -> SegmentTally {
        if let known = tallies.withLock({ $0[filter.key] }) { return known }
        let tally = SegmentTally(segment: self, filter: filter, facets: facets)
        tallies.withLock { kept in
            if kept.count >= Self.maxTallies { kept.removeAll(keepingCapacity: true) }
            kept[filter.key] = tally
        }
        return tally
    }

    /// The ordinals sorted by ``sortKey(_:sort:locale:)``, made on the first list in that order.
    func order(_ sort: ListQuery.Sort, locale: Int) -> [Int32] {
        let name = sort == .name ? "name#\(locale)" : sort.rawValue
        if let known = orders.withLock({ $0[name] }) { return known }
        let keys = products.indices.map { sortKey($0, sort: sort, locale: locale) }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }.map { Int32($0) }
        orders.withLock { $0[name] = order }
        return order
    }

    /// Where the product at `ordinal` goes in a list sorted by `sort` (not relevance: that
    /// comes from a search).
    func sortKey(_ ordinal: Int, sort: ListQuery.Sort, locale: Int) -> SortKey {
        let product = products[ordinal]
        let number: Double? = switch sort {
        case .relevance: 0
        case .price: columns.hasPrice[ordinal] ? Double(columns.price[ordinal]) : .infinity
        case .priceDescending: columns.hasPrice[ordinal] ? -Double(columns.price[ordinal]) : .infinity
        case .newest: -columns.published[ordinal]
        case .name: nil
        }
        return SortKey(primary: number.map { .number($0) } ?? .text(product.sortNames[locale]), id: product.id)
    }
}
