import Catalog
import Inventory
import TorsoKit

/// Products: validated against their type and the settings, with SKUs, slugs per locale and
/// unique attribute values claimed store-wide; every change is kept in the history.
public struct ProductPolicy: ResourcePolicy {
    let contexts: CatalogContextCache

    /// Creates the policy over a settings cache.
    public init(contexts: CatalogContextCache) { self.contexts = contexts }

    public var isSetting: Bool { false }
    public var recordsHistory: Bool { true }

    /// Variants sent without an ID keep the ID of the previous variant with the same SKU.
    public func prepare(_ product: inout Product, previous: Product?) {
        guard let previous else { return }
        let ids = Dictionary(previous.variants.map { ($0.sku, $0.id) }, uniquingKeysWith: { first, _ in first })
        for index in product.variants.indices {
            if let id = ids[product.variants[index].sku], !product.variants.contains(where: { $0.id == id }) {
                product.variants[index].id = id
            }
        }
    }

    /// Validates against the settings last seen, outside the transaction; categories are taken
    /// to exist here and checked in the transaction. The settings may have moved on (another
    /// node, a change not yet loaded), so a failure here is not final: the transaction then
    /// validates again against its own view, which decides.
    public func precheck(_ product: Product, previous: Product?) throws -> Int? {
        guard let latest = contexts.latest,
              (try? ProductValidator(context: latest.context).validate(product, knownCategories: Set(product.categories))) != nil
        else { return nil }
        return latest.version
    }

    public func validate(_ product: Product, previous: Product?, in tx: any Transaction) async throws {
        try await validate(product, previous: previous, in: tx, prechecked: nil)
    }

    public func validate(_ product: Product, previous: Product?, in tx: any Transaction, prechecked: Int?) async throws {
        let (version, context) = try await contexts.versionedContext(in: tx)
        let known = Set(try await tx.products.existingCategories(product.categories.map(\.rawValue)).map { ID<CategoryEntity>(rawValue: $0) })
        if prechecked == version {
            // The settings have not moved since the precheck: only the categories remain.
            var errors = ValidationErrors()
            for (index, category) in product.categories.enumerated() where !known.contains(category) {
                errors.add("/categories/\(index)", "unknown_category", "Category '\(category)' does not exist.")
            }
            try errors.throwIfAny()
        } else {
            try ProductValidator(context: context).validate(product, knownCategories: known)
        }
        let conflicts = try await tx.claims.conflictingClaims(claims(product, context), excluding: product.key)
        try conflictErrors(product, conflicts: conflicts, context: context).throwIfAny()
    }

    /// The errors for claims of the product that others hold: its slugs, SKUs, variant IDs and
    /// unique attribute values.
    func conflictErrors(_ product: Product, conflicts: [UniqueClaim: String], context: CatalogContext) -> ValidationErrors {
        var errors = ValidationErrors()
        guard !conflicts.isEmpty else { return errors }
        for locale in product.slug.locales where conflicts[UniqueClaim(namespace: "product_slug:" + locale, value: product.slug[locale]!)] != nil {
            errors.add("/slug/\(locale)", "duplicate_slug", "Another product already has slug '\(product.slug[locale]!)' in \(locale).")
        }
        for (index, variant) in product.variants.enumerated() {
            if conflicts[UniqueClaim(namespace: "sku", value: variant.sku)] != nil {
                errors.add("/variants/\(index)/sku", "duplicate_sku", "SKU '\(variant.sku)' belongs to another product.")
            }
            if conflicts[UniqueClaim(namespace: "variant", value: variant.id.rawValue)] != nil {
                errors.add("/variants/\(index)/id", "duplicate", "Variant ID '\(variant.id)' belongs to another product.")
            }
        }
        for (code, value) in product.uniqueKeys(attributes: context.attributes)
        where conflicts[UniqueClaim(namespace: "attribute:" + code, value: value)] != nil {
            // Unique attributes are neither localizable nor scopable: their one value is at index 0.
            errors.add("/values/\(code)/0/data", "duplicate_value", "Another product already has this value of unique attribute '\(code)'.")
        }
        return errors
    }

    public func didSave(_ product: Product, previous: Product?, in tx: any Transaction) async throws {
        try await didSave(product, previous: previous, context: WriteContext(actor: .init(keyId: "system", name: "system")), in: tx)
    }

    public func didSave(_ product: Product, previous: Product?, context: WriteContext, in tx: any Transaction) async throws {
        // validate() loaded the context in this transaction a moment ago.
        let catalog: CatalogContext
        if let latest = contexts.latest { catalog = latest.context } else { catalog = try await contexts.context(in: tx) }
        try await tx.claims.replaceClaims(claims(product, catalog), owner: product.key, fresh: previous == nil)
        try await tx.products.indexProduct(product, fresh: previous == nil)
        let changed = try await ProductStock.save(product, previous: previous, context: context, in: tx)
        // A new product is on no channel yet: nothing to announce.
        if previous != nil { try await EventRecorder.stockChanged(variants: changed.map { (product.key, $0) }, in: tx) }
    }

    public func presented(_ products: [Product], in tx: any Transaction) async throws -> [Product] {
        try await ProductStock.showingLiveStock(products, in: tx)
    }

    public func willDelete(_ product: Product, in tx: any Transaction) async throws {
        try await tx.claims.replaceClaims([], owner: product.key, fresh: false)
        try await tx.products.unindexProduct(product.key)
        try await tx.stock.replaceStock(productId: product.key, levels: [], fresh: false)
        for listing in try await tx.listings.listings(ofProducts: [product.key]) {
            try await tx.listings.deleteListing(productId: product.key, channel: listing.channel)
            try await EventRecorder.unpublished(productId: product.key, channel: listing.channel, in: tx)
        }
    }

    /// Every value the product holds store-wide.
    func claims(_ product: Product, _ context: CatalogContext) -> [UniqueClaim] {
        product.slug.locales.map { UniqueClaim(namespace: "product_slug:" + $0, value: product.slug[$0]!) }
            + product.variants.map { UniqueClaim(namespace: "sku", value: $0.sku) }
            + product.variants.map { UniqueClaim(namespace: "variant", value: $0.id.rawValue) }
            + product.uniqueKeys(attributes: context.attributes).map { UniqueClaim(namespace: "attribute:" + $0.attribute, value: $0.value) }
    }
}
