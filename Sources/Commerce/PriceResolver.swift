import TorsoKit

/// Picks a variant's unit price from its base prices and the price lists.
///
/// The rule (also in `docs/commerce.md`, "Price selection"):
/// 1. **Base price**: the base price in the context's currency for the context's channel, else
///    the one without a channel. Base prices of other channels or currencies are ignored.
/// 2. **Candidates** come from price lists that are active at `now` (`starts_at ≤ now < ends_at`),
///    whose channel is `nil` or the context's, whose currency is the context's, and whose customer
///    group is `nil` or the context's. Within one list, the variant's entry with the highest
///    `min_quantity ≤ quantity` is the list's candidate.
/// 3. **Overrides** replace the base price: the override candidate with the highest priority wins,
///    then the most specific list (customer group > channel > general), then the lowest amount,
///    then the lowest code. An override also prices a variant that has no base price.
/// 4. **Sales**: the lowest sale candidate (ties: higher priority, then lower code) applies only
///    if it is lower than the price from step 3; then `compare_at` is that price. A sale never
///    prices a variant without a base or override price.
/// 5. No price from step 3 → `nil`: the variant is not sold in that currency and channel.
public struct PriceResolver: Sendable {
    /// Every price list known; inactive and non-matching ones are skipped per call.
    public var priceLists: [PriceList]

    /// Creates a resolver over the price lists.
    public init(priceLists: [PriceList]) {
        self.priceLists = priceLists
    }

    /// The unit price of a variant in a context, or `nil` when it has none.
    public func resolve(variantId: String, sku: String? = nil, basePrices: [BasePrice],
                        context: PriceContext) -> ResolvedPrice? {
        let inCurrency = basePrices.filter { $0.currency == context.currency }
        let base = inCurrency.first { $0.channel != nil && $0.channel == context.channel }
            ?? inCurrency.first { $0.channel == nil }

        var overrides: [(list: PriceList, amount: Int64)] = []
        var sales: [(list: PriceList, amount: Int64)] = []
        for list in priceLists
        where list.isActive(at: context.now)
            && list.applies(channel: context.channel, currency: context.currency, customerGroup: context.customerGroup) {
            guard let entry = list.entry(variantId: variantId, sku: sku, quantity: context.quantity) else { continue }
            switch list.type {
            case .override: overrides.append((list, entry.amount))
            case .sale: sales.append((list, entry.amount))
            }
        }

        let override = overrides.min { lhs, rhs in
            if lhs.list.priority != rhs.list.priority { return lhs.list.priority > rhs.list.priority }
            if lhs.list.specificity != rhs.list.specificity { return lhs.list.specificity > rhs.list.specificity }
            if lhs.amount != rhs.amount { return lhs.amount < rhs.amount }
            return lhs.list.code < rhs.list.code
        }
        let regular: ResolvedPrice
        if let override {
            regular = ResolvedPrice(unitAmount: override.amount, source: override.list.code)
        } else if let base {
            regular = ResolvedPrice(unitAmount: base.amount, source: ResolvedPrice.baseSource)
        } else {
            return nil
        }

        let sale = sales.min { lhs, rhs in
            if lhs.amount != rhs.amount { return lhs.amount < rhs.amount }
            if lhs.list.priority != rhs.list.priority { return lhs.list.priority > rhs.list.priority }
            return lhs.list.code < rhs.list.code
        }
        if let sale, sale.amount < regular.unitAmount {
            return ResolvedPrice(unitAmount: sale.amount, compareAtAmount: regular.unitAmount, source: sale.list.code)
        }
        return regular
    }
}
