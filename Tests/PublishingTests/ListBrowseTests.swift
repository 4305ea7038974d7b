import Catalog
import Channels
import Foundation
import Inventory
@testable import Publishing
import Testing
import TorsoKit

/// Lists without search text read kept tallies and presorted orders (``SegmentTally``); they must
/// answer exactly what a plain filter-and-sort over the published products answers, through
/// republishes, removals, masks and compactions, on every page a cursor reaches.
@Suite struct ListBrowseTests {
    static let english = LocaleCode("en-US")!
    static let colors = ["red", "blue", "green", "black"]
    static let sizes = ["s", "m", "l"]
    static func categoryID(_ name: String) -> ID<CategoryEntity> { ID(rawValue: "cat_" + name.uppercased().padding(toLength: 26, withPad: "0", startingAt: 0)) }
    /// wear (shirts, shoes (running)), food.
    static let categories: [String: Category] = {
        let tree: [(String, String?)] = [("wear", nil), ("shirts", "wear"), ("shoes", "wear"), ("running", "shoes"), ("food", nil)]
        return Dictionary(uniqueKeysWithValues: tree.map { name, parent in
            (categoryID(name).rawValue, Category(id: categoryID(name), parentId: parent.map(categoryID), names: ["en-US": name], slug: ["en-US": name]))
        })
    }()

    static let projector: Projector = {
        var channel = Channel(code: "web", name: "Web", locales: [english], defaultLocale: english, currencies: [Currency("EUR")!])
        channel.fallbacks = [:]
        let attributes: [String: AttributeDefinition] = [
            "name": AttributeDefinition(code: "name", type: .text, localizable: true),
            "color": AttributeDefinition(code: "color", type: .select, options: colors.map { .init(code: $0, labels: ["en-US": $0]) }),
            "size": AttributeDefinition(code: "size", type: .multiSelect, options: sizes.map { .init(code: $0, labels: ["en-US": $0]) }),
            "organic": AttributeDefinition(code: "organic", type: .boolean),
        ]
        let context = CatalogContext(attributes: attributes, productTypes: [:], channels: [:], locales: ["en-US"], locations: [])
        return Projector(channel: channel, context: context, categories: categories)
    }()

    static func product(_ number: Int, revision: Int) -> ProjectedProduct {
        let id = "prod_" + String(repeating: "0", count: 20) + String(format: "%06d", number)
        var product = Product(id: ID(rawValue: id), productType: "shirt", slug: ["en-US": "p-\(number)"])
        let seed = number * 31 + revision * 17
        product.values = [
            "name": [AttributeValue(locale: "en-US", data: .string("Item \(["alpha", "bravo", "charlie", "delta"][seed % 4]) \(number % 7)"))],
            "color": [AttributeValue(data: .string(colors[seed % 4]))],
            "size": [AttributeValue(data: .array(sizes.indices.filter { (seed >> $0) & 1 == 1 }.map { .string(sizes[$0]) }))],
            "organic": [AttributeValue(data: .bool(seed % 3 == 0))],
        ]
        let names = ["shirts", "shoes", "wear", "running", "food", ""]
        product.categories = names[(number + revision) % names.count].isEmpty ? [] : [categoryID(names[(number + revision) % names.count])]
        // Some prices repeat, so the ID breaks ties; some products have none.
        product.variants = [Variant(sku: "SKU-\(number)", prices: number % 13 == 0 ? [] : [.init(amount: Int64(1_000 + seed % 9 * 100), currency: Currency("EUR")!)])]
        let document = PublishedDocument(productId: id, version: revision + 1, at: "2026-11-27T10:\(String(format: "%02d", seed % 5)):00.000Z", text: "{}")
        return projector.facts(of: document, product: product, visible: number % 11 != 5,
                               stock: [product.variants[0].id.rawValue: [StockLevel(locationId: "main", onHand: seed % 3)]])
    }

    /// The reference: which products a query lists, in order, and the facet counts, by brute force.
    static func expected(_ products: [ProjectedProduct], _ query: ListQuery) -> (ids: [String], counts: [String: Int]) {
        let within: Set<String>? = query.category.map { root in Category.descendants(of: categoryID(root).rawValue, in: categories.values) }
        func values(_ product: ProjectedProduct, _ code: String) -> Set<String> {
            let facets = projector.facets
            guard let index = facets.index(of: code) else { return [] }
            return Set(product.facetCodes.filter { Int($0 >> 16) == index }.map { facets.options[index][Int($0 & 0xFFFF)] })
        }
        func passes(_ product: ProjectedProduct, except skipped: String?) -> Bool {
            guard product.visibleInListings else { return false }
            if let minimum = query.priceMin, (product.price ?? .min) < minimum || product.price == nil { return false }
            if let inStock = query.inStock, product.inStock != inStock { return false }
            if let within, !product.categories.contains(where: within.contains) { return false }
            return query.filters.allSatisfy { code, allowed in code == skipped || !values(product, code).isDisjoint(with: allowed) }
        }
        var counts: [String: Int] = [:]
        for code in ["color", "size", "organic"] {
            for product in products where passes(product, except: code) {
                for value in values(product, code) { counts["\(code)=\(value)", default: 0] += 1 }
            }
        }
        func key(_ product: ProjectedProduct) -> SortKey {
            switch query.sort {
            case .name: SortKey(primary: .text(product.sortNames[0]), id: product.id)
            case .price: SortKey(primary: .number(product.price.map(Double.init) ?? .infinity), id: product.id)
            case .priceDescending: SortKey(primary: .number(product.price.map { -Double($0) } ?? .infinity), id: product.id)
            case .newest, .relevance: SortKey(primary: .number(-product.publishedTime), id: product.id)
            }
        }
        return (products.filter { passes($0, except: nil) }.sorted { key($0) < key($1) }.map(\.id), counts)
    }

    /// Every page of a query by its cursors, and the first page's total and counts.
    static func pages(_ snapshot: ChannelSnapshot, _ query: ListQuery) throws -> (ids: [String], total: Int, counts: [String: Int]) {
        var query = query
        var ids: [String] = []
        var first: ListResult?
        repeat {
            let result = try snapshot.list(query)
            first = first ?? result
            ids += result.data.compactMap { $0.objectValue?["id"]?.stringValue }
            query.cursor = result.nextCursor
        } while query.cursor != nil
        var counts: [String: Int] = [:]
        for facet in first?.facets ?? [] {
            let code = facet.objectValue?["attribute"]?.stringValue ?? ""
            for value in facet.objectValue?["values"]?.arrayValue ?? [] {
                let count = Int(value.objectValue?["count"]?.numberValue ?? 0)
                if count > 0 { counts["\(code)=\(value.objectValue?["code"]?.stringValue ?? "")"] = count }
            }
        }
        return (ids, first?.total ?? 0, counts)
    }

    static func randomQuery(using random: inout some RandomNumberGenerator) -> ListQuery {
        var query = ListQuery(locale: english)
        query.limit = [1, 3, 7, 20][Int.random(in: 0..<4, using: &random)]
        query.sort = [.name, .price, .priceDescending, .newest, .relevance][Int.random(in: 0..<5, using: &random)]
        if Bool.random(using: &random) { query.category = ["wear", "shoes", "running", "food", "shirts"][Int.random(in: 0..<5, using: &random)] }
        if Int.random(in: 0..<3, using: &random) == 0 { query.filters["color"] = Set(colors.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random))) }
        if Int.random(in: 0..<3, using: &random) == 0 { query.filters["size"] = [sizes.randomElement(using: &random)!] }
        if Int.random(in: 0..<4, using: &random) == 0 { query.filters["organic"] = ["true"] }
        if Int.random(in: 0..<4, using: &random) == 0 { query.inStock = Bool.random(using: &random) }
        if Int.random(in: 0..<4, using: &random) == 0 { query.priceMin = 1_400 }
        return query
    }

    @Test func browsingAnswersAsAPlainFilterAndSortThroughChanges() throws {
        // Given 240 products whose delta is merged after 40 changes
        var live: [Int: ProjectedProduct] = [:]
        for number in 0..<240 { live[number] = Self.product(number, revision: 0) }
        var snapshot = ChannelSnapshot.build(projector: Self.projector, products: live.keys.sorted().map { live[$0]! }, compactionThreshold: 40)
        var random = SystemRandomNumberGenerator()
        var revisions: [Int: Int] = [:]
        // The same queries again at each step, so kept tallies and orders meet later changes.
        let queries = (0..<12).map { _ in Self.randomQuery(using: &random) }
        for step in 0..<60 {
            // When products are republished, unpublished and added, a batch at a time
            var changed: [String: ProjectedProduct] = [:]
            var removed: Set<String> = []
            for _ in 0..<Int.random(in: 1...9, using: &random) {
                let number = Int.random(in: 0..<300, using: &random)
                if live[number] != nil, Int.random(in: 0..<4, using: &random) == 0 {
                    removed.insert(live[number]!.id)
                    changed[live[number]!.id] = nil
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

            // Then every page, total and facet count is the plain answer
            for query in queries + [Self.randomQuery(using: &random)] {
                let (expectedIDs, expectedCounts) = Self.expected(Array(live.values), query)
                let answer = try Self.pages(snapshot, query)
                #expect(answer.ids == expectedIDs, "step \(step): \(query.category ?? "-") \(query.filters) \(query.sort) limit \(query.limit)")
                #expect(answer.total == expectedIDs.count, "step \(step)")
                #expect(answer.counts == expectedCounts, "step \(step): \(query.category ?? "-") \(query.filters)")
            }
            // And the category tree counts each category's listed products, sub-categories included
            var expectedPerCategory: [String: Int] = [:]
            for (key, category) in Self.categories {
                var query = ListQuery(locale: Self.english)
                query.category = category.slug["en-US"]
                expectedPerCategory[key] = Self.expected(Array(live.values), query).ids.count
            }
            #expect(snapshot.listedPerCategory(walking: false) == expectedPerCategory, "step \(step)")
            #expect(snapshot.listedPerCategory(walking: true) == expectedPerCategory, "step \(step)")
            func treeCounts(_ nodes: [JSONValue]) -> [String: Int] {
                nodes.reduce(into: [:]) { counts, node in
                    let object = node.objectValue ?? [:]
                    counts[object["id"]?.stringValue ?? ""] = Int(object["product_count"]?.numberValue ?? -1)
                    counts.merge(treeCounts(object["children"]?.arrayValue ?? [])) { first, _ in first }
                }
            }
            #expect(treeCounts(snapshot.categoryTree(locale: Self.english).arrayValue ?? []) == expectedPerCategory)
        }
    }

    @Test func aMergedBaseMakesTheListsItWasAskedForAheadOfNeed() async throws {
        // Given a base asked for a category page by price and a filtered page by name
        let products = (0..<100).map { Self.product($0, revision: 0) }
        let snapshot = ChannelSnapshot.build(projector: Self.projector, products: products, compactionThreshold: 4)
        var page = ListQuery(locale: Self.english)
        page.category = "wear"
        page.sort = .price
        var filtered = ListQuery(locale: Self.english)
        filtered.filters["color"] = ["red"]
        filtered.sort = .name
        _ = try snapshot.list(page)
        _ = try snapshot.list(filtered)
        // When more changes than the threshold merge the delta into a new base
        var changed: [String: ProjectedProduct] = [:]
        for number in 0..<6 { changed[products[number].id] = Self.product(number, revision: 1) }
        let merged = snapshot.updating(changed, removing: [])
        #expect(merged.base !== snapshot.base)
        // Then the new base makes the same tallies and orders in the background
        let keys = [try ListFilter(page, snapshot: merged).key, try ListFilter(filtered, snapshot: merged).key]
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .seconds(5), merged.base.tallies.withLock({ kept in keys.contains { kept[$0] == nil } })
                || merged.base.orders.withLock({ $0.count < 2 }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(merged.base.tallies.withLock { kept in keys.allSatisfy { kept[$0] != nil } })
        #expect(merged.base.orders.withLock { Set($0.keys.map(\.sort)) } == [.price, .name])
        // And lists from them answer as a plain filter and sort does
        for query in [page, filtered] {
            #expect(try Self.pages(merged, query).ids == Self.expected(merged.products, query).ids)
        }
    }

    @Test func aCursorContinuesThroughAChangeWithoutSkippingOrRepeating() throws {
        // Given the first page of a category sorted by price
        let products = (0..<120).map { Self.product($0, revision: 0) }
        let snapshot = ChannelSnapshot.build(projector: Self.projector, products: products)
        var query = ListQuery(locale: Self.english)
        query.category = "wear"
        query.sort = .price
        query.limit = 10
        let first = try snapshot.list(query)
        // When the products on the first page change price and others are removed before the next page
        let shown = Set(first.data.compactMap { $0.objectValue?["id"]?.stringValue })
        var changed: [String: ProjectedProduct] = [:]
        for number in 0..<120 where shown.contains(products[number].id) { changed[products[number].id] = Self.product(number, revision: 1) }
        let later = snapshot.updating(changed, removing: [products[7].id, products[8].id])
        query.cursor = first.nextCursor
        let rest = try Self.pages(later, query)
        // Then the rest continues after the cursor's key: every remaining product once, in order
        let cursorKey = SortKey(cursor: Cursor(encoded: first.nextCursor!)!.after, tag: ListQuery.Sort.price.cursorTag(locale: Self.english))!
        var reference = ListQuery(locale: Self.english)
        reference.category = "wear"
        reference.sort = .price
        let all = Self.expected(later.products, reference).ids
        let expected = all.filter { id in
            let product = later.product(id, locale: Self.english)!
            return SortKey(primary: .number(product.price.map(Double.init) ?? .infinity), id: id) > cursorKey
        }
        #expect(rest.ids == expected)
        #expect(Set(rest.ids).count == rest.ids.count)
    }
}
