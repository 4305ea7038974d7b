/// All tax rates, looked up by country, region and tax class. A region-specific rate beats the
/// country-level one; anything unknown is taxed at 0. Country and region codes compare
/// case-insensitively.
public struct TaxTable: Sendable, Hashable {
    /// The rates.
    public private(set) var rates: [TaxRate]
    private var index: [Key: Int]

    private struct Key: Hashable {
        var country: String
        var region: String?
        var taxClass: String
    }

    /// Creates a table; a later rate for the same country, region and class replaces an earlier one.
    public init(rates: [TaxRate]) {
        self.rates = rates
        var index: [Key: Int] = [:]
        for rate in rates {
            index[Key(country: rate.country.uppercased(), region: rate.region?.uppercased(), taxClass: rate.taxClass)] = rate.rateBasisPoints
        }
        self.index = index
    }

    /// The rate in basis points for a tax class in a country (and region): the region's rate if
    /// there is one, else the country's, else 0.
    public func rateBasisPoints(country: String, region: String? = nil, taxClass: String) -> Int {
        let country = country.uppercased()
        if let region, let rate = index[Key(country: country, region: region.uppercased(), taxClass: taxClass)] {
            return rate
        }
        return index[Key(country: country, region: nil, taxClass: taxClass)] ?? 0
    }
}
