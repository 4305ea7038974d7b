/// Units to take from one location.
public struct StockAllocation: Sendable, Hashable, Codable {
    /// The stock location.
    public var locationId: String
    /// Units taken from available stock.
    public var quantity: Int
    /// Units beyond available stock, to be shipped when restocked (only with backorders).
    public var backordered: Int

    /// Creates an allocation.
    public init(locationId: String, quantity: Int, backordered: Int = 0) {
        self.locationId = locationId
        self.quantity = quantity
        self.backordered = backordered
    }

    enum CodingKeys: String, CodingKey {
        case quantity, backordered
        case locationId = "location_id"
    }
}
