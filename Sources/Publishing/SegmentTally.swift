/// What one filter set makes of one segment, worked out in one pass and then kept with the
/// segment: the facet counts, how many products match, and which ordinals do. Every page and
/// every sort of a category page reads the same tally, so a list costs a walk of its page, not
/// of the catalog. Masked base ordinals are counted here; a snapshot takes them away.
final class SegmentTally: Sendable {
    /// Counts per flat facet index (``FacetSpace``), under the other filters.
    let counts: [Int]
    /// How many products match every filter.
    let total: Int
    /// One bit per ordinal: whether it matches every filter.
    private let matching: [UInt64]
    /// The filters it was made for (a new segment makes it again ahead of need).
    let filter: ListFilter

    init(segment: CatalogSegment, filter: ListFilter, facets: FacetSpace) {
        var counts = [Int](repeating: 0, count: facets.size)
        var matching = [UInt64](repeating: 0, count: (segment.products.count + 63) / 64)
        var total = 0
        let columns = segment.columns
        let products = segment.products
        let attributeOf = facets.attributeOf
        for ordinal in segment.products.indices {
            let outcome = filter.outcome(ordinal, columns, products)
            guard outcome != .excluded else { continue }
            ListFilter.count(outcome, ordinal, in: columns, attributeOf: attributeOf, into: &counts)
            if outcome == .matched {
                total += 1
                matching[ordinal >> 6] |= 1 << UInt64(ordinal & 63)
            }
        }
        self.counts = counts
        self.total = total
        self.matching = matching
        self.filter = filter
    }

    /// Whether the product at `ordinal` matches every filter.
    func matches(_ ordinal: Int) -> Bool { matching[ordinal >> 6] & (1 << UInt64(ordinal & 63)) != 0 }

    /// How many bytes the tally holds, roughly.
    var size: Int { counts.count * 8 + matching.count * 8 }
}
