/// The money of one line after discounts and tax.
public struct LineTotals: Sendable, Hashable, Codable {
    /// The line's ID.
    public var lineId: String
    /// `unit_amount × quantity`.
    public var subtotal: Int64
    /// The discount on the line, at most ``subtotal``.
    public var discount: Int64
    /// The tax on `subtotal − discount` (contained in it when inclusive, added when exclusive).
    public var tax: Int64
    /// `subtotal − discount`, plus ``tax`` when exclusive.
    public var total: Int64

    /// Creates line totals.
    public init(lineId: String, subtotal: Int64, discount: Int64, tax: Int64, total: Int64) {
        self.lineId = lineId
        self.subtotal = subtotal
        self.discount = discount
        self.tax = tax
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case subtotal, discount, tax, total
        case lineId = "line_id"
    }
}
