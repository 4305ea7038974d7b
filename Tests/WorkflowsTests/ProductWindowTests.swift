import Catalog
import Foundation
import Testing
import TorsoKit
import TorsoTestSupport
@testable import Workflows

/// A product list filtered by stock or publication walks a bounded window of keys per page, so a
/// filter that matches few products answers as fast as one that matches many: a page may hold
/// fewer products than asked and still go on, and walking on finds every match exactly once.
@Suite struct ProductWindowTests {
    @Test func walkingOnFindsEveryMatchOnceAndNoPageLooksPastItsWindow() async throws {
        try await UseCaseHarness.run { harness in
            // Given seven products, of which the 2nd, 5th and 6th (in key order) have nothing on hand
            var made: [String] = []
            for index in 0..<7 { made.append(try await harness.product("win-\(index)", stock: [1, 4, 5].contains(index) ? 0 : 3).product) }
            let keys = made.sorted()
            let empty = Set([1, 4, 5].map { made[$0] })
            let queries = CatalogQueries(store: harness.services.store, contexts: harness.services.contexts, window: 2)
            // When the out-of-stock filter is walked page after page (two products a page, two keys a window)
            var found: [String] = [], pages: [Int] = [], cursor: Cursor?
            repeat {
                let page = try await queries.products(query: nil, productType: nil, category: nil, page: PageRequest(limit: 2, cursor: cursor), stocked: false)
                found += page.data.map(\.key)
                pages.append(page.data.count)
                cursor = page.nextCursor.flatMap { Cursor(encoded: $0) }
            } while cursor != nil && pages.count < 20
            // Then each match came once, in key order, and no page held more than its window
            #expect(found == keys.filter(empty.contains), "\(found) \(pages)")
            #expect(pages.count == 4 && pages.allSatisfy { $0 <= 2 }, "\(pages)")
            // And the stocked filter finds the rest the same way
            var rest: [String] = []
            cursor = nil
            repeat {
                let page = try await queries.products(query: nil, productType: nil, category: nil, page: PageRequest(limit: 2, cursor: cursor), stocked: true)
                rest += page.data.map(\.key)
                cursor = page.nextCursor.flatMap { Cursor(encoded: $0) }
            } while cursor != nil
            #expect(rest == keys.filter { !empty.contains($0) })
        }
    }
}
