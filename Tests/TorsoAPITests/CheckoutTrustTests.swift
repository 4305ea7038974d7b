import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Issue 12's first holes, each tried as an outside caller would: a key that mints stronger
/// keys, caches holding personal answers, addresses that carry documents, and a declined card
/// that kept the stock.
@Suite struct CheckoutTrustTests {
    @Test func aKeyGrantsOnlyTheScopesItHolds() async throws {
        try await withAPI { api in
            let minter = try await api.makeKey(name: "minter", scopes: [.keysWrite, .catalogRead])
            let stronger = try await api.post("/admin/v1/keys", #"{"name":"escalate","scopes":["orders:write"]}"#, as: .bearer(minter.secret))
            expectProblem(stronger, .forbidden, "missing_scope")
            #expect(stronger.json["detail"]?.stringValue?.contains("orders:read") == true)
            expectProblem(try await api.post("/admin/v1/keys", #"{"name":"all","scopes":["all"]}"#, as: .bearer(minter.secret)), .forbidden, "missing_scope")
            #expect(try await api.post("/admin/v1/keys", #"{"name":"reader","scopes":["catalog:read"]}"#, as: .bearer(minter.secret)).status == .created)
            #expect(try await api.get("/admin/v1/keys").json["data"]?.arrayValue?.contains { $0["name"] == .string("escalate") } == false)
        }
    }

    @Test func personalAnswersAreNeverCachedAndNoAnswerIsSniffed() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "cache", stock: 5, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            let answer = try await api.get("/store/v1/carts/\(cart)", as: .bearer(key))
            #expect(answer.headers[.cacheControl] == "no-store")
            #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(try await api.get("/admin/v1/orders").headers[.cacheControl] == "no-store")
            let missing = try await api.get("/store/v1/carts/nope", as: .bearer(key))
            #expect(missing.headers[.cacheControl] == "no-store" && missing.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            // The public catalog stays cacheable
            #expect(try await api.get("/store/v1/products/cache-s", as: .bearer(key)).headers[.cacheControl]?.hasPrefix("public") == true)
        }
    }

    @Test func addressFieldsHaveALength() async throws {
        try await withAPI { api in
            let (key, _) = try await Shop.shop(api, suffix: "long", stock: 5, sizes: ["s"])
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            let long = String(repeating: "x", count: 201)
            let address = #"{"first_name":"Ada","last_name":"Lovelace","line1":"\#(long)","line2":"\#(long)","city":"Berlin","postal_code":"10117","country":"DE"}"#
            expectValidation(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"shipping_address":\#(address)}"#),
                             [FieldErrorExpectation("/shipping_address/line1", "too_long"), FieldErrorExpectation("/shipping_address/line2", "too_long")])
            let stored = try await api.get("/store/v1/carts/\(cart)", as: .bearer(key)).json["shipping_address"]
            #expect(stored == nil || stored == .null)
        }
    }

    @Test func aDeclinedCardKeepsNoStock() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "declined", stock: 1, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            expectProblem(try await Shop.complete(api, cart, key: key, card: "4000000000000002"), .init(code: 402), "card_declined")
            #expect(try await api.get("/admin/v1/inventory?sku=declined-s-s").json["data"]?[0]?["reserved"] == .number(0))
            #expect(try await Shop.available(api, "declined-s", key: key, becomes: 1) == 1)
            // Another buyer can take the unit
            let other = try await Shop.readyCart(api, key: key, variants: variants)
            #expect(try await Shop.complete(api, other, key: key).status == .created)
        }
    }

    @Test func aMethodThatNoLongerShipsTheCartIsNeverChargedAsFree() async throws {
        try await withAPI { api in
            // Given a cart shipping `standard` to Germany (495)
            let (key, variants) = try await Shop.shop(api, suffix: "quote", stock: 5, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            // When the address moves to the US, where `standard` does not ship
            let us = #"{"first_name":"Ada","last_name":"Lovelace","line1":"1 Main St","city":"Springfield","postal_code":"12345","country":"US"}"#
            #expect(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"shipping_address":\#(us)}"#).status == .ok)
            // Then neither checkout nor completion goes through, and no order or hold is left
            expectProblem(try await api.post("/store/v1/carts/\(cart)/checkout", "{}", as: .bearer(key)), .conflict, "shipping_unavailable")
            let completed = try await Shop.complete(api, cart, key: key)
            expectProblem(completed, .conflict, "shipping_unavailable")
            #expect(completed.fieldErrors.contains(FieldErrorExpectation("/shipping_method", "shipping_unavailable")))
            #expect(try await api.get("/admin/v1/orders").json["data"]?.arrayValue?.isEmpty == true)
            #expect(try await api.get("/admin/v1/inventory?sku=quote-s-s").json["data"]?[0]?["reserved"] == .number(0))
            #expect(try await api.get("/store/v1/carts/\(cart)", as: .bearer(key)).json["status"] == .string("open"))
        }
    }

    @Test func wildCatalogNumbersNeverCrashACart() async throws {
        try await withAPI { api in
            // Given a variant weighing 1e300 kg, and two priced at 9e15 each
            let heavy = Shop.completeProduct("heavy", size: "s")
                .replacingOccurrences(of: #""stock":["#, with: #""values":{"weight":[{"data":{"amount":1e300,"unit":"KILOGRAM"}}]},"stock":["#)
            let (key, variants) = try await Shop.shop(api, suffix: "wild", stock: 1000, sizes: ["s", "m"])
            let heavyId = try #require(try await api.createProduct(heavy).id)
            #expect(try await api.post("/admin/v1/products/\(heavyId)/publish", #"{"channels":["web"]}"#).status == .ok)
            let heavyVariant = try #require(try await api.get("/admin/v1/products/\(heavyId)").json["variants"]?[0]?["id"]?.stringValue)
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            // Then the heavy one is refused, not a crash
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(heavyVariant)","quantity":1}"#, as: .bearer(key)),
                          .conflict, "variant_unavailable")
            // And sums beyond 64 bits are 422 amount_overflow
            #expect(try await Shop.adjust(api, #"{"sku":"wild-s-s","location":"berlin","set":1000},{"sku":"wild-m-m","location":"berlin","set":1000}"#).status == .created)
            for (sku, id) in zip(["wild-s-s", "wild-m-m"], variants) {
                let product = try #require(try await api.get("/admin/v1/products?q=\(sku.dropLast(2))").json["data"]?[0]?["id"]?.stringValue)
                let patched = try await api.patch("/admin/v1/products/\(product)",
                                                  #"{"variants":[{"id":"\#(id)","sku":"\#(sku)","axes":{"size":"\#(sku.dropFirst(5).prefix(1))","color":"red"},"prices":[{"amount":9000000000000000,"currency":"EUR"}]}]}"#)
                #expect(patched.status == .ok, "\(patched.text)")
                #expect(try await api.post("/admin/v1/products/\(product)/publish", #"{"channels":["web"]}"#).status == .ok)
            }
            #expect(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":1000}"#, as: .bearer(key)).status == .ok)
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[1])","quantity":1000}"#, as: .bearer(key)),
                          .unprocessableContent, "amount_overflow")
            #expect(try await api.get("/health", as: .none).status == .ok)
        }
    }

    @Test func aFirstOrderCodeIsUsedOncePerBuyerEvenByGuestsAndRaces() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "welcome", stock: 100, sizes: ["s"])
            #expect(try await api.post("/admin/v1/promotions",
                                       #"{"id":"welcome","code":"WELCOME10","name":"Welcome","kind":{"type":"percentage","basis_points":1000},"usage_limit_per_customer":1}"#).status == .created)
            func cart(_ email: String) async throws -> String {
                let cart = try await Shop.readyCart(api, key: key, variants: variants)
                #expect(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"email":"\#(email)"}"#).status == .ok)
                return cart
            }
            // A guest uses it once
            let first = try await cart("ada@example.com")
            #expect(try await api.post("/store/v1/carts/\(first)/promotions", #"{"code":"WELCOME10"}"#, as: .bearer(key)).status == .ok)
            #expect(try await Shop.complete(api, first, key: key).json["promotions"]?.arrayValue?.count == 1)
            // The same address again, in other case or with a +tag: refused when applied
            for email in ["ADA@example.com", "ada+again@Example.com"] {
                let again = try await cart(email)
                expectValidation(try await api.post("/store/v1/carts/\(again)/promotions", #"{"code":"WELCOME10"}"#, as: .bearer(key)),
                                 [FieldErrorExpectation("/code", "usage_limit_reached")])
            }
            // Ten carts of one new buyer apply it at once and complete at once: one discount
            var carts: [String] = []
            for _ in 0..<10 {
                let racing = try await cart("grace@example.com")
                #expect(try await api.post("/store/v1/carts/\(racing)/promotions", #"{"code":"WELCOME10"}"#, as: .bearer(key)).status == .ok)
                carts.append(racing)
            }
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for racing in carts { group.addTask { try await Shop.complete(api, racing, key: key) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let discounted = answers.filter { $0.status == .created && ($0.json["promotions"]?.arrayValue?.count ?? 0) > 0 }
            #expect(discounted.count == 1)
            // Found from outside: the others were charged full price without a word. Now each is
            // told, and pays nothing until the code is removed.
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.text))")
            #expect(answers.filter { $0.status == .conflict && $0.json["code"] == .string("usage_limit_reached") }.count == 9)
            // One after the other too: a second cart that showed the discount is refused, not charged more
            let (early, late) = (try await cart("lin@example.com"), try await cart("LIN@example.com"))
            for each in [early, late] {
                #expect(try await api.post("/store/v1/carts/\(each)/promotions", #"{"code":"WELCOME10"}"#, as: .bearer(key)).status == .ok)
            }
            #expect(try await Shop.complete(api, early, key: key).status == .created)
            expectProblem(try await Shop.complete(api, late, key: key), .conflict, "usage_limit_reached")
            let reopened = try await api.get("/store/v1/carts/\(late)", as: .bearer(key))
            #expect(reopened.json["status"] == .string("open"))
            #expect(try await api.delete("/store/v1/carts/\(late)/promotions/WELCOME10", as: .bearer(key)).status == .ok)
            #expect(try await Shop.complete(api, late, key: key).status == .created)
        }
    }

    @Test func aChannelTakesOnlyThePaymentsItIsConfiguredFor() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "pay", stock: 10, sizes: ["s"])
            // A live channel that takes invoices only: test cards and unknown providers are refused
            #expect(try await api.patch("/admin/v1/channels/web", #"{"payment_providers":["manual"],"test_mode":false}"#).status == .ok)
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            let test = try await Shop.complete(api, cart, key: key)
            expectValidation(test, [FieldErrorExpectation("/payment/provider", "provider_not_enabled")])
            #expect(try await api.get("/admin/v1/orders").json["data"]?.arrayValue?.isEmpty == true)
            let manual = try await api.post("/store/v1/carts/\(cart)/complete", #"{"payment":{"provider":"manual"}}"#, as: .bearer(key))
            #expect(manual.status == .created, "\(manual.text)")
            // The test provider is listed but the channel is live: still refused
            #expect(try await api.patch("/admin/v1/channels/web", #"{"payment_providers":["test"]}"#).status == .ok)
            let listed = try await Shop.readyCart(api, key: key, variants: variants)
            let refused = try await Shop.complete(api, listed, key: key)
            expectValidation(refused, [FieldErrorExpectation("/payment/provider", "provider_not_enabled")])
            #expect(refused.json["detail"]?.stringValue?.contains("test mode") == true)
            // A channel with no providers takes no orders at all
            #expect(try await api.patch("/admin/v1/channels/web", #"{"payment_providers":[]}"#).status == .ok)
            expectValidation(try await api.post("/store/v1/carts/\(listed)/complete", #"{"payment":{"provider":"manual"}}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/payment/provider", "provider_not_enabled")])
        }
    }

    @Test func metricsCanBePutBehindAToken() async throws {
        try await withAPI(metricsToken: "m3trics-t0ken") { api in
            expectProblem(try await api.get("/metrics", as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.get("/metrics", as: .bearer("m3trics-t0keN")), .unauthorized, "unauthenticated")
            expectProblem(try await api.get("/metrics", as: .bearer("m3trics-t0ken-and-more")), .unauthorized, "unauthenticated")
            #expect(try await api.get("/metrics", as: .bearer("m3trics-t0ken")).status == .ok)
            #expect(try await api.get("/health", as: .none).status == .ok)
        }
        try await withAPI { api async throws in
            let open = try await api.get("/metrics", as: .none)
            #expect(open.status == .ok)
        }
    }
}
