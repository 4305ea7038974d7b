import TorsoKit

/// Marks customer identifiers (`cus_…`).
public enum CustomerEntity: IdentifiedEntity { public static let idPrefix = "cus" }

/// A registered shopper: who they are, their addresses and the group prices may target.
/// The password hash is never part of it: storage keeps it in a column of its own, so no
/// response can carry it.
public struct Customer: Codable, Sendable, Equatable {
    /// The customer's ID.
    public var id: ID<CustomerEntity>
    /// The e-mail address, lower-cased; unique across the store.
    public var email: String
    /// The first name.
    public var firstName: String?
    /// The last name.
    public var lastName: String?
    /// A phone number, as the customer wrote it.
    public var phone: String?
    /// The customer group's code (price lists and promotions may target it); `nil` for none.
    public var group: String?
    /// The address book.
    public var addresses: [CustomerAddress]
    /// Increases with every change.
    public var version: Int
    /// When the customer registered.
    public var createdAt: String
    /// When the customer last changed.
    public var updatedAt: String

    /// Creates a customer.
    public init(id: ID<CustomerEntity> = .generate(), email: String, firstName: String? = nil, lastName: String? = nil,
                phone: String? = nil, group: String? = nil, addresses: [CustomerAddress] = [], version: Int = 1,
                createdAt: String, updatedAt: String) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.group = group
        self.addresses = addresses
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, email, phone, group, addresses, version
        case firstName = "first_name"
        case lastName = "last_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(ID<CustomerEntity>.self, forKey: .id)
        email = try container.decode(String.self, forKey: .email)
        firstName = try container.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try container.decodeIfPresent(String.self, forKey: .lastName)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        group = try container.decodeIfPresent(String.self, forKey: .group)
        addresses = try container.decodeIfPresent([CustomerAddress].self, forKey: .addresses) ?? []
        version = try container.decode(Int.self, forKey: .version)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        updatedAt = try container.decode(String.self, forKey: .updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(firstName, forKey: .firstName)
        try container.encode(lastName, forKey: .lastName)
        try container.encode(phone, forKey: .phone)
        try container.encode(group, forKey: .group)
        try container.encode(addresses, forKey: .addresses)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    /// The address marked for shipping, if any.
    public var defaultShippingAddress: CustomerAddress? { addresses.first { $0.defaultShipping } }
    /// The address marked for billing, if any.
    public var defaultBillingAddress: CustomerAddress? { addresses.first { $0.defaultBilling } }
}
