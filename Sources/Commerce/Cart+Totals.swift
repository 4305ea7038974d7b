import Foundation
import TorsoKit

extension ShippingMethod {
    /// Whether the method ships the cart: its channel and currency, and the destination once
    /// the cart has a shipping address.
    public func offers(_ cart: Cart) -> Bool {
        (channel == nil || channel == cart.channel) && currency == cart.currency
            && (cart.shippingAddress.map { delivers(to: $0.country) } ?? true)
    }
}

extension Cart {
    /// The weight of every unit in the cart, in grams.
    public var weightGrams: Int {
        lines.reduce(0) { $0 + $1.weightGrams * $1.quantity }
    }

    /// The lines' prices times their quantities, before discounts; `amount_overflow` when the
    /// sum does not fit in 64 bits (a catalog price gone wild must not crash a checkout).
    public func itemsSubtotal() throws -> Int64 {
        try lines.enumerated().reduce(Int64(0)) { sum, element in
            let (line, pointer) = (element.element, "/lines/\(element.offset)")
            let (amount, overflow) = line.unitAmount.multipliedReportingOverflow(by: Int64(line.quantity))
            let (next, overflowed) = sum.addingReportingOverflow(amount)
            if overflow || overflowed { throw CommerceError.amountOverflow(pointer: pointer) }
            return next
        }
    }

    /// The quotes of the methods that ship the cart for a (discounted) subtotal, cheapest
    /// first; none before the cart has a shipping address.
    public func shippingQuotes(_ methods: [ShippingMethod], subtotal: Int64) -> [ShippingQuote] {
        guard let country = shippingAddress?.country else { return [] }
        let weight = weightGrams
        return methods.filter { $0.offers(self) }
            .compactMap { $0.quote(country: country, subtotal: subtotal, weightGrams: weight) }
            .sorted { ($0.amount, $0.code) < ($1.amount, $1.code) }
    }

    /// The promotions that apply to the cart: automatic ones and its codes (or `codes`), with
    /// the customer's earlier uses for per-customer limits.
    public func evaluatePromotions(_ promotions: [Promotion], codes: [String]? = nil, now: Date, usage: [String: Int]) -> PromotionResult {
        let inputs = lines.map {
            CartLineInput(lineId: $0.id, variantId: $0.variantId, productId: $0.productId, categories: Set($0.categories ?? []),
                          quantity: $0.quantity, unitAmount: $0.unitAmount)
        }
        return PromotionEvaluator(promotions: promotions).evaluate(lines: inputs, currency: currency, codes: codes ?? promotionCodes ?? [],
                                                                  now: now, customerUsage: usage)
    }

    /// The cart's totals: discounts first (per line), then shipping on the discounted subtotal,
    /// then tax per line at the shipping address's rates (the channel's default country before
    /// there is one). Prices include tax when `pricesIncludeTax`.
    public func totals(pricesIncludeTax: Bool, defaultCountry: String?, rates: [TaxRate], methods: [ShippingMethod],
                       promotions: [Promotion], now: Date, usage: [String: Int]) throws -> (Totals, PromotionResult) {
        let mode: TaxMode = pricesIncludeTax ? .inclusive : .exclusive
        let totalsLines = lines.map { TotalsLine(lineId: $0.id, unitAmount: $0.unitAmount, quantity: $0.quantity, taxClass: $0.taxClass) }
        // Checked first: once the lines' sum fits in 64 bits, so does every sum of parts of it.
        let items = try itemsSubtotal()
        let result = evaluatePromotions(promotions, now: now, usage: usage)
        let subtotal = items - result.discountTotal
        let method = shippingMethod.flatMap { code in methods.first { $0.code == code } }
        let quote = method.flatMap { shippingQuotes([$0], subtotal: max(0, subtotal)).first }
        let country = shippingAddress?.country ?? defaultCountry ?? ""
        let totals = try CartTotals(taxTable: TaxTable(rates: rates), taxMode: mode).calculate(
            lines: totalsLines, discounts: result.lineDiscounts, shippingAmount: quote?.amount ?? 0,
            shippingTaxClass: quote?.taxClass ?? TaxClass.standard, country: country, region: shippingAddress?.region,
            currency: currency)
        return (totals, result)
    }
}
