import Catalog
import Channels
import Inventory
@testable import Publishing
import Testing
import TorsoKit

/// A snapshot updated change by change (base, delta, masks, compaction) must answer exactly as
/// one built from scratch over the same products.
@Suite struct ChannelSnapshotTests {
    static let english = LocaleCode("en-US")!
    static let german = LocaleCode("de-DE")!
    static let colors = ["red", "blue", "green"]

    static let projector: Projector = {
        var channel = Channel(code: "web", name: "Web", locales: [english, german], defaultLocale: english, currencies: [Currency("EUR")!])
        channel.fallbacks = [:]
        let attributes: [String: AttributeDefinition] = [
            "name": AttributeDefinition(code: "name", type: .text, localizable: true),
            "color": AttributeDefinition(code: "color", type: .select, options: colors.map { .init(code: $0, labels: ["en-US": $0.capitalized]) }),
        ]
        let context = CatalogContext(attributes: attributes, productTypes: [:], channels: [:], locales: ["en-US", "de-DE"], locations: [])
        return Projector(channel: channel, context: context, categories: [:])
    }()

    /// A product whose facts depend on `revision`, so a republish changes its name, slug, color and price.
    static func product(_ number: Int, revision: Int) -> ProjectedProduct {
        let id = "prod_" + String(repeating: "0", count: 20) + String(format: "%06d", number)
        var product = Product(id: ID(rawValue: id), productType: "shirt",
                              slug: ["en-US": "shirt-\(number)-r\(revision % 3)", "de-DE": "hemd-\(number)"])
        product.values = [
            "name": [AttributeValue(locale: "en-US", data: .string("Shirt \(["alpha", "bravo", "charlie"][(number + revision) % 3]) \(number)")),
                     AttributeValue(locale: "de-DE", data: .string("Hemd \(number)"))],
            "color": [AttributeValue(data: .string(colors[(number * 7 + revision) % 3]))],
        ]
        product.variants = [Variant(sku: "SKU-\(number)", prices: [.init(amount: Int64(1_000 + (number * 37 + revision * 11) % 500), currency: Currency("EUR")!)])]
        let document = PublishedDocument(productId: id, version: revision + 1, at: "2026-11-27T10:00:\(String(format: "%02d", number % 60)).000Z", text: "{}")
        return projector.facts(of: document, product: product, visible: number % 11 != 0, stock: [product.variants[0].id.rawValue: [StockLevel(locationId: "main", onHand: number % 4)]])
    }

    /// Every page of a query, following cursors.
    static func pages(_ snapshot: ChannelSnapshot, _ configure: (inout ListQuery) -> Void) throws -> (ids: [String], total: Int, facets: [JSONValue]) {
        var query = ListQuery(locale: english)
        query.limit = 7
        configure(&query)
        var ids: [String] = []
        var first: ListResult?
        repeat {
            let result = try snapshot.list(query)
            first = first ?? result
            ids += result.data.compactMap { $0.objectValue?["id"]?.stringValue }
            query.cursor = result.nextCursor
        } while query.cursor != nil
        return (ids, first?.total ?? 0, first?.facets ?? [])
    }

    @Test func updatesMatchAFreshBuildThroughCompactions() throws {
        // Given a snapshot of 60 products whose delta is merged after 8 changes
        var live: [Int: ProjectedProduct] = [:]
        for number in 0..<60 { live[number] = Self.product(number, revision: 0) }
        var snapshot = ChannelSnapshot.build(projector: Self.projector, products: live.keys.sorted().map { live[$0]! }, compactionThreshold: 8)
        var random = SystemRandomNumberGenerator()
        var revisions: [Int: Int] = [:]
        for step in 0..<120 {
            // When products are republished, unpublished and added, one small batch at a time
            var changed: [String: ProjectedProduct] = [:]
            var removed: Set<String> = []
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let number = Int.random(in: 0..<90, using: &random)
                if live[number] != nil, Bool.random(using: &random), step % 4 == 0 {
                    removed.insert(live[number]!.id)
                    live[number] = nil
                } else {
                    revisions[number, default: 0] += 1
                    let product = Self.product(number, revision: revisions[number]!)
                    live[number] = product
                    changed[product.id] = product
                    removed.remove(product.id)
                }
            }
            snapshot = snapshot.updating(changed, removing: removed)
            let fresh = ChannelSnapshot.build(projector: Self.projector, products: live.keys.sorted().map { live[$0]! })

            // Then lists, search, facets and lookups agree with the fresh build
            #expect(snapshot.count == fresh.count)
            for configure: (inout ListQuery) -> Void in [
                { $0.sort = .name }, { $0.sort = .price }, { $0.sort = .priceDescending }, { $0.sort = .newest },
                { $0.text = "brav" }, { $0.text = "charlie"; $0.sort = .price }, { $0.text = "shirts" },
                { $0.filters = ["color": ["red"]]; $0.sort = .name }, { $0.inStock = true; $0.filters = ["color": ["blue", "green"]] },
            ] {
                let (updated, expected) = (try Self.pages(snapshot, configure), try Self.pages(fresh, configure))
                #expect(updated.ids == expected.ids, "step \(step)")
                #expect(updated.total == expected.total)
                #expect(updated.facets == expected.facets)
                #expect(Set(updated.ids).count == updated.ids.count, "a page repeated a product")
            }
            for number in 0..<90 {
                let id = "prod_" + String(repeating: "0", count: 20) + String(format: "%06d", number)
                for key in [id, "shirt-\(number)-r\((revisions[number] ?? 0) % 3)", "hemd-\(number)"] {
                    #expect(snapshot.product(key, locale: Self.english)?.id == fresh.product(key, locale: Self.english)?.id, "\(key) at step \(step)")
                }
            }
        }
    }

    @Test func storedFactsRestoreTheSameProductWithLiveStock() throws {
        // Given a projected product
        let original = Self.product(17, revision: 2)
        // When its facts are stored and restored with other stock
        let restored = try #require(ProjectedProduct.restore(facts: original.storedFacts, document: original.source, visible: true,
                                                             stock: [original.variantIds[0]: [StockLevel(locationId: "main", onHand: 9)]], projector: Self.projector))
        // Then every fact is the same and the stock is the live one
        #expect(restored.storedFacts == original.storedFacts)
        #expect((restored.id, restored.slugs, restored.names, restored.sortNames, restored.tokens) == (original.id, original.slugs, original.names, original.sortNames, original.tokens))
        #expect((restored.price, restored.facetCodes, restored.categories, restored.image) == (original.price, original.facetCodes, original.categories, original.image))
        #expect(restored.availableQuantity == 9)
        #expect(ProjectedProduct.restore(facts: "[0]", document: original.source, visible: true, stock: [:], projector: Self.projector) == nil)
    }

    @Test func searchMatchesPrefixesAndTyposButNotNumbersOffByOne() throws {
        // Given products named "Shirt alpha/bravo/charlie N"
        let snapshot = ChannelSnapshot.build(projector: Self.projector, products: (1...30).map { Self.product($0, revision: 0) })
        func ids(_ text: String) throws -> Set<String> {
            var query = ListQuery(locale: Self.english)
            query.text = text
            query.limit = 100
            return Set(try snapshot.list(query).data.compactMap { $0.objectValue?["id"]?.stringValue })
        }
        // When searching / Then a prefix and a one-letter typo find the word, a number only itself
        #expect(try ids("chalie") == ids("charlie"))
        #expect(try !ids("charlie").isEmpty)
        #expect(try ids("char") == ids("charlie"))
        #expect(try ids("13").count == 1)
        #expect(try ids("14").count == 1)
        #expect(try ids("xylophone").isEmpty)
    }
}

@Suite struct TextNormalizerTests {
    @Test func latinFastPathFoldsAsFoundationDoes() {
        // Given every Latin-1 letter the fast path handles, in a word
        for scalar in (0xC0...0xFF).compactMap(Unicode.Scalar.init) {
            let word = "Kr\(Character(scalar))mer Caf\(Character(scalar))"
            // When tokenized both ways / Then the tokens agree, or the fast path declines
            if let fast = TextNormalizer.latinTokens(word) {
                #expect(fast == TextNormalizer.foldedTokens(word), "\(scalar)")
            }
        }
        #expect(TextNormalizer.tokens("Größe Café-Crème") == ["grosse", "cafe", "creme"])
        #expect(TextNormalizer.latinTokens("Łódź") == nil)
    }
}
