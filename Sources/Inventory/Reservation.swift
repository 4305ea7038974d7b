import Foundation

/// Units of a variant held at a location for a cart until they are ordered or the hold expires.
public struct Reservation: Sendable, Hashable, Codable {
    /// How long a reservation holds stock unless told otherwise: 15 minutes.
    public static let defaultTTL: Duration = .seconds(15 * 60)

    /// The reservation's ID.
    public var id: String
    /// The variant held.
    public var variantId: String
    /// The stock location holding it.
    public var locationId: String
    /// Units held.
    public var quantity: Int
    /// The cart holding them.
    public var cartId: String
    /// The first instant the hold no longer counts.
    public var expiresAt: Date

    /// Creates a reservation.
    public init(id: String, variantId: String, locationId: String, quantity: Int, cartId: String, expiresAt: Date) {
        self.id = id
        self.variantId = variantId
        self.locationId = locationId
        self.quantity = quantity
        self.cartId = cartId
        self.expiresAt = expiresAt
    }

    /// Creates a reservation expiring `ttl` after `now`.
    public init(id: String, variantId: String, locationId: String, quantity: Int, cartId: String, now: Date,
                ttl: Duration = Reservation.defaultTTL) {
        let (seconds, attoseconds) = ttl.components
        let interval = TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
        self.init(id: id, variantId: variantId, locationId: locationId, quantity: quantity, cartId: cartId,
                  expiresAt: now.addingTimeInterval(interval))
    }

    /// Whether the hold has lapsed at `now` (`now ≥ expires_at`).
    public func isExpired(at now: Date) -> Bool { now >= expiresAt }

    enum CodingKeys: String, CodingKey {
        case id, quantity
        case variantId = "variant_id"
        case locationId = "location_id"
        case cartId = "cart_id"
        case expiresAt = "expires_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        variantId = try container.decode(String.self, forKey: .variantId)
        locationId = try container.decode(String.self, forKey: .locationId)
        quantity = try container.decode(Int.self, forKey: .quantity)
        cartId = try container.decode(String.self, forKey: .cartId)
        expiresAt = try container.decodeTimestamp(forKey: .expiresAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(variantId, forKey: .variantId)
        try container.encode(locationId, forKey: .locationId)
        try container.encode(quantity, forKey: .quantity)
        try container.encode(cartId, forKey: .cartId)
        try container.encodeTimestamp(expiresAt, forKey: .expiresAt)
    }
}
