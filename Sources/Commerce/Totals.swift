import TorsoKit

/// A cart's or order's money, in minor units of ``currency``.
///
/// Invariants: `total == subtotal − discount_total + shipping_total + (exclusive ? tax_total : 0)`;
/// `subtotal`, `discount_total` and the line totals are the sums of the line fields;
/// `tax_total == Σ line tax + shipping_tax`; nothing is negative.
public struct Totals: Sendable, Hashable, Codable {
    /// The currency.
    public var currency: Currency
    /// Whether prices include tax.
    public var taxMode: TaxMode
    /// The sum of line subtotals.
    public var subtotal: Int64
    /// The sum of line discounts.
    public var discountTotal: Int64
    /// The shipping price (gross when inclusive, net when exclusive).
    public var shippingTotal: Int64
    /// The tax on shipping, part of ``taxTotal``.
    public var shippingTax: Int64
    /// The sum of line taxes and the shipping tax.
    public var taxTotal: Int64
    /// What the customer pays.
    public var total: Int64
    /// Per line, in input order.
    public var lines: [LineTotals]

    /// Creates totals.
    public init(currency: Currency, taxMode: TaxMode, subtotal: Int64, discountTotal: Int64, shippingTotal: Int64,
                shippingTax: Int64, taxTotal: Int64, total: Int64, lines: [LineTotals]) {
        self.currency = currency
        self.taxMode = taxMode
        self.subtotal = subtotal
        self.discountTotal = discountTotal
        self.shippingTotal = shippingTotal
        self.shippingTax = shippingTax
        self.taxTotal = taxTotal
        self.total = total
        self.lines = lines
    }

    enum CodingKeys: String, CodingKey {
        case currency, subtotal, total, lines
        case taxMode = "tax_mode"
        case discountTotal = "discount_total"
        case shippingTotal = "shipping_total"
        case shippingTax = "shipping_tax"
        case taxTotal = "tax_total"
    }
}
