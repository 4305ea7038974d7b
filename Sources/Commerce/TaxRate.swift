/// The rate of one tax class in a country, or in one region of it.
public struct TaxRate: Sendable, Codable, Hashable {
    /// The ISO 3166-1 alpha-2 country code (`DE`).
    public var country: String
    /// A region within the country (`CA` for California); `nil` for the whole country.
    public var region: String?
    /// The tax class code (see ``TaxClass``).
    public var taxClass: String
    /// The rate in basis points: 19 % is 1900.
    public var rateBasisPoints: Int

    /// Creates a rate.
    public init(country: String, region: String? = nil, taxClass: String, rateBasisPoints: Int) {
        self.country = country
        self.region = region
        self.taxClass = taxClass
        self.rateBasisPoints = rateBasisPoints
    }

    enum CodingKeys: String, CodingKey {
        case country, region
        case taxClass = "tax_class"
        case rateBasisPoints = "rate_basis_points"
    }
}
