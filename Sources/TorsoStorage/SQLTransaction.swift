import Catalog
import Foundation
import SQLKit
import Synchronization
import TorsoKit

/// Every repository over one SQL connection, inside one transaction. Every resource is a JSON
/// document in the table named after its collection; lists, claims, history, stock, carts,
/// orders, customers, events and webhooks have tables of their own. Extensions implement one
/// module's repositories each; ``SQLRepositories`` hands them out.
final class SQLTransaction: DocumentRepository, CounterRepository {
    let db: any SQLDatabase
    let dialect: SQLStore.Dialect
    /// The node whose events this transaction appends.
    let origin: String
    /// Set when the transaction appends an event, so the store signals the commit.
    let appended: EventMark?

    init(db: any SQLDatabase, dialect: SQLStore.Dialect, origin: String, appended: EventMark? = nil) {
        self.db = db
        self.dialect = dialect
        self.origin = origin
        self.appended = appended
    }

    static func table<R: StoredResource>(_ type: R.Type) -> String {
        R.collection.replacingOccurrences(of: "-", with: "_")
    }

    func decode<R: Decodable>(_ type: R.Type, _ text: String) throws -> R {
        try JSONCoding.decode(R.self, bytes: text.utf8)
    }

    func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.encode(value), as: UTF8.self)
    }

    // MARK: Documents

    func fetch<R: StoredResource>(_ type: R.Type, key: String) async throws -> R? {
        let row = try await db.raw("SELECT doc FROM \(ident: Self.table(R.self)) WHERE key = \(bind: key)").first()
        return try row.map { try decode(R.self, try $0.decode(column: "doc", as: String.self)) }
    }

    func fetchAll<R: StoredResource>(_ type: R.Type) async throws -> [R] {
        try await db.raw("SELECT doc FROM \(ident: Self.table(R.self)) ORDER BY key").all()
            .map { try decode(R.self, try $0.decode(column: "doc", as: String.self)) }
    }

    func list<R: StoredResource>(_ type: R.Type, page: PageRequest) async throws -> [R] {
        let after = page.cursor?.after ?? ""
        return try await db.raw("""
            SELECT doc FROM \(ident: Self.table(R.self)) WHERE key > \(bind: after) ORDER BY key LIMIT \(bind: page.limit)
            """).all().map { try decode(R.self, try $0.decode(column: "doc", as: String.self)) }
    }

    func insert<R: StoredResource>(_ resource: R, document: Data) async throws {
        // Products get server-made, unique IDs; settings are keyed by the client's code.
        if !(resource is Product), try await db.raw("SELECT 1 AS found FROM \(ident: Self.table(R.self)) WHERE key = \(bind: resource.key)").first() != nil {
            throw DomainError(.conflict, code: "already_exists", detail: "A \(R.kind) '\(resource.key)' already exists.")
        }
        var columns: SQLQueryString = ""
        var values: SQLQueryString = ""
        if let product = resource as? Product {
            columns = ", product_type, search_text"
            values = ", \(bind: product.productType), \(bind: product.searchText)"
        }
        try await db.raw("""
            INSERT INTO \(ident: Self.table(R.self)) (key, version, doc, created_at, updated_at\(columns))
            VALUES (\(bind: resource.key), \(bind: resource.version), \(bind: String(decoding: document, as: UTF8.self)),
                    \(bind: resource.createdAt), \(bind: resource.updatedAt)\(values))
            """).run()
    }

    func replace<R: StoredResource>(_ resource: R, expectedVersion: Int) async throws -> Bool {
        var extra: SQLQueryString = ""
        if let product = resource as? Product {
            extra = ", product_type = \(bind: product.productType), search_text = \(bind: product.searchText)"
        }
        let rows = try await db.raw("""
            UPDATE \(ident: Self.table(R.self))
            SET version = \(bind: resource.version), doc = \(bind: try encode(resource)), updated_at = \(bind: resource.updatedAt)\(extra)
            WHERE key = \(bind: resource.key) AND version = \(bind: expectedVersion)
            RETURNING key
            """).all()
        return !rows.isEmpty
    }

    func delete<R: StoredResource>(_ type: R.Type, key: String) async throws {
        try await db.raw("DELETE FROM \(ident: Self.table(R.self)) WHERE key = \(bind: key)").run()
    }

    // MARK: Settings counter

    func settingsVersion() async throws -> Int {
        try await db.raw("SELECT value FROM meta WHERE key = 'settings_version'").first()?.decode(column: "value", as: Int.self) ?? 0
    }

    func bumpSettingsVersion() async throws {
        try await db.raw("UPDATE meta SET value = value + 1 WHERE key = 'settings_version'").run()
    }

    // MARK: Counters

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
}

/// Remembers that a transaction appended events.
final class EventMark: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}
