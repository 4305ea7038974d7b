import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport

/// The admin product list: cursor pagination and the q, product_type and category filters.
@Suite struct ProductListTests {
    /// Creates products with the given suffixes and returns their IDs in creation order.
    func createProducts(_ api: TestAPI, _ suffixes: [String], edit: (String, JSONValue) -> JSONValue = { $1 }) async throws -> [String] {
        var ids: [String] = []
        for suffix in suffixes {
            let response = try await api.createProduct(edit(suffix, try productJSON(suffix, variants: 2)).text)
            ids.append(try #require(response.id))
        }
        return ids
    }

    @Test func followingTheCursorReturnsEveryProductOnce() async throws {
        try await withAPI { api in
            // Given
            let created = try await createProducts(api, ["a", "b", "c", "d", "e", "f", "g"])
            // When
            var pages: [[String]] = []
            var cursors: [String?] = []
            var cursor: String?
            repeat {
                let page = try await api.get("/admin/v1/products?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == .ok, "\(page.text)")
                pages.append(page.data.compactMap { $0["id"]?.stringValue })
                #expect(page.json["next_cursor"] != nil, "next_cursor is always present")
                cursor = page.nextCursor
                cursors.append(cursor)
            } while cursor != nil && pages.count < 10
            // Then
            #expect(pages.map(\.count) == [3, 3, 1])
            let all = pages.flatMap { $0 }
            #expect(Set(all) == Set(created))
            #expect(all.count == Set(all).count, "a product was returned twice")
            #expect(all == all.sorted(), "the list is ordered by ID")
            #expect(cursors.last! == nil)
        }
    }

    @Test func aFullLastPageEndsWithANullCursor() async throws {
        try await withAPI { api in
            // Given
            let created = try await createProducts(api, ["a", "b", "c", "d", "e", "f"])
            // When
            let first = try await api.get("/admin/v1/products?limit=3")
            let second = try await api.get("/admin/v1/products?limit=3&cursor=\(try #require(first.nextCursor))")
            // Then
            #expect(Set((first.data + second.data).compactMap { $0["id"]?.stringValue }) == Set(created))
            #expect(second.json["next_cursor"] == .null)
        }
    }

    @Test func limitOutOfRangeAndGarbageCursorsAreRefused() async throws {
        try await withAPI { api in
            // Given
            _ = try await createProducts(api, ["a", "b"])
            for query in ["limit=0", "limit=500", "limit=201", "limit=-3", "limit=abc"] {
                // When
                let response = try await api.get("/admin/v1/products?\(query)")
                // Then
                expectValidation(response, [.init("/query/limit", "out_of_range")], exactly: true, query)
            }
            for cursor in ["!!!", "%25%25%25", "***garbage***"] {
                // When
                let response = try await api.get("/admin/v1/products?cursor=\(cursor)")
                // Then
                expectValidation(response, [.init("/query/cursor", "invalid_cursor")], exactly: true, cursor)
            }
            #expect(try await api.get("/admin/v1/products?limit=200").status == .ok)
            #expect(try await api.get("/admin/v1/products?limit=1").data.count == 1)
        }
    }

    @Test func qMatchesSKUsAndNamesCaseInsensitively() async throws {
        try await withAPI { api in
            // Given
            let ids = try await createProducts(api, ["alpha", "bravo", "charlie", "delta"]) { suffix, body in
                body.setting("/values/name/0/data", to: .string(["alpha": "Linen Summer Shirt", "bravo": "Heavy Winter Hoodie",
                                                                 "charlie": "Summer Tank", "delta": "Öko Übergröße Tee"][suffix]!))
            }
            // When
            let bySKU = try await api.get("/admin/v1/products?q=sku-BRAVO-1")
            let byName = try await api.get("/admin/v1/products?q=sUmMeR")
            let byNamePhrase = try await api.get("/admin/v1/products?q=winter%20hoodie")
            let none = try await api.get("/admin/v1/products?q=parka")
            let wildcard = try await api.get("/admin/v1/products?q=%25")
            let nonASCII = try await api.get("/admin/v1/products?q=%C3%96KO%20%C3%9CBERGR%C3%96%C3%9FE")  // "ÖKO ÜBERGRÖßE"
            // Then
            #expect(bySKU.data.compactMap { $0["id"]?.stringValue } == [ids[1]])
            #expect(Set(byName.data.compactMap { $0["id"]?.stringValue }) == [ids[0], ids[2]])
            #expect(byNamePhrase.data.compactMap { $0["id"]?.stringValue } == [ids[1]])
            #expect(none.status == .ok)
            #expect(none.data.isEmpty)
            #expect(wildcard.data.isEmpty, "% is a literal, not a LIKE wildcard")
            #expect(nonASCII.data.compactMap { $0["id"]?.stringValue } == [ids[3]], "case folding beyond ASCII")
        }
    }

    @Test func qFollowsChangesToTheProduct() async throws {
        try await withAPI { api in
            // Given
            let id = try await createProducts(api, ["a"])[0]
            // When
            let patched = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"name":[{"locale":"en-US","data":"Velvet Blazer"}]}}"#)
            // Then
            #expect(patched.status == .ok)
            #expect(try await api.get("/admin/v1/products?q=velvet").data.compactMap { $0["id"]?.stringValue } == [id])
            #expect(try await api.get("/admin/v1/products?q=shirt%20a").data.isEmpty)
        }
    }

    @Test func filtersByProductType() async throws {
        try await withAPI { api in
            // Given
            let type = try await api.post("/admin/v1/product-types", #"{"code":"mug","attributes":["name"],"requirements":{"web":["name"]}}"#)
            #expect(type.status == .created, "\(type.text)")
            let shirts = try await createProducts(api, ["a", "b"])
            let mug = try await api.createProduct(#"{"product_type":"mug","slug":{"en-US":"mug"},"values":{"name":[{"locale":"en-US","data":"Mug"}]}}"#)
            // When
            let mugs = try await api.get("/admin/v1/products?product_type=mug")
            let tshirts = try await api.get("/admin/v1/products?product_type=tshirt")
            let sofas = try await api.get("/admin/v1/products?product_type=sofa")
            // Then
            #expect(mugs.data.compactMap { $0["id"]?.stringValue } == [try #require(mug.id)])
            #expect(Set(tshirts.data.compactMap { $0["id"]?.stringValue }) == Set(shirts))
            #expect(sofas.status == .ok)
            #expect(sofas.data.isEmpty)
        }
    }

    @Test func categoryFilterIncludesSubCategories() async throws {
        try await withAPI { api in
            // Given: apparel ⊃ tees ⊃ graphic-tees, and home
            func category(_ slug: String, parent: String?) async throws -> String {
                let parentJSON = parent.map { "\"\($0)\"" } ?? "null"
                let response = try await api.post("/admin/v1/categories",
                                                  #"{"names":{"en-US":"\#(slug)"},"slug":{"en-US":"\#(slug)"},"parent_id":\#(parentJSON)}"#)
                #expect(response.status == .created, "\(response.text)")
                return try #require(response.id)
            }
            let apparel = try await category("apparel", parent: nil)
            let tees = try await category("tees", parent: apparel)
            let graphic = try await category("graphic-tees", parent: tees)
            let home = try await category("home", parent: nil)
            let inApparel = try await createProducts(api, ["a"]) { $1.setting("/categories", to: .array([.string(apparel)])) }[0]
            let inTees = try await createProducts(api, ["b"]) { $1.setting("/categories", to: .array([.string(tees)])) }[0]
            let inGraphic = try await createProducts(api, ["c"]) { $1.setting("/categories", to: .array([.string(graphic), .string(home)])) }[0]
            _ = try await createProducts(api, ["d"])
            // When
            func ids(_ category: String) async throws -> Set<String> {
                Set(try await api.get("/admin/v1/products?category=\(category)").data.compactMap { $0["id"]?.stringValue })
            }
            // Then
            #expect(try await ids(apparel) == [inApparel, inTees, inGraphic])
            #expect(try await ids(tees) == [inTees, inGraphic])
            #expect(try await ids(graphic) == [inGraphic])
            #expect(try await ids(home) == [inGraphic])
            expectProblem(try await api.get("/admin/v1/products?category=cat_\(String(repeating: "0", count: 26))"), .notFound, "not_found")
        }
    }

    @Test func filtersCombineAndPaginate() async throws {
        try await withAPI { api in
            // Given: five "summer" products among seven
            let ids = try await createProducts(api, ["a", "b", "c", "d", "e", "f", "g"]) { suffix, body in
                ["b", "f"].contains(suffix) ? body : body.setting("/values/name/0/data", to: .string("Summer \(suffix)"))
            }
            let summer = Set(ids.enumerated().filter { ![1, 5].contains($0.offset) }.map(\.element))
            // When
            let found = try await api.allProductIDs(query: "q=summer&product_type=tshirt", limit: 2)
            // Then
            #expect(found.count == 5)
            #expect(Set(found) == summer)
            #expect(try await api.allProductIDs(query: "q=summer&product_type=mug", limit: 2).isEmpty)
        }
    }

    @Test func settingsListsPaginateToo() async throws {
        try await withAPI { api in
            // Given: the eight attributes of the fixtures
            let all = try await api.get("/admin/v1/attributes?limit=200").data.compactMap { $0["code"]?.stringValue }
            // When
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.get("/admin/v1/attributes?limit=4" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.data.count <= 4)
                seen += page.data.compactMap { $0["code"]?.stringValue }
                cursor = page.nextCursor
            } while cursor != nil && seen.count <= all.count
            // Then
            #expect(all.count == 8)
            #expect(seen == all)
        }
    }
}
