import Catalog
import Exchange
import Foundation
import TorsoKit

/// Product exports: pages of products as the admin API shows them (with their stock), read
/// one page at a time so an export of any size streams in constant memory, and the CSV
/// layout of the catalog.
public struct ExportService: Sendable {
    let store: any Store
    let products: ResourceService<ProductPolicy>
    let contexts: CatalogContextCache

    /// Creates the service.
    public init(store: any Store, products: ResourceService<ProductPolicy>, contexts: CatalogContextCache) {
        self.store = store
        self.products = products
        self.contexts = contexts
    }

    /// Which products.
    public struct Filter: Sendable {
        /// Only products published on this channel.
        public var channel: String?
        /// Only products in this category (ID or slug).
        public var category: String?
        /// Only products changed at or after this time.
        public var updatedSince: String?

        /// Creates a filter.
        public init(channel: String? = nil, category: String? = nil, updatedSince: String? = nil) {
            self.channel = channel
            self.category = category
            self.updatedSince = updatedSince
        }
    }

    /// The CSV layout, checking the filter's names; 422 for an unknown channel, locale or category.
    public func layout(_ filter: Filter, locale: String?) async throws -> (ExportLayout, Filter) {
        try await store.read { tx in
            let catalog = try await contexts.context(in: tx)
            var errors = ValidationErrors()
            if let channel = filter.channel, catalog.channels[channel] == nil { errors.add("/query/channel", "unknown_channel", "There is no channel '\(channel)'.") }
            if let locale, !catalog.locales.contains(locale) { errors.add("/query/locale", "unknown_locale", "There is no locale '\(locale)'.") }
            var resolved = filter
            if let category = filter.category, !category.hasPrefix("cat_") {
                let found = try await tx.documents.fetchAll(Category.self).first { category in
                    category.slug.locales.contains { category.slug[$0] == filter.category }
                }
                if let found { resolved.category = found.id.rawValue } else {
                    errors.add("/query/category", "unknown_category", "No category has the slug '\(category)'.")
                }
            }
            try errors.throwIfAny()
            let currencies = Set(catalog.channels.values.flatMap(\.currencies))
            let layout = ExportLayout(attributes: Array(catalog.attributes.values), productTypes: Array(catalog.productTypes.values),
                                      locales: Array(catalog.locales), channels: Array(catalog.channels.keys), currencies: Array(currencies),
                                      locations: Array(catalog.locations), channel: filter.channel, locale: locale)
            return (layout, resolved)
        }
    }

    /// One page of matching products (as JSON) from `cursor`, and the cursor of the next.
    public func page(_ filter: Filter, cursor: String?) async throws -> (products: [JSONValue], next: String?) {
        let page = try await products.list(PageRequest(limit: 200, cursor: cursor.flatMap(Cursor.init(encoded:))))
        var listed: Set<String> = []
        if let channel = filter.channel {
            listed = try await store.read { tx in
                Set(try await tx.listings.listings(ofProducts: page.data.map(\.key)).filter { $0.channel == channel }.map(\.productId))
            }
        }
        let kept = page.data.filter { product in
            (filter.channel == nil || listed.contains(product.key))
                && (filter.category == nil || product.categories.contains { $0.rawValue == filter.category })
                && (filter.updatedSince == nil || product.updatedAt >= filter.updatedSince!)
        }
        return (try kept.map { try JSONCoding.tree($0) }, page.nextCursor)
    }
}
