import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Carts, checkout and orders through the storefront and admin APIs, on the backend chosen by
/// TORSO_TEST_DATABASE: prices as the storefront shows them, no oversell, one order per cart,
/// every payment outcome, and only legal order moves.
@Suite struct CheckoutTests {

    @Test func aCartChargesWhatTheStorefrontShowsAndPlacesOneOrder() async throws {
        try await withAPI { api in
            // Given a shop and a cart with two lines
            let (key, variants) = try await Shop.shop(api)
            let shown = try await api.get("/store/v1/products/co-s", as: .bearer(key))
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            // When the cart is read
            let view = try await api.get("/store/v1/carts/\(cart)", as: .bearer(key))
            // Then each line costs the storefront's price, and the totals add up (tax included in prices)
            #expect(view.json["lines"]?.arrayValue?.first?["unit_amount"] == shown.json["variants"]?.arrayValue?.first?["price"]?["amount"])
            let totals = try #require(view.json["totals"]?.objectValue)
            #expect(totals["subtotal"] == .number(4_000))
            #expect(totals["shipping_total"] == .number(495))
            #expect(totals["total"] == .number(4_495))
            #expect(totals["tax_total"] == .number(319 + 319 + 79))  // 19 % inside each 2,000 line and inside 495, rounded per line
            #expect(totals["tax_mode"] == .string("inclusive"))
            let options = try await api.get("/store/v1/carts/\(cart)/shipping-methods", as: .bearer(key))
            #expect(options.json["data"]?.arrayValue?.map { $0["code"] } == [.string("standard")])
            // When it is completed, then again
            let placed = try await Shop.complete(api, cart, key: key, idempotency: "k1")
            let again = try await Shop.complete(api, cart, key: key)
            // Then one order, numbered, charged the cart's total; the second answer is the same order
            #expect(placed.status == .created, "\(placed.text)")
            #expect(placed.json["number"] == .string("T-100001"))
            #expect(placed.json["totals"]?["total"] == .number(4_495))
            #expect(placed.json["status"] == .string("pending"))
            #expect(again.status == .ok)
            #expect(again.json["id"] == placed.json["id"])
            // And the stock went down in the storefront within moments, and the cart is closed
            #expect(try await Shop.available(api, "co-s", key: key, becomes: 4) == 4)
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])"}"#, as: .bearer(key)),
                          .conflict, "cart_not_open")
            let orders = try await api.get("/admin/v1/orders?status=pending")
            #expect(orders.json["data"]?.arrayValue?.count == 1)
        }
    }

    @Test func a100BuyersRaceFor7UnitsAndExactly7OrdersArePlaced() async throws {
        try await withAPI { api in
            // Given one variant with 7 units and 100 buyers with ready carts
            let (key, variants) = try await Shop.shop(api, suffix: "race", stock: 7, sizes: ["m"])
            var carts: [String] = []
            for _ in 0..<100 { carts.append(try await Shop.readyCart(api, key: key, variants: variants)) }
            // When all complete at once
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for cart in carts {
                    group.addTask {
                        let response = try await Shop.complete(api, cart, key: key)
                        return (response.status, response.json["code"]?.stringValue)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Then exactly 7 orders, stock 0, and every other buyer got 409 insufficient_stock
            #expect(statuses.filter { $0.0 == .created }.count == 7)
            #expect(statuses.filter { $0.0 == .conflict && $0.1 == "insufficient_stock" }.count == 93)
            let orders = try await api.get("/admin/v1/orders?limit=200")
            #expect(orders.json["data"]?.arrayValue?.count == 7)
            #expect(try await Shop.available(api, "race-m", key: key, becomes: 0) == 0)
        }
    }

    @Test func completingOneCart20TimesAtOnceMakesOneOrderAndOnePayment() async throws {
        try await withAPI { api in
            // Given a ready cart
            let (key, variants) = try await Shop.shop(api, suffix: "twenty", stock: 50, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            // When 20 requests complete it concurrently: 10 with one idempotency key, 10 with their own
            let responses = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for attempt in 0..<20 {
                    group.addTask { try await Shop.complete(api, cart, key: key, idempotency: attempt < 10 ? "same" : "own-\(attempt)") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Then one 201; the others are the same order or 409 checkout_in_progress; one order, stock down by one
            let created = responses.filter { $0.status == .created }
            #expect(created.count == 1)
            let orderId = created.first?.json["id"]
            for response in responses where response.status != .created {
                #expect(response.status == .ok && response.json["id"] == orderId
                        || response.status == .conflict && response.json["code"] == .string("checkout_in_progress"), "\(response.status) \(response.text)")
            }
            #expect(try await api.get("/admin/v1/orders").json["data"]?.arrayValue?.count == 1)
            let order = try await api.get("/admin/v1/orders/\(try #require(orderId?.stringValue))")
            #expect(order.json["payment"]?["status"] == .string("authorized"))
            #expect(try await Shop.available(api, "twenty-s", key: key, becomes: 49) == 49)
        }
    }

    @Test(arguments: [("4000000000000002", "card_declined"), ("4000000000009995", "insufficient_funds"),
                      ("4000000000000119", "processing_error"), ("1234", "invalid_card")])
    func aRefusedPaymentLeavesTheCartOpenAndPlacesNothing(card: String, code: String) async throws {
        try await withAPI { api in
            // Given a ready cart
            let (key, variants) = try await Shop.shop(api, suffix: "pay", stock: 3, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            // When the card is refused
            let refused = try await Shop.complete(api, cart, key: key, card: card)
            // Then 402 with the provider's code, no order, the cart is open again, and a good card then works
            expectProblem(refused, HTTPResponse.Status(code: 402), code)
            #expect(try await api.get("/admin/v1/orders").json["data"]?.arrayValue?.isEmpty == true)
            #expect(try await api.get("/store/v1/carts/\(cart)", as: .bearer(key)).json["status"] == .string("open"))
            #expect(try await Shop.complete(api, cart, key: key).status == .created)
        }
    }

    @Test func ordersMoveOnlyAlongTheStateMachineAndCancelingRestocks() async throws {
        try await withAPI { api in
            // Given a placed order (stock 3 → 2)
            let (key, variants) = try await Shop.shop(api, suffix: "life", stock: 3, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            let order = try #require(try await Shop.complete(api, cart, key: key).json["id"]?.stringValue)
            func move(_ event: String) async throws -> APIResponse {
                try await api.post("/admin/v1/orders/\(order)/transitions", #"{"event":"\#(event)","note":"DHL 123"}"#)
            }
            // When illegal moves are tried / Then 409 illegal_transition and nothing changes
            expectProblem(try await move("ship"), .conflict, "illegal_transition")
            expectProblem(try await move("refund"), .conflict, "illegal_transition")
            // Legal ones work and are recorded; confirm captures the payment
            let confirmed = try await move("confirm")
            #expect(confirmed.json["status"] == .string("confirmed"))
            #expect(confirmed.json["payment"]?["status"] == .string("captured"))
            // Canceling a confirmed order puts the stock back and ends the order
            let canceled = try await move("cancel")
            #expect(canceled.json["status"] == .string("canceled"), "\(canceled.text)")
            #expect(canceled.json["payment"]?["status"] == .string("refunded"))
            #expect(canceled.json["history"]?.arrayValue?.count == 3)
            #expect(try await Shop.available(api, "life-s", key: key, becomes: 3) == 3)
            expectProblem(try await move("confirm"), .conflict, "illegal_transition")
            expectProblem(try await api.post("/admin/v1/orders/\(order)/transitions", #"{"event":"confirm"}"#, as: .bearer(key)),
                          .forbidden, "secret_key_required")
        }
    }

    @Test func promotionCodesDiscountTheCartAndTheirLimitsHold() async throws {
        try await withAPI { api in
            // Given a 10 % code usable once, a code with a minimum, and a ready cart of 4,000
            let (key, variants) = try await Shop.shop(api, suffix: "promo", stock: 10, sizes: ["s", "m"])
            #expect(try await api.post("/admin/v1/promotions", #"{"id":"ten","code":"TEN","name":"Ten","kind":{"type":"percentage","basis_points":1000},"usage_limit":1}"#).status == .created)
            #expect(try await api.post("/admin/v1/promotions", #"{"id":"big","code":"BIG","name":"Big spender","kind":{"type":"fixed","amount":1000,"currency":"EUR"},"minimum_subtotal":50000}"#).status == .created)
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            // When codes are applied / Then unknown and unmet ones are refused with the reason
            expectValidation(try await api.post("/store/v1/carts/\(cart)/promotions", #"{"code":"NOPE"}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/code", "promotion_not_found")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/promotions", #"{"code":"BIG"}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/code", "minimum_not_met")])
            let applied = try await api.post("/store/v1/carts/\(cart)/promotions", #"{"code":"ten"}"#, as: .bearer(key))
            #expect(applied.status == .ok, "\(applied.text)")
            // The discount comes off before shipping and tax: 4,000 − 400 + 495
            #expect(applied.json["totals"]?["discount_total"] == .number(400))
            #expect(applied.json["totals"]?["total"] == .number(4_095))
            #expect(applied.json["promotions"]?.arrayValue?.first?["id"] == .string("ten"))
            let order = try await Shop.complete(api, cart, key: key)
            #expect(order.json["totals"]?["total"] == .number(4_095), "\(order.text)")
            #expect(order.json["promotions"]?.arrayValue?.first?["amount"] == .number(400))
            // And the code, used once, is used up for the next cart
            let next = try await Shop.readyCart(api, key: key, variants: variants)
            expectValidation(try await api.post("/store/v1/carts/\(next)/promotions", #"{"code":"TEN"}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/code", "usage_limit_reached")])
            expectProblem(try await api.delete("/store/v1/carts/\(next)/promotions/TEN", as: .bearer(key)), .notFound, "not_found")
        }
    }

    @Test func cartsRefuseBadInputWrongKeysAndOtherChannels() async throws {
        try await withAPI { api in
            // Given a shop and an empty cart
            let (key, variants) = try await Shop.shop(api, suffix: "bad", stock: 2, sizes: ["s"])
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            let voice = try await api.makePublishableKey(channel: "voice")
            // Then: keys
            expectProblem(try await api.get("/store/v1/carts/\(cart)", as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.get("/store/v1/carts/\(cart)"), .forbidden, "publishable_key_required")
            expectProblem(try await api.get("/store/v1/carts/\(cart)", as: .bearer(voice)), .notFound, "not_found")
            // Input
            expectValidation(try await api.post("/store/v1/carts", #"{"currency":"JPY"}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/currency", "currency_not_in_channel")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"var_nope"}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/variant_id", "variant_not_found")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":0}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/quantity", "out_of_range")])
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":3}"#, as: .bearer(key)),
                          .conflict, "insufficient_stock")
            expectValidation(try await api.post("/store/v1/carts/\(cart)/lines", #"{"quantity":1}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/variant_id", "required")])
            expectValidation(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key),
                                                   body: #"{"email":"nope","shipping_address":{"first_name":"A","country":"Germany"},"colour":"red"}"#),
                             [FieldErrorExpectation("/colour", "unknown_field"), FieldErrorExpectation("/shipping_address/last_name", "required")])
            expectValidation(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"shipping_method":"teleport"}"#),
                             [FieldErrorExpectation("/shipping_method", "shipping_method_unavailable")])
            // Checkout of an incomplete cart says what is missing; an unknown provider is refused
            let incomplete = try await api.post("/store/v1/carts/\(cart)/checkout", "{}", as: .bearer(key))
            expectProblem(incomplete, .conflict, "cart_incomplete")
            #expect(incomplete.fieldErrors.contains(FieldErrorExpectation("/lines", "required")))
            expectValidation(try await api.post("/store/v1/carts/\(cart)/complete", #"{"payment":{"provider":"barter"}}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/payment/provider", "unknown_provider")])
            // A stale version is refused
            expectProblem(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"email":"a@b.de"}"#,
                                                headers: [.ifMatch: "\"7\""]), .conflict, "version_mismatch")
            // And a held stock is held: checkout holds both units, another cart cannot take them
            let full = try await Shop.readyCart(api, key: key, variants: variants)
            #expect(try await api.patch("/store/v1/carts/\(full)/lines/\(try #require(try await api.get("/store/v1/carts/\(full)", as: .bearer(key)).json["lines"]?[0]?["id"]?.stringValue))",
                                        #"{"quantity":2}"#, as: .bearer(key)).status == .ok)
            #expect(try await api.post("/store/v1/carts/\(full)/checkout", "{}", as: .bearer(key)).status == .ok)
            // (held units are not available: another cart cannot even add them)
            let other = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            expectProblem(try await api.post("/store/v1/carts/\(other)/lines", #"{"variant_id":"\#(variants[0])","quantity":1}"#, as: .bearer(key)),
                          .conflict, "insufficient_stock")
        }
    }
}
