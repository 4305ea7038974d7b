import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// What a tester found from outside after the inventory and stores landed, each kept as a test.
@Suite struct InventoryFindingsTests {
    @Test func aChannelThatHidesCountsDoesNotTellThemInErrorsEither() async throws {
        try await withAPI { api in
            let (_, variants) = try await Shop.shop(api, suffix: "hide", stock: 5, sizes: ["s"])
            #expect(try await api.patch("/admin/v1/channels/web", #"{"stock_display":"band"}"#).status == .ok)
            let key = try await api.makePublishableKey()
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            let refused = try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":99}"#, as: .bearer(key))
            expectProblem(refused, .conflict, "insufficient_stock")
            #expect(refused.json["detail"] == .string("Not enough units of '\(variants[0])' are available."), "\(refused.text)")
            #expect(!refused.text.contains("Only") && !refused.text.contains(" of the "))
        }
    }

    @Test func checkoutChecksTheCollectionAgainAndAPickupCartCountsItsStore() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "recheck", stock: 2, sizes: ["s"])
            try await StoreLocatorTests.stores(api)
            #expect(try await api.patch("/admin/v1/channels/web", #"{"stock_locations":["berlin"]}"#).status == .ok)
            #expect(try await Shop.adjust(api, #"{"sku":"recheck-s-s","location":"berlin-mitte","set":5}"#).status == .created)
            #expect(try await api.post("/admin/v1/shipping-methods",
                                       #"{"code":"pickup","zones":[{"countries":["DE"]}],"rate":{"type":"flat","amount":0},"currency":"EUR","pickup":true}"#).status == .created)
            // A pickup cart may take what the store has (5), not what the channel sells online (2)
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            #expect(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key),
                                          body: #"{"shipping_method":"pickup","pickup_store":"berlin-mitte","email":"a@example.com","shipping_address":\#(Shop.address)}"#).status == .ok)
            #expect(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":4}"#, as: .bearer(key)).status == .ok)
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":2}"#, as: .bearer(key)),
                          .conflict, "insufficient_stock")
            // When the store stops offering pickup after the cart chose it, checkout says so
            #expect(try await api.patch("/admin/v1/stock-locations/berlin-mitte", #"{"pickup":false}"#).status == .ok)
            let refused = try await api.post("/store/v1/carts/\(cart)/checkout", "{}", as: .bearer(key))
            expectProblem(refused, .conflict, "cart_incomplete")
            #expect(refused.fieldErrors.contains(FieldErrorExpectation("/pickup_store", "unknown_store")))
            expectProblem(try await Shop.complete(api, cart, key: key), .conflict, "cart_incomplete")
            // And when the method stops being a pickup method
            #expect(try await api.patch("/admin/v1/stock-locations/berlin-mitte", #"{"pickup":true}"#).status == .ok)
            #expect(try await api.patch("/admin/v1/shipping-methods/pickup", #"{"pickup":false}"#).status == .ok)
            let switched = try await api.post("/store/v1/carts/\(cart)/checkout", "{}", as: .bearer(key))
            #expect(switched.fieldErrors.contains(FieldErrorExpectation("/shipping_method", "invalid_value")), "\(switched.text)")
        }
    }

    @Test func aChangedCartLetsItsHoldsGoAndCheckoutPointsAtTheLine() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "let", stock: 3, sizes: ["s", "m"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            #expect(try await api.post("/store/v1/carts/\(cart)/checkout", "{}", as: .bearer(key)).status == .ok)
            #expect(try await api.get("/admin/v1/inventory?sku=let-s-s").json["data"]?[0]?["reserved"] == .number(1))
            // When a line is removed, the cart's holds go
            let line = try #require(try await api.get("/store/v1/carts/\(cart)", as: .bearer(key)).json["lines"]?[0]?["id"]?.stringValue)
            #expect(try await api.delete("/store/v1/carts/\(cart)/lines/\(line)", as: .bearer(key)).status == .ok)
            #expect(try await api.get("/admin/v1/inventory?sku=let-s-s").json["data"]?[0]?["reserved"] == .number(0))
            #expect(try await api.get("/admin/v1/inventory?sku=let-m-m").json["data"]?[0]?["reserved"] == .number(0))
            // A shortfall on the second line points at it
            let other = try await Shop.readyCart(api, key: key, variants: variants)
            let second = try #require(try await api.get("/store/v1/carts/\(other)", as: .bearer(key)).json["lines"]?[1]?["id"]?.stringValue)
            #expect(try await api.patch("/store/v1/carts/\(other)/lines/\(second)", #"{"quantity":3}"#, as: .bearer(key)).status == .ok)
            #expect(try await Shop.adjust(api, #"{"sku":"let-m-m","location":"berlin","set":1}"#).status == .created)
            let short = try await api.post("/store/v1/carts/\(other)/checkout", "{}", as: .bearer(key))
            expectProblem(short, .conflict, "insufficient_stock")
            #expect(short.fieldErrors.contains(FieldErrorExpectation("/lines/1/quantity", "insufficient_stock")), "\(short.text)")
        }
    }

    @Test func settingsThatWouldStrandStockOrStoresAreRefused() async throws {
        try await withAPI { api in
            try await StoreLocatorTests.stores(api)
            expectValidation(try await api.patch("/admin/v1/channels/web", #"{"stock_locations":["atlantis","berlin","berlin"]}"#),
                             [FieldErrorExpectation("/stock_locations/0", "unknown_location"), FieldErrorExpectation("/stock_locations/2", "duplicate")])
            expectProblem(try await api.delete("/admin/v1/channels/voice"), .conflict, "in_use")
            expectValidation(try await api.post("/admin/v1/stock-locations", #"{"code":"depot","name":"Depot","channels":["web"]}"#),
                             [FieldErrorExpectation("/channels", "invalid_value")])
            expectValidation(try await api.patch("/admin/v1/stock-locations/vienna",
                                                  #"{"opening_hours":[{"day":"mon","opens":"10:00","closes":"20:00"},{"day":"mon","opens":"12:00","closes":"22:00"}]}"#),
                             [FieldErrorExpectation("/opening_hours/1", "invalid_range")])
            let key = try await api.makePublishableKey()
            expectValidation(try await api.get("/store/v1/stores?near=0x10,1", as: .bearer(key)), [FieldErrorExpectation("/query/near", "invalid_value")])
        }
    }

    @Test func batchesRefuseStrayParametersHugeCountsAndReportEveryProblem() async throws {
        try await withAPI { api in
            let (key, _) = try await Shop.shop(api, suffix: "cap", stock: 5, sizes: ["s"])
            expectValidation(try await api.post("/admin/v1/inventory/adjustments?dry_run=true",
                                                #"{"reason":"x","rows":[{"sku":"cap-s-s","location":"berlin","set":50}]}"#),
                             [FieldErrorExpectation("/query/dry_run", "unknown_parameter")])
            expectValidation(try await Shop.adjust(api, #"{"sku":"cap-s-s","location":"berlin","set":1000000001}"#),
                             [FieldErrorExpectation("/rows/0/set", "out_of_range")])
            expectValidation(try await Shop.adjust(api, #"{"sku":"cap-s-s","location":"berlin","set":1000000000},{"sku":"cap-s-s","location":"berlin","delta":1}"#),
                             [FieldErrorExpectation("/rows/1/delta", "out_of_range")])
            expectValidation(try await api.post("/admin/v1/inventory/adjustments", #"{"reason":"","rows":[{"sku":"NOPE","location":"berlin","set":1,"reason":""}]}"#),
                             [FieldErrorExpectation("/rows/0/reason", "required")])
            expectValidation(try await api.post("/admin/v1/inventory/adjustments", #"{"reason":"","rows":[{"sku":"NOPE","location":"berlin","set":1}]}"#),
                             [FieldErrorExpectation("/reason", "required"), FieldErrorExpectation("/rows/0/sku", "unknown_sku")])
            #expect(try await Shop.available(api, "cap-s", key: key, becomes: 5) == 5)
        }
    }

    @Test func anUnknownLocationIsNamedAndAStrayParameterIsExplained() async throws {
        try await withAPI { api in
            // A location that does not exist is not an empty list
            let nowhere = try await api.get("/admin/v1/inventory?location=nowhere")
            #expect(nowhere.status == .unprocessableContent && nowhere.json["errors"]?[0]?["code"] == .string("unknown_location"), "\(nowhere.text)")
            #expect(nowhere.json["errors"]?[0]?["pointer"] == .string("/query/location"))
            #expect(try await api.get("/admin/v1/inventory?location=berlin").status == .ok)
            #expect(try await api.get("/admin/v1/inventory/adjustments?location=nowhere").json["errors"]?[0]?["code"] == .string("unknown_location"))
            // A route with no query parameters says so
            let stray = try await api.request(.post, "/admin/v1/inventory/adjustments?dry_run=1", body: #"{"reason":"x","rows":[]}"#)
            #expect(stray.json["errors"]?[0]?["detail"]?.stringValue?.contains("takes no query parameters") == true, "\(stray.text)")
        }
    }
}

