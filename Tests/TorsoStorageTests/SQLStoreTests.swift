import Catalog
import Channels
import Foundation
import Testing
import TorsoApp
import TorsoKit
import TorsoStorage
import TorsoTestSupport
import Workflows

struct Boom: Error {}

/// The store's guarantees, on the backend chosen by TORSO_TEST_DATABASE (SQLite by default).
@Suite struct SQLStoreTests {
    let context = WriteContext(actor: .init(keyId: "test", name: "storage tests"))

    @Test func aThrowingTransactionLeavesNothingBehind() async throws {
        try await TestDatabase.withServices { services in
            // Given
            try await Fixtures.loadSettings(services)
            let product = try JSONCoding.decoder().decode(Product.self, from: Data(Fixtures.productBody("a").utf8))
            // When
            await #expect(throws: Boom.self) {
                try await services.store.transaction { tx in
                    try await tx.documents.insert(product, document: try JSONCoding.encoder().encode(product))
                    try await tx.claims.replaceClaims([UniqueClaim(namespace: "sku", value: "SKU-a-0")], owner: product.key, fresh: true)
                    try await tx.products.indexProduct(product, fresh: true)
                    throw Boom()
                }
            }
            // Then
            let found = try await services.store.read { tx in
                (try await tx.documents.fetch(Product.self, key: product.key), try await tx.claims.claimOwner(UniqueClaim(namespace: "sku", value: "SKU-a-0")))
            }
            #expect(found.0 == nil)
            #expect(found.1 == nil)
        }
    }

    @Test func concurrentTransactionsCommitOrRollBackOneByOne() async throws {
        try await TestDatabase.withServices { services in
            // Given: 30 concurrent transactions (SQLite commits them in shared batches); every third fails after writing
            let codes = (0..<30).map { "l\($0)" }
            // When
            let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
                for (index, code) in codes.enumerated() {
                    group.addTask {
                        do {
                            try await services.store.transaction { tx in
                                try await tx.claims.replaceClaims([UniqueClaim(namespace: "test", value: code)], owner: code, fresh: true)
                                if index % 3 == 0 { throw Boom() }
                            }
                            return (code, true)
                        } catch {
                            return (code, false)
                        }
                    }
                }
                return await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
            }
            // Then: exactly the transactions that returned normally left their writes
            for code in codes {
                let owner = try await services.store.read { try await $0.claims.claimOwner(UniqueClaim(namespace: "test", value: code)) }
                #expect((owner != nil) == outcomes[code]!, "\(code)")
            }
            #expect(outcomes.values.filter { $0 }.count == 20)
        }
    }

    @Test func replaceRefusesAStaleVersion() async throws {
        try await TestDatabase.withServices { services in
            // Given
            let locale = ContentLocaleBody.make()
            try await services.store.transaction { try await $0.documents.insert(locale, document: try JSONCoding.encoder().encode(locale)) }
            var next = locale
            next.version = 2
            let changed = next
            // When
            let first = try await services.store.transaction { try await $0.documents.replace(changed, expectedVersion: 1) }
            let second = try await services.store.transaction { try await $0.documents.replace(changed, expectedVersion: 1) }
            // Then
            #expect(first)
            #expect(!second)
        }
    }

    @Test func claimsReportOtherOwnersOnly() async throws {
        try await TestDatabase.withServices { services in
            let sku = UniqueClaim(namespace: "sku", value: "A-1")
            let slug = UniqueClaim(namespace: "product_slug:en-US", value: "A-1")
            try await services.store.transaction { try await $0.claims.replaceClaims([sku, slug], owner: "prod_a", fresh: true) }
            let conflicts = try await services.store.read { tx in
                (try await tx.claims.conflictingClaims([sku, UniqueClaim(namespace: "sku", value: "B-1")], excluding: "prod_b"),
                 try await tx.claims.conflictingClaims([sku, slug], excluding: "prod_a"))
            }
            #expect(conflicts.0 == [sku: "prod_a"])
            #expect(conflicts.1.isEmpty)
        }
    }

    @Test func migrationsRunOnce() async throws {
        let database = try await TestDatabase.make()
        let store = try await SQLStore.open(database.url)
        let migrator = Migrator(store: store)
        #expect(try await migrator.pending().map(\.id) == Migrations.all.map(\.id))
        #expect(try await migrator.migrate() == Migrations.all.map(\.id))
        #expect(try await migrator.migrate().isEmpty)
        #expect(try await migrator.pending().isEmpty)
        await store.close()
        await database.cleanup()
    }

    @Test func settingsChangesMoveTheCounter() async throws {
        try await TestDatabase.withServices { services in
            let before = try await services.store.read { try await $0.documents.settingsVersion() }
            _ = try await services.locales.create(try JSONCoding.parse(Data(#"{"code":"fr-FR","name":"Français"}"#.utf8)), context: context)
            let after = try await services.store.read { try await $0.documents.settingsVersion() }
            #expect(after == before + 1)
        }
    }

    @Test func concurrentCreatesWithTheSameSkuYieldOneProduct() async throws {
        try await TestDatabase.withServices { services in
            // Given: ten different products that all claim the same SKU
            try await Fixtures.loadSettings(services)
            let bodies = try (0..<10).map { index in
                try JSONCoding.parse(Data(Fixtures.productBody("race\(index)", variants: 1)
                    .replacingOccurrences(of: "SKU-race\(index)-0", with: "SKU-SHARED").utf8))
            }
            // When
            let outcomes = await withTaskGroup(of: String.self) { group in
                for body in bodies {
                    group.addTask {
                        do {
                            _ = try await services.products.create(body, context: context)
                            return "created"
                        } catch let error as DomainError {
                            return error.errors.first?.code ?? error.code
                        } catch {
                            return "unexpected \(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            // Then
            #expect(outcomes.filter { $0 == "created" }.count == 1)
            #expect(outcomes.filter { $0 == "duplicate_sku" }.count == 9)
            let page = try await services.queries.products(query: nil, productType: nil, category: nil, page: PageRequest(limit: 50))
            #expect(page.data.count == 1)
        }
    }

    @Test func concurrentCreatesAllLand() async throws {
        try await TestDatabase.withServices { services in
            try await Fixtures.loadSettings(services)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        _ = try await services.products.create(try JSONCoding.parse(Data(Fixtures.productBody("p\(index)").utf8)), context: context)
                    }
                }
                try await group.waitForAll()
            }
            let page = try await services.queries.products(query: nil, productType: "tshirt", category: nil, page: PageRequest(limit: 100))
            #expect(page.data.count == 40)
        }
    }

    @Test func sqliteFileKeepsCommittedWritesAcrossReopen() async throws {
        // Given
        let path = TestDatabase.temporaryFile()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let first = try await TorsoServices.open(.sqliteFile(path: path))
        try await Fixtures.loadSettings(first)
        let created = try await first.products.create(try JSONCoding.parse(Data(Fixtures.productBody("kept").utf8)), context: context)
        let id = try JSONCoding.decoder().decode(Product.self, from: created.body).key
        await first.store.close()
        // When
        let second = try await TorsoServices.open(.sqliteFile(path: path))
        // Then
        let product = try await second.products.get(id)
        #expect(product.variants.map(\.sku) == ["SKU-kept-0", "SKU-kept-1", "SKU-kept-2"])
        await second.store.close()
    }
}

/// A locale document for store-level tests.
enum ContentLocaleBody {
    static func make() -> Channels.ContentLocale {
        Channels.ContentLocale(code: LocaleCode("it-IT")!, name: "Italiano", createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z")
    }
}
