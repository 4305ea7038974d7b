import Commerce
import Events
import Foundation
import SQLKit
import TorsoKit
import Workflows

/// Carts, orders, payments, counters and the event outbox.
extension SQLTransaction {
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

    func listOrders(status: String?, customer: String?, page: PageRequest) async throws -> [Order] {
        var query: SQLQueryString = "SELECT doc FROM orders WHERE id > \(bind: page.cursor?.after ?? "")"
        if let status { query += " AND status = \(bind: status)" }
        if let customer { query += " AND customer_id = \(bind: customer)" }
        query += " ORDER BY id LIMIT \(bind: page.limit)"
        return try await db.raw(query).all().map { try decoded(Order.self, $0) }
    }

    func insertPayment(orderId: String, payment: Order.Payment, currency: String, at: String) async throws {
        try await db.raw("""
            INSERT INTO payments (id, order_id, provider, reference, status, amount, currency, created_at) VALUES (
                \(bind: payment.id), \(bind: orderId), \(bind: payment.provider), \(bind: payment.reference),
                \(bind: payment.status.rawValue), \(bind: payment.amount), \(bind: currency), \(bind: at))
            """).run()
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

    func nextCounter(_ name: String) async throws -> Int {
        guard let row = try await db.raw("UPDATE meta SET value = value + 1 WHERE key = \(bind: name) RETURNING value").first() else {
            throw DomainError(.conflict, code: "counter_missing", detail: "No counter '\(name)'.")
        }
        return try row.decode(column: "value", as: Int.self)
    }

    func incrementCounter(_ name: String) async throws -> Int {
        try await db.raw("INSERT INTO meta (key, value) VALUES (\(bind: name), 0) ON CONFLICT (key) DO NOTHING").run()
        return try await nextCounter(name)
    }

    func counters(_ names: [String]) async throws -> [String: Int] {
        guard !names.isEmpty else { return [:] }
        var result: [String: Int] = [:]
        for row in try await db.raw("SELECT key, value FROM meta WHERE key IN (\(binds: names))").all() {
            result[try row.decode(column: "key", as: String.self)] = try row.decode(column: "value", as: Int.self)
        }
        return result
    }

    func appendEvent(type: String, channel: String?, subject: String, data: JSONValue, at: String) async throws -> Int {
        // The counter row stays locked until commit, so sequence numbers are given in commit order.
        let seq = try await nextCounter("event_seq")
        try await db.raw("""
            INSERT INTO events (seq, type, channel, subject, data, at, origin) VALUES (
                \(bind: seq), \(bind: type), \(bind: channel), \(bind: subject), \(bind: String(decoding: data.jsonBytes(), as: UTF8.self)),
                \(bind: at), \(bind: origin))
            """).run()
        appended?.set()
        // PostgreSQL delivers the notification at commit (once per transaction), waking every node's feed.
        if dialect == .postgres { try await db.raw("SELECT pg_notify(\(bind: SQLStore.eventChannel), '')").run() }
        return seq
    }

    func events(after seq: Int, limit: Int, types: Set<String>?) async throws -> [OutboxEvent] {
        let filter: SQLQueryString = if let types { " AND type IN (\(binds: types.sorted()))" } else { "" }
        return try await db.raw("""
            SELECT seq, type, channel, subject, data, at, origin FROM events WHERE seq > \(bind: seq)\(filter) ORDER BY seq LIMIT \(bind: limit)
            """).all().map { row in
            OutboxEvent(
                seq: try row.decode(column: "seq", as: Int.self), type: try row.decode(column: "type", as: String.self),
                channel: try row.decode(column: "channel", as: String?.self), subject: try row.decode(column: "subject", as: String.self),
                data: try JSONValue.parse(bytes: try row.decode(column: "data", as: String.self).utf8),
                at: try row.decode(column: "at", as: String.self), origin: try row.decode(column: "origin", as: String?.self))
        }
    }

    func lastEventSeq() async throws -> Int {
        try await db.raw("SELECT value FROM meta WHERE key = 'event_seq'").first()?.decode(column: "value", as: Int.self) ?? 0
    }
}
