import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Publishing to channels and the storefront API a head reads.
@Suite struct StorefrontTests {

    @Test func publishingIsGatedByCompletenessAndAllOrNothing() async throws {
        try await withAPI { api in
            // Given: complete for voice, but no German description for web
            let body = try JSONValue.parse(Shop.completeProduct("gate"))
                .setting("/values/description", to: .array([.object(["locale": .string("en-US"), "data": .string("Only English")])]))
            let id = try #require(try await api.createProduct(String(decoding: body.jsonBytes(), as: UTF8.self)).id)
            // When
            let refused = try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["voice","web"]}"#)
            // Then: 422 names web/de-DE and what it misses, and voice was not published either
            expectProblem(refused, .unprocessableContent, "incomplete")
            #expect(refused.fieldErrors.contains(FieldErrorExpectation("/channels/1", "incomplete")))
            #expect(refused.text.contains("web/de-DE") && refused.text.contains("description"))
            let status = try await api.get("/admin/v1/products/\(id)/publication")
            #expect(status.json["channels"]?.arrayValue?.isEmpty == true)
            let voice = try await api.makePublishableKey(channel: "voice")
            #expect(try await api.get("/store/v1/products/\(id)", as: .bearer(voice)).status == .notFound)
            // When: voice alone
            let published = try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["voice"]}"#)
            #expect(published.status == .ok)
            #expect(try await api.get("/store/v1/products/\(id)", as: .bearer(voice)).status == .ok)
            // Unknown channels are refused with a pointer
            expectValidation(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["mirror"]}"#),
                             [FieldErrorExpectation("/channels/0", "unknown_channel")])
            expectProblem(try await api.post("/admin/v1/products/prod_01M8DZ22H6KQ5WYCN95QHAYP65/publish", #"{"channels":["web"]}"#),
                          .notFound, "not_found")
        }
    }

    @Test func aRestartRestoresStoredFactsAndRendersDetailsFromTheDatabase() async throws {
        try await withAPI { api in
            // Given: a published product read once, and facts stored by a full rebuild
            let id = try #require(try await api.createProduct(Shop.completeProduct("restart", name: "Restart Shirt")).id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            let web = try await api.makePublishableKey()
            let before = try await api.get("/store/v1/products/restart?locale=de-DE", as: .bearer(web))
            try await api.services.projections.rebuildAllAndStoreFacts()
            // When: the snapshots are built again as at start-up (from the stored facts, without documents)
            try await api.services.projections.rebuildAll()
            // Then: the detail is rendered from the stored document, byte for byte as before, and lists still find it
            let after = try await api.get("/store/v1/products/restart?locale=de-DE", as: .bearer(web))
            #expect(after.status == .ok)
            #expect(after.text == before.text)
            let listed = try await api.get("/store/v1/products?q=restart", as: .bearer(web))
            #expect(listed.json["data"]?.arrayValue?.first?["id"]?.stringValue == id)
        }
    }

    @Test func stagedEditsWaitForPublishButStockIsLive() async throws {
        try await withAPI { api in
            // Given: a published product
            let created = try await api.createProduct(Shop.completeProduct("staged", name: "Linen Shirt"))
            let id = try #require(created.id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            let web = try await api.makePublishableKey()
            let before = try await api.get("/store/v1/products/staged", as: .bearer(web))
            #expect(before.json["name"]?.stringValue == "Linen Shirt")
            #expect(before.json["available_quantity"]?.numberValue == 15)
            // When: the name and the stock change in the admin
            let patch = #"{"values":{"name":[{"locale":"en-US","data":"Renamed Shirt"},{"locale":"de-DE","data":"Hemd"}]}}"#
            #expect(try await api.patch("/admin/v1/products/\(id)", patch).status == .ok)
            let counted = try await Shop.adjust(api, ["s", "m", "l"].map { #"{"sku":"staged-\#($0)","location":"berlin","set":0}"# }.joined(separator: ","))
            #expect(counted.status == .created, "\(counted.text)")
            // Then: the storefront keeps the published name but shows the new stock at once
            let after = try await api.get("/store/v1/products/staged", as: .bearer(web))
            #expect(after.json["name"]?.stringValue == "Linen Shirt")
            #expect(after.json["in_stock"] == .bool(false))
            let status = try await api.get("/admin/v1/products/\(id)/publication")
            #expect(status.json["has_staged_changes"] == .bool(true))
            #expect(status.json["channels"]?[0]?["published_version"]?.numberValue == 1)
            // When: published again
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            #expect(try await api.get("/store/v1/products/staged", as: .bearer(web)).json["name"]?.stringValue == "Renamed Shirt")
            #expect(try await api.get("/admin/v1/products/\(id)/publication").json["has_staged_changes"] == .bool(false))
            // When: unpublished
            #expect(try await api.post("/admin/v1/products/\(id)/unpublish", #"{"channels":["web"]}"#).status == .ok)
            expectProblem(try await api.get("/store/v1/products/staged", as: .bearer(web)), .notFound, "not_found")
        }
    }

    @Test func scheduledPublicationGoesLiveAtItsTime() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Shop.completeProduct("later")).id)
            let due = Date().addingTimeInterval(1.2)
            let at = Timestamp.string(due)
            // When
            let scheduled = try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"],"at":"\#(at)"}"#)
            // Then
            #expect(scheduled.json["channels"]?[0]?["scheduled_at"]?.stringValue == at)
            #expect(scheduled.json["channels"]?[0]?["published_at"] == .null)
            let web = try await api.makePublishableKey()
            #expect(try await api.get("/store/v1/products/later", as: .bearer(web)).status == .notFound)
            // Then: the application's scheduler service puts it live on time, without another call
            // (measured from the due time, not from after the setup requests, which a loaded machine slows down)
            var visibleAfter: Double?
            while Date().timeIntervalSince(due) < 3 {
                if try await api.get("/store/v1/products/later", as: .bearer(web)).status == .ok {
                    visibleAfter = Date().timeIntervalSince(due)
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let delay = try #require(visibleAfter, "never went live")
            #expect(delay >= -0.01 && delay < 1.3, "went live \(delay) s after its time")
            #expect(try await api.get("/admin/v1/products/\(id)/publication").json["channels"]?[0]?["published_at"]?.stringValue == at)
        }
    }

    @Test func eachHeadSeesOnlyItsChannel() async throws {
        try await withAPI { api in
            // Given: voice exposes only the name and the tagline, and serves en-US only
            #expect(try await api.patch("/admin/v1/channels/voice", #"{"exposed_attributes":["name","tagline"]}"#).status == .ok)
            let id = try #require(try await api.createProduct(Shop.completeProduct("heads")).id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["voice"]}"#).status == .ok)
            let voice = try await api.makePublishableKey(channel: "voice")
            let web = try await api.makePublishableKey(channel: "web")
            // When
            let spoken = try await api.get("/store/v1/products/heads?locale=de-DE", as: .bearer(voice))
            // Then: voice's attributes, in its only locale, with its currency
            #expect(spoken.status == .ok)
            #expect(Set(spoken.json["attributes"]?.objectValue?.keys.map { $0 } ?? []) == ["name", "tagline"])
            #expect(spoken.json["locale"]?.stringValue == "en-US")
            #expect(spoken.json["price"]?["currency"]?.stringValue == "USD")
            #expect(spoken.headers[.contentLanguage] == "en-US")
            // And web sees nothing of it
            expectProblem(try await api.get("/store/v1/products/heads", as: .bearer(web)), .notFound, "not_found")
            #expect(try await api.get("/store/v1/products", as: .bearer(web)).json["total"]?.numberValue == 0)
        }
    }

    @Test func keysStayOnTheirSide() async throws {
        try await withAPI { api in
            let web = try await api.makePublishableKey()
            expectProblem(try await api.get("/admin/v1/products", as: .bearer(web)), .forbidden, "secret_key_required")
            expectProblem(try await api.get("/store/v1/products"), .forbidden, "publishable_key_required")
            expectProblem(try await api.get("/store/v1/products", as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.get("/store/v1/products", as: .bearer("pk_unknown")), .unauthorized, "invalid_key")
            expectProblem(try await api.get("/store/v1/categories", as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.get("/store/v1/products/x", as: .none), .unauthorized, "unauthenticated")
        }
    }

    @Test func listsSearchFilterFacetSortAndPage() async throws {
        try await withAPI { api in
            // Given: seven products, prices 1000…7000, sizes alternating, one out of stock
            for index in 1...7 {
                let body = Shop.completeProduct("p\(index)", name: index == 3 ? "Striped Shirt" : "Plain Tee \(index)", prices: [index * 1000],
                                                stock: index == 5 ? 0 : 3, size: index % 2 == 0 ? "m" : "s")
                let id = try #require(try await api.createProduct(body).id)
                #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            }
            let web = try await api.makePublishableKey()
            // When: sorted by price, two at a time
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.get("/store/v1/products?sort=price&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: .bearer(web))
                #expect(page.status == .ok)
                #expect(page.json["total"]?.numberValue == 7)
                seen += page.data.compactMap { $0["slug"]?.stringValue }
                cursor = page.nextCursor
            } while cursor != nil
            // Then
            #expect(seen == (1...7).map { "p\($0)" })
            // Filters and facets: size m has 3; counts of size ignore the size filter itself
            let medium = try await api.get("/store/v1/products?filter.size=m", as: .bearer(web))
            #expect(medium.json["total"]?.numberValue == 3)
            let sizeFacet = medium.json["facets"]?.arrayValue?.first { $0["attribute"]?.stringValue == "size" }
            let counts = Dictionary(uniqueKeysWithValues: (sizeFacet?["values"]?.arrayValue ?? []).map { ($0["code"]!.stringValue!, $0["count"]!.numberValue!) })
            #expect(counts["m"] == 3 && counts["s"] == 4 && counts["l"] == 0)
            #expect(try await api.get("/store/v1/products?in_stock=true", as: .bearer(web)).json["total"]?.numberValue == 6)
            #expect(try await api.get("/store/v1/products?price_min=2000&price_max=4000", as: .bearer(web)).json["total"]?.numberValue == 3)
            #expect(try await api.get("/store/v1/products?filter.rating=4..5", as: .bearer(web)).json["total"]?.numberValue == 7)
            let descending = try await api.get("/store/v1/products?sort=-price&limit=1", as: .bearer(web))
            #expect(descending.data.first?["slug"]?.stringValue == "p7")
            // Search: accent and case insensitive, prefix, one typo
            for query in ["striped", "STRIPED", "stri", "strpied", "strípéd"] {
                let found = try await api.get("/store/v1/products?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", as: .bearer(web))
                #expect(found.data.map { $0["slug"]?.stringValue } == ["p3"], "q=\(query)")
            }
            #expect(try await api.get("/store/v1/products?q=zebra", as: .bearer(web)).json["total"]?.numberValue == 0)
            // Bad parameters
            expectValidation(try await api.get("/store/v1/products?sort=cheapest&limit=0&colour=red", as: .bearer(web)), [
                FieldErrorExpectation("/query/sort", "invalid_value"), FieldErrorExpectation("/query/limit", "out_of_range"),
                FieldErrorExpectation("/query/colour", "unknown_parameter"),
            ])
            expectValidation(try await api.get("/store/v1/products?filter.nope=1", as: .bearer(web)),
                             [FieldErrorExpectation("/query/filter.nope", "unknown_filter")])
            expectValidation(try await api.get("/store/v1/products?cursor=garbage", as: .bearer(web)),
                             [FieldErrorExpectation("/query/cursor", "invalid_cursor")])
            // A parameter said twice is refused (it used to keep the last), a filter's values add up
            expectValidation(try await api.get("/store/v1/products?sort=price&sort=-price&limit=2&limit=3", as: .bearer(web)), [
                FieldErrorExpectation("/query/sort", "repeated_parameter"), FieldErrorExpectation("/query/limit", "repeated_parameter"),
            ], exactly: true)
            #expect(try await api.get("/store/v1/products?filter.size=m&filter.size=s", as: .bearer(web)).json["total"]?.numberValue == 7)
            // The documented limits are the enforced ones
            #expect(try await api.get("/store/v1/products?limit=100", as: .bearer(web)).status == .ok)
            expectValidation(try await api.get("/store/v1/products?limit=101", as: .bearer(web)), [FieldErrorExpectation("/query/limit", "out_of_range")])
            let spec = try await api.get("/openapi.json")
            let listLimit = spec.json["paths"]?["/store/v1/products"]?["get"]?["parameters"]?.arrayValue?.first { $0["name"]?.stringValue == "limit" }
            #expect(listLimit?["schema"]?["maximum"]?.numberValue == 100)
            #expect(listLimit?["description"]?.stringValue?.contains("default 20") == true)
            #expect(try await api.get("/store/v1/products", as: .bearer(web)).data.count == 7)
            // A name cursor belongs to its locale: names sort otherwise in another
            let byName = try await api.get("/store/v1/products?sort=name&limit=2&locale=en-US", as: .bearer(web))
            let nameCursor = try #require(byName.nextCursor)
            #expect(try await api.get("/store/v1/products?sort=name&limit=2&locale=en-US&cursor=\(nameCursor)", as: .bearer(web)).status == .ok)
            expectValidation(try await api.get("/store/v1/products?sort=name&limit=2&locale=de-DE&cursor=\(nameCursor)", as: .bearer(web)),
                             [FieldErrorExpectation("/query/cursor", "invalid_cursor")])
            let byPrice = try #require(try await api.get("/store/v1/products?sort=price&limit=2&locale=en-US", as: .bearer(web)).nextCursor)
            #expect(try await api.get("/store/v1/products?sort=price&limit=2&locale=de-DE&cursor=\(byPrice)", as: .bearer(web)).status == .ok)
        }
    }

    @Test func paginationNeitherSkipsNorRepeatsWhileTheCatalogChanges() async throws {
        try await withAPI { api in
            // Given: six products by price
            var ids: [String: String] = [:]
            for index in 1...6 {
                let id = try #require(try await api.createProduct(Shop.completeProduct("c\(index)", prices: [index * 1000], size: "s")).id)
                ids["c\(index)"] = id
                #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            }
            let web = try await api.makePublishableKey()
            let first = try await api.get("/store/v1/products?sort=price&limit=3", as: .bearer(web))
            // When: before the next page, a cheaper product appears and one already seen goes away
            let cheap = try #require(try await api.createProduct(Shop.completeProduct("c0", prices: [500], size: "s")).id)
            #expect(try await api.post("/admin/v1/products/\(cheap)/publish", #"{"channels":["web"]}"#).status == .ok)
            #expect(try await api.post("/admin/v1/products/\(ids["c1"]!)/unpublish", #"{"channels":["web"]}"#).status == .ok)
            let second = try await api.get("/store/v1/products?sort=price&limit=3&cursor=\(first.nextCursor ?? "")", as: .bearer(web))
            // Then: the second page continues exactly where the first ended
            #expect(first.data.compactMap { $0["slug"]?.stringValue } == ["c1", "c2", "c3"])
            #expect(second.data.compactMap { $0["slug"]?.stringValue } == ["c4", "c5", "c6"])
            #expect(second.nextCursor == nil)
        }
    }

    @Test func readsRevalidateWithETags() async throws {
        try await withAPI { api in
            let id = try #require(try await api.createProduct(Shop.completeProduct("etag")).id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            let web = try await api.makePublishableKey()
            for path in ["/store/v1/products/etag", "/store/v1/products?q=shirt", "/store/v1/categories"] {
                let first = try await api.get(path, as: .bearer(web))
                let etag = try #require(first.headers[.eTag], "\(path)")
                #expect(first.headers[.cacheControl]?.contains("max-age") == true)
                let again = try await api.get(path, as: .bearer(web), headers: [.ifNoneMatch: etag])
                #expect(again.status == .notModified, "\(path)")
                #expect(again.body.isEmpty)
            }
            // A change makes the old tag stale
            let etag = try await api.get("/store/v1/products/etag", as: .bearer(web)).headers[.eTag]!
            #expect(try await api.post("/admin/v1/products/\(id)/unpublish", #"{"channels":["web"]}"#).status == .ok)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"],"visible_in_listings":false}"#).status == .ok)
            let changed = try await api.get("/store/v1/products/etag", as: .bearer(web), headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok)
            // Hidden from lists, still readable by slug
            #expect(try await api.get("/store/v1/products", as: .bearer(web)).json["total"]?.numberValue == 0)
        }
    }

    @Test func browsersGetCORSForTheChannelsOrigins() async throws {
        try await withAPI { api in
            #expect(try await api.patch("/admin/v1/channels/web", #"{"cors_origins":["https://shop.example.com"]}"#).status == .ok)
            expectValidation(try await api.patch("/admin/v1/channels/voice", #"{"cors_origins":["shop.example.com/path"]}"#),
                             [FieldErrorExpectation("/cors_origins/0", "invalid_origin")])
            let web = try await api.makePublishableKey()
            let allowed = try await api.get("/store/v1/products", as: .bearer(web), headers: [.origin: "https://shop.example.com"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://shop.example.com")
            let other = try await api.get("/store/v1/products", as: .bearer(web), headers: [.origin: "https://evil.example.com"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            let denied = try await api.get("/store/v1/products", as: .none, headers: [.origin: "https://shop.example.com"])
            #expect(denied.status == .unauthorized)
            let preflight = try await api.request(.options, "/store/v1/products", as: .none,
                                                  headers: [.origin: "https://shop.example.com", .accessControlRequestMethod: "GET"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://shop.example.com")
            let refused = try await api.request(.options, "/store/v1/products", as: .none, headers: [.origin: "https://evil.example.com"])
            #expect(refused.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func categoriesShowTheLocalizedTreeWithCounts() async throws {
        try await withAPI { api in
            let top = try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Clothing","de-DE":"Kleidung"},"slug":{"en-US":"clothing"}}"#)
            let topID = try #require(top.id)
            let child = try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Shirts","de-DE":"Hemden"},"slug":{"en-US":"shirts"},"parent_id":"\#(topID)"}"#)
            let childID = try #require(child.id)
            let body = try JSONValue.parse(Shop.completeProduct("cat")).setting("/categories", to: .array([.string(childID)]))
            let id = try #require(try await api.createProduct(String(decoding: body.jsonBytes(), as: UTF8.self)).id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            let web = try await api.makePublishableKey()
            let tree = try await api.get("/store/v1/categories", as: .bearer(web), headers: [.acceptLanguage: "de-DE,de;q=0.9"])
            #expect(tree.data.first?["name"]?.stringValue == "Kleidung")
            #expect(tree.data.first?["product_count"]?.numberValue == 1)
            #expect(tree.data.first?["children"]?[0]?["name"]?.stringValue == "Hemden")
            #expect(try await api.get("/store/v1/products?category=clothing", as: .bearer(web)).json["total"]?.numberValue == 1)
            let detail = try await api.get("/store/v1/products/cat", as: .bearer(web))
            #expect(detail.json["categories"]?[0]?.arrayValue?.compactMap { $0["slug"]?.stringValue } == ["clothing", "shirts"])
        }
    }
}
