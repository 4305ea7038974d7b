import TorsoKit

/// Marks customer address identifiers (`addr_…`).
public enum CustomerAddressEntity: IdentifiedEntity { public static let idPrefix = "addr" }

/// One entry of a customer's address book.
public struct CustomerAddress: Codable, Sendable, Equatable {
    /// The address's ID.
    public var id: ID<CustomerAddressEntity>
    /// The recipient's first name.
    public var firstName: String
    /// The recipient's last name.
    public var lastName: String
    /// Street and number.
    public var line1: String
    /// More of the street address.
    public var line2: String?
    /// The city.
    public var city: String
    /// The postal code.
    public var postalCode: String
    /// A state, province or region.
    public var region: String?
    /// ISO 3166-1 alpha-2, upper case (`DE`).
    public var country: String
    /// A phone number for the carrier.
    public var phone: String?
    /// Whether this is the customer's default shipping address (at most one is).
    public var defaultShipping: Bool
    /// Whether this is the customer's default billing address (at most one is).
    public var defaultBilling: Bool

    /// Creates an address.
    public init(id: ID<CustomerAddressEntity> = .generate(), firstName: String, lastName: String, line1: String, line2: String? = nil,
                city: String, postalCode: String, region: String? = nil, country: String, phone: String? = nil,
                defaultShipping: Bool = false, defaultBilling: Bool = false) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.postalCode = postalCode
        self.region = region
        self.country = country
        self.phone = phone
        self.defaultShipping = defaultShipping
        self.defaultBilling = defaultBilling
    }

    enum CodingKeys: String, CodingKey {
        case id, line1, line2, city, region, country, phone
        case firstName = "first_name"
        case lastName = "last_name"
        case postalCode = "postal_code"
        case defaultShipping = "default_shipping"
        case defaultBilling = "default_billing"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(ID<CustomerAddressEntity>.self, forKey: .id)
        firstName = try container.decode(String.self, forKey: .firstName)
        lastName = try container.decode(String.self, forKey: .lastName)
        line1 = try container.decode(String.self, forKey: .line1)
        line2 = try container.decodeIfPresent(String.self, forKey: .line2)
        city = try container.decode(String.self, forKey: .city)
        postalCode = try container.decode(String.self, forKey: .postalCode)
        region = try container.decodeIfPresent(String.self, forKey: .region)
        country = try container.decode(String.self, forKey: .country)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        defaultShipping = try container.decodeIfPresent(Bool.self, forKey: .defaultShipping) ?? false
        defaultBilling = try container.decodeIfPresent(Bool.self, forKey: .defaultBilling) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(firstName, forKey: .firstName)
        try container.encode(lastName, forKey: .lastName)
        try container.encode(line1, forKey: .line1)
        try container.encode(line2, forKey: .line2)
        try container.encode(city, forKey: .city)
        try container.encode(postalCode, forKey: .postalCode)
        try container.encode(region, forKey: .region)
        try container.encode(country, forKey: .country)
        try container.encode(phone, forKey: .phone)
        try container.encode(defaultShipping, forKey: .defaultShipping)
        try container.encode(defaultBilling, forKey: .defaultBilling)
    }
}
