import Customers
import Foundation
import SQLKit
import TorsoKit

/// Customers and their sessions. The password hash has a column of its own and never enters
/// the document, so nothing that encodes a customer can leak it.
extension SQLTransaction: CustomerRepository {
    private func customerDocument(_ row: any SQLRow, column: String = "doc") throws -> Customer {
        try JSONCoding.decode(Customer.self, bytes: try row.decode(column: column, as: String.self).utf8)
    }

    private func customerText(_ customer: Customer) throws -> String {
        String(decoding: try JSONCoding.encode(customer), as: UTF8.self)
    }

    private func emailTaken(_ email: String) -> DomainError {
        DomainError(.conflict, code: "email_taken", detail: "An account with this e-mail address exists already.",
                    errors: [FieldError(pointer: "/email", code: "email_taken", detail: "This e-mail address is taken.")])
    }

    func insertCustomer(_ customer: Customer, passwordHash: String?) async throws {
        if try await db.raw("SELECT 1 AS found FROM customers WHERE email = \(bind: customer.email)").first() != nil {
            throw emailTaken(customer.email)
        }
        try await db.raw("""
            INSERT INTO customers (id, email, password_hash, version, doc, created_at)
            VALUES (\(bind: customer.id.rawValue), \(bind: customer.email), \(bind: passwordHash), \(bind: customer.version),
                    \(bind: try customerText(customer)), \(bind: customer.createdAt))
            """).run()
    }

    func customer(id: String) async throws -> Customer? {
        try await db.raw("SELECT doc FROM customers WHERE id = \(bind: id)").first().map { try customerDocument($0) }
    }

    func customerCredentials(email: String) async throws -> (customer: Customer, passwordHash: String?)? {
        guard let row = try await db.raw("SELECT doc, password_hash FROM customers WHERE email = \(bind: email)").first() else { return nil }
        return (try customerDocument(row), try row.decode(column: "password_hash", as: String?.self))
    }

    func replaceCustomer(_ customer: Customer, expectedVersion: Int) async throws -> Bool {
        if try await db.raw("""
            SELECT 1 AS found FROM customers WHERE email = \(bind: customer.email) AND id <> \(bind: customer.id.rawValue)
            """).first() != nil {
            throw emailTaken(customer.email)
        }
        let rows = try await db.raw("""
            UPDATE customers SET email = \(bind: customer.email), version = \(bind: customer.version), doc = \(bind: try customerText(customer))
            WHERE id = \(bind: customer.id.rawValue) AND version = \(bind: expectedVersion)
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func listCustomers(emailContains: String?, page: PageRequest) async throws -> [Customer] {
        var query: SQLQueryString = "SELECT doc FROM customers WHERE id > \(bind: page.cursor?.after ?? "")"
        if let text = emailContains, !text.isEmpty {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            query += " AND email LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"
        }
        query += " ORDER BY id LIMIT \(bind: page.limit)"
        return try await db.raw(query).all().map { try customerDocument($0) }
    }

    func insertCustomerSession(_ session: CustomerSession, now: String) async throws {
        try await db.raw("""
            DELETE FROM customer_sessions WHERE customer_id = \(bind: session.customerId.rawValue) AND expires_at <= \(bind: now)
            """).run()
        try await db.raw("""
            INSERT INTO customer_sessions (token_hash, customer_id, channel, expires_at)
            VALUES (\(bind: session.tokenHash), \(bind: session.customerId.rawValue), \(bind: session.channel), \(bind: session.expiresAt))
            """).run()
    }

    func customerSession(tokenHash: String) async throws -> (session: CustomerSession, customer: Customer)? {
        guard let row = try await db.raw("""
            SELECT s.customer_id, s.channel, s.expires_at, c.doc FROM customer_sessions s JOIN customers c ON c.id = s.customer_id
            WHERE s.token_hash = \(bind: tokenHash)
            """).first() else { return nil }
        let session = CustomerSession(tokenHash: tokenHash,
                                      customerId: ID(rawValue: try row.decode(column: "customer_id", as: String.self)),
                                      channel: try row.decode(column: "channel", as: String.self),
                                      expiresAt: try row.decode(column: "expires_at", as: String.self))
        return (session, try customerDocument(row))
    }

    func deleteCustomerSession(tokenHash: String) async throws {
        try await db.raw("DELETE FROM customer_sessions WHERE token_hash = \(bind: tokenHash)").run()
    }
}
