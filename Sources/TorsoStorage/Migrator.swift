import Catalog
import SQLKit
import TorsoKit
import Foundation

/// Applies pending ``Migrations`` in order, each in its own transaction, and records them in
/// `schema_migrations`. Several nodes starting at once on PostgreSQL take an advisory lock first.
public struct Migrator: Sendable {
    let store: SQLStore

    /// Creates a migrator for a store.
    public init(store: SQLStore) { self.store = store }

    /// The migrations not yet applied.
    public func pending() async throws -> [Migrations.Migration] {
        let applied = try await store.withDatabase { db in
            try await db.raw("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)").run()
            return Set(try await db.raw("SELECT id FROM schema_migrations").all().map { try $0.decode(column: "id", as: String.self) })
        }
        return Migrations.all.filter { !applied.contains($0.id) }
    }

    /// Applies every pending migration and returns their IDs.
    @discardableResult
    public func migrate() async throws -> [String] {
        _ = try await pending()
        return try await store.rawTransaction { db in
            if store.dialect == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(7402417)").run()
            }
            let applied = Set(try await db.raw("SELECT id FROM schema_migrations").all().map { try $0.decode(column: "id", as: String.self) })
            var done: [String] = []
            for migration in Migrations.all where !applied.contains(migration.id) {
                for statement in migration.statements { try await db.raw(SQLQueryString(statement)).run() }
                if migration.id == "0011_inventory" { try await Self.indexVariantsOfSavedProducts(in: db) }
                try await db.raw("""
                    INSERT INTO schema_migrations (id, applied_at) VALUES (\(bind: migration.id), \(bind: Timestamp.string(Date())))
                    """).run()
                done.append(migration.id)
            }
            return done
        }
    }

    /// Fills the variant index for products saved before it existed, a page at a time.
    static func indexVariantsOfSavedProducts(in db: any SQLDatabase) async throws {
        var after = ""
        while true {
            let rows = try await db.raw("SELECT key, doc FROM products WHERE key > \(bind: after) ORDER BY key LIMIT 500").all()
            for row in rows {
                let product = try JSONCoding.decode(Product.self, bytes: Array(try row.decode(column: "doc", as: String.self).utf8))
                try await SQLTransaction.indexVariants(of: product, in: db)
            }
            guard rows.count == 500, let last = rows.last else { return }
            after = try last.decode(column: "key", as: String.self)
        }
    }
}
