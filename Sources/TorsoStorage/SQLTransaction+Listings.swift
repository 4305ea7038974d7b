import Catalog
import Foundation
import Publishing
import SQLKit
import TorsoKit

/// Channel listings: published and scheduled copies and their projected facts.
extension SQLTransaction: ListingRepository {
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
            SELECT \(Self.listingColumns) FROM channel_listings WHERE scheduled_at > '' AND scheduled_at <= \(bind: now)
            ORDER BY product_id, channel\(dialect == .postgres ? " FOR UPDATE" as SQLQueryString : "")
            """).all().map(listing)
    }

    func nextScheduledTime() async throws -> String? {
        let row = try await db.raw("SELECT MIN(scheduled_at) AS next FROM channel_listings").first()
        return try row.flatMap { try $0.decodeNil(column: "next") ? nil : $0.decode(column: "next", as: String.self) }
    }

    func scheduledPublications(limit: Int) async throws -> [(productId: String, channel: String, at: String)] {
        // A range on the index (`IS NOT NULL` walked the whole table with the bundled SQLite).
        try await db.raw("""
            SELECT product_id, channel, scheduled_at FROM channel_listings WHERE scheduled_at > ''
            ORDER BY scheduled_at LIMIT \(bind: limit)
            """).all().map { row in
            (try row.decode(column: "product_id", as: String.self), try row.decode(column: "channel", as: String.self),
             try row.decode(column: "scheduled_at", as: String.self))
        }
    }
}
