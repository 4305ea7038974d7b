import Foundation
import Inventory
import SQLKit
import TorsoKit

/// The inventory's rows and the adjustment log.
extension SQLTransaction {
    func inventory(_ filter: InventoryFilter, asOf now: String, after: String?, limit: Int) async throws -> [InventoryLevel] {
        var query: SQLQueryString = """
            SELECT s.variant_id, v.sku, s.product_id, s.location, s.on_hand, COALESCE(h.held, 0) AS held
            FROM stock_levels s JOIN variants v ON v.id = s.variant_id LEFT JOIN (
                SELECT variant_id, location, CAST(SUM(quantity) AS BIGINT) AS held FROM stock_reservations
                WHERE expires_at > \(bind: now) GROUP BY variant_id, location) h
            ON h.variant_id = s.variant_id AND h.location = s.location WHERE 1 = 1
            """
        if let sku = filter.sku { query += " AND v.sku = \(bind: sku)" }
        if let location = filter.location { query += " AND s.location = \(bind: location)" }
        if let product = filter.productId { query += " AND s.product_id = \(bind: product)" }
        if let below = filter.below {
            query += " AND (CASE WHEN s.on_hand - COALESCE(h.held, 0) < 0 THEN 0 ELSE s.on_hand - COALESCE(h.held, 0) END) < \(bind: below)"
        }
        if let after, let bar = after.firstIndex(of: "|") {
            let sku = String(after[..<bar]), location = String(after[after.index(after: bar)...])
            query += " AND (v.sku > \(bind: sku) OR (v.sku = \(bind: sku) AND s.location > \(bind: location)))"
        }
        query += " ORDER BY v.sku, s.location LIMIT \(bind: limit)"
        return try await db.raw(query).all().map { row in
            InventoryLevel(variantId: try row.decode(column: "variant_id", as: String.self), sku: try row.decode(column: "sku", as: String.self),
                           productId: try row.decode(column: "product_id", as: String.self),
                           location: try row.decode(column: "location", as: String.self),
                           onHand: try row.decode(column: "on_hand", as: Int.self), reserved: try row.decode(column: "held", as: Int.self))
        }
    }

    func appendAdjustments(_ lines: [StockAdjustment]) async throws {
        let columns: [BulkColumn] = [.text("batch"), .bigint("line"), .text("variant_id"), .text("sku"), .text("product_id"), .text("location"),
                                     .text("kind"), .bigint("quantity"), .bigint("on_hand_before"), .bigint("on_hand_after"), .text("reason"),
                                     .text("reference"), .text("actor"), .text("at")]
        try await insertJSONRows(into: "stock_adjustments", columns, rows: lines.map { line in
            [.string(line.batch), .number(Double(line.line)), .string(line.variantId), .string(line.sku), .string(line.productId),
             .string(line.location), .string(line.kind.rawValue), .number(Double(line.quantity)), .number(Double(line.onHandBefore)),
             .number(Double(line.onHandAfter)), .string(line.reason), line.reference.map(JSONValue.string) ?? .null, .string(line.actor),
             .string(line.at)]
        })
    }

    func adjustments(_ filter: AdjustmentFilter, before: String?, limit: Int) async throws -> [StockAdjustment] {
        var query: SQLQueryString = """
            SELECT batch, line, variant_id, sku, product_id, location, kind, quantity, on_hand_before, on_hand_after, reason, reference,
                actor, at FROM stock_adjustments WHERE 1 = 1
            """
        if let sku = filter.sku { query += " AND sku = \(bind: sku)" }
        if let location = filter.location { query += " AND location = \(bind: location)" }
        if let batch = filter.batch { query += " AND batch = \(bind: batch)" }
        if let before, let bar = before.firstIndex(of: "|"), let line = Int(before[before.index(after: bar)...]) {
            let batch = String(before[..<bar])
            query += " AND (batch < \(bind: batch) OR (batch = \(bind: batch) AND line > \(bind: line)))"
        }
        query += " ORDER BY batch DESC, line LIMIT \(bind: limit)"
        return try await db.raw(query).all().map { row in
            StockAdjustment(
                batch: try row.decode(column: "batch", as: String.self), line: try row.decode(column: "line", as: Int.self),
                variantId: try row.decode(column: "variant_id", as: String.self), sku: try row.decode(column: "sku", as: String.self),
                productId: try row.decode(column: "product_id", as: String.self), location: try row.decode(column: "location", as: String.self),
                kind: StockAdjustment.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .delta,
                quantity: try row.decode(column: "quantity", as: Int.self), onHandBefore: try row.decode(column: "on_hand_before", as: Int.self),
                onHandAfter: try row.decode(column: "on_hand_after", as: Int.self), reason: try row.decode(column: "reason", as: String.self),
                reference: try row.decode(column: "reference", as: String?.self), actor: try row.decode(column: "actor", as: String.self),
                at: try row.decode(column: "at", as: String.self))
        }
    }
}
