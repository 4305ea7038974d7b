import Catalog
import Foundation
import TorsoKit

extension ChannelSnapshot {
    /// The attributes a head can filter and facet on: exposed select, multi-select and boolean ones.
    var facetAttributes: [AttributeDefinition] { facets.attributes }

    /// Runs a list query: search, filters, facets, sort and keyset pagination that neither skips
    /// nor repeats items while the catalog changes.
    ///
    /// Without search text, a list reads each segment's tally for its filters (kept per filter
    /// set) and walks the segment's presorted order from the cursor until the page is full, so it
    /// costs the page, not the catalog. With text, it walks the search hits.
    public func list(_ query: ListQuery) throws -> ListResult {
        let locale = index(of: query.locale)
        let facets = self.facets
        let filter = try ListFilter(query, snapshot: self)
        let terms = query.text.map(TextNormalizer.tokens) ?? []
        let sort = query.sort == .relevance && terms.isEmpty ? .newest : query.sort
        var after: SortKey?
        if let text = query.cursor {
            guard let cursor = Cursor(encoded: text), let key = SortKey(cursor: cursor.after, tag: sort.cursorTag(locale: query.locale)) else {
                throw DomainError.validation([FieldError(pointer: "/query/cursor", code: "invalid_cursor", detail: "The cursor does not belong to this sort (and, sorted by name, this locale).")])
            }
            after = key
        }
        let (counts, total, page) = terms.isEmpty
            ? browse(filter, sort: sort, after: after, locale: locale, limit: query.limit)
            : search(terms, filter, sort: sort, after: after, locale: locale, limit: query.limit)

        let entries = page.entries
        let shown = entries.prefix(query.limit)
        let next = entries.count > query.limit ? shown.last.map { Cursor(after: $0.key.cursor(tag: sort.cursorTag(locale: query.locale))).encoded } : nil
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
}
