import Events
import Inventory
import Publishing
import TorsoKit

/// A `stock.changed` as one channel's heads see it. The outbox event carries every location's
/// levels; a channel's heads get, per variant, what is available within the channel's stock
/// locations and at each store the channel shows — counts, or bands where the channel hides
/// counts — and never the names or counts of locations it does not show.
enum StockFeedView {
    /// The event narrowed to `snapshot`'s channel.
    static func narrowed(_ event: OutboxEvent, for snapshot: ChannelSnapshot) -> OutboxEvent {
        let scope = snapshot.projector.stockScope
        let bands = snapshot.channel.stockDisplay == .band
        func count(_ units: Int) -> [String: JSONValue] {
            var answer: [String: JSONValue] = ["availability": .string(scope.band(units).rawValue), "in_stock": .bool(units > 0)]
            if !bands { answer["available_quantity"] = .number(Double(max(0, units))) }
            return answer
        }
        let data = event.data.objectValue ?? [:]
        let variants: [JSONValue] = (data["variants"]?.arrayValue ?? []).map { element in
            let variant = element.objectValue ?? [:]
            let levels: [StockLevel] = (variant["locations"]?.arrayValue ?? []).compactMap { element in
                let level = element.objectValue ?? [:]
                guard let location = level["location"]?.stringValue, let onHand = level["on_hand"]?.numberValue else { return nil }
                return StockLevel(locationId: location, onHand: Int(onHand), reserved: Int(level["reserved"]?.numberValue ?? 0))
            }
            var view = count(scope.available(levels))
            view["id"] = variant["id"] ?? .null
            if !scope.stores.isEmpty {
                view["stores"] = .array(zip(scope.stores, scope.atStores(levels)).map { store, units in
                    var entry = count(units)
                    entry["store"] = .string(store.code)
                    return .object(entry)
                })
            }
            return .object(view)
        }
        var narrowed = event
        narrowed.data = .object(["product_id": data["product_id"] ?? .string(event.subject), "variants": .array(variants)])
        return narrowed
    }
}
