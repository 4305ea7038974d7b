/// An immutable set of projected products with their indexes: ordinals by ID, slugs and
/// full text per channel locale. A snapshot is a large base segment and a small delta segment
/// of recent changes; both are built whole, never edited.
final class CatalogSegment: Sendable {
    /// The products, by ordinal.
    let products: [ProjectedProduct]
    /// Ordinal by product ID.
    let ordinals: [String: Int32]
    /// Ordinal by slug, per channel locale. A slug two products share goes to the later one.
    let slugs: [[String: Int32]]
    /// Full text, per channel locale.
    let search: [SearchIndex]

    /// Indexes `products` for a channel with `locales` locales.
    init(_ products: [ProjectedProduct], locales: Int) {
        self.products = products
        var ordinals: [String: Int32] = [:]
        ordinals.reserveCapacity(products.count)
        var slugs = Array(repeating: [String: Int32](), count: locales)
        for index in slugs.indices { slugs[index].reserveCapacity(products.count) }
        for (ordinal, product) in products.enumerated() {
            ordinals[product.id] = Int32(ordinal)
            for (index, slug) in product.slugs.enumerated() where index < locales { slugs[index][slug] = Int32(ordinal) }
        }
        self.ordinals = ordinals
        self.slugs = slugs
        search = (0..<locales).map { locale in
            SearchIndex(products.enumerated().lazy.filter { $0.element.visibleInListings }.map { (Int32($0.offset), $0.element.tokens[locale]) })
        }
    }

    /// An empty segment.
    static func empty(locales: Int) -> CatalogSegment { CatalogSegment([], locales: locales) }
}
