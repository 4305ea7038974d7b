import Catalog
import TorsoKit

extension ChannelSnapshot {
    /// The localized category tree with the number of listed products in each (sub-categories
    /// included, a product in two of them counted once).
    public func categoryTree(locale: LocaleCode) -> JSONValue {
        let order = channel.lookupOrder(for: locale)
        let counts = listedPerCategory()
        var children: [String: [Category]] = [:]
        var roots: [Category] = []
        for category in categories.values {
            if let parent = category.parentId?.rawValue { children[parent, default: []].append(category) } else { roots.append(category) }
        }
        func node(_ category: Category) -> JSONValue {
            .object([
                "id": .string(category.key),
                "name": .string(order.lazy.compactMap { category.names[$0] }.first ?? category.key),
                "slug": .string(order.lazy.compactMap { category.slug[$0] }.first ?? category.key),
                "position": .number(Double(category.position)),
                "product_count": .number(Double(counts[category.key] ?? 0)),
                "children": .array((children[category.key] ?? []).sorted { ($0.position, $0.key) < ($1.position, $1.key) }.map(node)),
            ])
        }
        return .array(roots.sorted { ($0.position, $0.key) < ($1.position, $1.key) }.map(node))
    }

    /// How many listed products each category holds with its sub-categories. Each count is the
    /// total of the category page's own tally (kept with the segments, shared with its list
    /// pages), so the tree costs a walk of the catalog only when a segment is new. A tree with
    /// more categories than a segment keeps tallies for is counted in one walk instead.
    func listedPerCategory(walking: Bool? = nil) -> [String: Int] {
        if !(walking ?? (categories.count > CatalogSegment.maxTallies / 4)) {
            var counts: [String: Int] = [:]
            for key in categories.keys {
                var query = ListQuery(locale: channel.defaultLocale)
                query.category = key
                if let filter = try? ListFilter(query, snapshot: self) { counts[key] = tallied(filter).total }
            }
            return counts
        }
        var direct: [String: Set<String>] = [:]
        for product in products where product.visibleInListings {
            for category in product.categories { direct[category, default: []].insert(product.id) }
        }
        var counts: [String: Int] = [:]
        for key in categories.keys {
            var ids: Set<String> = []
            for member in Category.descendants(of: key, in: categories.values) { ids.formUnion(direct[member] ?? []) }
            counts[key] = ids.count
        }
        return counts
    }
}
