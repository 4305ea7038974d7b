import Catalog
import TorsoKit

/// Reads of the catalog that go beyond one resource: filtered product lists and completeness.
public struct CatalogQueries: Sendable {
    let store: any Store
    let contexts: CatalogContextCache
    /// The most products one page of a publication or stock filter looks at.
    let window: Int

    /// Creates the queries.
    public init(store: any Store, contexts: CatalogContextCache, window: Int = 5_000) {
        self.store = store
        self.contexts = contexts
        self.window = window
    }

    /// A product's completeness for every channel × locale.
    public struct ProductCompleteness: Encodable, Sendable {
        /// The product's ID.
        public var productId: String
        /// The product's version the figures are for.
        public var version: Int
        /// One entry per channel and locale.
        public var completeness: [Completeness]

        enum CodingKeys: String, CodingKey {
            case version, completeness
            case productId = "product_id"
        }
    }

    /// Completeness of one product; 404 if it does not exist.
    public func completeness(of id: String) async throws -> ProductCompleteness {
        try await store.read { tx in
            guard let product = try await tx.documents.fetch(Product.self, key: id) else { throw DomainError.notFound("product", id) }
            let context = try await contexts.context(in: tx)
            guard let type = context.productTypes[product.productType] else {
                throw DomainError.notFound("product type", product.productType)
            }
            return ProductCompleteness(productId: id, version: product.version,
                                       completeness: Completeness.compute(for: product, type: type, context: context))
        }
    }

    /// Products matching the filter; `category` includes its sub-categories.
    public func products(query: String?, productType: String?, category: String?, page: PageRequest,
                         publication: ProductFilter.Publication? = nil, stocked: Bool? = nil) async throws -> Page<Product> {
        let items = try await store.read { tx in
            var categories: [String]?
            if let category {
                let all = try await tx.documents.fetchAll(Category.self)
                guard all.contains(where: { $0.key == category }) else { throw DomainError.notFound("category", category) }
                categories = Category.descendants(of: category, in: all).sorted()
            }
            var filter = ProductFilter(query: query.map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 },
                                       productType: productType, categories: categories, publication: publication, stocked: stocked)
            // Publication and stock may match few products: each page walks at most a window of
            // keys, and goes on from its end when it found fewer than a page.
            if publication != nil || stocked != nil {
                filter.through = try await tx.products.productKey(after: page.cursor?.after ?? "", offset: window - 1)
            }
            let found = try await tx.products.listProducts(filter, page: PageRequest(limit: page.limit + 1, cursor: page.cursor))
            return (try await ProductStock.showingLiveStock(found, in: tx), filter.through)
        }
        if items.0.count <= page.limit, let through = items.1 {
            return Page(data: items.0, nextCursor: Cursor(after: through).encoded)
        }
        return Page.slice(items.0, limit: page.limit) { $0.key }
    }

}
