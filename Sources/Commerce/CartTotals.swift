import TorsoKit

/// Computes a cart's ``Totals`` from its lines, the discounts per line, shipping and tax.
///
/// Per line: `subtotal = unit × quantity`; `discount = min(given discount, subtotal)`;
/// `taxable = subtotal − discount`; `tax` = ``TaxMode/tax(on:rateBasisPoints:)`` of `taxable` at
/// the rate of the line's tax class in the destination; `total = taxable (+ tax if exclusive)`.
/// Shipping is taxed on its own with its tax class, the same way. Tax is rounded per line (half
/// away from zero), never on the sum, so line taxes always add up to the tax total.
/// Negative prices, quantities, discounts or shipping are refused rather than clamped, and
/// sums that do not fit in 64 bits throw `amount_overflow`.
public struct CartTotals: Sendable {
    /// The rates to tax with.
    public var taxTable: TaxTable
    /// Whether prices include tax.
    public var taxMode: TaxMode

    /// Creates a calculator.
    public init(taxTable: TaxTable, taxMode: TaxMode) {
        self.taxTable = taxTable
        self.taxMode = taxMode
    }

    /// The totals for `lines` with `discounts` (line ID → minor units, e.g.
    /// ``PromotionResult/lineDiscounts``), a shipping amount taxed with `shippingTaxClass`, shipped
    /// to `country` (and `region`). Discounts for unknown line IDs are ignored.
    public func calculate(lines: [TotalsLine], discounts: [String: Int64] = [:], shippingAmount: Int64 = 0,
                          shippingTaxClass: String = TaxClass.standard, country: String, region: String? = nil,
                          currency: Currency) throws -> Totals {
        var results: [LineTotals] = []
        results.reserveCapacity(lines.count)
        var sums = (subtotal: Int64(0), discount: Int64(0), tax: Int64(0), total: Int64(0))
        for (index, line) in lines.enumerated() {
            guard line.quantity > 0 else { throw CommerceError.invalidQuantity(pointer: "/lines/\(index)/quantity", quantity: line.quantity) }
            guard line.unitAmount >= 0 else { throw CommerceError.invalidAmount(pointer: "/lines/\(index)/unit_amount", amount: line.unitAmount) }
            let given = discounts[line.lineId] ?? 0
            guard given >= 0 else { throw CommerceError.invalidAmount(pointer: "/discounts/\(line.lineId)", amount: given) }
            let subtotal = try checked(line.unitAmount.multipliedReportingOverflow(by: Int64(line.quantity)), "/lines/\(index)")
            let discount = min(given, subtotal)
            let taxable = subtotal - discount
            let rate = taxTable.rateBasisPoints(country: country, region: region, taxClass: line.taxClass)
            let tax = taxMode.tax(on: taxable, rateBasisPoints: rate)
            let total = taxMode == .exclusive ? try checked(taxable.addingReportingOverflow(tax), "/lines/\(index)") : taxable
            results.append(LineTotals(lineId: line.lineId, subtotal: subtotal, discount: discount, tax: tax, total: total))
            sums.subtotal = try checked(sums.subtotal.addingReportingOverflow(subtotal), "/lines")
            sums.discount += discount
            sums.tax = try checked(sums.tax.addingReportingOverflow(tax), "/lines")
            sums.total = try checked(sums.total.addingReportingOverflow(total), "/lines")
        }
        guard shippingAmount >= 0 else { throw CommerceError.invalidAmount(pointer: "/shipping_amount", amount: shippingAmount) }
        let shippingRate = taxTable.rateBasisPoints(country: country, region: region, taxClass: shippingTaxClass)
        let shippingTax = taxMode.tax(on: shippingAmount, rateBasisPoints: shippingRate)
        let taxTotal = try checked(sums.tax.addingReportingOverflow(shippingTax), "/shipping_amount")
        var total = try checked(sums.total.addingReportingOverflow(shippingAmount), "/shipping_amount")
        if taxMode == .exclusive { total = try checked(total.addingReportingOverflow(shippingTax), "/shipping_amount") }
        return Totals(currency: currency, taxMode: taxMode, subtotal: sums.subtotal, discountTotal: sums.discount,
                      shippingTotal: shippingAmount, shippingTax: shippingTax, taxTotal: taxTotal, total: total, lines: results)
    }

    private func checked(_ result: (partialValue: Int64, overflow: Bool), _ pointer: String) throws -> Int64 {
        if result.overflow { throw CommerceError.amountOverflow(pointer: pointer) }
        return result.partialValue
    }
}
