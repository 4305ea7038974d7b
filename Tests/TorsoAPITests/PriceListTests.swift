import Foundation
import HTTPTypes
import Testing
import TorsoHTTP
import TorsoKit
import TorsoTestSupport

/// Price lists through the admin API, and what they do to the storefront and to carts: the
/// storefront shows the price a cart charges (sales with compare-at prices, tiers, customer
/// groups), and a list that starts or ends changes both on time without any write.
@Suite struct PriceListTests {
    /// A product published on web with three variants at 20.00 EUR (21.00 USD); returns the web
    /// key and the variant IDs (SKUs `<suffix>-s`, `-m`, `-l`).
    static func shop(_ api: TestAPI, suffix: String = "pl") async throws -> (key: String, variants: [String]) {
        let product = try await api.createProduct(Shop.completeProduct(suffix, prices: [2_000], stock: 50))
        let id = try #require(product.id)
        #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
        let variants = (product.json["variants"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        #expect(variants.count == 3)
        return (try await api.makePublishableKey(channel: "web"), variants)
    }

    /// Creates a price list, which must succeed; returns its ID.
    @discardableResult
    static func createList(_ api: TestAPI, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await api.post("/admin/v1/price-lists", body)
        #expect(response.status == .created, "creating a price list: \(response.text)", sourceLocation: sourceLocation)
        return try #require(response.id, sourceLocation: sourceLocation)
    }

    /// The amount of a Money member.
    static func amount(_ value: JSONValue?) -> Double? { value?["amount"]?.numberValue }

    /// The storefront's price of the product's first variant and of the product.
    static func shown(_ api: TestAPI, key: String, slug: String = "pl", token: String? = nil) async throws -> (variant: Double?, product: Double?) {
        var headers: HTTPFields = [:]
        if let token { headers[CustomerTokenHeader.name] = token }
        let detail = try await api.get("/store/v1/products/\(slug)", as: .bearer(key), headers: headers)
        return (amount(detail.json["variants"]?[0]?["price"]), amount(detail.json["price"]))
    }

    /// A guest cart holding `quantity` units of `variant`; returns its ID.
    static func cart(_ api: TestAPI, key: String, variant: String, quantity: Int = 1, token: String? = nil) async throws -> String {
        var headers: HTTPFields = [:]
        if let token { headers[CustomerTokenHeader.name] = token }
        let created = try await api.request(.post, "/store/v1/carts", as: .bearer(key), body: "{}", headers: headers)
        #expect(created.status == .created, "\(created.text)")
        let cart = try #require(created.json["id"]?.stringValue)
        let added = try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variant)","quantity":\#(quantity)}"#, as: .bearer(key),
                                       headers: headers)
        #expect(added.status == .ok, "\(added.text)")
        return cart
    }

    /// The unit price of a cart's first line.
    static func linePrice(_ api: TestAPI, key: String, cart: String, token: String? = nil) async throws -> Double? {
        var headers: HTTPFields = [:]
        if let token { headers[CustomerTokenHeader.name] = token }
        return try await api.get("/store/v1/carts/\(cart)", as: .bearer(key), headers: headers).json["lines"]?[0]?["unit_amount"]?.numberValue
    }

    /// Polls `probe` until it returns `expected` or `seconds` pass; returns the last value seen.
    static func eventually<T: Equatable & Sendable>(_ expected: T, within seconds: Double = 10,
                                                    _ probe: () async throws -> T) async throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        var seen = try await probe()
        while seen != expected, Date() < deadline {
            try await Task.sleep(for: .milliseconds(25))
            seen = try await probe()
        }
        return seen
    }

    @Test func priceListsAreCreatedReadChangedAndDeleted() async throws {
        try await withAPI { api in
            // Given
            let (_, variants) = try await Self.shop(api)
            let body = #"""
                {"code":"spring","name":"Spring sale","channel":"web","currency":"EUR","type":"sale","starts_at":"2026-03-01T00:00:00Z",
                 "prices":[{"variant_id":"\#(variants[0])","amount":1500},{"sku":"pl-m","amount":1600,"min_quantity":3}]}
                """#
            // When
            let created = try await api.post("/admin/v1/price-lists", body)
            // Then
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.id)
            #expect(id.hasPrefix("pl_") && created.version == 1)
            #expect(created.json["customer_group"] == .null && created.json["ends_at"] == .null && created.json["priority"] == .number(0))
            #expect(created.json["starts_at"]?.stringValue?.hasPrefix("2026-03-01T00:00:00") == true)
            #expect(created.json["prices"]?[1]?["min_quantity"] == .number(3) && created.json["prices"]?[1]?["variant_id"] == .null)
            #expect(try await api.get("/admin/v1/price-lists").data.compactMap { $0["id"]?.stringValue } == [id])
            let read = try await api.get("/admin/v1/price-lists/\(id)")
            #expect(read.status == .ok && read.headers[.eTag] == "\"1\"" && read.json["code"] == .string("spring"))
            // When changed with the current version, then with a stale one
            let changed = try await api.patch("/admin/v1/price-lists/\(id)", #"{"priority":3,"name":null}"#, ifMatch: "\"1\"")
            let stale = try await api.patch("/admin/v1/price-lists/\(id)", #"{"priority":4}"#, ifMatch: "\"1\"")
            // Then
            #expect(changed.status == .ok && changed.version == 2, "\(changed.text)")
            #expect(changed.json["priority"] == .number(3) && changed.json["name"] == .null)
            expectProblem(stale, .conflict, "version_mismatch")
            #expect(stale.json["current_version"] == .number(2))
            // The code is the list's identity for people: fixed, and unique
            expectValidation(try await api.patch("/admin/v1/price-lists/\(id)", #"{"code":"autumn"}"#), [.init("/code", "immutable_field")])
            expectValidation(try await api.post("/admin/v1/price-lists", #"{"code":"spring","currency":"USD","type":"override"}"#),
                             [.init("/code", "duplicate")], exactly: true)
            // When deleted with a stale version, then the current one
            expectProblem(try await api.delete("/admin/v1/price-lists/\(id)", ifMatch: "\"1\""), .conflict, "version_mismatch")
            #expect(try await api.delete("/admin/v1/price-lists/\(id)", ifMatch: "\"2\"").status == .noContent)
            // Then
            expectProblem(try await api.get("/admin/v1/price-lists/\(id)"), .notFound, "not_found")
            #expect(try await api.get("/admin/v1/price-lists").data.isEmpty)
        }
    }

    @Test func invalidListsAreRefusedWithEveryProblemAtOnce() async throws {
        try await withAPI { api in
            // Given
            let (_, variants) = try await Self.shop(api)
            let before = try await api.snapshot()
            let missingVariant = "var_" + String(repeating: "0", count: 26)
            let cases: [(String, [FieldErrorExpectation])] = [
                (#"{"code":"a","channel":"moon","currency":"EUR","type":"sale"}"#, [.init("/channel", "unknown_channel")]),
                (#"{"code":"a","channel":"voice","currency":"EUR","type":"sale"}"#, [.init("/currency", "currency_not_in_channel")]),
                (#"{"code":"a","currency":"EURO","type":"sale","starts_at":"tomorrow"}"#,
                 [.init("/currency", "invalid_currency"), .init("/starts_at", "invalid_date")]),
                (#"{"code":"a","currency":"eur","type":"sale","ends_at":"2026-01-01T00:00:00Z","starts_at":"2026-01-01T00:00:00Z"}"#,
                 [.init("/currency", "invalid_currency"), .init("/ends_at", "invalid_range")]),
                (#"{"code":"a","currency":"EUR","type":"discount","customer_group":"Gold Members"}"#, [.init("/type", "invalid_value")]),
                (#"{"code":"a","currency":"EUR","type":"sale","customer_group":"Gold Members"}"#, [.init("/customer_group", "invalid_code")]),
                (#"{"code":"a","type":"sale","prices":[{"sku":"pl-s","amount":"cheap"}]}"#,
                 [.init("/currency", "required"), .init("/prices/0/amount", "invalid_type")]),
                (#"""
                 {"code":"a","currency":"EUR","type":"override","prices":[{"amount":100},{"sku":"pl-s","amount":-1},
                  {"sku":"pl-s","amount":5,"min_quantity":0},{"variant_id":"\#(missingVariant)","amount":5},{"variant_id":"prod_1","amount":5},
                  {"sku":"NOPE","amount":5},{"variant_id":"\#(variants[1])","amount":7,"min_quantity":2},{"variant_id":"\#(variants[1])","amount":6,"min_quantity":2}]}
                 """#,
                 [.init("/prices/0", "variant_or_sku_required"), .init("/prices/1/amount", "invalid_amount"),
                  .init("/prices/2/min_quantity", "out_of_range"), .init("/prices/3/variant_id", "unknown_variant"),
                  .init("/prices/4/variant_id", "invalid_reference"), .init("/prices/5/sku", "unknown_sku"), .init("/prices/7", "duplicate_price")]),
            ]
            for (body, expected) in cases {
                // When
                let response = try await api.post("/admin/v1/price-lists", body)
                // Then
                expectValidation(response, expected, exactly: true, body)
            }
            #expect(try await api.snapshot() == before)
        }
    }

    @Test func theStorefrontAndTheCartShowTheSameSalePrice() async throws {
        try await withAPI { api in
            // Given a sale on the first variant
            let (key, variants) = try await Self.shop(api)
            try await Self.createList(api, #"{"code":"sale","currency":"EUR","type":"sale","prices":[{"variant_id":"\#(variants[0])","amount":1500}]}"#)
            // When
            let detail = try await api.get("/store/v1/products/pl", as: .bearer(key))
            let list = try await api.get("/store/v1/products?price_max=1600", as: .bearer(key))
            let cart = try await Self.cart(api, key: key, variant: variants[0])
            let view = try await api.get("/store/v1/carts/\(cart)", as: .bearer(key))
            // Then the detail shows the sale price and the regular one to strike through
            let variant = try #require(detail.json["variants"]?[0])
            #expect(Self.amount(variant["price"]) == 1_500 && Self.amount(variant["compare_at"]) == 2_000)
            #expect(variant["prices"]?[0]?["compare_at_amount"] == .number(2_000))
            #expect(Self.amount(detail.json["variants"]?[1]?["price"]) == 2_000 && detail.json["variants"]?[1]?["compare_at"] == .null)
            #expect(Self.amount(detail.json["price"]) == 1_500 && Self.amount(detail.json["compare_at"]) == 2_000)
            // and the list (price filter and sort use it) agrees
            #expect(list.data.count == 1, "\(list.text)")
            #expect(Self.amount(list.data.first?["price"]) == 1_500 && Self.amount(list.data.first?["compare_at"]) == 2_000)
            // and the cart charges exactly that, telling where it came from
            let line = try #require(view.json["lines"]?[0])
            #expect(line["unit_amount"]?.numberValue == Self.amount(variant["price"]))
            #expect(line["compare_at_amount"] == .number(2_000) && line["price_list"] == .string("sale"))
            #expect(view.json["totals"]?["subtotal"] == .number(1_500))
        }
    }

    @Test func aListThatStartsAndEndsChangesTheStorefrontAndTheCartOnTime() async throws {
        try await withAPI { api in
            // Given a cart, and a sale starting in 1.5 seconds and ending 2 seconds later
            let (key, variants) = try await Self.shop(api)
            let cart = try await Self.cart(api, key: key, variant: variants[0])
            let starts = Date().addingTimeInterval(1.5), ends = starts.addingTimeInterval(2)
            try await Self.createList(api, """
                {"code":"flash","currency":"EUR","type":"sale","starts_at":"\(Timestamp.string(starts))","ends_at":"\(Timestamp.string(ends))",
                 "prices":[{"variant_id":"\(variants[0])","amount":1200}]}
                """)
            #expect(try await Self.shown(api, key: key).variant == 2_000)
            #expect(try await Self.linePrice(api, key: key, cart: cart) == 2_000)
            // When it starts, with no write anywhere
            let started = try await Self.eventually(1_200) { try await Self.shown(api, key: key).variant }
            // Then the storefront shows it within about a second of the start, and the cart charges it
            #expect(started == 1_200)
            #expect(Date().timeIntervalSince(starts) < 1.5 || Date() >= ends, "the storefront changed late")
            #expect(try await Self.linePrice(api, key: key, cart: cart) == 1_200)
            #expect(Self.amount(try await api.get("/store/v1/products?price_max=1300", as: .bearer(key)).data.first?["price"]) == 1_200)
            // When it ends
            let ended = try await Self.eventually(2_000) { try await Self.shown(api, key: key).variant }
            // Then both go back to the regular price
            #expect(ended == 2_000)
            #expect(try await Self.linePrice(api, key: key, cart: cart) == 2_000)
            #expect(try await api.get("/store/v1/products?price_max=1300", as: .bearer(key)).data.isEmpty)
        }
    }

    @Test func tiersApplyInTheCartFromTheirQuantity() async throws {
        try await withAPI { api in
            // Given 18.00 from 5 units and 15.00 from 10 (by SKU)
            let (key, variants) = try await Self.shop(api)
            try await Self.createList(api, """
                {"code":"bulk","currency":"EUR","type":"sale","prices":[{"sku":"pl-s","amount":1800,"min_quantity":5},{"sku":"pl-s","amount":1500,"min_quantity":10}]}
                """)
            // When
            let detail = try await api.get("/store/v1/products/pl", as: .bearer(key))
            let cart = try await Self.cart(api, key: key, variant: variants[0], quantity: 4)
            let four = try await Self.linePrice(api, key: key, cart: cart)
            let line = try #require(try await api.get("/store/v1/carts/\(cart)", as: .bearer(key)).json["lines"]?[0]?["id"]?.stringValue)
            let five = try await api.patch("/store/v1/carts/\(cart)/lines/\(line)", #"{"quantity":5}"#, as: .bearer(key))
            let ten = try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":5}"#, as: .bearer(key))
            // Then the detail announces the tiers and the cart charges them from their quantity on
            let tiers = detail.json["variants"]?[0]?["tiers"]
            #expect(tiers == .array([.object(["min_quantity": .number(5), "amount": .number(1_800)]),
                                     .object(["min_quantity": .number(10), "amount": .number(1_500)])]), "\(detail.text)")
            #expect(Self.amount(detail.json["variants"]?[0]?["price"]) == 2_000)
            #expect(four == 2_000)
            #expect(five.json["lines"]?[0]?["unit_amount"] == .number(1_800), "\(five.text)")
            #expect(ten.json["lines"]?[0]?["unit_amount"] == .number(1_500) && ten.json["lines"]?[0]?["quantity"] == .number(10))
            #expect(ten.json["totals"]?["subtotal"] == .number(15_000))
        }
    }

    @Test func aCustomerGroupListPricesTheGroupsCartsAndNotGuests() async throws {
        try await withAPI { api in
            // Given trade prices for group b2b, and a customer in it
            let (key, variants) = try await Self.shop(api)
            try await Self.createList(api, """
                {"code":"trade","currency":"EUR","type":"override","customer_group":"b2b","prices":[{"variant_id":"\(variants[0])","amount":1600}]}
                """)
            let customer = try #require(try await Shop.register(api, key: key, email: "buyer@example.com").id)
            #expect(try await api.patch("/admin/v1/customers/\(customer)", #"{"group":"b2b"}"#).status == .ok)
            let token = try await Shop.login(api, key: key, email: "buyer@example.com")
            try await Shop.register(api, key: key, email: "retail@example.com")
            let retail = try await Shop.login(api, key: key, email: "retail@example.com")
            // When
            let groupCart = try await Self.cart(api, key: key, variant: variants[0], token: token)
            let guestCart = try await Self.cart(api, key: key, variant: variants[0])
            let retailCart = try await Self.cart(api, key: key, variant: variants[0], token: retail)
            // Then the group's cart gets the group's price; a guest and a customer of no group do not
            #expect(try await Self.linePrice(api, key: key, cart: groupCart, token: token) == 1_600)
            #expect(try await Self.linePrice(api, key: key, cart: guestCart) == 2_000)
            #expect(try await Self.linePrice(api, key: key, cart: retailCart, token: retail) == 2_000)
            // and a customer's cart opens only with the customer's session
            expectProblem(try await api.get("/store/v1/carts/\(groupCart)", as: .bearer(key)), .unauthorized, "customer_token_required")
            expectProblem(try await api.get("/store/v1/carts/\(groupCart)", as: .bearer(key), headers: [CustomerTokenHeader.name: retail]),
                          .forbidden, "cart_of_another_customer")
            // and the detail read with the group's session shows the group's price, privately
            let personal = try await api.get("/store/v1/products/pl", as: .bearer(key), headers: [CustomerTokenHeader.name: token])
            #expect(Self.amount(personal.json["variants"]?[0]?["price"]) == 1_600 && personal.json["customer_group"] == .string("b2b"))
            #expect(personal.headers[.cacheControl]?.hasPrefix("private") == true)
            #expect(try await Self.shown(api, key: key).variant == 2_000)
            #expect(try await Self.shown(api, key: key, token: retail).variant == 2_000)
            // and the storefront list (shared by everyone) keeps the guests' price
            #expect(Self.amount(try await api.get("/store/v1/products", as: .bearer(key)).data.first?["price"]) == 2_000)
            expectProblem(try await api.get("/store/v1/products/pl", as: .bearer(key), headers: [CustomerTokenHeader.name: "cs_nope"]),
                          .unauthorized, "invalid_customer_token")
        }
    }

    @Test func checkoutChargesTheListPriceOfTheMomentItCompletes() async throws {
        try await withAPI { api in
            // Given a ready cart at the regular price, then a sale that starts
            let (key, variants) = try await Shop.shop(api, suffix: "plc", sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            try await Self.createList(api, #"{"code":"now","currency":"EUR","type":"sale","prices":[{"variant_id":"\#(variants[0])","amount":1000}]}"#)
            // When
            let order = try await Shop.complete(api, cart, key: key)
            // Then the order is at the sale price
            #expect(order.status == .created, "\(order.text)")
            #expect(order.json["lines"]?[0]?["unit_amount"] == .number(1_000), "\(order.text)")
            #expect(order.json["totals"]?["subtotal"] == .number(1_000), "\(order.text)")
        }
    }
}
