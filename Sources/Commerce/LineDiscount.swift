/// The part of a discount that falls on one cart line.
public struct LineDiscount: Sendable, Hashable, Codable {
    /// The line's ID.
    public var lineId: String
    /// Minor units off the line.
    public var amount: Int64

    /// Creates a line discount.
    public init(lineId: String, amount: Int64) {
        self.lineId = lineId
        self.amount = amount
    }

    enum CodingKeys: String, CodingKey {
        case amount
        case lineId = "line_id"
    }
}
