/// The unit price a customer pays, with the price it is compared against when on sale.
public struct ResolvedPrice: Sendable, Codable, Hashable {
    /// The unit price in minor units.
    public var unitAmount: Int64
    /// The price before the sale (base or override), only when a sale applied.
    public var compareAtAmount: Int64?
    /// The code of the price list that set ``unitAmount``, or `base`.
    public var source: String

    /// The source of a base price.
    public static let baseSource = "base"

    /// Creates a resolved price.
    public init(unitAmount: Int64, compareAtAmount: Int64? = nil, source: String) {
        self.unitAmount = unitAmount
        self.compareAtAmount = compareAtAmount
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case source
        case unitAmount = "unit_amount"
        case compareAtAmount = "compare_at_amount"
    }
}
