import Catalog
import Channels
import Commerce
import Foundation
import Inventory
import TorsoKit

/// Builds what a channel's heads see of a product: resolves locales with the channel's
/// fallbacks, keeps only the attributes the channel exposes, prices variants with the channel's
/// price lists as of ``pricedAt`` (see `Projector+Pricing.swift`) and adds live stock. ``facts(of:product:visible:stock:)`` makes the list and search facts;
/// ``detail(of:product:locale:)`` the full body, when it is first read.
public struct Projector: Sendable {
    /// The channel projected for.
    public let channel: Channel
    /// The settings.
    public let context: CatalogContext
    /// Every category, by ID.
    public let categories: [String: Category]
    /// The price lists for this channel (its own and those for every channel), active or not.
    public let priceBook: PriceBook
    /// The instant the storefront's prices are resolved at: lists active then apply. The
    /// projections re-price when a list starts or ends (see `ProjectionService.refreshPrices`).
    public let pricedAt: Date
    /// The IDs of the price lists active at ``pricedAt``.
    public let activePriceListIDs: Set<String>
    /// The stock the channel sells from and the stores it shows.
    public let stockScope: StockScope
    let facets: FacetSpace
    let exposed: Set<String>?
    let orders: [[String]]

    /// Creates a projector; of `priceLists`, those for other channels are left out.
    public init(channel: Channel, context: CatalogContext, categories: [String: Category], priceLists: [PriceList] = [],
                stockScope: StockScope = .everywhere, pricedAt: Date = Date()) {
        self.init(channel: channel, context: context, categories: categories,
                  priceBook: PriceBook(lists: priceLists.filter { $0.channel == nil || $0.channel == channel.code }),
                  stockScope: stockScope, facets: FacetSpace(channel: channel, context: context), pricedAt: pricedAt)
    }

    private init(channel: Channel, context: CatalogContext, categories: [String: Category], priceBook: PriceBook,
                 stockScope: StockScope, facets: FacetSpace, pricedAt: Date) {
        self.channel = channel
        self.stockScope = stockScope
        self.context = context
        self.categories = categories
        self.priceBook = priceBook
        self.pricedAt = pricedAt
        self.activePriceListIDs = priceBook.activeIDs(at: pricedAt)
        self.facets = facets
        self.exposed = channel.exposedAttributes.isEmpty ? nil : Set(channel.exposedAttributes)
        self.orders = channel.locales.map { channel.lookupOrder(for: $0) }
    }

    /// The same projector pricing at another instant (settings, facets and lists unchanged).
    public func repriced(at instant: Date) -> Projector {
        Projector(channel: channel, context: context, categories: categories, priceBook: priceBook, stockScope: stockScope, facets: facets,
                  pricedAt: instant)
    }

    var currency: String { channel.currencies.first?.code ?? "EUR" }

    /// Units available per variant within the channel's locations, and per variant and store
    /// (variant-major), from live levels; no level means nothing on hand.
    public func stock(of variantIds: [String], in levels: [String: [StockLevel]]) -> (variants: [Int], stores: [Int]) {
        var variants: [Int] = [], stores: [Int] = []
        variants.reserveCapacity(variantIds.count)
        for id in variantIds {
            let here = levels[id] ?? []
            variants.append(stockScope.available(here))
            if !stockScope.stores.isEmpty { stores += stockScope.atStores(here) }
        }
        return (variants, stores)
    }

    /// The list, sort, facet and search facts of a published product, with live stock per
    /// variant ID. Per-locale facts equal to `twin`'s (the same product on another channel) are
    /// shared with it rather than stored twice.
    public func facts(of document: PublishedDocument, product: Product, visible: Bool, stock: [String: [StockLevel]],
                      twin: ProjectedProduct? = nil) -> ProjectedProduct {
        let currency = self.currency
        var slugs: [String] = [], names: [String] = [], sortNames: [String] = [], tokens: [String] = []
        for order in orders {
            let slug = order.lazy.compactMap { product.slug[$0] }.first ?? product.id.rawValue
            let name = resolved("name", in: product.values, order: order)?.data.stringValue ?? slug
            var words = Set(TextNormalizer.tokens(name))
            for (code, entries) in product.values {
                guard let definition = context.attributes[code], exposed?.contains(code) ?? true else { continue }
                guard let entry = resolved(code, entries: entries, definition: definition, order: order) else { continue }
                switch (definition.type, entry.data) {
                case (.text, .string(let text)), (.textarea, .string(let text)): words.formUnion(TextNormalizer.tokens(text))
                case (.select, .string(let option)): words.formUnion(TextNormalizer.tokens(label(code, option, order: order)))
                case (.multiSelect, .array(let options)):
                    for option in options { if let option = option.stringValue { words.formUnion(TextNormalizer.tokens(label(code, option, order: order))) } }
                default: break
                }
            }
            for variant in product.variants {
                for (axis, option) in variant.axes { words.formUnion(TextNormalizer.tokens(label(axis, option, order: order))) }
                words.formUnion(TextNormalizer.tokens(variant.sku))
            }
            slugs.append(slug)
            names.append(name)
            sortNames.append(TextNormalizer.tokens(name).joined(separator: " "))
            tokens.append(words.sorted().joined(separator: " "))
        }
        if let twin {
            if twin.slugs == slugs { slugs = twin.slugs }
            if twin.names == names { names = twin.names }
            if twin.sortNames == sortNames { sortNames = twin.sortNames }
            if twin.tokens == tokens { tokens = twin.tokens }
        }
        var codes = Set<UInt32>()
        var numbers: [String: Double] = [:]
        func collect(_ values: ValueSet) {
            for (code, entries) in values {
                guard let definition = context.attributes[code], exposed?.contains(code) ?? true else { continue }
                for entry in entries where entry.channel == nil || entry.channel == channel.code {
                    switch (definition.type, entry.data) {
                    case (.select, .string(let option)): if let value = facets.code(code, option) { codes.insert(value) }
                    case (.multiSelect, .array(let options)):
                        for case .string(let option) in options { if let value = facets.code(code, option) { codes.insert(value) } }
                    case (.boolean, .bool(let flag)): if let value = facets.code(code, flag ? "true" : "false") { codes.insert(value) }
                    case (.number, .number(let number)): numbers[code] = number
                    default: break
                    }
                }
            }
        }
        collect(product.values)
        for variant in product.variants {
            collect(variant.values)
            for (axis, option) in variant.axes { if let value = facets.code(axis, option) { codes.insert(value) } }
        }
        let image = product.media.first?.url
            ?? ((exposed?.contains("hero_image") ?? true) ? product.values["hero_image"]?.first(where: \.isFilled)?.data.stringValue : nil)
        let lowest = lowestPrice(of: product, currency: currency, customerGroup: nil)
        var skus = product.variants.map(\.sku)
        if let twin, twin.skus == skus { skus = twin.skus }
        let variantIds = product.variants.map(\.id.rawValue)
        let live = self.stock(of: variantIds, in: stock)
        return ProjectedProduct(
            id: product.id.rawValue, productType: product.productType, slugs: slugs, names: names, sortNames: sortNames, tokens: tokens,
            image: image, price: lowest?.unitAmount, compareAt: lowest?.compareAtAmount, currency: currency,
            variantIds: variantIds, skus: skus, variantStock: live.variants, storeStock: live.stores,
            categories: product.categories.map(\.rawValue), facetCodes: codes.sorted(), numbers: numbers,
            pricingKey: pricingKey(variantIds: variantIds, skus: skus), visibleInListings: visible, source: document)
    }

    /// The detail body of a projected product in the channel locale at `index`, priced for
    /// `customerGroup` (`nil`: for guests, as lists and search show it). Prices are unit prices
    /// of one unit at ``pricedAt``; `tiers` tell what larger quantities cost.
    public func detail(of projected: ProjectedProduct, product: Product, locale index: Int, customerGroup: String? = nil) -> EncodedBody {
        let order = orders[index]
        let locale = channel.locales[index].rawValue
        let currency = self.currency
        let attributes = values(product.values, order: order)
        func money(_ amount: Int64?, _ currency: String) -> JSONValue {
            amount.map { .object(["amount": .number(Double($0)), "currency": .string(currency)]) } ?? .null
        }
        func tiers(_ variant: Variant, _ currency: String) -> JSONValue {
            .array(self.tiers(of: variant, currency: currency, customerGroup: customerGroup).map {
                .object(["min_quantity": .number(Double($0.minQuantity)), "amount": .number(Double($0.unitAmount))])
            })
        }
        let variants: [JSONValue] = product.variants.enumerated().map { offset, variant in
            var axes: [String: JSONValue] = [:]
            for (axis, option) in variant.axes {
                axes[axis] = .object(["code": .string(option), "label": .string(label(axis, option, order: order))])
            }
            let units = offset < projected.variantStock.count ? projected.variantStock[offset] : 0
            let price = resolvedPrice(of: variant, currency: currency, customerGroup: customerGroup)
            return .object([
                "id": .string(variant.id.rawValue), "sku": .string(variant.sku), "axes": .object(axes),
                "attributes": .object(values(variant.values, order: order)),
                "price": money(price?.unitAmount, currency),
                "compare_at": money(price?.compareAtAmount, currency),
                "tiers": price == nil ? .array([]) : tiers(variant, currency),
                "prices": .array(channel.currencies.compactMap { currency in
                    guard let price = resolvedPrice(of: variant, currency: currency.code, customerGroup: customerGroup) else { return nil }
                    return .object([
                        "amount": .number(Double(price.unitAmount)), "currency": .string(currency.code),
                        "compare_at_amount": price.compareAtAmount.map { .number(Double($0)) } ?? .null,
                        "tiers": tiers(variant, currency.code),
                    ])
                }),
            ].merging(stockFields(units)) { $1 })
        }
        let media: [JSONValue] = product.media.map { media in
            .object(["url": .string(media.url), "alt": order.lazy.compactMap { media.alt[$0] }.first.map { .string($0) } ?? .null])
        }
        // For guests this equals the listing's price fact: both are the lowest variant price at `pricedAt`.
        let lowest = customerGroup == nil ? projected.price.map { ResolvedPrice(unitAmount: $0, compareAtAmount: projected.compareAt, source: "") }
            : lowestPrice(of: product, currency: currency, customerGroup: customerGroup)
        var detail: [String: JSONValue] = [
            "id": .string(projected.id), "slug": .string(projected.slugs[index]), "locale": .string(locale),
            "product_type": .string(product.productType), "name": .string(projected.names[index]),
            "attributes": .object(attributes), "variants": .array(variants), "media": .array(media),
            "price": money(lowest?.unitAmount, currency), "compare_at": money(lowest?.compareAtAmount, currency),
            "categories": .array(product.categories.compactMap { breadcrumb($0.rawValue, order: order) }),
            "published_at": .string(projected.source.at), "version": .number(Double(projected.source.version)),
        ]
        detail.merge(stockFields(projected.availableQuantity)) { $1 }
        if let customerGroup { detail["customer_group"] = .string(customerGroup) }
        return EncodedBody(JSONValue.object(detail).jsonBytes())
    }

    /// `in_stock`, the `availability` band, and `available_quantity` unless the channel hides
    /// counts (``StockDisplay/band``).
    func stockFields(_ units: Int) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["in_stock": .bool(units > 0), "availability": .string(stockScope.band(units).rawValue)]
        if channel.stockDisplay == .quantity { fields["available_quantity"] = .number(Double(max(0, units))) }
        return fields
    }

    /// The value of an exposed attribute that applies to this channel and locale order.
    func resolved(_ code: String, in values: ValueSet, order: [String]) -> AttributeValue? {
        guard let entries = values[code], let definition = context.attributes[code], exposed?.contains(code) ?? true else { return nil }
        return resolved(code, entries: entries, definition: definition, order: order)
    }

    func resolved(_ code: String, entries: [AttributeValue], definition: AttributeDefinition, order: [String]) -> AttributeValue? {
        func applies(_ entry: AttributeValue) -> Bool { entry.isFilled && (!definition.scopable || entry.channel == channel.code) }
        if definition.localizable {
            for locale in order { if let entry = entries.first(where: { $0.locale == locale && applies($0) }) { return entry } }
            return nil
        }
        return entries.first(where: applies)
    }

    /// Resolved values: `{"code": {"label": …, "value": …}}` for exposed attributes.
    func values(_ values: ValueSet, order: [String]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (code, entries) in values {
            guard let definition = context.attributes[code], exposed?.contains(code) ?? true,
                  let entry = resolved(code, entries: entries, definition: definition, order: order) else { continue }
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
