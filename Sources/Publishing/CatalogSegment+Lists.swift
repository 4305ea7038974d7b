extension CatalogSegment {
    /// A kept order: its sort, and the locale for names (0 for the others).
    struct OrderName: Hashable, Sendable {
        let sort: ListQuery.Sort
        let locale: Int
    }

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
        let name = OrderName(sort: sort, locale: sort == .name ? locale : 0)
        if let known = orders.withLock({ $0[name] }) { return known }
        let keys = products.indices.map { sortKey($0, sort: sort, locale: locale) }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }.map { Int32($0) }
        orders.withLock { $0[name] = order }
        return order
    }

    /// How many of an old segment's tallies a new one makes ahead of need.
    static let maxWarmed = 64

    /// Makes, in the background, the orders and (some of) the tallies `old` was asked for, so
    /// that the first lists after a merge into a new base do not each walk the catalog (and many
    /// heads asking for the same page at that moment do not all walk it at once).
    func warm(from old: CatalogSegment, facets: FacetSpace) {
        let filters = old.tallies.withLock { $0.values.prefix(Self.maxWarmed).map(\.filter) }
        let names = old.orders.withLock { Array($0.keys) }
        guard !filters.isEmpty || !names.isEmpty else { return }
        Task.detached(priority: .background) { [self] in
            for name in names { _ = order(name.sort, locale: name.locale) }
            for filter in filters { _ = tally(filter, facets: facets) }
        }
    }

    /// Where the product at `ordinal` goes in a list sorted by `sort` (not relevance: that
    /// comes from a search).
    func sortKey(_ ordinal: Int, sort: ListQuery.Sort, locale: Int) -> SortKey {
        let product = products[ordinal]
        let number = Self.sortNumber(ordinal, sort: sort, score: 0, in: columns)
        return SortKey(primary: number.map { .number($0) } ?? .text(product.sortNames[locale]), id: product.id)
    }

    /// The numeric key of the product at `ordinal` in a list sorted by `sort` (its search
    /// `score` for relevance), or `nil` when the sort is by name.
    static func sortNumber(_ ordinal: Int, sort: ListQuery.Sort, score: Int, in columns: borrowing Columns) -> Double? {
        switch sort {
        case .relevance: -Double(score)
        case .price: columns.hasPrice[ordinal] ? Double(columns.price[ordinal]) : .infinity
        case .priceDescending: columns.hasPrice[ordinal] ? -Double(columns.price[ordinal]) : .infinity
        case .newest: -columns.published[ordinal]
        case .name: nil
        }
    }
}
