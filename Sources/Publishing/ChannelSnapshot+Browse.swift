extension ChannelSnapshot {
    /// A page of a list without search text: the segments' tallies for the filters (masked base
    /// products taken away) and each segment's presorted order walked from the cursor.
    func browse(_ filter: ListFilter, sort: ListQuery.Sort, after: SortKey?, locale: Int, limit: Int)
        -> (counts: [Int], total: Int, page: TopEntries) {
        let (counts, total, tallies) = tallied(filter)
        var page = TopEntries(capacity: limit + 1)
        for (segment, tally, isBase) in [(base, tallies.base, true), (delta, tallies.delta, false)] {
            let order = segment.order(sort, locale: locale)
            var position = 0
            if let after {
                position = order.partitioningIndex { segment.sortKey(Int($0), sort: sort, locale: locale) > after }
            }
            var taken = 0
            while position < order.count, taken <= limit {
                let ordinal = order[position]
                position += 1
                guard tally.matches(Int(ordinal)), !isBase || !masked.contains(ordinal) else { continue }
                page.offer(segment.sortKey(Int(ordinal), sort: sort, locale: locale), segment.products[Int(ordinal)])
                taken += 1
            }
        }
        return (counts, total, page)
    }

    /// What `filter` makes of the whole snapshot: the segments' kept tallies added up, less the
    /// masked base products; with the tallies, for walking each segment's matches.
    func tallied(_ filter: ListFilter) -> (counts: [Int], total: Int, tallies: (base: SegmentTally, delta: SegmentTally)) {
        let tallies = (base: base.tally(filter, facets: facets), delta: delta.tally(filter, facets: facets))
        var counts = tallies.base.counts
        for index in counts.indices { counts[index] += tallies.delta.counts[index] }
        var total = tallies.base.total + tallies.delta.total
        let (columns, products, attributeOf) = (base.columns, base.products, facets.attributeOf)
        for ordinal in masked {
            let outcome = filter.outcome(Int(ordinal), columns, products)
            ListFilter.count(outcome, Int(ordinal), in: columns, attributeOf: attributeOf, into: &counts, sign: -1)
            if outcome == .matched { total -= 1 }
        }
        return (counts, total, tallies)
    }

    /// A page of a searched list: every hit of both segments filtered, counted and offered to
    /// the page (a key is made only for hits that may be on it).
    func search(_ terms: [String], _ filter: ListFilter, sort: ListQuery.Sort, after: SortKey?, locale: Int, limit: Int)
        -> (counts: [Int], total: Int, page: TopEntries) {
        let attributeOf = facets.attributeOf
        var counts = [Int](repeating: 0, count: facets.size)
        var total = 0
        var page = TopEntries(capacity: limit + 1)
        let afterNumber: Double? = if case .number(let value)? = after?.primary { value } else { nil }
        for (segment, isBase) in [(base, true), (delta, false)] {
            let columns = segment.columns
            let products = segment.products
            for hit in segment.search[locale].search(terms) where !isBase || !masked.contains(hit.ordinal) {
                let ordinal = Int(hit.ordinal)
                let outcome = filter.outcome(ordinal, columns, products)
                ListFilter.count(outcome, ordinal, in: columns, attributeOf: attributeOf, into: &counts)
                guard outcome == .matched else { continue }
                total += 1
                let number = CatalogSegment.sortNumber(ordinal, sort: sort, score: hit.score, in: columns)
                if let number {
                    if let afterNumber, number < afterNumber { continue }
                    if let worst = page.worstNumber, number > worst { continue }
                }
                let product = products[ordinal]
                let key = SortKey(primary: number.map { .number($0) } ?? .text(product.sortNames[locale]), id: product.id)
                if let after, !(key > after) { continue }
                page.offer(key, product)
            }
        }
        return (counts, total, page)
    }
}
