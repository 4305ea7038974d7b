import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// "Is it in stock at the Berlin store?" — stores, per-store availability, bands, the
/// in_stock_at filter, per-store stock in the live feed, and click and collect.
@Suite struct StoreLocatorTests {
    /// Two stores shown on web (Berlin Mitte with pickup, Vienna without) and one shown nowhere.
    static func stores(_ api: TestAPI) async throws {
        for body in [
            #"{"code":"berlin-mitte","name":"Berlin Mitte","kind":"store","pickup":true,"channels":["web","voice"],"coordinates":{"latitude":52.5262,"longitude":13.402},"address":{"line1":"Rosenthaler Str. 40","city":"Berlin","postal_code":"10178","country":"DE"},"opening_hours":[{"day":"mon","opens":"10:00","closes":"20:00"}]}"#,
            #"{"code":"vienna","name":"Vienna","kind":"store","channels":["web","voice"],"coordinates":{"latitude":48.1986,"longitude":16.3475}}"#,
            #"{"code":"hidden","name":"Back office","kind":"store"}"#,
        ] {
            let created = try await api.post("/admin/v1/stock-locations", body)
            #expect(created.status == .created, "\(created.text)")
        }
    }

    @Test func storesComeNearestFirstAndProductsPerStore() async throws {
        try await withAPI { api in
            let (key, _) = try await Shop.shop(api, suffix: "loc", stock: 5, sizes: ["s"])
            try await Self.stores(api)
            #expect(try await Shop.adjust(api, #"{"sku":"loc-s-s","location":"berlin-mitte","set":2},{"sku":"loc-s-s","location":"vienna","set":0}"#).status == .created)
            // Stores the channel shows, nearest to Vienna first, with distances
            let near = try await api.get("/store/v1/stores?near=48.2,16.37", as: .bearer(key))
            #expect(near.status == .ok)
            #expect(near.json["data"]?.arrayValue?.map { $0["code"]?.stringValue ?? "" } == ["vienna", "berlin-mitte"])
            let km = (near.json["data"]?[1]?["distance_meters"]?.numberValue ?? 0) / 1000
            #expect(km > 500 && km < 540, "Vienna to Berlin is about 520 km, not \(km)")
            #expect(near.json["data"]?[1]?["opening_hours"]?[0]?["opens"] == .string("10:00"))
            // Per variant: online (within web's locations: all of them here) and per store
            let availability = try await api.get("/store/v1/products/loc-s/availability", as: .bearer(key))
            #expect(availability.json["display"] == .string("quantity"))
            let stores = try #require(availability.json["variants"]?[0]?["stores"]?.arrayValue)
            #expect(stores.map { "\($0["store"]?.stringValue ?? "")=\($0["available_quantity"]?.numberValue ?? -1)/\($0["availability"]?.stringValue ?? "")" }
                    == ["berlin-mitte=2.0/low", "vienna=0.0/out"])
            // The list filter keeps what a store has
            let inBerlin = try await api.get("/store/v1/products?in_stock_at=berlin-mitte", as: .bearer(key))
            #expect(inBerlin.json["data"]?.arrayValue?.map { $0["slug"]?.stringValue ?? "" } == ["loc-s"])
            #expect(try await api.get("/store/v1/products?in_stock_at=vienna", as: .bearer(key)).json["total"] == .number(0))
            // Bad input: an unknown or hidden store, coordinates off the map, a stray parameter
            expectValidation(try await api.get("/store/v1/products?in_stock_at=hidden", as: .bearer(key)),
                             [FieldErrorExpectation("/query/in_stock_at", "unknown_store")])
            expectValidation(try await api.get("/store/v1/stores?near=91,10", as: .bearer(key)), [FieldErrorExpectation("/query/near", "out_of_range")])
            expectValidation(try await api.get("/store/v1/stores?near=berlin", as: .bearer(key)), [FieldErrorExpectation("/query/near", "invalid_value")])
            expectValidation(try await api.get("/store/v1/products/loc-s/availability?store=x", as: .bearer(key)),
                             [FieldErrorExpectation("/query/store", "unknown_parameter")])
            expectProblem(try await api.get("/store/v1/products/nope/availability", as: .bearer(key)), .notFound, "not_found")
            // Without a key, or with a secret key, the store API refuses
            expectProblem(try await api.get("/store/v1/stores", as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.get("/store/v1/products/loc-s/availability", as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.get("/store/v1/stores"), .forbidden, "publishable_key_required")
            expectProblem(try await api.get("/store/v1/products/loc-s/availability"), .forbidden, "publishable_key_required")
        }
    }

    @Test func aChannelThatHidesCountsSpeaksInBands() async throws {
        try await withAPI { api in
            _ = try await Shop.shop(api, suffix: "band", stock: 5, sizes: ["s"])
            try await Self.stores(api)
            #expect(try await api.patch("/admin/v1/channels/voice", #"{"stock_display":"band","low_stock_below":6}"#).status == .ok)
            let id = try #require(try await api.get("/admin/v1/products?q=band").json["data"]?[0]?["id"]?.stringValue)
            let published = try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["voice"]}"#)
            #expect(published.status == .ok, "\(published.text)")
            let voice = try await api.makePublishableKey(channel: "voice")
            let detail = try await api.get("/store/v1/products/band-s", as: .bearer(voice))
            #expect(detail.json["availability"] == .string("low") && detail.json["available_quantity"] == nil)
            #expect(detail.json["variants"]?[0]?["available_quantity"] == nil && detail.json["variants"]?[0]?["in_stock"] == .bool(true))
            let availability = try await api.get("/store/v1/products/band-s/availability", as: .bearer(voice))
            #expect(availability.json["display"] == .string("band"))
            #expect(availability.json["variants"]?[0]?["online"] == .object(["availability": .string("low")]))
            // Channel settings are checked
            expectValidation(try await api.patch("/admin/v1/channels/voice", #"{"stock_display":"exact","low_stock_below":0}"#),
                             [FieldErrorExpectation("/stock_display", "invalid_value")])
            expectValidation(try await api.patch("/admin/v1/channels/voice", #"{"low_stock_below":0}"#),
                             [FieldErrorExpectation("/low_stock_below", "out_of_range")])
        }
    }

    @Test func storeLocationsAreChecked() async throws {
        try await withAPI { api in
            let refused = try await api.post("/admin/v1/stock-locations", """
                {"code":"moon","name":"Moon base","kind":"warehouse","pickup":true,"channels":["mars"],"coordinates":{"latitude":95,"longitude":-181},
                 "address":{"line1":"","city":"Tranquility","postal_code":"1","country":"Moon"},"opening_hours":[{"day":"mon","opens":"18:00","closes":"09:00"},{"day":"sun","opens":"25:00","closes":"26:00"}]}
                """)
            expectValidation(refused, [
                FieldErrorExpectation("/coordinates/latitude", "out_of_range"), FieldErrorExpectation("/coordinates/longitude", "out_of_range"),
                FieldErrorExpectation("/address/line1", "required"), FieldErrorExpectation("/address/country", "invalid_country"),
                FieldErrorExpectation("/opening_hours/0/closes", "invalid_range"), FieldErrorExpectation("/opening_hours/1/opens", "invalid_value"),
                FieldErrorExpectation("/channels/0", "unknown_channel"), FieldErrorExpectation("/pickup", "invalid_value"),
            ])
            expectValidation(try await api.post("/admin/v1/stock-locations", #"{"code":"x","name":"X","opening_hours":[{"day":"someday","opens":"09:00","closes":"10:00"}]}"#),
                             [FieldErrorExpectation("/opening_hours/0/day", "invalid_value")])
        }
    }

    @Test func theLiveFeedSaysWhichStoreHasItAgain() async throws {
        try await withLiveAPI { api, port in
            let (key, _) = try await Shop.shop(api, suffix: "feed", stock: 5, sizes: ["s"])
            try await Self.stores(api)
            let feed = try await SSERecorder.open("http://127.0.0.1:\(port)/store/v1/events?key=\(key)&types=stock.changed")
            defer { feed.close() }
            #expect(try await feed.waitForComment("connected"))
            // When Berlin Mitte receives 4 units
            let sent = ContinuousClock.now
            #expect(try await Shop.adjust(api, #"{"sku":"feed-s-s","location":"berlin-mitte","delta":4}"#, reason: "received").status == .created)
            // Then within a second web's heads hear it, per store, without the warehouses' names
            let frames = try await feed.wait(timeout: .seconds(1)) { $0.contains { $0.event == "stock.changed" } }
            #expect(sent.duration(to: .now) < .seconds(1))
            let frame = try #require(frames.first { $0.event == "stock.changed" })
            let data = try #require(try JSONValue.parse(frame.data)["data"])
            let variant = try #require(data["variants"]?[0])
            #expect(variant["available_quantity"] == .number(9))
            #expect(variant["stores"] == .array([
                .object(["store": .string("berlin-mitte"), "available_quantity": .number(4), "availability": .string("in_stock"), "in_stock": .bool(true)]),
                .object(["store": .string("vienna"), "available_quantity": .number(0), "availability": .string("out"), "in_stock": .bool(false)]),
            ]))
            #expect(!frame.data.contains("\"berlin\""))
            // When a unit sells (from the warehouse), the feed says so within a second too
            let detail = try await api.get("/store/v1/products/feed-s", as: .bearer(key))
            let soldVariant = try #require(detail.json["variants"]?[0]?["id"]?.stringValue)
            let cart = try await Shop.readyCart(api, key: key, variants: [soldVariant])
            let sold = ContinuousClock.now
            #expect(try await Shop.complete(api, cart, key: key).status == .created)
            let after = try await feed.wait(timeout: .seconds(1)) { $0.filter { $0.event == "stock.changed" }.count >= 3 }
            #expect(sold.duration(to: .now) < .seconds(1))
            let lastFrame = try #require(after.last { $0.event == "stock.changed" })
            let last = try #require(try JSONValue.parse(lastFrame.data)["data"]?["variants"]?[0])
            #expect(last["available_quantity"] == .number(8))
            #expect(last["stores"]?[0]?["available_quantity"] == .number(4))
        }
    }

    @Test func clickAndCollectHoldsAtTheStoreAndIsCollected() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "cc", stock: 5, sizes: ["s"])
            try await Self.stores(api)
            #expect(try await Shop.adjust(api, #"{"sku":"cc-s-s","location":"berlin-mitte","set":1}"#).status == .created)
            #expect(try await api.post("/admin/v1/shipping-methods",
                                       #"{"code":"pickup","zones":[{"countries":["DE"]}],"rate":{"type":"flat","amount":0},"currency":"EUR","pickup":true}"#).status == .created)
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            // A store without pickup, or pickup without a pickup method, is refused; a pickup method needs a store
            expectValidation(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"pickup_store":"vienna"}"#),
                             [FieldErrorExpectation("/pickup_store", "unknown_store")])
            expectValidation(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"pickup_store":"berlin-mitte"}"#),
                             [FieldErrorExpectation("/pickup_store", "invalid_value")])
            #expect(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"shipping_method":"pickup"}"#).status == .ok)
            let incomplete = try await api.post("/store/v1/carts/\(cart)/checkout", "{}", as: .bearer(key))
            expectProblem(incomplete, .conflict, "cart_incomplete")
            #expect(incomplete.fieldErrors.contains(FieldErrorExpectation("/pickup_store", "required")))
            // When the cart names Berlin Mitte, its one unit there is held, not the warehouse's
            let chosen = try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"pickup_store":"berlin-mitte"}"#)
            #expect(chosen.json["pickup_store"] == .string("berlin-mitte"))
            let held = try await api.post("/store/v1/carts/\(cart)/checkout", "{}", as: .bearer(key))
            #expect(held.status == .ok, "\(held.text)")
            #expect(held.text.contains("berlin-mitte") && !held.text.contains("\"berlin\""))
            let placed = try await Shop.complete(api, cart, key: key)
            #expect(placed.status == .created, "\(placed.text)")
            #expect(placed.json["pickup_store"] == .string("berlin-mitte"))
            let order = try #require(placed.json["id"]?.stringValue)
            // Then it moves through collection, not shipping, with events
            for (event, status) in [("confirm", HTTPResponse.Status.ok), ("ship", .conflict), ("ready_for_pickup", .ok), ("pick_up", .ok)] {
                let moved = try await api.post("/admin/v1/orders/\(order)/transitions", #"{"event":"\#(event)"}"#)
                #expect(moved.status == status, "\(event): \(moved.text)")
            }
            #expect(try await api.get("/admin/v1/orders/\(order)").json["status"] == .string("picked_up"))
            let events = try await api.get("/admin/v1/events?types=order.ready_for_pickup,order.picked_up").json["data"]?.arrayValue ?? []
            #expect(events.map { $0["type"]?.stringValue ?? "" } == ["order.ready_for_pickup", "order.picked_up"])
            // And an order that ships cannot be made ready for pickup
            let other = try await Shop.readyCart(api, key: key, variants: variants)
            let shipped = try #require(try await Shop.complete(api, other, key: key).json["id"]?.stringValue)
            #expect(try await api.post("/admin/v1/orders/\(shipped)/transitions", #"{"event":"confirm"}"#).status == .ok)
            expectProblem(try await api.post("/admin/v1/orders/\(shipped)/transitions", #"{"event":"ready_for_pickup"}"#), .conflict, "illegal_transition")
            // The one unit in the store is gone: a second pickup cart cannot hold it
            let second = try await Shop.readyCart(api, key: key, variants: variants)
            #expect(try await api.request(.patch, "/store/v1/carts/\(second)", as: .bearer(key),
                                          body: #"{"shipping_method":"pickup","pickup_store":"berlin-mitte"}"#).status == .ok)
            expectProblem(try await api.post("/store/v1/carts/\(second)/checkout", "{}", as: .bearer(key)), .conflict, "insufficient_stock")
        }
    }
}
