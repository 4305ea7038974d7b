import Catalog
import Foundation
import SQLKit
import TorsoKit

/// The writes of many documents at once, for an import's batch: multi-row statements in
/// chunks that stay under both databases' limits on bound parameters (SQLite's 32,766,
/// PostgreSQL's 65,535), so a batch of 250 products costs a handful of statements, not
/// thousands.
extension SQLTransaction {
    /// Rows per multi-row INSERT.
    static let bulkRows = 400

    func fetchMany<R: StoredResource>(_ type: R.Type, keys: [String]) async throws -> [R] {
        let unique = Array(Set(keys))
        var found: [R] = []
        for start in stride(from: 0, to: unique.count, by: Self.bulkRows) {
            let part = Array(unique[start..<min(unique.count, start + Self.bulkRows)])
            found += try await db.raw("SELECT doc FROM \(ident: Self.table(R.self)) WHERE key IN (\(binds: part))").all()
                .map { try decode(R.self, try $0.decode(column: "doc", as: String.self)) }
        }
        return found
    }

    func versions<R: StoredResource>(_ type: R.Type, keys: [String]) async throws -> [String: Int] {
        let unique = Array(Set(keys))
        var found: [String: Int] = [:]
        for start in stride(from: 0, to: unique.count, by: Self.bulkRows) {
            let part = Array(unique[start..<min(unique.count, start + Self.bulkRows)])
            for row in try await db.raw("SELECT key, version FROM \(ident: Self.table(R.self)) WHERE key IN (\(binds: part))").all() {
                found[try row.decode(column: "key", as: String.self)] = try row.decode(column: "version", as: Int.self)
            }
        }
        return found
    }

    func insertMany<R: StoredResource>(_ resources: [(resource: R, document: Data)]) async throws {
        for start in stride(from: 0, to: resources.count, by: Self.bulkRows) {
            let rows = resources[start..<min(resources.count, start + Self.bulkRows)].map { item -> SQLQueryString in
                let resource = item.resource
                var row: SQLQueryString = """
                    (\(bind: resource.key), \(bind: resource.version), \(bind: String(decoding: item.document, as: UTF8.self)),
                     \(bind: resource.createdAt), \(bind: resource.updatedAt)
                    """
                if let product = resource as? Product { row += ", \(bind: product.productType), \(bind: product.searchText)" }
                return row + ")"
            }
            let columns: SQLQueryString = R.self == Product.self ? ", product_type, search_text" : ""
            try await db.raw("""
                INSERT INTO \(ident: Self.table(R.self)) (key, version, doc, created_at, updated_at\(columns)) VALUES \(rows.joined(separator: ", "))
                """).run()
        }
    }

    func replaceClaims(_ entries: [(owner: String, claims: [UniqueClaim], fresh: Bool)]) async throws {
        try await deleteOwned(by: entries.filter { !$0.fresh }.map(\.owner), from: "claims", column: "owner")
        var rows: [[JSONValue]] = []
        for entry in entries {
            for claim in Set(entry.claims) { rows.append([.string(claim.namespace), .string(claim.value), .string(entry.owner)]) }
        }
        try await insertJSONRows(into: "claims", [.text("namespace"), .text("value"), .text("owner")], rows: rows)
    }

    func indexProducts(_ products: [Product], fresh: Set<String>) async throws {
        let replaced = products.map(\.key).filter { !fresh.contains($0) }
        try await deleteOwned(by: replaced, from: "product_categories", column: "product_id")
        try await deleteOwned(by: replaced, from: "variants", column: "product_id")
        var variants: [[JSONValue]] = []
        var categories: [[JSONValue]] = []
        for product in products {
            for variant in product.variants {
                let backorder = variant.allowsBackorder ? 1 : 0
                variants.append([.string(variant.id.rawValue), .string(variant.sku), .string(product.key), .number(Double(backorder))])
            }
            for category in Set(product.categories) { categories.append([.string(category.rawValue), .string(product.key)]) }
        }
        try await insertJSONRows(into: "variants", [.text("id"), .text("sku"), .text("product_id"), .bigint("allow_backorder")], rows: variants)
        try await insertJSONRows(into: "product_categories", [.text("category_id"), .text("product_id")], rows: categories)
    }

    func appendHistory(_ entries: [EncodedHistoryEntry]) async throws {
        var rows: [SQLQueryString] = []
        rows.reserveCapacity(entries.count)
        for entry in entries {
            rows.append("""
                (\(bind: entry.resource), \(bind: entry.version), \(bind: entry.action), \(bind: entry.at),
                 \(bind: entry.actor), \(bind: entry.changes))
                """)
        }
        try await insertRows(rows, into: "history (resource, version, action, at, actor, changes)")
    }

    /// Inserts rows in chunks of ``bulkRows``.
    private func insertRows(_ rows: [SQLQueryString], into table: SQLQueryString) async throws {
        for start in stride(from: 0, to: rows.count, by: Self.bulkRows) {
            try await db.raw("INSERT INTO \(table) VALUES \(rows[start..<min(rows.count, start + Self.bulkRows)].joined(separator: ", "))").run()
        }
    }

    /// Deletes the rows of `table` whose `column` is one of `owners`.
    private func deleteOwned(by owners: [String], from table: String, column: String) async throws {
        for start in stride(from: 0, to: owners.count, by: Self.bulkRows) {
            let part = Array(owners[start..<min(owners.count, start + Self.bulkRows)])
            try await db.raw("DELETE FROM \(ident: table) WHERE \(ident: column) IN (\(binds: part))").run()
        }
    }
}
