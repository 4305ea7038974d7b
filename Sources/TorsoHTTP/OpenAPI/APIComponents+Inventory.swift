import Inventory
import TorsoKit

extension APIComponents {
    /// The inventory API's answers and the store API's stores and availability.
    static let inventory: [String: APISchema] = {
        let level: APISchema = .object([
            "variant_id": .string(), "sku": .string(), "product_id": .string(), "location": .string(),
            "on_hand": .integer, "reserved": .integer, "available": .integer,
        ], required: ["variant_id", "sku", "product_id", "location", "on_hand", "reserved", "available"])
        let adjustment: APISchema = .object([
            "batch": .string(), "line": .integer, "variant_id": .string(), "sku": .string(), "product_id": .string(),
            "location": .string(), "kind": .string(enumeration: ["set", "delta", "transfer_out", "transfer_in"]), "quantity": .integer,
            "on_hand_before": .integer, "on_hand_after": .integer, "reason": .string(), "reference": .nullable(.string()),
            "actor": .string(), "at": .time,
        ], required: ["batch", "line", "variant_id", "sku", "product_id", "location", "kind", "quantity", "on_hand_before",
                      "on_hand_after", "reason", "actor", "at"])
        let band: APISchema = .string(enumeration: StockBand.allCases.map(\.rawValue))
        let count: [String: APISchema] = ["available_quantity": .integer, "availability": band]
        return [
            "InventoryLevel": level,
            "InventoryLevelPage": page(of: .ref("InventoryLevel")),
            "StockAdjustment": adjustment,
            "StockAdjustmentPage": page(of: .ref("StockAdjustment")),
            "AdjustmentReceipt": .object([
                "id": .string(), "at": .time, "reason": .string(), "reference": .nullable(.string()), "actor": .string(),
                "adjustments": .array(.ref("StockAdjustment")),
            ], required: ["id", "at", "reason", "actor", "adjustments"]),
            "Store": .object([
                "code": .string(), "name": .string(), "address": .nullable(answer(of: PostalAddress.schema)),
                "coordinates": .nullable(answer(of: Coordinates.schema)), "opening_hours": .array(answer(of: OpeningHours.schema)),
                "pickup": .boolean, "distance_meters": .nullable(.integer),
            ], required: ["code", "name", "opening_hours", "pickup"]),
            "StoreList": .object(["data": .array(.ref("Store"))], required: ["data"]),
            "ProductAvailability": .object([
                "product_id": .string(), "display": .string(enumeration: ["quantity", "band"]),
                "variants": .array(.object([
                    "id": .string(), "sku": .string(),
                    "online": .object(count, required: ["availability"]),
                    "stores": .array(.object(count.merging(["store": .string(), "name": .string()]) { $1 },
                                             required: ["store", "name", "availability"])),
                ], required: ["id", "sku", "online", "stores"])),
            ], required: ["product_id", "display", "variants"]),
        ]
    }()
}
