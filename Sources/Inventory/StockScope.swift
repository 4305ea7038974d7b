/// What stock a channel sells from and which stores it shows: availability is one number
/// everywhere — units on hand minus active holds, summed over the channel's stock locations
/// (every location when the channel names none) — and, per store the channel shows, the same
/// number at that store.
public struct StockScope: Sendable {
    /// The locations the channel sells from; `nil` for every location.
    public var locations: Set<String>?
    /// The stores the channel shows, in order.
    public var stores: [StockLocation]
    /// Below this many units available, a band says `low` rather than `in_stock`.
    public var lowBelow: Int

    /// Every location, no stores.
    public static let everywhere = StockScope(locations: nil, stores: [])

    /// Creates a scope.
    public init(locations: Set<String>?, stores: [StockLocation], lowBelow: Int = 3) {
        self.locations = locations
        self.stores = stores
        self.lowBelow = lowBelow
    }

    /// Units available within the scope's locations.
    public func available(_ levels: [StockLevel]) -> Int {
        levels.reduce(0) { total, level in
            locations.map { $0.contains(level.locationId) } ?? true ? total + level.available : total
        }
    }

    /// Units available at each of the scope's stores, in ``stores`` order.
    public func atStores(_ levels: [StockLevel]) -> [Int] {
        stores.map { store in levels.first { $0.locationId == store.code }?.available ?? 0 }
    }

    /// The position of a store among ``stores``.
    public func storeIndex(_ code: String) -> Int? { stores.firstIndex { $0.code == code } }

    /// The band a count falls in, for heads that hide exact counts.
    public func band(_ available: Int) -> StockBand {
        available <= 0 ? .out : available < lowBelow ? .low : .inStock
    }
}

/// How much is available, without the number.
public enum StockBand: String, Sendable, Hashable, Codable, CaseIterable {
    /// Plenty.
    case inStock = "in_stock"
    /// A few left.
    case low
    /// None.
    case out
}
