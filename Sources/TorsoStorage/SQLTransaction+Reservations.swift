import Foundation
import Inventory
import SQLKit
import TorsoKit

/// Holds on stock.
extension SQLTransaction: ReservationRepository {
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

    func replaceReservations(holder: String, with reservations: [Reservation]) async throws -> [String] {
        let before = try await db.raw("DELETE FROM stock_reservations WHERE holder = \(bind: holder) RETURNING variant_id").all()
            .map { try $0.decode(column: "variant_id", as: String.self) }
        guard !reservations.isEmpty else { return before }
        let rows = reservations.map { reservation -> SQLQueryString in
            """
            (\(bind: reservation.id), \(bind: holder), \(bind: reservation.variantId), \(bind: reservation.locationId),
             \(bind: reservation.quantity), \(bind: Timestamp.string(reservation.expiresAt)))
            """
        }
        try await db.raw("""
            INSERT INTO stock_reservations (id, holder, variant_id, location, quantity, expires_at) VALUES \(rows.joined(separator: ", "))
            """).run()
        return before
    }

    func assignClient(_ client: String, holder: String) async throws {
        try await db.raw("UPDATE stock_reservations SET client = \(bind: client) WHERE holder = \(bind: holder)").run()
    }

    func heldUnits(client: String, excludingHolder holder: String, asOf now: String) async throws -> Int {
        try await db.raw("""
            SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS held FROM stock_reservations
            WHERE client = \(bind: client) AND holder <> \(bind: holder) AND expires_at > \(bind: now)
            """).first()?.decode(column: "held", as: Int.self) ?? 0
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

    func consumeReservations(holder: String, asOf now: String, backorder: Set<String>) async throws -> [Reservation] {
        let held = try await reservations(holder: holder, asOf: now)
        for reservation in held {
            // A hold promises units, but an adjustment may have taken on-hand below what is held
            // meanwhile (a stock take, damaged goods): the units that are not there are not sold,
            // unless the line takes backorders.
            let enough: SQLQueryString = backorder.contains(reservation.variantId) ? "" : " AND on_hand >= \(bind: reservation.quantity)"
            let taken = try await db.raw("""
                UPDATE stock_levels SET on_hand = on_hand - \(bind: reservation.quantity)
                WHERE variant_id = \(bind: reservation.variantId) AND location = \(bind: reservation.locationId)\(enough)
                RETURNING on_hand
                """).all()
            if taken.isEmpty {
                throw DomainError(.conflict, code: "insufficient_stock",
                                  detail: "Stock at '\(reservation.locationId)' was counted down while this cart held it; check out again.")
            }
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
}
