import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// The inventory API as a stock system uses it: batches of counts, deltas and transfers, the
/// log, and availability that is one number everywhere (on hand minus holds, within the
/// channel's locations).
@Suite struct InventoryAPITests {
    @Test func setsDeltasAndTransfersAreAppliedInOrderLoggedAndShown() async throws {
        try await withAPI { api in
            // Given a variant with 5 in Berlin, and Hamburg
            let (key, _) = try await Shop.shop(api, suffix: "inv", stock: 5, sizes: ["s"])
            #expect(try await api.post("/admin/v1/stock-locations", #"{"code":"hamburg","name":"Hamburg"}"#).status == .created)
            // When a stock take sets 10, 2 are damaged, and 3 go to Hamburg, in one batch
            let batch = try await api.post("/admin/v1/inventory/adjustments", """
                {"reason":"stock_take","reference":"ERP-42","rows":[
                 {"sku":"inv-s-s","location":"berlin","set":10},
                 {"sku":"inv-s-s","location":"berlin","delta":-2,"reason":"damaged"},
                 {"sku":"inv-s-s","location":"berlin","transfer_to":"hamburg","quantity":3}]}
                """)
            #expect(batch.status == .created, "\(batch.text)")
            // Then the answer lists every line with before and after, a transfer as a pair
            let lines = try #require(batch.json["adjustments"]?.arrayValue)
            #expect(lines.map { $0["kind"]?.stringValue ?? "" } == ["set", "delta", "transfer_out", "transfer_in"])
            #expect(lines.map { $0["on_hand_before"]?.numberValue ?? -1 } == [5, 10, 8, 0])
            #expect(lines.map { $0["on_hand_after"]?.numberValue ?? -1 } == [10, 8, 5, 3])
            #expect(lines[1]["reason"] == .string("damaged") && lines[0]["reason"] == .string("stock_take"))
            #expect(lines.allSatisfy { $0["reference"] == .string("ERP-42") && $0["actor"]?.stringValue?.hasPrefix("key_") == true })
            // And the levels, the log (newest first) and the storefront agree: 5 + 3 = 8
            let levels = try await api.get("/admin/v1/inventory?sku=inv-s-s")
            #expect(levels.json["data"]?.arrayValue?.map { "\($0["location"]?.stringValue ?? "")=\($0["on_hand"]?.numberValue ?? -1)" }
                    == ["berlin=5.0", "hamburg=3.0"])
            #expect(try await Shop.available(api, "inv-s", key: key, becomes: 8) == 8)
            let log = try await api.get("/admin/v1/inventory/adjustments?sku=inv-s-s&limit=2")
            #expect(log.json["data"]?[0]?["kind"] == .string("set") && log.json["next_cursor"]?.stringValue != nil)
            #expect(try await api.get("/admin/v1/inventory?below=4").json["data"]?.arrayValue?.contains { $0["sku"] == .string("inv-s-s") } == true)
        }
    }

    @Test func aBatchWithOneBadRowChangesNothing() async throws {
        try await withAPI { api in
            let (key, _) = try await Shop.shop(api, suffix: "bad", stock: 5, sizes: ["s"])
            // When the third row of three is bad, or a row names no variant, or there are too many rows
            let refused = try await api.post("/admin/v1/inventory/adjustments", """
                {"reason":"sync","rows":[{"sku":"bad-s-s","location":"berlin","set":50},{"sku":"bad-s-s","location":"berlin","delta":-1},
                 {"sku":"bad-s-s","location":"berlin","delta":-60}]}
                """)
            expectValidation(refused, [FieldErrorExpectation("/rows/2/delta", "negative_stock")])
            expectValidation(try await Shop.adjust(api, #"{"location":"berlin","set":1}"#), [FieldErrorExpectation("/rows/0", "variant_or_sku_required")])
            expectValidation(try await Shop.adjust(api, #"{"sku":"bad-s-s","location":"berlin","set":1,"delta":2}"#),
                             [FieldErrorExpectation("/rows/0", "invalid_value")])
            expectValidation(try await Shop.adjust(api, #"{"sku":"bad-s-s","location":"berlin","transfer_to":"berlin","quantity":1}"#),
                             [FieldErrorExpectation("/rows/0/transfer_to", "same_location")])
            expectValidation(try await api.post("/admin/v1/inventory/adjustments", #"{"reason":" ","rows":[]}"#),
                             [FieldErrorExpectation("/reason", "required"), FieldErrorExpectation("/rows", "required")])
            let many = Array(repeating: #"{"sku":"bad-s-s","location":"berlin","set":1}"#, count: 10_001).joined(separator: ",")
            expectValidation(try await Shop.adjust(api, many), [FieldErrorExpectation("/rows", "too_many_rows")])
            // Then nothing changed and nothing was logged
            #expect(try await Shop.available(api, "bad-s", key: key, becomes: 5) == 5)
            #expect(try await api.get("/admin/v1/inventory/adjustments?sku=bad-s-s").json["data"]?.arrayValue?
                .allSatisfy { $0["reason"] == .string("product_created") } == true)
        }
    }

    @Test func anIdempotencyKeyAppliesABatchOnce() async throws {
        try await withAPI { api in
            let (key, _) = try await Shop.shop(api, suffix: "idem", stock: 5, sizes: ["s"])
            let body = #"{"reason":"received","rows":[{"sku":"idem-s-s","location":"berlin","delta":4}]}"#
            let first = try await api.post("/admin/v1/inventory/adjustments", body, headers: [HTTPField.Name("Idempotency-Key")!: "po-7"])
            let again = try await api.post("/admin/v1/inventory/adjustments", body, headers: [HTTPField.Name("Idempotency-Key")!: "po-7"])
            #expect(first.status == .created && again.status == .created && first.json["id"] == again.json["id"])
            #expect(try await Shop.available(api, "idem-s", key: key, becomes: 9) == 9)
            let other = try await api.post("/admin/v1/inventory/adjustments", body.replacingOccurrences(of: "4", with: "5"),
                                           headers: [HTTPField.Name("Idempotency-Key")!: "po-7"])
            expectProblem(other, .unprocessableContent, "idempotency_key_reused")
            #expect(try await Shop.available(api, "idem-s", key: key, becomes: 9) == 9)
        }
    }

    @Test func availabilityIsOnHandMinusHoldsWithinTheChannelsLocations() async throws {
        try await withAPI { api in
            // Given web sells from Berlin only; the variant has 4 in Berlin and 6 in Hamburg
            let (key, variants) = try await Shop.shop(api, suffix: "scope", stock: 4, sizes: ["s"])
            #expect(try await api.post("/admin/v1/stock-locations", #"{"code":"hamburg","name":"Hamburg"}"#).status == .created)
            #expect(try await api.patch("/admin/v1/channels/web", #"{"stock_locations":["berlin"]}"#).status == .ok)
            #expect(try await Shop.adjust(api, #"{"sku":"scope-s-s","location":"hamburg","set":6}"#).status == .created)
            // Then the detail, the list and the cart count 4
            #expect(try await Shop.available(api, "scope-s", key: key, becomes: 4) == 4)
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":5}"#, as: .bearer(key)),
                          .conflict, "insufficient_stock")
            // When a cart of 3 is checked out, its hold counts at once: 1 left, 3 reserved in Berlin
            let ready = try await Shop.readyCart(api, key: key, variants: variants)
            let line = try #require(try await api.get("/store/v1/carts/\(ready)", as: .bearer(key)).json["lines"]?[0]?["id"]?.stringValue)
            #expect(try await api.patch("/store/v1/carts/\(ready)/lines/\(line)", #"{"quantity":3}"#, as: .bearer(key)).status == .ok)
            #expect(try await api.post("/store/v1/carts/\(ready)/checkout", "{}", as: .bearer(key)).status == .ok)
            #expect(try await api.get("/store/v1/products/scope-s", as: .bearer(key)).json["available_quantity"] == .number(1))
            let berlin = try await api.get("/admin/v1/inventory?sku=scope-s-s&location=berlin").json["data"]?[0]
            #expect(berlin?["reserved"] == .number(3) && berlin?["available"] == .number(1) && berlin?["on_hand"] == .number(4))
            // When it is ordered and canceled, the 3 go back to Berlin, not Hamburg
            let placed = try await Shop.complete(api, ready, key: key)
            #expect(placed.status == .created, "\(placed.text)")
            #expect(placed.json["stock_taken"] == .array([.object(["variant_id": .string(variants[0]), "location": .string("berlin"), "quantity": .number(3)])]))
            let order = try #require(placed.json["id"]?.stringValue)
            #expect(try await api.post("/admin/v1/orders/\(order)/transitions", #"{"event":"cancel"}"#).status == .ok)
            let after = try await api.get("/admin/v1/inventory?sku=scope-s-s").json["data"]?.arrayValue?.map { $0["on_hand"]?.numberValue ?? -1 }
            #expect(after == [4, 6])
            #expect(try await Shop.available(api, "scope-s", key: key, becomes: 4) == 4)
        }
    }

    @Test func a100BuyersRaceFor7UnitsOverTwoLocations() async throws {
        try await withAPI { api in
            // Given 4 units in Berlin and 3 in Hamburg, and 100 buyers with ready carts
            let (key, variants) = try await Shop.shop(api, suffix: "race2", stock: 4, sizes: ["m"])
            #expect(try await api.post("/admin/v1/stock-locations", #"{"code":"hamburg","name":"Hamburg"}"#).status == .created)
            #expect(try await Shop.adjust(api, #"{"sku":"race2-m-m","location":"hamburg","set":3}"#).status == .created)
            var carts: [String] = []
            for _ in 0..<100 { carts.append(try await Shop.readyCart(api, key: key, variants: variants)) }
            // When all complete at once
            let responses = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for cart in carts { group.addTask { try await Shop.complete(api, cart, key: key) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Then exactly 7 orders, taking 4 from Berlin and 3 from Hamburg, and nothing is left
            let placed = responses.filter { $0.status == .created }
            #expect(placed.count == 7)
            #expect(responses.filter { $0.status == .conflict && $0.json["code"] == .string("insufficient_stock") }.count == 93)
            var taken: [String: Double] = [:]
            for order in placed {
                for take in order.json["stock_taken"]?.arrayValue ?? [] {
                    taken[take["location"]?.stringValue ?? "", default: 0] += take["quantity"]?.numberValue ?? 0
                }
            }
            #expect(taken == ["berlin": 4, "hamburg": 3])
            #expect(try await api.get("/admin/v1/inventory?sku=race2-m-m").json["data"]?.arrayValue?.map { $0["on_hand"]?.numberValue ?? -1 } == [0, 0])
            #expect(try await Shop.available(api, "race2-m", key: key, becomes: 0) == 0)
        }
    }
}
