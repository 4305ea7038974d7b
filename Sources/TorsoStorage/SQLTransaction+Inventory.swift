import Foundation
import Inventory
import SQLKit
import TorsoKit

/// Stock levels and reservations.
extension SQLTransaction: StockRepository, ReservationRepository {
    // MARK: Stock

    func replaceStock(productId: String, levels: [(variant: String, location: String, onHand: Int)], fresh: Bool) async throws {
        if !fresh { try await db.raw("DELETE FROM stock_levels WHERE product_id = \(bind: productId)").run() }
        try await insertStock(productId: productId, levels: levels, onConflict: "")
    }

    func setStock(productId: String, levels: [(variant: String, location: String, onHand: Int)]) async throws {
        try await insertStock(productId: productId, levels: levels,
                              onConflict: " ON CONFLICT (variant_id, location) DO UPDATE SET on_hand = excluded.on_hand, product_id = excluded.product_id")
    }

    /// One multi-row INSERT of a product's stock rows, with what to do when a row exists.
    private func insertStock(productId: String, levels: [(variant: String, location: String, onHand: Int)], onConflict: SQLQueryString) async throws {
        guard !levels.isEmpty else { return }
        let rows = levels.map { level -> SQLQueryString in
            "(\(bind: level.variant), \(bind: level.location), \(bind: productId), \(bind: level.onHand))"
        }
        try await db.raw("INSERT INTO stock_levels (variant_id, location, product_id, on_hand) VALUES \(rows.joined(separator: ", "))\(onConflict)").run()
    }

    func removeStock(_ pairs: [(variant: String, location: String)]) async throws {
        guard !pairs.isEmpty else { return }
        let matches = pairs.map { pair -> SQLQueryString in "(variant_id = \(bind: pair.variant) AND location = \(bind: pair.location))" }
        try await db.raw("DELETE FROM stock_levels WHERE \(matches.joined(separator: " OR "))").run()
    }

    func stockOnHand(products: [String]?) async throws -> [String: Int] {
        var query: SQLQueryString = "SELECT variant_id, CAST(SUM(on_hand) AS BIGINT) AS units FROM stock_levels"
        if let products {
            guard !products.isEmpty else { return [:] }
            query += " WHERE product_id IN (\(binds: products))"
        }
        query += " GROUP BY variant_id"
        var result: [String: Int] = [:]
        for row in try await db.raw(query).all() {
            result[try row.decode(column: "variant_id", as: String.self)] = try row.decode(column: "units", as: Int.self)
        }
        return result
    }

    // MARK: Reservations

    func lockStock(variants: [String], asOf now: String, excludingHolder holder: String) async throws -> [String: [StockLevel]] {
        guard !variants.isEmpty else { return [:] }
        let lock: SQLQueryString = dialect == .postgres ? " FOR UPDATE" : ""
        let rows = try await db.raw("""
            SELECT variant_id, location, on_hand FROM stock_levels WHERE variant_id IN (\(binds: variants))
            ORDER BY variant_id, location\(lock)
            """).all()
        var held: [String: Int] = [:]
        for row in try await db.raw("""
            SELECT variant_id, location, CAST(SUM(quantity) AS BIGINT) AS held FROM stock_reservations
            WHERE variant_id IN (\(binds: variants)) AND expires_at > \(bind: now) AND holder <> \(bind: holder)
            GROUP BY variant_id, location
            """).all() {
            held["\(try row.decode(column: "variant_id", as: String.self))#\(try row.decode(column: "location", as: String.self))"] =
                try row.decode(column: "held", as: Int.self)
        }
        var result: [String: [StockLevel]] = [:]
        for row in rows {
            let variant = try row.decode(column: "variant_id", as: String.self)
            let location = try row.decode(column: "location", as: String.self)
            result[variant, default: []].append(StockLevel(locationId: location, onHand: try row.decode(column: "on_hand", as: Int.self),
                                                           reserved: held["\(variant)#\(location)"] ?? 0))
        }
        return result
    }

    func replaceReservations(holder: String, with reservations: [Reservation]) async throws {
        try await db.raw("DELETE FROM stock_reservations WHERE holder = \(bind: holder)").run()
        guard !reservations.isEmpty else { return }
        let rows = reservations.map { reservation -> SQLQueryString in
            """
            (\(bind: reservation.id), \(bind: holder), \(bind: reservation.variantId), \(bind: reservation.locationId),
             \(bind: reservation.quantity), \(bind: Timestamp.string(reservation.expiresAt)))
            """
        }
        try await db.raw("""
            INSERT INTO stock_reservations (id, holder, variant_id, location, quantity, expires_at) VALUES \(rows.joined(separator: ", "))
            """).run()
    }

    func reservations(holder: String, asOf now: String) async throws -> [Reservation] {
        try await db.raw("""
            SELECT id, variant_id, location, quantity, expires_at FROM stock_reservations
            WHERE holder = \(bind: holder) AND expires_at > \(bind: now) ORDER BY variant_id, location
            """).all().map { row in
            Reservation(id: try row.decode(column: "id", as: String.self), variantId: try row.decode(column: "variant_id", as: String.self),
                        locationId: try row.decode(column: "location", as: String.self), quantity: try row.decode(column: "quantity", as: Int.self),
                        cartId: holder, expiresAt: Timestamp.parse(try row.decode(column: "expires_at", as: String.self)) ?? Date())
        }
    }

    func consumeReservations(holder: String, asOf now: String) async throws -> [Reservation] {
        let held = try await reservations(holder: holder, asOf: now)
        for reservation in held {
            try await db.raw("""
                UPDATE stock_levels SET on_hand = on_hand - \(bind: reservation.quantity)
                WHERE variant_id = \(bind: reservation.variantId) AND location = \(bind: reservation.locationId)
                """).run()
        }
        try await db.raw("DELETE FROM stock_reservations WHERE holder = \(bind: holder)").run()
        return held
    }

    func deleteExpiredReservations(asOf now: String) async throws -> [String] {
        let variants = try await db.raw("SELECT DISTINCT variant_id FROM stock_reservations WHERE expires_at <= \(bind: now)").all()
            .map { try $0.decode(column: "variant_id", as: String.self) }
        guard !variants.isEmpty else { return [] }
        try await db.raw("DELETE FROM stock_reservations WHERE expires_at <= \(bind: now)").run()
        return variants
    }

    func restock(variant: String, location: String?, quantity: Int) async throws {
        if let location {
            try await db.raw("""
                UPDATE stock_levels SET on_hand = on_hand + \(bind: quantity) WHERE variant_id = \(bind: variant) AND location = \(bind: location)
                """).run()
        } else {
            try await db.raw("""
                UPDATE stock_levels SET on_hand = on_hand + \(bind: quantity) WHERE variant_id = \(bind: variant) AND location = (
                    SELECT MIN(location) FROM stock_levels WHERE variant_id = \(bind: variant))
                """).run()
        }
    }
}
