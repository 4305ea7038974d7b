import Catalog
import Channels
import Foundation
import TorsoKit

/// One published product as a channel's heads see it: a body per locale, encoded once, with
/// the facts that lists filter, sort, facet and search on.
public struct ProjectedProduct: Sendable {
    /// The product's ID.
    public let id: String
    /// The product type's code.
    public let productType: String
    /// Slug per locale (after fallback).
    public let slugs: [String: String]
    /// The detail body per locale, and its ETag.
    public internal(set) var bodies: [String: (body: Data, etag: String)]
    /// The list entry per locale (a smaller body).
    public let summaries: [String: JSONValue]
    /// The name per locale, folded for sorting.
    public let sortNames: [String: String]
    /// Search tokens per locale, and the tokens of the name (which rank higher).
    public let tokens: [String: Set<String>]
    /// The lowest variant price in the channel's default currency.
    public let price: Int64?
    /// Units available over all variants.
    public let availableQuantity: Int
    /// The categories the product is in directly.
    public let categories: [String]
    /// Option codes (or `true`/`false`) per filterable attribute.
    public let facets: [String: Set<String>]
    /// Numbers per number attribute, for ranges.
    public let numbers: [String: Double]
    /// When it went live.
    public let publishedAt: String
    /// When it went live, in seconds since 1970, for sorting by newest.
    public let publishedTime: Double
    /// Whether lists and search show it.
    public let visibleInListings: Bool

    /// Whether any unit can be sold.
    public var inStock: Bool { availableQuantity > 0 }

    /// Shares body storage with `other` where the bytes are equal: channels that show a product
    /// alike then hold one copy of each body, not one per channel.
    public mutating func shareBodies(with other: ProjectedProduct) {
        for (locale, body) in bodies {
            if let twin = other.bodies[locale], twin.etag == body.etag, twin.body == body.body { bodies[locale] = twin }
        }
    }
}

/// Builds ``ProjectedProduct``s: resolves locales with the channel's fallbacks, keeps only the
/// attributes the channel exposes, picks prices for the channel and adds live stock.
public struct Projector: Sendable {
    /// The channel projected for.
    public let channel: Channel
    /// The settings.
    public let context: CatalogContext
    /// Every category, by ID.
    public let categories: [String: Category]

    /// Creates a projector.
    public init(channel: Channel, context: CatalogContext, categories: [String: Category]) {
        self.channel = channel
        self.context = context
        self.categories = categories
    }

    /// The attributes whose values heads of this channel receive.
    public var exposed: Set<String>? { channel.exposedAttributes.isEmpty ? nil : Set(channel.exposedAttributes) }

    /// Projects a published copy of a product, with live stock per variant ID.
    public func project(_ listing: ChannelListing.Publication, visible: Bool, stock: [String: Int]) -> ProjectedProduct {
        let product = listing.product
        let currency = channel.currencies.first?.code ?? "EUR"
        let variantStock = product.variants.map { variant in
            stock[variant.id.rawValue] ?? 0  // live stock only: no level means nothing on hand
        }
        let prices = product.variants.compactMap { price(of: $0, currency: currency) }
        let available = variantStock.reduce(0) { $0 + max(0, $1) }
        var bodies: [String: (Data, String)] = [:]
        var summaries: [String: JSONValue] = [:]
        var slugs: [String: String] = [:]
        var sortNames: [String: String] = [:]
        var tokens: [String: Set<String>] = [:]
        for locale in channel.locales {
            let order = channel.lookupOrder(for: locale)
            let slug = order.lazy.compactMap { product.slug[$0] }.first ?? product.id.rawValue
            slugs[locale.rawValue] = slug
            let attributes = values(product.values, order: order)
            let name = attributes["name"]?.objectValue?["value"]?.stringValue ?? slug
            sortNames[locale.rawValue] = TextNormalizer.tokens(name).joined(separator: " ")
            var words = Set(TextNormalizer.tokens(name))
            for value in attributes.values { words.formUnion(searchWords(value)) }
            let variants: [JSONValue] = product.variants.enumerated().map { index, variant in
                var axes: [String: JSONValue] = [:]
                for (axis, option) in variant.axes {
                    axes[axis] = .object(["code": .string(option), "label": .string(label(axis, option, order: order))])
                    words.formUnion(TextNormalizer.tokens(label(axis, option, order: order)))
                }
                words.formUnion(TextNormalizer.tokens(variant.sku))
                let price = price(of: variant, currency: currency)
                return .object([
                    "id": .string(variant.id.rawValue), "sku": .string(variant.sku), "axes": .object(axes),
                    "attributes": .object(values(variant.values, order: order)),
                    "price": price.map { .object(["amount": .number(Double($0)), "currency": .string(currency)]) } ?? .null,
                    "prices": .array(channel.currencies.compactMap { currency in
                        self.price(of: variant, currency: currency.code).map { .object(["amount": .number(Double($0)), "currency": .string(currency.code)]) }
                    }),
                    "in_stock": .bool(variantStock[index] > 0),
                    "available_quantity": .number(Double(max(0, variantStock[index]))),
                ])
            }
            tokens[locale.rawValue] = words
            let fromPrice: JSONValue = prices.min().map { .object(["amount": .number(Double($0)), "currency": .string(currency)]) } ?? .null
            let media: [JSONValue] = product.media.map { media in
                .object(["url": .string(media.url), "alt": order.lazy.compactMap { media.alt[$0] }.first.map { .string($0) } ?? .null])
            }
            let summary: JSONValue = .object([
                "id": .string(product.id.rawValue), "slug": .string(slug), "name": .string(name),
                "price": fromPrice, "in_stock": .bool(available > 0),
                "image": media.first?.objectValue?["url"] ?? attributes["hero_image"]?.objectValue?["value"] ?? .null,
            ])
            summaries[locale.rawValue] = summary
            let detail: JSONValue = .object([
                "id": .string(product.id.rawValue), "slug": .string(slug), "locale": .string(locale.rawValue),
                "product_type": .string(product.productType), "name": .string(name),
                "attributes": .object(attributes), "variants": .array(variants), "media": .array(media),
                "price": fromPrice, "in_stock": .bool(available > 0), "available_quantity": .number(Double(available)),
                "categories": .array(product.categories.compactMap { breadcrumb($0.rawValue, order: order) }),
                "published_at": .string(listing.at), "version": .number(Double(listing.version)),
            ])
            let body = Data(detail.jsonBytes())
            bodies[locale.rawValue] = (body, "\"\(Digest64.hash(body))\"")
        }
        var facets: [String: Set<String>] = [:]
        var numbers: [String: Double] = [:]
        for (code, entries) in product.values.merging(product.variants.reduce(into: ValueSet()) { result, variant in
            for (code, values) in variant.values { result[code, default: []] += values }
        }, uniquingKeysWith: +) {
            guard let definition = context.attributes[code], exposed?.contains(code) ?? true else { continue }
            for entry in entries where entry.channel == nil || entry.channel == channel.code {
                switch (definition.type, entry.data) {
                case (.select, .string(let option)): facets[code, default: []].insert(option)
                case (.multiSelect, .array(let options)): facets[code, default: []].formUnion(options.compactMap(\.stringValue))
                case (.boolean, .bool(let flag)): facets[code, default: []].insert(flag ? "true" : "false")
                case (.number, .number(let number)): numbers[code] = number
                default: break
                }
            }
        }
        for variant in product.variants {
            for (axis, option) in variant.axes { facets[axis, default: []].insert(option) }
        }
        return ProjectedProduct(
            id: product.id.rawValue, productType: product.productType, slugs: slugs, bodies: bodies, summaries: summaries,
            sortNames: sortNames, tokens: tokens, price: prices.min(), availableQuantity: available,
            categories: product.categories.map(\.rawValue), facets: facets, numbers: numbers, publishedAt: listing.at,
            publishedTime: Timestamp.parse(listing.at)?.timeIntervalSince1970 ?? 0,
            visibleInListings: visible)
    }

    /// The variant's price in `currency`: the channel's own price first, then the general one.
    func price(of variant: Variant, currency: String) -> Int64? {
        variant.prices.first { $0.currency.code == currency && $0.channel == channel.code }?.amount
            ?? variant.prices.first { $0.currency.code == currency && $0.channel == nil }?.amount
    }

    /// Resolved values: `{"code": {"label": …, "value": …}}` for exposed attributes.
    func values(_ values: ValueSet, order: [String]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (code, entries) in values {
            guard let definition = context.attributes[code], exposed?.contains(code) ?? true else { continue }
            let scoped = entries.filter { !definition.scopable || $0.channel == channel.code }
            let entry = definition.localizable
                ? order.lazy.compactMap { locale in scoped.first { $0.locale == locale && $0.isFilled } }.first
                : scoped.first { $0.isFilled }
            guard let entry else { continue }
            let value: JSONValue = switch (definition.type, entry.data) {
            case (.select, .string(let option)):
                .object(["code": .string(option), "label": .string(label(code, option, order: order))])
            case (.multiSelect, .array(let options)):
                .array(options.compactMap(\.stringValue).map { .object(["code": .string($0), "label": .string(label(code, $0, order: order))]) })
            default: entry.data
            }
            let name = order.lazy.compactMap { definition.labels[$0] }.first ?? code
            result[code] = .object(["label": .string(name), "type": .string(definition.type.rawValue), "value": value])
        }
        return result
    }

    func label(_ attribute: String, _ option: String, order: [String]) -> String {
        guard let definition = context.attributes[attribute], let found = definition.option(option) else { return option }
        return order.lazy.compactMap { found.labels[$0] }.first ?? option
    }

    func searchWords(_ value: JSONValue) -> [String] {
        guard let object = value.objectValue, let type = object["type"]?.stringValue,
              ["text", "textarea", "select", "multi_select"].contains(type) else { return [] }
        switch object["value"] {
        case .string(let text)?: return TextNormalizer.tokens(text)
        case .object(let option)?: return TextNormalizer.tokens(option["label"]?.stringValue ?? "")
        case .array(let options)?: return options.flatMap { TextNormalizer.tokens($0.objectValue?["label"]?.stringValue ?? "") }
        default: return []
        }
    }

    /// The path from the top of the tree to a category, localized.
    func breadcrumb(_ id: String, order: [String]) -> JSONValue? {
        var path: [JSONValue] = []
        var next: String? = id
        var seen = Set<String>()
        while let current = next, let category = categories[current], seen.insert(current).inserted {
            path.insert(.object([
                "id": .string(current),
                "name": .string(order.lazy.compactMap { category.names[$0] }.first ?? current),
                "slug": .string(order.lazy.compactMap { category.slug[$0] }.first ?? current),
            ]), at: 0)
            next = category.parentId?.rawValue
        }
        return path.isEmpty ? nil : .array(path)
    }
}

/// A short, fast content hash for ETags (FNV-1a, 64 bits, hex).
public enum Digest64 {
    /// The hash of some text.
    public static func hex(_ text: String) -> String { hash(Data(text.utf8)) }

    /// The hash of some bytes.
    public static func hash(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
