import Foundation
import Inventory
import SQLKit
import TorsoKit

/// Stock levels and the variants they belong to.
extension SQLTransaction: StockRepository {
    /// Pairs per statement where a statement lists pairs.
    static let stockChunk = 500

    func replaceStock(productId: String, levels: [(variant: String, location: String, onHand: Int)], fresh: Bool) async throws {
        if !fresh { try await db.raw("DELETE FROM stock_levels WHERE product_id = \(bind: productId)").run() }
        var rows: [StockKey: (productId: String, onHand: Int)] = [:]
        for level in levels { rows[StockKey(variantId: level.variant, location: level.location)] = (productId, level.onHand) }
        try await insertStock(rows, onConflict: "")
    }

    func setStock(_ levels: [StockKey: (productId: String, onHand: Int)]) async throws {
        try await insertStock(levels, onConflict: " ON CONFLICT (variant_id, location) DO UPDATE SET on_hand = excluded.on_hand, product_id = excluded.product_id")
    }

    /// Inserts stock rows, with what to do when a row exists.
    private func insertStock(_ levels: [StockKey: (productId: String, onHand: Int)], onConflict: String) async throws {
        try await insertJSONRows(into: "stock_levels", [.text("variant_id"), .text("location"), .text("product_id"), .bigint("on_hand")],
                                 rows: levels.keys.sorted().map { key in
            let level = levels[key]!
            return [.string(key.variantId), .string(key.location), .string(level.productId), .number(Double(level.onHand))]
        }, conflict: onConflict)
    }

    func removeStock(_ pairs: [StockKey]) async throws {
        for start in stride(from: 0, to: pairs.count, by: Self.stockChunk) {
            let matches = pairs[start..<min(pairs.count, start + Self.stockChunk)].map { pair -> SQLQueryString in
                "(variant_id = \(bind: pair.variantId) AND location = \(bind: pair.location))"
            }
            try await db.raw("DELETE FROM stock_levels WHERE \(matches.joined(separator: " OR "))").run()
        }
    }

    func lockOnHand(_ pairs: [StockKey]) async throws -> [StockKey: Int] {
        // By variant (the primary key's first column, an index every database uses), keeping the
        // asked-for pairs; on PostgreSQL the variants' rows stay locked until the transaction ends.
        let lock: SQLQueryString = dialect == .postgres ? " ORDER BY variant_id, location FOR UPDATE" : ""
        let wanted = Set(pairs)
        let variants = Array(Set(pairs.map(\.variantId))).sorted()
        var result: [StockKey: Int] = [:]
        for start in stride(from: 0, to: variants.count, by: Self.stockChunk) {
            let part = Array(variants[start..<min(variants.count, start + Self.stockChunk)])
            for row in try await db.raw("SELECT variant_id, location, on_hand FROM stock_levels WHERE variant_id IN (\(binds: part))\(lock)").all() {
                let key = StockKey(variantId: try row.decode(column: "variant_id", as: String.self),
                                   location: try row.decode(column: "location", as: String.self))
                if wanted.contains(key) { result[key] = try row.decode(column: "on_hand", as: Int.self) }
            }
        }
        return result
    }

    func levels(products: [String]?, asOf now: String) async throws -> [String: [StockLevel]] {
        if let products, products.isEmpty { return [:] }
        var result: [String: [StockLevel]] = [:]
        let ids = products ?? []
        for start in stride(from: 0, to: max(ids.count, 1), by: Self.stockChunk) {
            let part = products == nil ? nil : Array(ids[start..<min(ids.count, start + Self.stockChunk)])
            let scope: SQLQueryString = part.map { " WHERE s.product_id IN (\(binds: $0))" } ?? ""
            for row in try await db.raw("""
                SELECT s.variant_id, s.location, s.on_hand, COALESCE(h.held, 0) AS held FROM stock_levels s LEFT JOIN (
                    SELECT variant_id, location, CAST(SUM(quantity) AS BIGINT) AS held FROM stock_reservations
                    WHERE expires_at > \(bind: now) GROUP BY variant_id, location) h
                ON h.variant_id = s.variant_id AND h.location = s.location\(scope)
                ORDER BY s.variant_id, s.location
                """).all() {
                result[try row.decode(column: "variant_id", as: String.self), default: []].append(StockLevel(
                    locationId: try row.decode(column: "location", as: String.self), onHand: try row.decode(column: "on_hand", as: Int.self),
                    reserved: try row.decode(column: "held", as: Int.self)))
            }
        }
        return result
    }

    func restock(variant: String, productId: String, location: String, quantity: Int) async throws {
        try await db.raw("""
            INSERT INTO stock_levels (variant_id, location, product_id, on_hand) VALUES (\(bind: variant), \(bind: location), \(bind: productId), \(bind: quantity))
            ON CONFLICT (variant_id, location) DO UPDATE SET on_hand = stock_levels.on_hand + excluded.on_hand
            """).run()
    }

    func variants(skus: [String], ids: [String]) async throws -> [StockedVariant] {
        var result: [StockedVariant] = []
        for (column, values) in [("sku", Array(Set(skus))), ("id", Array(Set(ids)))] where !values.isEmpty {
            for start in stride(from: 0, to: values.count, by: Self.stockChunk) {
                let part = Array(values[start..<min(values.count, start + Self.stockChunk)])
                result += try await db.raw("""
                    SELECT id, sku, product_id, allow_backorder FROM variants WHERE \(unsafeRaw: column) IN (\(binds: part))
                    """).all().map { row in
                    StockedVariant(id: try row.decode(column: "id", as: String.self), sku: try row.decode(column: "sku", as: String.self),
                                   productId: try row.decode(column: "product_id", as: String.self),
                                   allowBackorder: try row.decode(column: "allow_backorder", as: Int.self) != 0)
                }
            }
        }
        return result
    }
}
