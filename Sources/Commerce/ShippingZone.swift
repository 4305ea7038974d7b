/// A set of countries a shipping method serves.
public struct ShippingZone: Sendable, Hashable, Codable {
    /// ISO 3166-1 alpha-2 country codes, stored upper case.
    public var countries: Set<String>

    /// Creates a zone.
    public init(countries: Set<String>) {
        self.countries = Set(countries.map { $0.uppercased() })
    }

    /// Whether the zone contains a country (case-insensitive).
    public func contains(country: String) -> Bool { countries.contains(country.uppercased()) }

    enum CodingKeys: String, CodingKey {
        case countries
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(countries: try container.decode(Set<String>.self, forKey: .countries))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(countries.sorted(), forKey: .countries)
    }
}
