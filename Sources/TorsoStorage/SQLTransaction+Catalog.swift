import Catalog
import Foundation
import SQLKit
import TorsoKit

/// Unique claims, the admin product index and history.
extension SQLTransaction: ClaimRepository, ProductIndexRepository, HistoryRepository {
    // MARK: Unique claims

    func conflictingClaims(_ claims: [UniqueClaim], excluding owner: String) async throws -> [UniqueClaim: String] {
        guard !claims.isEmpty else { return [:] }
        let wanted = Set(claims)
        var result: [UniqueClaim: String] = [:]
        // The values travel as one JSON array (one bound parameter, whatever their number).
        let values = Array(Set(claims.map(\.value)))
        let list = String(decoding: JSONValue.array(values.map(JSONValue.string)).jsonBytes(), as: UTF8.self)
        let source: SQLQueryString = dialect == .postgres ? "SELECT json_array_elements_text(\(bind: list)::json)" : "SELECT value FROM json_each(\(bind: list))"
        for row in try await db.raw("SELECT namespace, value, owner FROM claims WHERE value IN (\(source)) AND owner <> \(bind: owner)").all() {
            let claim = UniqueClaim(namespace: try row.decode(column: "namespace", as: String.self), value: try row.decode(column: "value", as: String.self))
            if wanted.contains(claim) { result[claim] = try row.decode(column: "owner", as: String.self) }
        }
        return result
    }

    func replaceClaims(_ claims: [UniqueClaim], owner: String, fresh: Bool) async throws {
        if !fresh { try await db.raw("DELETE FROM claims WHERE owner = \(bind: owner)").run() }
        let unique = Array(Set(claims))
        for chunk in stride(from: 0, to: unique.count, by: 300) {
            let rows = unique[chunk..<min(chunk + 300, unique.count)].map { claim -> SQLQueryString in
                "(\(bind: claim.namespace), \(bind: claim.value), \(bind: owner))"
            }
            try await db.raw("INSERT INTO claims (namespace, value, owner) VALUES \(rows.joined(separator: ", "))").run()
        }
    }

    func claimOwner(_ claim: UniqueClaim) async throws -> String? {
        try await db.raw("SELECT owner FROM claims WHERE namespace = \(bind: claim.namespace) AND value = \(bind: claim.value)")
            .first()?.decode(column: "owner", as: String.self)
    }

    // MARK: Product index

    func indexProduct(_ product: Product, fresh: Bool) async throws {
        if !fresh {
            try await db.raw("DELETE FROM product_categories WHERE product_id = \(bind: product.key)").run()
            try await db.raw("DELETE FROM variants WHERE product_id = \(bind: product.key)").run()
        }
        try await Self.indexVariants(of: product, in: db)
        guard !product.categories.isEmpty else { return }
        let rows = Set(product.categories).map { category -> SQLQueryString in
            "(\(bind: category.rawValue), \(bind: product.key))"
        }
        try await db.raw("INSERT INTO product_categories (category_id, product_id) VALUES \(rows.joined(separator: ", "))").run()
    }

    func unindexProduct(_ id: String) async throws {
        try await db.raw("DELETE FROM product_categories WHERE product_id = \(bind: id)").run()
        try await db.raw("DELETE FROM variants WHERE product_id = \(bind: id)").run()
    }

    func listProducts(_ filter: ProductFilter, page: PageRequest) async throws -> [Product] {
        var query: SQLQueryString = "SELECT doc FROM products WHERE key > \(bind: page.cursor?.after ?? "")"
        if let text = filter.query {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            query += " AND search_text LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"
        }
        if let through = filter.through { query += " AND key <= \(bind: through)" }
        if let type = filter.productType { query += " AND product_type = \(bind: type)" }
        if let categories = filter.categories {
            query += " AND key IN (SELECT product_id FROM product_categories WHERE category_id IN (\(binds: categories)))"
        }
        switch filter.publication {
        case .live(let channel)?:
            query += " AND EXISTS (\(Self.liveOn) AND l.channel = \(bind: channel))"
        case .notLive(let channel)?:
            query += " AND NOT EXISTS (\(Self.liveOn) AND l.channel = \(bind: channel))"
        case .staged?:
            query += " AND EXISTS (\(Self.liveOn) AND l.live_version < products.version)"
        case .scheduled?:
            query += " AND EXISTS (SELECT 1 FROM channel_listings l WHERE l.product_id = products.key AND l.scheduled_version IS NOT NULL)"
        case nil: break
        }
        // Correlated: the walk in key order stops at the page's end, each row a look-up by index.
        if let stocked = filter.stocked {
            query += " AND \(unsafeRaw: stocked ? "" : "NOT ")EXISTS (SELECT 1 FROM stock_levels s WHERE s.product_id = products.key AND s.on_hand > 0)"
        }
        query += " ORDER BY key LIMIT \(bind: page.limit)"
        return try await db.raw(query).all().map { try decode(Product.self, try $0.decode(column: "doc", as: String.self)) }
    }

    func productKey(after key: String, offset: Int) async throws -> String? {
        try await db.raw("SELECT key FROM products WHERE key > \(bind: key) ORDER BY key LIMIT 1 OFFSET \(bind: offset)")
            .first()?.decode(column: "key", as: String.self)
    }

    /// The start of a sub-query for a product's live listings.
    static let liveOn = SQLQueryString("SELECT 1 FROM channel_listings l WHERE l.product_id = products.key AND l.live_version IS NOT NULL")

    func countProducts(productType: String) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM products WHERE product_type = \(bind: productType)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func countProducts(category: String) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM product_categories WHERE category_id = \(bind: category)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func existingCategories(_ ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return Set(try await db.raw("SELECT key FROM categories WHERE key IN (\(binds: Array(Set(ids))))").all()
            .map { try $0.decode(column: "key", as: String.self) })
    }

    // MARK: History

    func appendHistory(_ entry: HistoryEntry) async throws {
        try await db.raw("""
            INSERT INTO history (resource, version, action, at, actor, changes)
            VALUES (\(bind: entry.resource), \(bind: entry.version), \(bind: entry.action), \(bind: entry.at),
                    \(bind: try encode(entry.actor)), \(bind: FieldChange.json(entry.changes)))
            """).run()
    }

    func history(of key: String, page: PageRequest) async throws -> [HistoryEntry] {
        let after = page.cursor.flatMap { Int($0.after) } ?? 0
        return try await db.raw("""
            SELECT resource, version, action, at, actor, changes FROM history
            WHERE resource = \(bind: key) AND version > \(bind: after) ORDER BY version LIMIT \(bind: page.limit)
            """).all().map { row in
            HistoryEntry(
                resource: try row.decode(column: "resource", as: String.self),
                version: try row.decode(column: "version", as: Int.self),
                action: try row.decode(column: "action", as: String.self),
                at: try row.decode(column: "at", as: String.self),
                actor: try decode(HistoryEntry.Actor.self, try row.decode(column: "actor", as: String.self)),
                changes: try decode([FieldChange].self, try row.decode(column: "changes", as: String.self)))
        }
    }

    /// Writes a product's rows of the variant index (ID, SKU, backorders), which the inventory
    /// reads; also used to index products saved before the index existed.
    static func indexVariants(of product: Product, in db: any SQLDatabase) async throws {
        guard !product.variants.isEmpty else { return }
        let rows = product.variants.map { variant -> SQLQueryString in
            let backorder = variant.allowsBackorder ? 1 : 0
            return "(\(bind: variant.id.rawValue), \(bind: variant.sku), \(bind: product.key), \(bind: backorder))"
        }
        try await db.raw("INSERT INTO variants (id, sku, product_id, allow_backorder) VALUES \(rows.joined(separator: ", "))").run()
    }
}
