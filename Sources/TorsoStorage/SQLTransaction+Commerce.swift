import Commerce
import Events
import Foundation
import SQLKit
import TorsoKit

/// Carts, orders and payments.
extension SQLTransaction: CartRepository, OrderRepository {
    private func document(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.encode(value), as: UTF8.self)
    }

    private func decoded<T: Decodable>(_ type: T.Type, _ row: any SQLRow) throws -> T {
        try JSONCoding.decode(T.self, bytes: try row.decode(column: "doc", as: String.self).utf8)
    }

    func insertCart(_ cart: Cart) async throws {
        try await db.raw("""
            INSERT INTO carts (id, channel, status, version, doc, created_at, updated_at) VALUES (
                \(bind: cart.id.rawValue), \(bind: cart.channel), \(bind: cart.status.rawValue), \(bind: cart.version),
                \(bind: try document(cart)), \(bind: cart.createdAt), \(bind: cart.updatedAt))
            """).run()
    }

    func cart(_ id: String, forUpdate: Bool) async throws -> Cart? {
        let lock: SQLQueryString = forUpdate && dialect == .postgres ? " FOR UPDATE" : ""
        return try await db.raw("SELECT doc FROM carts WHERE id = \(bind: id)\(lock)").first().map { try decoded(Cart.self, $0) }
    }

    func deleteAbandonedCarts(changedBefore instant: String, limit: Int) async throws -> [String] {
        try await db.raw("""
            DELETE FROM carts WHERE id IN (
                SELECT id FROM carts WHERE status = 'open' AND updated_at < \(bind: instant) ORDER BY updated_at LIMIT \(bind: limit))
            RETURNING id
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }

    func insertHandoff(_ handoff: CartHandoff) async throws {
        // Codes made before stop working: a late claim of one hears "expired", not "unknown".
        try await db.raw("""
            UPDATE cart_handoffs SET expires_at = \(bind: handoff.createdAt)
            WHERE cart_id = \(bind: handoff.cartId) AND claimed_at IS NULL AND expires_at > \(bind: handoff.createdAt)
            """).run()
        try await db.raw("""
            INSERT INTO cart_handoffs (code_hash, cart_id, channel, expires_at, created_at) VALUES (
                \(bind: handoff.codeHash), \(bind: handoff.cartId), \(bind: handoff.channel), \(bind: handoff.expiresAt), \(bind: handoff.createdAt))
            """).run()
    }

    func claimHandoff(codeHash: String, channel: String, at instant: String) async throws -> CartHandoff.Claim {
        // One conditional write: concurrent claims of one code serialize on its row, and only
        // the first finds it unclaimed.
        let won = try await db.raw("""
            UPDATE cart_handoffs SET claimed_at = \(bind: instant)
            WHERE code_hash = \(bind: codeHash) AND channel = \(bind: channel) AND claimed_at IS NULL AND expires_at > \(bind: instant)
            RETURNING cart_id
            """).first()
        if let won { return .claimed(cartId: try won.decode(column: "cart_id", as: String.self)) }
        guard let row = try await db.raw("""
            SELECT claimed_at FROM cart_handoffs WHERE code_hash = \(bind: codeHash) AND channel = \(bind: channel)
            """).first() else { return .unknown }
        return try row.decodeNil(column: "claimed_at") ? .expired : .alreadyClaimed
    }

    func deleteHandoffs(expiredBefore instant: String, limit: Int) async throws -> Int {
        try await db.raw("""
            DELETE FROM cart_handoffs WHERE code_hash IN (
                SELECT code_hash FROM cart_handoffs WHERE expires_at < \(bind: instant) ORDER BY expires_at LIMIT \(bind: limit))
            RETURNING code_hash
            """).all().count
    }

    func replaceCart(_ cart: Cart, expectedVersion: Int) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE carts SET status = \(bind: cart.status.rawValue), version = \(bind: cart.version), doc = \(bind: try document(cart)),
                updated_at = \(bind: cart.updatedAt)
            WHERE id = \(bind: cart.id.rawValue) AND version = \(bind: expectedVersion) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func insertOrder(_ order: Order) async throws {
        do {
            try await db.raw("""
                INSERT INTO orders (id, number, cart_id, channel, customer_id, email, status, version, doc, created_at, updated_at) VALUES (
                    \(bind: order.id.rawValue), \(bind: order.number), \(bind: order.cartId), \(bind: order.channel), \(bind: order.customerId),
                    \(bind: order.email), \(bind: order.status.rawValue), \(bind: order.version), \(bind: try document(order)),
                    \(bind: order.createdAt), \(bind: order.updatedAt))
                """).run()
        } catch where SQLStore.isUniqueViolation(error) {
            throw DomainError(.conflict, code: "already_exists", detail: "Cart '\(order.cartId)' already has an order.")
        }
    }

    func order(_ id: String) async throws -> Order? {
        try await db.raw("SELECT doc FROM orders WHERE id = \(bind: id)").first().map { try decoded(Order.self, $0) }
    }

    func replaceOrder(_ order: Order, expectedVersion: Int) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE orders SET status = \(bind: order.status.rawValue), version = \(bind: order.version), doc = \(bind: try document(order)),
                updated_at = \(bind: order.updatedAt)
            WHERE id = \(bind: order.id.rawValue) AND version = \(bind: expectedVersion) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func listOrders(status: String?, customer: String?, page: PageRequest, newestFirst: Bool) async throws -> [Order] {
        var query: SQLQueryString = "SELECT doc FROM orders WHERE 1 = 1"
        if let after = page.cursor?.after { query += newestFirst ? " AND id < \(bind: after)" : " AND id > \(bind: after)" }
        if let status { query += " AND status = \(bind: status)" }
        if let customer { query += " AND customer_id = \(bind: customer)" }
        query += newestFirst ? " ORDER BY id DESC LIMIT \(bind: page.limit)" : " ORDER BY id LIMIT \(bind: page.limit)"
        return try await db.raw(query).all().map { try decoded(Order.self, $0) }
    }

    func insertPayment(orderId: String, payment: Order.Payment, currency: String, at: String) async throws {
        try await db.raw("""
            INSERT INTO payments (id, order_id, provider, reference, status, amount, currency, created_at) VALUES (
                \(bind: payment.id), \(bind: orderId), \(bind: payment.provider), \(bind: payment.reference),
                \(bind: payment.status.rawValue), \(bind: payment.amount), \(bind: currency), \(bind: at))
            """).run()
    }

}
