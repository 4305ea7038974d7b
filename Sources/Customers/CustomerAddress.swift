import TorsoKit

/// Marks customer address identifiers (`addr_…`).
public enum CustomerAddressEntity: IdentifiedEntity { public static let idPrefix = "addr" }

/// One entry of a customer's address book: a postal ``Address`` with an ID and the default
/// marks. Its JSON is the address's members with `id`, `default_shipping` and `default_billing`
/// beside them; the address's members read through (`entry.city`).
@dynamicMemberLookup
public struct CustomerAddress: Codable, Sendable, Equatable {
    /// The address's ID.
    public var id: ID<CustomerAddressEntity>
    /// The postal address.
    public var address: Address
    /// Whether this is the customer's default shipping address (at most one is).
    public var defaultShipping: Bool
    /// Whether this is the customer's default billing address (at most one is).
    public var defaultBilling: Bool

    /// Creates an entry.
    public init(id: ID<CustomerAddressEntity> = .generate(), address: Address, defaultShipping: Bool = false, defaultBilling: Bool = false) {
        self.id = id
        self.address = address
        self.defaultShipping = defaultShipping
        self.defaultBilling = defaultBilling
    }

    /// A member of the postal address.
    public subscript<T>(dynamicMember keyPath: WritableKeyPath<Address, T>) -> T {
        get { address[keyPath: keyPath] }
        set { address[keyPath: keyPath] = newValue }
    }

    enum CodingKeys: String, CodingKey {
        case id
        case defaultShipping = "default_shipping"
        case defaultBilling = "default_billing"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(ID<CustomerAddressEntity>.self, forKey: .id)
        address = try Address(from: decoder)
        defaultShipping = try container.decodeIfPresent(Bool.self, forKey: .defaultShipping) ?? false
        defaultBilling = try container.decodeIfPresent(Bool.self, forKey: .defaultBilling) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        try address.encodeMembers(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(defaultShipping, forKey: .defaultShipping)
        try container.encode(defaultBilling, forKey: .defaultBilling)
    }
}
