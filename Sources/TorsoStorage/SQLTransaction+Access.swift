import Access
import Foundation
import SQLKit
import TorsoKit

/// API keys and idempotency records.
extension SQLTransaction: KeyRepository, IdempotencyRepository {
    // MARK: API keys

    func insertKey(_ key: APIKey, hash: String) async throws {
        try await db.raw("""
            INSERT INTO api_keys (id, hash, doc, revoked_at)
            VALUES (\(bind: key.id.rawValue), \(bind: hash), \(bind: try encode(key)), NULL)
            """).run()
    }

    func findKey(hash: String) async throws -> APIKey? {
        try await db.raw("SELECT doc FROM api_keys WHERE hash = \(bind: hash)").first()
            .map { try decode(APIKey.self, try $0.decode(column: "doc", as: String.self)) }
    }

    func key(id: String) async throws -> APIKey? {
        try await db.raw("SELECT doc FROM api_keys WHERE id = \(bind: id)").first()
            .map { try decode(APIKey.self, try $0.decode(column: "doc", as: String.self)) }
    }

    func listKeys(page: PageRequest) async throws -> [APIKey] {
        try await db.raw("""
            SELECT doc FROM api_keys WHERE id > \(bind: page.cursor?.after ?? "") ORDER BY id LIMIT \(bind: page.limit)
            """).all().map { try decode(APIKey.self, try $0.decode(column: "doc", as: String.self)) }
    }

    func revokeKey(_ id: String, at: String) async throws -> Bool {
        guard let row = try await db.raw("SELECT doc FROM api_keys WHERE id = \(bind: id)").first() else { return false }
        var key = try decode(APIKey.self, try row.decode(column: "doc", as: String.self))
        if key.revokedAt != nil { return true }
        key.revokedAt = at
        try await db.raw("UPDATE api_keys SET doc = \(bind: try encode(key)), revoked_at = \(bind: at) WHERE id = \(bind: id)").run()
        return true
    }

    // MARK: Idempotency

    func idempotentResponse(principal: String, key: String) async throws -> (fingerprint: String, response: StoredResponse)? {
        guard let row = try await db.raw("""
            SELECT fingerprint, status, body FROM idempotency_keys WHERE principal = \(bind: principal) AND key = \(bind: key)
            """).first() else { return nil }
        return (try row.decode(column: "fingerprint", as: String.self),
                StoredResponse(status: try row.decode(column: "status", as: Int.self),
                               body: Data(try row.decode(column: "body", as: String.self).utf8)))
    }

    func saveIdempotentResponse(principal: String, key: String, fingerprint: String, response: StoredResponse, at: String) async throws {
        try await db.raw("""
            INSERT INTO idempotency_keys (principal, key, fingerprint, status, body, created_at)
            VALUES (\(bind: principal), \(bind: key), \(bind: fingerprint), \(bind: response.status),
                    \(bind: String(decoding: response.body, as: UTF8.self)), \(bind: at))
            """).run()
    }

    func deleteIdempotentResponses(before instant: String) async throws -> Int {
        try await db.raw("DELETE FROM idempotency_keys WHERE created_at < \(bind: instant) RETURNING key").all().count
    }
}
