import Foundation

/// A postal address for shipping or billing.
public struct Address: Codable, Sendable, Equatable {
    /// Given name.
    public var firstName: String
    /// Family name.
    public var lastName: String
    /// Street and number.
    public var line1: String
    /// More of the street address.
    public var line2: String?
    /// City.
    public var city: String
    /// Postal code.
    public var postalCode: String
    /// Region or state, for tax where it matters (`CA`).
    public var region: String?
    /// ISO 3166-1 alpha-2, upper case (`DE`).
    public var country: String
    /// Telephone number.
    public var phone: String?

    /// Creates an address.
    public init(firstName: String, lastName: String, line1: String, line2: String? = nil, city: String, postalCode: String,
                region: String? = nil, country: String, phone: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.postalCode = postalCode
        self.region = region
        self.country = country
        self.phone = phone
    }

    enum CodingKeys: String, CodingKey {
        case line1, line2, city, region, country, phone
        case firstName = "first_name"
        case lastName = "last_name"
        case postalCode = "postal_code"
    }

    /// Writes every member, absent ones as `null`, into `encoder`'s object (for types that
    /// carry an address's members beside their own, such as an address book entry).
    public func encodeMembers(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(firstName, forKey: .firstName)
        try container.encode(lastName, forKey: .lastName)
        try container.encode(line1, forKey: .line1)
        try container.encode(line2, forKey: .line2)
        try container.encode(city, forKey: .city)
        try container.encode(postalCode, forKey: .postalCode)
        try container.encode(region, forKey: .region)
        try container.encode(country, forKey: .country)
        try container.encode(phone, forKey: .phone)
    }

    /// The body shape of an address.
    public static let schema: FieldSchema = .object(
        ["first_name": .string(), "last_name": .string(), "line1": .string(), "line2": .nullable(.string()), "city": .string(),
         "postal_code": .string(), "region": .nullable(.string()), "country": .string(), "phone": .nullable(.string())],
        required: ["first_name", "last_name", "line1", "city", "postal_code", "country"])

    /// Adds errors for what the schema cannot check, under `pointer`.
    public func check(at pointer: String, into errors: inout ValidationErrors) {
        if !CountryCode.isValid(country) {
            errors.add(pointer + "/country", "invalid_country", "A country is two upper-case letters (ISO 3166-1 alpha-2).")
        }
        for (field, value) in [("first_name", firstName), ("last_name", lastName), ("line1", line1), ("city", city), ("postal_code", postalCode)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add(pointer + "/" + field, "required", "'\(field)' must not be empty.")
        }
        let fields: [(String, String?)] = [("first_name", firstName), ("last_name", lastName), ("line1", line1), ("line2", line2),
                                           ("city", city), ("postal_code", postalCode), ("region", region), ("phone", phone)]
        for (field, value) in fields where (value?.count ?? 0) > Self.maxFieldLength {
            errors.add(pointer + "/" + field, "too_long", "'\(field)' has at most \(Self.maxFieldLength) characters.")
        }
    }

    /// The longest any one field may be: generous for any real address, short enough that an
    /// address cannot carry a document.
    public static let maxFieldLength = 200
}
