import Catalog
import Commerce
import Foundation
import TorsoKit

/// Prices as the storefront shows them and as carts charge them: one resolver (``PriceBook``,
/// ``PriceResolver``) over the variant's base prices and the channel's price lists.
extension Projector {
    /// A variant's base prices, as the resolver reads them.
    static func basePrices(of variant: Variant) -> [BasePrice] {
        variant.prices.map { BasePrice(currency: $0.currency, channel: $0.channel, amount: $0.amount) }
    }

    /// A variant's unit price in `currency` for a customer group and quantity at an instant
    /// (``pricedAt`` when `nil`); `nil` when the variant is not sold in that currency.
    public func resolvedPrice(of variant: Variant, currency: String, customerGroup: String? = nil, quantity: Int = 1,
                              at instant: Date? = nil) -> ResolvedPrice? {
        guard let currency = Currency(currency) else { return nil }
        return priceBook.resolve(variantId: variant.id.rawValue, sku: variant.sku, basePrices: Self.basePrices(of: variant),
                                 context: PriceContext(channel: channel.code, currency: currency, customerGroup: customerGroup,
                                                       quantity: quantity, now: instant ?? pricedAt))
    }

    /// The storefront's unit price of a variant in `currency`: for a guest, one unit, at ``pricedAt``.
    func price(of variant: Variant, currency: String) -> Int64? {
        resolvedPrice(of: variant, currency: currency)?.unitAmount
    }

    /// The quantity tiers of a variant in `currency` for a customer group at ``pricedAt``.
    func tiers(of variant: Variant, currency: String, customerGroup: String?) -> [PriceBook.Tier] {
        guard !priceBook.isEmpty, let currency = Currency(currency) else { return [] }
        return priceBook.tiers(variantId: variant.id.rawValue, sku: variant.sku, basePrices: Self.basePrices(of: variant),
                               context: PriceContext(channel: channel.code, currency: currency, customerGroup: customerGroup, now: pricedAt))
    }

    /// The lowest unit price over a product's variants (the one on sale, with its compare-at
    /// price, when the lowest is a sale price); ties keep the first variant's.
    func lowestPrice(of product: Product, currency: String, customerGroup: String?) -> ResolvedPrice? {
        var lowest: ResolvedPrice?
        for variant in product.variants {
            guard let price = resolvedPrice(of: variant, currency: currency, customerGroup: customerGroup) else { continue }
            if lowest == nil || price.unitAmount < lowest!.unitAmount { lowest = price }
        }
        return lowest
    }

    /// The first instant after `now` at which one of the channel's price lists starts or ends.
    public func nextPriceBoundary(after now: Date) -> Date? { priceBook.nextBoundary(after: now) }

    /// Which active lists price a product's variants: stored with its facts, so that facts
    /// projected before a list started or ended are never restored as current.
    public func pricingKey(variantIds: [String], skus: [String]) -> String {
        priceBook.listIDs(pricing: variantIds, skus: skus, among: activePriceListIDs).joined(separator: ",")
    }

    /// Whether any of the lists with `ids` prices one of the product's variants.
    public func prices(_ product: ProjectedProduct, withAnyOf ids: Set<String>) -> Bool {
        !priceBook.listIDs(pricing: product.variantIds, skus: product.skus, among: ids).isEmpty
    }

    /// Whether a customer group has lists of its own on this channel (else it sees guest prices).
    public func hasPriceLists(for customerGroup: String) -> Bool {
        priceBook.lists.contains { $0.customerGroup == customerGroup }
    }
}
