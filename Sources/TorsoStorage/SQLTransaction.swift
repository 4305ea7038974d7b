import Access
import Catalog
import Commerce
import Foundation
import Publishing
import SQLKit
import Synchronization
import TorsoKit
import Workflows

/// ``StoreTransaction`` over one SQL connection. Every resource is a JSON document in the
/// table named after its collection; lists, claims and history have tables of their own.
struct SQLTransaction: StoreTransaction {
    let db: any SQLDatabase
    let dialect: SQLStore.Dialect
    /// The node whose events this transaction appends.
    let origin: String
    /// Set when the transaction appends an event, so the store signals the commit.
    var appended: EventMark? = nil

    private static func table<R: StoredResource>(_ type: R.Type) -> String {
        R.collection.replacingOccurrences(of: "-", with: "_")
    }

    private func decode<R: Decodable>(_ type: R.Type, _ text: String) throws -> R {
        try JSONCoding.decode(R.self, bytes: text.utf8)
    }

    private func encode(_ value: some Encodable) throws -> String {
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

    // MARK: Unique claims

    func conflictingClaims(_ claims: [UniqueClaim], excluding owner: String) async throws -> [UniqueClaim: String] {
        guard !claims.isEmpty else { return [:] }
        let wanted = Set(claims)
        var result: [UniqueClaim: String] = [:]
        let values = Array(Set(claims.map(\.value)))
        for chunk in stride(from: 0, to: values.count, by: 500) {
            let part = Array(values[chunk..<min(chunk + 500, values.count)])
            let rows = try await db.raw("""
                SELECT namespace, value, owner FROM claims WHERE value IN (\(binds: part)) AND owner <> \(bind: owner)
                """).all()
            for row in rows {
                let claim = UniqueClaim(namespace: try row.decode(column: "namespace", as: String.self),
                                        value: try row.decode(column: "value", as: String.self))
                if wanted.contains(claim) { result[claim] = try row.decode(column: "owner", as: String.self) }
            }
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
        if !fresh { try await db.raw("DELETE FROM product_categories WHERE product_id = \(bind: product.key)").run() }
        guard !product.categories.isEmpty else { return }
        let rows = Set(product.categories).map { category -> SQLQueryString in
            "(\(bind: category.rawValue), \(bind: product.key))"
        }
        try await db.raw("INSERT INTO product_categories (category_id, product_id) VALUES \(rows.joined(separator: ", "))").run()
    }

    func unindexProduct(_ id: String) async throws {
        try await db.raw("DELETE FROM product_categories WHERE product_id = \(bind: id)").run()
    }

    func listProducts(_ filter: ProductFilter, page: PageRequest) async throws -> [Product] {
        var query: SQLQueryString = "SELECT doc FROM products WHERE key > \(bind: page.cursor?.after ?? "")"
        if let text = filter.query {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            query += " AND search_text LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"
        }
        if let type = filter.productType { query += " AND product_type = \(bind: type)" }
        if let categories = filter.categories {
            query += " AND key IN (SELECT product_id FROM product_categories WHERE category_id IN (\(binds: categories)))"
        }
        query += " ORDER BY key LIMIT \(bind: page.limit)"
        return try await db.raw(query).all().map { try decode(Product.self, try $0.decode(column: "doc", as: String.self)) }
    }

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
                    \(bind: try encode(entry.actor)), \(bind: Self.changesJSON(entry.changes)))
            """).run()
    }

    /// The changes as JSON, written directly (the same bytes `JSONEncoder` would give).
    static func changesJSON(_ changes: [FieldChange]) -> String {
        let value = JSONValue.array(changes.map { change in
            var members: [String: JSONValue] = ["path": .string(change.path)]
            if let from = change.from { members["from"] = from }
            if let to = change.to { members["to"] = to }
            return .object(members)
        })
        return String(decoding: value.jsonBytes(), as: UTF8.self)
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

    // MARK: Channel listings

    private static let listingColumns: SQLQueryString = """
        product_id, channel, visible, live_version, live_at, live_doc, scheduled_version, scheduled_at, scheduled_doc
        """

    private func listing(_ row: any SQLRow) throws -> ChannelListing {
        var cache: [String: Product] = [:]
        return try listing(row, cache: &cache)
    }

    /// Decodes a listing row; documents already in `cache` (by product and version) are reused.
    private func listing(_ row: any SQLRow, cache: inout [String: Product]) throws -> ChannelListing {
        let productId = try row.decode(column: "product_id", as: String.self)
        func publication(_ prefix: String) throws -> ChannelListing.Publication? {
            guard let version = try row.decodeNil(column: prefix + "_version") ? nil : row.decode(column: prefix + "_version", as: Int.self)
            else { return nil }
            let key = "\(productId)#\(version)"
            let text = try row.decode(column: prefix + "_doc", as: String.self)
            let product = try cache[key] ?? decode(Product.self, text)
            cache[key] = product
            return ChannelListing.Publication(version: version, at: try row.decode(column: prefix + "_at", as: String.self), product: product, text: text)
        }
        return ChannelListing(
            productId: productId,
            channel: try row.decode(column: "channel", as: String.self),
            visibleInListings: try row.decode(column: "visible", as: Int.self) != 0,
            live: try publication("live"), scheduled: try publication("scheduled"))
    }

    func listings(ofProducts ids: [String]) async throws -> [ChannelListing] {
        guard !ids.isEmpty else { return [] }
        return try await db.raw("SELECT \(Self.listingColumns) FROM channel_listings WHERE product_id IN (\(binds: ids))")
            .all().map(listing)
    }

    func listingRecords(afterProduct productId: String, limit: Int) async throws -> [ListingRecord] {
        let rows = try await db.raw("""
            SELECT l.product_id, l.channel, l.visible, l.live_version, l.live_at, l.scheduled_version, l.scheduled_at,
                   f.version AS facts_version, f.at AS facts_at, f.settings_version AS facts_settings, f.facts
            FROM channel_listings l LEFT JOIN listing_facts f ON f.product_id = l.product_id AND f.channel = l.channel
            WHERE l.product_id IN (
                SELECT DISTINCT product_id FROM channel_listings WHERE product_id > \(bind: productId) ORDER BY product_id LIMIT \(bind: limit))
            ORDER BY l.product_id, l.channel
            """).all()
        return try rows.map { row in
            func document(_ prefix: String) throws -> ListingRecord.Document? {
                guard !(try row.decodeNil(column: prefix + "_version")) else { return nil }
                return ListingRecord.Document(version: try row.decode(column: prefix + "_version", as: Int.self),
                                              at: try row.decode(column: prefix + "_at", as: String.self),
                                              text: nil)
            }
            return ListingRecord(productId: try row.decode(column: "product_id", as: String.self),
                                 channel: try row.decode(column: "channel", as: String.self),
                                 visibleInListings: try row.decode(column: "visible", as: Int.self) != 0,
                                 live: try document("live"), scheduled: try document("scheduled"),
                                 facts: try row.decodeNil(column: "facts") ? nil : ListingRecord.Facts(
                                    version: try row.decode(column: "facts_version", as: Int.self),
                                    at: try row.decode(column: "facts_at", as: String.self),
                                    settingsVersion: try row.decode(column: "facts_settings", as: Int.self),
                                    text: try row.decode(column: "facts", as: String.self)))
        }
    }

    func publishedDocument(productId: String, channel: String, version: Int) async throws -> String? {
        guard let row = try await db.raw("""
            SELECT live_version, live_doc, scheduled_version, scheduled_doc FROM channel_listings
            WHERE product_id = \(bind: productId) AND channel = \(bind: channel)
            """).first() else { return nil }
        if try row.decode(column: "scheduled_version", as: Int?.self) == version { return try row.decode(column: "scheduled_doc", as: String?.self) }
        return try row.decode(column: "live_doc", as: String?.self)
    }

    func saveListingFacts(_ facts: [(productId: String, channel: String, facts: ListingRecord.Facts)]) async throws {
        for chunk in stride(from: 0, to: facts.count, by: 100).map({ facts[$0..<min(facts.count, $0 + 100)] }) {
            let keys = chunk.map { "(\(bind: $0.productId), \(bind: $0.channel))" as SQLQueryString }
            try await db.raw("DELETE FROM listing_facts WHERE (product_id, channel) IN (VALUES \(keys.joined(separator: ", ")))").run()
            let rows = chunk.map { entry -> SQLQueryString in
                "(\(bind: entry.productId), \(bind: entry.channel), \(bind: entry.facts.version), \(bind: entry.facts.at), \(bind: entry.facts.settingsVersion), \(bind: entry.facts.text))"
            }
            try await db.raw("""
                INSERT INTO listing_facts (product_id, channel, version, at, settings_version, facts) VALUES \(rows.joined(separator: ", "))
                """).run()
        }
    }

    func saveListing(_ listing: ChannelListing) async throws {
        try await deleteListing(productId: listing.productId, channel: listing.channel)
        let live = try listing.live.map { ($0.version, $0.at, try encode($0.product)) }
        let scheduled = try listing.scheduled.map { ($0.version, $0.at, try encode($0.product)) }
        try await db.raw("""
            INSERT INTO channel_listings (\(Self.listingColumns)) VALUES (
                \(bind: listing.productId), \(bind: listing.channel), \(bind: listing.visibleInListings ? 1 : 0),
                \(bind: live?.0), \(bind: live?.1), \(bind: live?.2),
                \(bind: scheduled?.0), \(bind: scheduled?.1), \(bind: scheduled?.2))
            """).run()
    }

    func deleteListing(productId: String, channel: String) async throws {
        try await db.raw("DELETE FROM channel_listings WHERE product_id = \(bind: productId) AND channel = \(bind: channel)").run()
    }

    func dueListings(asOf now: String) async throws -> [ChannelListing] {
        try await db.raw("""
            SELECT \(Self.listingColumns) FROM channel_listings WHERE scheduled_at IS NOT NULL AND scheduled_at <= \(bind: now)
            ORDER BY product_id, channel\(dialect == .postgres ? " FOR UPDATE" as SQLQueryString : "")
            """).all().map(listing)
    }

    func nextScheduledTime() async throws -> String? {
        let row = try await db.raw("SELECT MIN(scheduled_at) AS next FROM channel_listings").first()
        return try row.flatMap { try $0.decodeNil(column: "next") ? nil : $0.decode(column: "next", as: String.self) }
    }

    // MARK: Stock

    func replaceStock(productId: String, levels: [(variant: String, location: String, onHand: Int)], fresh: Bool) async throws {
        if !fresh { try await db.raw("DELETE FROM stock_levels WHERE product_id = \(bind: productId)").run() }
        guard !levels.isEmpty else { return }
        let rows = levels.map { level -> SQLQueryString in
            "(\(bind: level.variant), \(bind: level.location), \(bind: productId), \(bind: level.onHand))"
        }
        try await db.raw("INSERT INTO stock_levels (variant_id, location, product_id, on_hand) VALUES \(rows.joined(separator: ", "))").run()
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
}

/// Remembers that a transaction appended events.
final class EventMark: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}
