/// A variant's stock at one location.
public struct StockLevel: Sendable, Hashable, Codable {
    /// The stock location.
    public var locationId: String
    /// Units physically there.
    public var onHand: Int
    /// Units held by unexpired reservations.
    public var reserved: Int

    /// Creates a level.
    public init(locationId: String, onHand: Int, reserved: Int = 0) {
        self.locationId = locationId
        self.onHand = onHand
        self.reserved = reserved
    }

    /// `on_hand − reserved`, never negative.
    public var available: Int { max(0, onHand - max(0, reserved)) }

    enum CodingKeys: String, CodingKey {
        case reserved
        case locationId = "location_id"
        case onHand = "on_hand"
    }
}
