import Synchronization

/// An immutable set of projected products with their indexes: ordinals by ID, slugs and
/// full text per channel locale. A snapshot is a large base segment and a small delta segment
/// of recent changes; both are built whole, never edited.
final class CatalogSegment: Sendable {
    /// The products, by ordinal.
    let products: [ProjectedProduct]
    /// Ordinal by product ID.
    let ordinals: [String: Int32]
    /// Ordinal by variant ID.
    let variants: [String: Int32]
    /// Ordinal by slug, per channel locale. A slug two products share goes to the later one.
    let slugs: [[String: Int32]]
    /// Full text, per channel locale.
    let search: [SearchIndex]
    /// What lists filter, count and sort on, one column per fact, so a list reads plain
    /// arrays instead of following a reference per product.
    let columns: Columns
    /// What each filter set makes of the segment, by ``ListFilter/key``, made on first need.
    let tallies = Mutex<[String: SegmentTally]>([:])
    /// The ordinals in the order of each sort (per locale for names), made on first need.
    let orders = Mutex<[OrderName: [Int32]]>([:])

    /// The list facts of every product by ordinal.
    struct Columns: Sendable {
        var visible: [Bool] = []
        var hasPrice: [Bool] = []
        var price: [Int64] = []
        var available: [Int] = []
        var published: [Double] = []
        /// Facet values as flat indexes into a counts array: those of ordinal `i` are
        /// `facets[facetStart[i]..<facetStart[i + 1]]`.
        var facetStart: [Int32] = [0]
        var facets: [Int32] = []
    }

    /// Indexes `products` for a channel with `locales` locales and the channel's facets.
    init(_ products: [ProjectedProduct], locales: Int, facets: FacetSpace) {
        self.products = products
        var columns = Columns()
        columns.visible.reserveCapacity(products.count)
        columns.price.reserveCapacity(products.count)
        for product in products {
            columns.visible.append(product.visibleInListings)
            columns.hasPrice.append(product.price != nil)
            columns.price.append(product.price ?? 0)
            columns.available.append(product.availableQuantity)
            columns.published.append(product.publishedTime)
            for code in product.facetCodes where Int(code >> 16) < facets.offsets.count { columns.facets.append(Int32(facets.flat(code))) }
            columns.facetStart.append(Int32(columns.facets.count))
        }
        self.columns = columns
        var ordinals: [String: Int32] = [:]
        ordinals.reserveCapacity(products.count)
        var variants: [String: Int32] = [:]
        variants.reserveCapacity(products.count * 3)
        var slugs = Array(repeating: [String: Int32](), count: locales)
        for index in slugs.indices { slugs[index].reserveCapacity(products.count) }
        for (ordinal, product) in products.enumerated() {
            ordinals[product.id] = Int32(ordinal)
            for variant in product.variantIds { variants[variant] = Int32(ordinal) }
            for (index, slug) in product.slugs.enumerated() where index < locales { slugs[index][slug] = Int32(ordinal) }
        }
        self.ordinals = ordinals
        self.variants = variants
        self.slugs = slugs
        search = (0..<locales).map { locale in
            SearchIndex(products.enumerated().lazy.filter { $0.element.visibleInListings }.map { (Int32($0.offset), $0.element.tokens[locale]) })
        }
    }

    /// An empty segment.
    static func empty(locales: Int, facets: FacetSpace) -> CatalogSegment { CatalogSegment([], locales: locales, facets: facets) }
}
