/// A cart line as the totals calculator sees it.
public struct TotalsLine: Sendable, Hashable, Codable {
    /// The line's ID.
    public var lineId: String
    /// The unit price in minor units (gross in inclusive mode, net in exclusive mode).
    public var unitAmount: Int64
    /// Units.
    public var quantity: Int
    /// The tax class of the variant.
    public var taxClass: String

    /// Creates a line.
    public init(lineId: String, unitAmount: Int64, quantity: Int, taxClass: String = TaxClass.standard) {
        self.lineId = lineId
        self.unitAmount = unitAmount
        self.quantity = quantity
        self.taxClass = taxClass
    }

    enum CodingKeys: String, CodingKey {
        case quantity
        case lineId = "line_id"
        case unitAmount = "unit_amount"
        case taxClass = "tax_class"
    }
}
