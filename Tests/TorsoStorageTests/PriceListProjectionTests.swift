import Catalog
import Foundation
import Testing
import TorsoApp
import TorsoKit
import TorsoStorage
import TorsoTestSupport
import Workflows

/// Projections restored from stored facts (as at start-up) never bring back a price from before
/// a price list started or ended.
@Suite struct PriceListProjectionTests {
    let context = WriteContext(actor: .init(keyId: "test", name: "price list tests"))

    static let product = """
        {"product_type":"tshirt","slug":{"en-US":"restore"},
         "values":{"name":[{"locale":"en-US","data":"Restore"},{"locale":"de-DE","data":"Restore"}],
                   "description":[{"locale":"en-US","data":"Soft."},{"locale":"de-DE","data":"Weich."}]},
         "variants":[{"sku":"R-1","axes":{"size":"s","color":"red"},"prices":[{"amount":2000,"currency":"EUR"}],
                      "stock":[{"location":"berlin","on_hand":3}]}]}
        """

    @Test func factsStoredBeforeAListStartedAreProjectedAgainAfterItStarts() async throws {
        try await TestDatabase.withServices { services in
            // Given a published product, and a sale on it that starts in a moment
            try await Fixtures.loadSettings(services)
            let created = try await services.products.create(try JSONCoding.parse(Data(Self.product.utf8)), context: context)
            let id = try JSONCoding.decoder().decode(Product.self, from: created.body).key
            _ = try await services.publishing.publish(id, body: .object(["channels": .array([.string("web")])]), context: context)
            let starts = Date().addingTimeInterval(4)  // room for a busy machine (a CI run beside a release build took over 1.5 s)
            _ = try await services.priceLists.create(try JSONCoding.parse(Data("""
                {"code":"soon","currency":"EUR","type":"sale","starts_at":"\(Timestamp.string(starts))","prices":[{"sku":"R-1","amount":1500}]}
                """.utf8)), context: context)
            func shown() throws -> Int64? {
                let snapshot = try #require(services.projections.catalog.snapshot(for: "web"))
                return snapshot.product("restore", locale: snapshot.channel.defaultLocale)?.price
            }
            // and its facts stored while the sale has not started
            try await services.projections.rebuildAllAndStoreFacts()
            #expect(Date() < starts, "the machine was too slow for this test's timing")
            #expect(try shown() == 2_000)
            let records = try await services.store.read { try await $0.listings.listingRecords(afterProduct: "", limit: 10) }
            #expect(records.count == 1 && records.first?.facts != nil)
            // When the projections are rebuilt from the stored facts after the sale started (as at start-up)
            try await Task.sleep(for: .seconds(max(0, starts.timeIntervalSinceNow) + 0.05))
            try await services.projections.rebuildAll()
            // Then the stale facts were not restored: the storefront shows the sale price
            #expect(try shown() == 1_500)
            // and facts stored now are current, so a second rebuild keeps the sale price
            try await services.projections.rebuildAllAndStoreFacts()
            try await services.projections.rebuildAll()
            #expect(try shown() == 1_500)
        }
    }

    @Test func refreshingPricesRepricesOnlyTheProductsOfListsThatStartedOrEnded() async throws {
        try await TestDatabase.withServices { services in
            // Given a published product and a sale on it that starts in a moment
            try await Fixtures.loadSettings(services)
            let created = try await services.products.create(try JSONCoding.parse(Data(Self.product.utf8)), context: context)
            let id = try JSONCoding.decoder().decode(Product.self, from: created.body).key
            _ = try await services.publishing.publish(id, body: .object(["channels": .array([.string("web")])]), context: context)
            let starts = Date().addingTimeInterval(60)
            _ = try await services.priceLists.create(try JSONCoding.parse(Data("""
                {"code":"later","currency":"EUR","type":"sale","starts_at":"\(Timestamp.string(starts))","prices":[{"sku":"R-1","amount":1500}]}
                """.utf8)), context: context)
            let snapshot = { try #require(services.projections.catalog.snapshot(for: "web")) }
            // When nothing started, then when the sale started
            let idle = try await services.projections.refreshPrices(at: Date())
            let generation = try snapshot().generation
            let repriced = try await services.projections.refreshPrices(at: starts.addingTimeInterval(0.01))
            // Then only the start re-projected the product, and the snapshot prices at the new instant
            #expect(idle == 0 && repriced == 1)
            #expect(try snapshot().generation == generation + 1)
            #expect(try snapshot().product(id, locale: snapshot().channel.defaultLocale)?.price == 1_500)
            #expect(try snapshot().projector.pricedAt == starts.addingTimeInterval(0.01))
            #expect(services.projections.nextPriceBoundary(after: Date()) == Timestamp.parse(Timestamp.string(starts)))
        }
    }
}
