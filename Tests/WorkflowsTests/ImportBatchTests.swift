import Catalog
import Exchange
import Foundation
import Synchronization
import Testing
import TorsoApp
import TorsoKit
import TorsoTestSupport
@testable import Workflows

/// The bulk path of an import batch against the one-by-one path, which writes each product as
/// the API does: on the same stored catalog and the same file, both must take and refuse the
/// same products with the same errors, and leave the same documents, claims, history and events.
@Suite struct ImportBatchTests {
    static let header = "product_type,slug-en-US,sku,name-en-US,ean,rating,size,color,categories,stock-berlin"

    @Test func theBulkPathDoesWhatTheOneByOnePathDoesForCSV() async throws {
        try await UseCaseHarness.run { harness in
            try await Self.storedCatalog(harness)
            let file = Self.header + "\n"
                + "tshirt,new-one,N1-S,New one,,3,s,red,tees,5\n"            // new, in a category by slug, with stock
                + ",new-one,N1-M,,,,m,red,,2\n"
                + ",existing-a,,Renamed A,,,,,,\n"                           // an update by slug (no SKU column value)
                + ",,EF-S,F again,,,s,red,,\n"                              // an update by SKU
                + ",existing-b,EC-S,,,,,,,\n"                               // C by SKU takes B's slug: duplicate_slug
                + "tshirt,new-two,N2-S,New two,4006381333931,,s,red,,\n"    // E's EAN: duplicate_value
                + "tshirt,new-three,N3-S,New three,,9,s,red,,\n"            // rating 9: out of range
                + "tshirt,new-four,N4-S,New four,,,s,red,nowhere,\n"        // unknown category slug
                + ",existing-d,D-M,Existing d,,,m,red,,7\n"                 // unchanged but for its stock
                + "tshirt,new-five,N5-S,New five,,,s,red,,\n"
            try await Self.compare(harness, file, format: .csv, bulk: true)
        }
    }

    @Test func theBulkPathDoesWhatTheOneByOnePathDoesForNDJSON() async throws {
        try await UseCaseHarness.run { harness in
            let ids = try await Self.storedCatalog(harness)
            let file = [
                // D loses its variant ED-S (D-M keeps its stock: the one-by-one path inside the bulk batch)
                #"{"id":"\#(ids["D"]!)","variants":[{"sku":"D-M","axes":{"size":"m","color":"red"}}]}"#,
                #"{"product_type":"tshirt","slug":{"en-US":"ndjson-one"},"values":{"name":[{"locale":"en-US","data":"One"}]},"categories":["cat_nothing"],"variants":[{"sku":"J1-S","axes":{"size":"s","color":"red"}}]}"#,
                #"{"product_type":"tshirt","slug":{"en-US":"ndjson-two"},"values":{"name":[{"locale":"en-US","data":"Two"}]},"variants":[{"sku":"J2-S","axes":{"size":"s","color":"red"},"stock":[{"location":"berlin","on_hand":4}]}]}"#,
                #"{"product_type":"tshirt","slug":{"en-US":"ndjson-three"},"values":{"name":[{"locale":"en-US","data":"Three"}]},"variants":[{"sku":"J3-S","axes":{"size":"xl","color":"red"}}]}"#,
            ].joined(separator: "\n")
            try await Self.compare(harness, file, format: .ndjson, bulk: true)
        }
    }

    @Test func productsThatDependOnEachOtherGoOneByOne() async throws {
        try await UseCaseHarness.run { harness in
            try await Self.storedCatalog(harness)
            // The same SKU in two products of the file: the first takes it, the second is refused.
            let twice = Self.header + "\n" + "tshirt,dup-one,DUP-1,Dup one,,,s,red,,\n" + "tshirt,other,OT-1,Other,,,s,red,,\n"
                + "tshirt,dup-two,DUP-1,Dup two,,,s,red,,\n"
            try await Self.compare(harness, twice, format: .csv, bulk: false)
            // A renames its slug and a new product takes A's old slug, in file order.
            let moved = Self.header + "\n" + ",existing-a-renamed,EA-S,,,,,,,\n" + "tshirt,existing-a,NEW-A,New A,,,s,red,,\n"
            try await Self.compare(harness, moved, format: .csv, bulk: false)
        }
    }

    @Test func aPlanMadeBeforeTheWriteIsWrittenOnlyIfWhatItReadStillHolds() async throws {
        try await UseCaseHarness.run { harness in
            try await Self.storedCatalog(harness)
            let services = harness.services
            let (schema, categories) = try await Self.schema(services)
            var reader = DraftReader(format: .csv, locales: schema.locales, channels: schema.channels)
            let file = Self.header + "\n" + "tshirt,planned-one,PL-1,Planned one,,,s,red,,\n" + ",existing-a,EA-S,Renamed A,,,,,,\n"
            let drafts = try reader.read(Array(file.utf8)) + reader.finish()
            let job = ImportJob(format: .csv, mode: .upsert, fileName: "t", path: "/nowhere", bytes: 0, publish: [], maxErrors: nil,
                                actor: "test", at: Timestamp.string(Date()))
            let batch = ImportBatch(products: services.products, job: job, context: harness.context, schema: schema, categories: categories)
            // Given a plan made in a read transaction
            let plan = try #require(try await services.store.read { tx in try await batch.plan(drafts, in: tx) })
            #expect(try await services.store.read { tx in try await batch.stillHolds(plan, in: tx) })
            // When, before it is written, another writer takes its new SKU
            _ = try await services.products.create(try UseCaseHarness.json("""
                {"product_type":"tshirt","slug":{"en-US":"elsewhere"},"values":{"name":[{"locale":"en-US","data":"Elsewhere"}]},
                 "variants":[{"sku":"PL-1","axes":{"size":"s","color":"red"}}]}
                """), context: harness.context)
            // Then the plan no longer holds, and the batch is worked out again in the write transaction
            #expect(try await services.store.read { tx in try await batch.stillHolds(plan, in: tx) } == false)
            let outcome = try await services.store.transaction { tx in try await batch.run(drafts, prepared: .plan(plan), in: tx) }
            #expect(outcome.counts.created == 0 && outcome.counts.updated == 2, "PL-1 now names the other product: \(outcome.counts)")
            let elsewhere = try await services.products.get(try #require(try await services.store.read { tx in
                try await tx.claims.claimOwner(UniqueClaim(namespace: "sku", value: "PL-1"))
            }))
            #expect(elsewhere.slug["en-US"] == "planned-one", "the file's slug went to the product that holds PL-1")
            // And a plan whose lookups were overtaken before its write transaction does not hold there
            let twice = Self.header + "\n" + "tshirt,raced,RC-1,Raced,,,s,red,,\n"
            var again = DraftReader(format: .csv, locales: schema.locales, channels: schema.channels)
            let raced = try again.read(Array(twice.utf8)) + again.finish()
            let lookups = try await services.store.read { tx in try await batch.lookups(raced, in: tx) }
            let worked = try #require(try batch.work(raced, lookups))
            _ = try await services.products.create(try UseCaseHarness.json("""
                {"product_type":"tshirt","slug":{"en-US":"first"},"values":{"name":[{"locale":"en-US","data":"First"}]},
                 "variants":[{"sku":"RC-1","axes":{"size":"s","color":"red"}}]}
                """), context: harness.context)
            let overtaken = try await services.store.read { tx in try await batch.check(worked, lookups, in: tx) }
            #expect(try await services.store.transaction { tx in try await batch.stillHolds(overtaken, in: tx) } == false)
        }
    }

    /// The import schema and category slugs of the stored settings.
    static func schema(_ services: TorsoServices) async throws -> (ImportSchema, [String: String]) {
        try await services.store.read { tx in
            let catalog = try await services.contexts.context(in: tx)
            let slugs = Dictionary(try await tx.documents.fetchAll(Category.self).flatMap { category in
                category.slug.locales.map { (category.slug[$0]!, category.id.rawValue) }
            }, uniquingKeysWith: { first, _ in first })
            return (ImportSchema(attributes: Array(catalog.attributes.values), productTypes: Array(catalog.productTypes.values),
                                 locales: Array(catalog.locales), channels: Array(catalog.channels.keys), locations: Array(catalog.locations)), slugs)
        }
    }

    /// Products A to F in a category `tees`; E holds an EAN. Answers their IDs by letter.
    @discardableResult
    static func storedCatalog(_ harness: UseCaseHarness) async throws -> [String: String] {
        _ = try await harness.services.categories.create(try UseCaseHarness.json(#"{"names":{"en-US":"Tees"},"slug":{"en-US":"tees"}}"#),
                                                         context: harness.context)
        var ids: [String: String] = [:]
        for letter in ["A", "B", "C", "D", "E", "F"] {
            let lower = letter.lowercased()
            let ean = letter == "E" ? #","ean":[{"data":"4006381333931"}]"# : ""
            let created = try await harness.services.products.create(try UseCaseHarness.json("""
                {"product_type":"tshirt","slug":{"en-US":"existing-\(lower)"},
                 "values":{"name":[{"locale":"en-US","data":"Existing \(lower)"}]\(ean)},
                 "variants":[{"sku":"E\(letter)-S","axes":{"size":"s","color":"red"},"prices":[{"amount":1000,"currency":"EUR"}]},
                             {"sku":"\(letter == "D" ? "D" : "E" + letter)-M","axes":{"size":"m","color":"red"},"stock":[{"location":"berlin","on_hand":3}]}]}
                """), context: harness.context)
            ids[letter] = try JSONCoding.parse(created.body).objectValue?["id"]?.stringValue
        }
        return ids
    }

    /// Runs the file's drafts through both paths, each in a transaction that is rolled back,
    /// and expects the same outcome and the same stored state.
    static func compare(_ harness: UseCaseHarness, _ file: String, format: ImportJob.Format, bulk: Bool,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let services = harness.services
        let (schema, categories) = try await Self.schema(services)
        var reader = DraftReader(format: format, locales: schema.locales, channels: schema.channels)
        let drafts = try reader.read(Array(file.utf8)) + reader.finish()
        let job = ImportJob(format: format, mode: .upsert, fileName: "t", path: "/nowhere", bytes: 0, publish: [], maxErrors: nil,
                            actor: "test", at: Timestamp.string(Date()))
        let batch = ImportBatch(products: services.products, job: job, context: harness.context, schema: schema, categories: categories)
        let inBulk = try await snapshot(services) { tx in try await batch.runInBulk(drafts, in: tx) }
        #expect((inBulk.outcome != nil) == bulk, "the bulk path \(bulk ? "takes" : "leaves") this batch", sourceLocation: sourceLocation)
        let oneByOne = try await snapshot(services) { tx in try await batch.runEach(drafts, in: tx) }
        guard let outcome = inBulk.outcome, let each = oneByOne.outcome else { return }
        #expect(outcome.counts == each.counts, sourceLocation: sourceLocation)
        #expect(outcome.errors == each.errors, sourceLocation: sourceLocation)
        #expect(outcome.stockRows.count == each.stockRows.count && Set(outcome.stockChanged).count == Set(each.stockChanged).count,
                sourceLocation: sourceLocation)
        #expect(inBulk.state == oneByOne.state, sourceLocation: sourceLocation)
        #expect(each.errors.count > 0 || each.counts.created > 0, "the scenario does something", sourceLocation: sourceLocation)
    }

    struct Rollback: Error {}

    /// The outcome of `body` and the stored state after it, in a transaction rolled back after.
    static func snapshot(_ services: TorsoServices, _ body: @escaping @Sendable (any Transaction) async throws -> ImportBatch.Outcome?)
        async throws -> (outcome: ImportBatch.Outcome?, state: [String]) {
        let result = Mutex<(ImportBatch.Outcome?, [String])>((nil, []))
        do {
            try await services.store.transaction { tx in
                let outcome = try await body(tx)
                let products = try await services.products.policy.presented(try await tx.documents.fetchAll(Product.self), in: tx)
                var lines: [String] = []
                for product in products {
                    let name = product.slug["en-US"] ?? "?"
                    var tree = try JSONCoding.tree(product).objectValue ?? [:]
                    for member in ["id", "created_at", "updated_at"] { tree[member] = nil }
                    tree["variants"] = .array((tree["variants"]?.arrayValue ?? []).map { variant in
                        var object = variant.objectValue ?? [:]
                        object["id"] = nil
                        return .object(object)
                    })
                    lines.append(name + " " + String(decoding: JSONValue.object(tree).jsonBytes(), as: UTF8.self))
                    let claims = try await tx.claims.conflictingClaims(services.products.policy.claims(product, try await services.contexts.context(in: tx)),
                                                                       excluding: "")
                    lines.append(name + " claims " + claims.filter { $0.key.namespace != "variant" }.map { "\($0.key.namespace)=\($0.key.value):\($0.value == product.key)" }.sorted().joined(separator: ","))
                    let history = try await tx.history.history(of: product.key, page: PageRequest(limit: 100, cursor: nil))
                    lines.append(name + " history " + history.map { "\($0.version) \($0.action) \($0.changes.map(\.path).sorted())" }.joined(separator: "; "))
                }
                let events = try await tx.outbox.events(after: 0, limit: 100_000, types: nil)
                lines.append("events " + events.map(\.type).sorted().joined(separator: ","))
                result.withLock { $0 = (outcome, lines.sorted()) }
                throw Rollback()
            }
        } catch is Rollback {}
        return result.withLock { $0 }
    }
}
