import Catalog
import Channels
import Commerce
import Foundation
import TorsoKit

/// One channel's published catalog: immutable, held in memory with its indexes (IDs, slugs per
/// locale, full text per locale, facets), and replaced as a whole when something changes.
/// Readers never wait for writers and never see half an update.
///
/// A snapshot is a large base segment and a small delta segment holding the products changed
/// since the base was built; base products that the delta replaces or removes are masked. An
/// update rebuilds only the delta, so a publish costs the same with 100 or 100,000 products;
/// when the delta outgrows ``compactionThreshold`` the two are merged into a new base.
public final class ChannelSnapshot: Sendable {
    /// The channel.
    public let channel: Channel
    /// Increases with every change; part of list ETags.
    public let generation: Int
    /// The categories the snapshot was built with, by ID.
    public let categories: [String: Category]
    /// Builds the snapshot's products and renders detail bodies.
    public let projector: Projector
    let base: CatalogSegment
    let delta: CatalogSegment
    /// Base ordinals that the delta replaces or that were removed.
    let masked: Set<Int32>

    /// How many changed products the delta holds, by default, before it is merged into the base.
    public static let defaultCompactionThreshold = 1_024
    /// How many changed products this snapshot's delta holds before it is merged into the base.
    public let compactionThreshold: Int

    var context: CatalogContext { projector.context }
    var facets: FacetSpace { projector.facets }

    init(projector: Projector, generation: Int, base: CatalogSegment, delta: CatalogSegment, masked: Set<Int32>, compactionThreshold: Int) {
        self.compactionThreshold = compactionThreshold
        self.channel = projector.channel
        self.categories = projector.categories
        self.projector = projector
        self.generation = generation
        self.base = base
        self.delta = delta
        self.masked = masked
    }

    /// A snapshot holding `products`, made with `projector`.
    public static func build(projector: Projector, products: [ProjectedProduct],
                             compactionThreshold: Int = defaultCompactionThreshold) -> ChannelSnapshot {
        let locales = projector.channel.locales.count
        var unique: [String: Int] = [:]
        var ordered: [ProjectedProduct] = []
        for product in products {
            if let index = unique[product.id] { ordered[index] = product } else {
                unique[product.id] = ordered.count
                ordered.append(product)
            }
        }
        return ChannelSnapshot(projector: projector, generation: 1, base: CatalogSegment(ordered, locales: locales, facets: projector.facets),
                               delta: .empty(locales: locales, facets: projector.facets), masked: [], compactionThreshold: compactionThreshold)
    }

    /// A new snapshot with some products replaced or added and some removed (removal wins over a
    /// change to the same product); the base is shared. With `projector`, the new snapshot
    /// renders with it (the same settings, priced at another instant).
    public func updating(_ changed: [String: ProjectedProduct], removing removed: Set<String>,
                         projector: Projector? = nil) -> ChannelSnapshot {
        let projector = projector ?? self.projector
        let locales = channel.locales.count
        var masked = self.masked
        for id in removed.union(changed.keys) { if let ordinal = base.ordinals[id] { masked.insert(ordinal) } }
        var recent = delta.products.filter { changed[$0.id] == nil && !removed.contains($0.id) }
        recent += changed.keys.sorted().filter { !removed.contains($0) }.map { changed[$0]! }
        if recent.count > compactionThreshold {
            let kept = base.products.enumerated().filter { !masked.contains(Int32($0.offset)) }.map(\.element)
            let merged = CatalogSegment(kept + recent, locales: locales, facets: facets)
            merged.warm(from: base, facets: facets)
            return ChannelSnapshot(projector: projector, generation: generation + 1, base: merged,
                                   delta: .empty(locales: locales, facets: projector.facets), masked: [], compactionThreshold: compactionThreshold)
        }
        return ChannelSnapshot(projector: projector, generation: generation + 1, base: base,
                               delta: CatalogSegment(recent, locales: locales, facets: facets), masked: masked, compactionThreshold: compactionThreshold)
    }

    /// Every product, base then delta.
    public var products: [ProjectedProduct] {
        base.products.enumerated().filter { !masked.contains(Int32($0.offset)) }.map(\.element) + delta.products
    }

    /// The type of an attribute (`number`, `select`…), if it exists.
    public func attributeType(_ code: String) -> String? { context.attributes[code]?.type.rawValue }

    /// How many products are published.
    public var count: Int { base.products.count - masked.count + delta.products.count }

    /// The index of a channel locale.
    func index(of locale: LocaleCode) -> Int { channel.locales.firstIndex(of: locale) ?? 0 }

    /// The locale to answer in: the one asked for if the channel serves it (or its language
    /// does), else the channel's default.
    public func resolveLocale(_ requested: [String]) -> LocaleCode {
        for text in requested {
            if let locale = channel.locales.first(where: { $0.rawValue.lowercased() == text.lowercased() }) { return locale }
            if let code = LocaleCode(text), let locale = channel.locales.first(where: { $0.language == code.language }) { return locale }
            let language = text.split(separator: "-").first.map { $0.lowercased() } ?? ""
            if let locale = channel.locales.first(where: { String($0.language) == language }) { return locale }
        }
        return channel.defaultLocale
    }

    /// A product by ID or by slug in the locale (or any locale of the channel).
    public func product(_ idOrSlug: String, locale: LocaleCode) -> ProjectedProduct? {
        let preferred = index(of: locale)
        if let found = product(idOrSlug, localeIndex: preferred) { return found }
        for other in channel.locales.indices where other != preferred {
            if let found = product(idOrSlug, localeIndex: other) { return found }
        }
        return nil
    }

    /// A product by ID or by slug in the channel locale at `localeIndex`.
    private func product(_ idOrSlug: String, localeIndex locale: Int) -> ProjectedProduct? {
        if let ordinal = delta.ordinals[idOrSlug] ?? delta.slugs[locale][idOrSlug] { return delta.products[Int(ordinal)] }
        if let ordinal = base.ordinals[idOrSlug] ?? base.slugs[locale][idOrSlug], !masked.contains(ordinal) {
            return base.products[Int(ordinal)]
        }
        return nil
    }

    /// The published product that sells a variant.
    public func product(variant: String) -> ProjectedProduct? {
        if let ordinal = delta.variants[variant] { return delta.products[Int(ordinal)] }
        if let ordinal = base.variants[variant], !masked.contains(ordinal) { return base.products[Int(ordinal)] }
        return nil
    }

    /// The published copy of a projected product, decoded once and kept.
    public func published(_ product: ProjectedProduct, source: (any DocumentSource)?) async throws -> Product {
        if let known = product.decoded.withLock({ $0 }) { return known }
        let decoded = try await document(of: product, source: source)
        product.decoded.withLock { $0 = decoded }
        return decoded
    }

    /// The published document of a product, decoded: from the snapshot's text when it holds it,
    /// else read through `source`.
    func document(of product: ProjectedProduct, source: (any DocumentSource)?) async throws -> Product {
        if let known = product.decoded.withLock({ $0 }) { return known }
        let text: String
        if let known = product.source.text {
            text = known
        } else if let source {
            text = try await source.text(of: product.source, channel: channel.code)
        } else {
            throw DomainError(.notFound, code: "not_found", detail: "The product's document is not available.")
        }
        return try JSONCoding.decode(Product.self, bytes: text.utf8)
    }

    /// A variant's unit price in a currency, as the storefront shows it: for a guest, one unit,
    /// price lists as of the snapshot's pricing instant.
    public func price(of variant: Variant, currency: String) -> Int64? { projector.price(of: variant, currency: currency) }

    /// A variant's unit price as a cart charges it: the same resolver and price lists as the
    /// storefront, for the cart's customer group and the line's quantity, at `instant`.
    public func price(of variant: Variant, currency: String, customerGroup: String?, quantity: Int, at instant: Date) -> ResolvedPrice? {
        projector.resolvedPrice(of: variant, currency: currency, customerGroup: customerGroup, quantity: quantity, at: instant)
    }

    /// Whether a customer group sees other prices than guests on this channel.
    public func hasPriceLists(for customerGroup: String) -> Bool { projector.hasPriceLists(for: customerGroup) }

    /// The detail body of a product in a locale: encoded on the first read, then kept. `source`
    /// reads the published document when the snapshot does not hold its text. A customer group
    /// with price lists of its own gets a body priced for it (kept apart); any other gets the
    /// guests' body.
    public func detail(_ product: ProjectedProduct, locale: LocaleCode, source: (any DocumentSource)?,
                       customerGroup: String? = nil) async throws -> EncodedBody {
        let index = index(of: locale)
        if let group = customerGroup, projector.hasPriceLists(for: group) {
            let key = "\(group)#\(index)"
            if let body = product.groupBodies.withLock({ $0[key] }) { return body }
            let decoded = try await document(of: product, source: source)
            let body = projector.detail(of: product, product: decoded, locale: index, customerGroup: group)
            product.groupBodies.withLock { $0[key] = body }
            return body
        }
        if let body = product.bodies.withLock({ $0[index] }) { return body }
        let decoded = try await document(of: product, source: source)
        let body = projector.detail(of: product, product: decoded, locale: index)
        product.bodies.withLock { $0[index] = body }
        return body
    }
}

/// Reads published documents that snapshots do not hold.
public protocol DocumentSource: Sendable {
    /// The text of a published copy on a channel.
    func text(of document: PublishedDocument, channel: String) async throws -> String
}
