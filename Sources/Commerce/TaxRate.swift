import TorsoKit

/// The rate of one tax class in a country, or in one region of it.
public struct TaxRate: StoredResource, Hashable {
    public static let kind = "tax rate"
    public static let collection = "tax-rates"
    public static let schema: FieldSchema = .object(
        [
            "code": .string(), "country": .string(), "region": .nullable(.string()), "tax_class": .string(),
            "rate_basis_points": .integer,
        ].merging(metadataFields) { $1 },
        required: ["code", "country", "tax_class", "rate_basis_points"], readOnly: Array(metadataFields.keys))

    /// The rate's code, e.g. `de-standard`.
    public var code: String
    /// The ISO 3166-1 alpha-2 country code (`DE`).
    public var country: String
    /// A region within the country (`CA` for California); `nil` for the whole country.
    public var region: String?
    /// The tax class code (see ``TaxClass``).
    public var taxClass: String
    /// The rate in basis points: 19 % is 1900.
    public var rateBasisPoints: Int

    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { code }

    /// Creates a rate; the code defaults to country, region and class (`de-standard`).
    public init(code: String? = nil, country: String, region: String? = nil, taxClass: String, rateBasisPoints: Int) {
        self.code = code ?? [country, region, taxClass].compactMap { $0 }.joined(separator: "-").lowercased()
        self.version = 1
        self.createdAt = ""
        self.updatedAt = ""
        self.country = country
        self.region = region
        self.taxClass = taxClass
        self.rateBasisPoints = rateBasisPoints
    }

    enum CodingKeys: String, CodingKey {
        case code, country, region, version
        case taxClass = "tax_class"
        case rateBasisPoints = "rate_basis_points"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        country = try container.decode(String.self, forKey: .country)
        region = try container.decodeIfPresent(String.self, forKey: .region)
        taxClass = try container.decode(String.self, forKey: .taxClass)
        rateBasisPoints = try container.decode(Int.self, forKey: .rateBasisPoints)
        code = try container.decodeIfPresent(String.self, forKey: .code)
            ?? [country, region, taxClass].compactMap { $0 }.joined(separator: "-").lowercased()
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// Checks what the schema cannot: codes, an ISO country, a rate between 0 and 100 %.
    public func validate() throws {
        var errors = ValidationErrors()
        Code.check(code, at: "/code", into: &errors)
        if !CountryCode.isValid(country) {
            errors.add("/country", "invalid_country", "A country is two upper-case letters (ISO 3166-1 alpha-2).")
        }
        Code.check(taxClass, at: "/tax_class", into: &errors)
        if !(0...10_000).contains(rateBasisPoints) {
            errors.add("/rate_basis_points", "out_of_range", "A rate is between 0 and 10000 basis points (0–100 %).")
        }
        try errors.throwIfAny()
    }
}
