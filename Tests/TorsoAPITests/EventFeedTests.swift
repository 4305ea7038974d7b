import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TorsoApp
import TorsoHTTP
import TorsoKit
import TorsoTestSupport

/// Runs `body` against a real server on a loopback port (for streams, which the in-process
/// router client cannot read while they are open).
func withLiveAPI(heartbeat: Duration = .seconds(15), rateLimits: RateLimits = .off,
                 _ body: @escaping @Sendable (TestAPI, Int) async throws -> Void) async throws {
    await DatabaseGate.shared.enter()
    do {
        try await TestDatabase.withServices(heartbeat: heartbeat) { services in
            try await Fixtures.loadSettings(services)
            let adminKey = try await Fixtures.key(services, name: "admin")
            var configuration = AppConfiguration(port: 0, database: .sqliteMemory, logLevel: .error)
            configuration.rateLimits = rateLimits
            configuration.importsDirectory = TestDatabase.temporaryFile() + "-imports"
            let app = try await buildApplication(configuration, services: services)
            try await app.test(.live) { client in
                try await body(TestAPI(client: client, services: services, adminKey: adminKey), try #require(client.port))
            }
        }
    } catch {
        await DatabaseGate.shared.leave()
        throw error
    }
    await DatabaseGate.shared.leave()
}

/// The outbox as integrators and heads see it: `/admin/v1/events` and the `/store/v1/events` live feed.
@Suite struct EventFeedTests {
    static func events(_ api: TestAPI, after: Int = 0, query: String = "") async throws -> [JSONValue] {
        let page = try await api.get("/admin/v1/events?after=\(after)&limit=200\(query)")
        #expect(page.status == .ok, "\(page.text)")
        return page.json["data"]?.arrayValue ?? []
    }

    @Test func catalogChangesAppendEventsInTheirTransaction() async throws {
        try await withAPI { api in
            // Given: a product published to web
            let id = try #require(try await api.createProduct(Shop.completeProduct("evt")).id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            // When: its price changes and it is published again, its stock changes, it leaves web
            let product = try await api.get("/admin/v1/products/\(id)")
            let version = Int(product.json["version"]?.numberValue ?? 0)
            var variants = try #require(product.json["variants"]?.arrayValue)
            variants[0] = variants[0].setting("/prices", to: .array([.object(["amount": .number(1499), "currency": .string("EUR")])]))
            let patched = try await api.patch("/admin/v1/products/\(id)", JSONValue.object(["variants": .array(variants)]).text,
                                              ifMatch: "\"\(version)\"")
            #expect(patched.status == .ok, "\(patched.text)")
            let sku = try #require(variants[1]["sku"]?.stringValue)
            #expect(try await Shop.adjust(api, #"{"sku":"\#(sku)","location":"berlin","set":2}"#).status == .created)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            #expect(try await api.post("/admin/v1/products/\(id)/unpublish", #"{"channels":["web","voice"]}"#).status == .ok)
            // Then: the outbox holds each change once, in order, with gapless sequence numbers
            let events = try await Self.events(api)
            let mine = events.filter { $0["subject"]?.stringValue == id }
            #expect(mine.map { $0["type"]?.stringValue ?? "" } == [
                "product.created", "product.published", "product.updated", "stock.changed", "product.published", "price.changed",
                "product.unpublished",
            ])
            let seqs = events.compactMap { $0["seq"]?.numberValue.map(Int.init) }
            #expect(!seqs.isEmpty && seqs == Array(1...max(1, seqs.count)))
            #expect(mine[1]["channel"] == .string("web"))
            #expect(mine[3]["channel"] == .null)
            let stock = try #require(mine[3]["data"]?["variants"]?.arrayValue)
            #expect(stock.count == 1 && stock[0]["available_quantity"] == .number(2))
            #expect(mine[5]["data"]?["variants"]?.arrayValue?.first?["prices"]?.arrayValue?.first?["amount"] == .number(1499))
            // Only web had a listing: one unpublished event
            #expect(mine.last?["channel"] == .string("web"))
            // Settings changes are events too
            #expect(events.contains { $0["type"] == .string("settings.changed") && $0["data"]?["kind"] == .string("channel") })
        }
    }

    @Test func adminEventsPageAndFilter() async throws {
        try await withAPI { api in
            for index in 0..<3 { try await api.createProduct(Shop.completeProduct("page\(index)")) }
            let all = try await Self.events(api)
            // Paging: limit, next_after, has_more
            let first = try await api.get("/admin/v1/events?limit=2")
            #expect(first.json["data"]?.arrayValue?.count == 2)
            #expect(first.json["has_more"] == .bool(true))
            let next = Int(try #require(first.json["next_after"]?.numberValue))
            let rest = try await Self.events(api, after: next)
            #expect(rest.count == all.count - 2)
            #expect(rest.first?["seq"]?.numberValue == Double(next + 1))
            // Filtering by type
            let created = try await Self.events(api, query: "&types=product.created")
            #expect(created.count == 3)
            #expect(created.allSatisfy { $0["type"] == .string("product.created") })
            // The end of the outbox
            let end = try await api.get("/admin/v1/events?after=\(all.count)")
            #expect(end.json["data"]?.arrayValue?.isEmpty == true)
            #expect(end.json["has_more"] == .bool(false))
            #expect(end.json["next_after"] == .number(Double(all.count)))
        }
    }

    @Test func adminEventsRefuseBadInputAndKeys() async throws {
        try await withAPI { api in
            expectProblem(try await api.get("/admin/v1/events", as: .none), .unauthorized, "unauthenticated")
            let reader = try await api.makeKey(name: "catalog", scopes: [.catalogRead])
            expectProblem(try await api.get("/admin/v1/events", as: .bearer(reader.secret)), .forbidden, "missing_scope")
            let events = try await api.makeKey(name: "events", scopes: [.eventsRead])
            #expect(try await api.get("/admin/v1/events", as: .bearer(events.secret)).status == .ok)
            let web = try await api.makePublishableKey()
            expectProblem(try await api.get("/admin/v1/events", as: .bearer(web)), .forbidden, "secret_key_required")
            expectValidation(try await api.get("/admin/v1/events?types=product.exploded"), [FieldErrorExpectation("/query/types", "unknown_event_type")])
            expectValidation(try await api.get("/admin/v1/events?types=,"), [FieldErrorExpectation("/query/types", "required")])
            expectValidation(try await api.get("/admin/v1/events?after=-1"), [FieldErrorExpectation("/query/after", "invalid_value")])
            expectValidation(try await api.get("/admin/v1/events?after=x"), [FieldErrorExpectation("/query/after", "invalid_value")])
            expectValidation(try await api.get("/admin/v1/events?limit=0"), [FieldErrorExpectation("/query/limit", "out_of_range")])
        }
    }

    @Test func storeFeedRefusesBadKeysAndInput() async throws {
        try await withAPI { api in
            expectProblem(try await api.get("/store/v1/events", as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.get("/store/v1/events", as: .bearer("pk_nope")), .unauthorized, "invalid_key")
            expectProblem(try await api.get("/store/v1/events", as: .admin), .forbidden, "publishable_key_required")
            // A secret key in the URL is refused like one in the header
            expectProblem(try await api.get("/store/v1/events?key=\(api.adminKey)", as: .none), .forbidden, "publishable_key_required")
            let web = try await api.makePublishableKey()
            expectProblem(try await api.get("/store/v1/events", as: .bearer(web), headers: [HTTPField.Name("Last-Event-ID")!: "abc"]),
                          .badRequest, "invalid_last_event_id")
            expectProblem(try await api.get("/store/v1/events?last_event_id=-4", as: .bearer(web)), .badRequest, "invalid_last_event_id")
            expectValidation(try await api.get("/store/v1/events?types=order.placed", as: .bearer(web)),
                             [FieldErrorExpectation("/query/types", "unknown_event_type")])
        }
    }

    @Test func liveFeedCarriesOnlyWhatTheChannelsHeadsSee() async throws {
        try await withLiveAPI { api, port in
            let web = try await api.makePublishableKey()
            let feed = try await SSERecorder.open("http://127.0.0.1:\(port)/store/v1/events?key=\(web)")
            defer { feed.close() }
            #expect(feed.status == 200)
            #expect(try await feed.waitForComment("connected"))
            // When: one product goes to voice only, another to web; then the web product's stock changes
            let voiceOnly = try #require(try await api.createProduct(Shop.completeProduct("onvoice")).id)
            #expect(try await api.post("/admin/v1/products/\(voiceOnly)/publish", #"{"channels":["voice"]}"#).status == .ok)
            let id = try #require(try await api.createProduct(Shop.completeProduct("onweb")).id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            #expect(try await Shop.adjust(api, #"{"sku":"onweb-s","location":"berlin","set":0}"#).status == .created)
            // Stock of the voice-only product: not web's business
            #expect(try await Shop.adjust(api, #"{"sku":"onvoice-s","location":"berlin","set":1}"#).status == .created)
            #expect(try await api.post("/admin/v1/products/\(id)/unpublish", #"{"channels":["web"]}"#).status == .ok)
            // Then: web's heads hear of their product only, in order, with ids set to sequence numbers
            let frames = try await feed.wait { $0.contains { $0.event == "product.unpublished" } }
            #expect(frames.map { $0.event ?? "" } == ["product.published", "stock.changed", "product.unpublished"])
            #expect(frames.allSatisfy { frame in frame.data.contains(id) })
            let seqs = frames.compactMap(\.seq)
            #expect(seqs.count == 3 && seqs == seqs.sorted())
            let payload = try JSONValue.parse(frames[0].data)
            #expect(payload["id"] == .string("evt_\(seqs[0])"))
            #expect(payload["channel"] == .string("web"))
            // And the product the event announced is already served
            let stock = try JSONValue.parse(frames[1].data)
            #expect(stock["data"]?["variants"]?.arrayValue?.first?["available_quantity"] == .number(0))
        }
    }

    @Test func resumingWithLastEventIdYieldsEveryMissedEventOnceInOrder() async throws {
        try await withLiveAPI { api, port in
            let web = try await api.makePublishableKey()
            let url = "http://127.0.0.1:\(port)/store/v1/events"
            let first = try await SSERecorder.open(url, headers: [("Authorization", "Bearer \(web)")])
            #expect(try await first.waitForComment("connected"))
            var ids: [String] = []
            for index in 0..<3 {
                let id = try #require(try await api.createProduct(Shop.completeProduct("before\(index)")).id)
                #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
                ids.append(id)
            }
            let seen = try await first.wait { $0.count == 3 }
            #expect(seen.count == 3)
            first.close()
            let lastSeen = try #require(seen.last?.seq)
            // While disconnected: five more for web, and some for voice
            for index in 0..<5 {
                let id = try #require(try await api.createProduct(Shop.completeProduct("while\(index)")).id)
                #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web","voice"]}"#).status == .ok)
                ids.append(id)
            }
            // When: the head reconnects with the last id it saw
            let resumed = try await SSERecorder.open(url, headers: [("Authorization", "Bearer \(web)"), ("Last-Event-ID", "\(lastSeen)")])
            defer { resumed.close() }
            let missed = try await resumed.wait { $0.count >= 5 }
            // Then: exactly the five missed, once each, in order; then live events continue
            #expect(missed.count == 5)
            #expect(missed.compactMap(\.seq) == missed.compactMap(\.seq).sorted())
            #expect(Set(missed.compactMap(\.seq)).count == 5)
            #expect(missed.allSatisfy { $0.seq! > lastSeen })
            #expect(missed.map { frame in ids.firstIndex { frame.data.contains($0) } } == (3..<8).map { Optional($0) })
            let live = try #require(try await api.createProduct(Shop.completeProduct("after")).id)
            #expect(try await api.post("/admin/v1/products/\(live)/publish", #"{"channels":["web"]}"#).status == .ok)
            let all = try await resumed.wait { $0.count == 6 }
            #expect(all.count == 6)
            #expect(all.last?.data.contains(live) == true)
            // From the start: every web publication, from the outbox
            let replay = try await SSERecorder.open(url + "?last_event_id=0", headers: [("Authorization", "Bearer \(web)")])
            defer { replay.close() }
            let everything = try await replay.wait { $0.count >= 9 }
            #expect(everything.count == 9)
            #expect(everything.compactMap(\.seq) == everything.compactMap(\.seq).sorted())
        }
    }

    @Test func aScheduledPublicationGoesLiveOnTimeAndIsStreamed() async throws {
        try await withLiveAPI { api, port in
            let web = try await api.makePublishableKey()
            let feed = try await SSERecorder.open("http://127.0.0.1:\(port)/store/v1/events?key=\(web)")
            defer { feed.close() }
            #expect(try await feed.waitForComment("connected"))
            // When: a publication is scheduled a second from now
            let id = try #require(try await api.createProduct(Shop.completeProduct("timed")).id)
            let at = Timestamp.string(Date().addingTimeInterval(1))
            let scheduled = try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"],"at":"\#(at)"}"#)
            #expect(scheduled.status == .ok)
            #expect(try await api.get("/store/v1/products/\(id)", as: .bearer(web)).status == .notFound)
            // Then: the scheduler puts it live on time, heads hear of it and can read it at once
            let frames = try await feed.wait(timeout: .seconds(5)) { $0.contains { $0.event == "product.published" } }
            let published = try #require(frames.first { $0.event == "product.published" })
            #expect(published.data.contains(id))
            #expect(try await api.get("/store/v1/products/\(id)", as: .bearer(web)).status == .ok)
            #expect(Date() >= Timestamp.parse(at)!)
            // The admin feed has the schedule and the publication, once each
            let types = try await Self.events(api).filter { $0["subject"]?.stringValue == id }.map { $0["type"]?.stringValue ?? "" }
            #expect(types == ["product.created", "product.scheduled", "product.published"])
        }
    }

    @Test func aPriceListTellsHeadsWhichPricesChanged() async throws {
        try await withLiveAPI { api, port in
            let web = try await api.makePublishableKey()
            let id = try #require(try await api.createProduct(Shop.completeProduct("onsale")).id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            let feed = try await SSERecorder.open("http://127.0.0.1:\(port)/store/v1/events?key=\(web)")
            defer { feed.close() }
            #expect(try await feed.waitForComment("connected"))
            // When: a running sale prices one of its SKUs, and a list that starts next year another
            let sale = try await api.post("/admin/v1/price-lists",
                                          #"{"code":"flash","currency":"EUR","type":"sale","prices":[{"sku":"onsale-s","amount":999}]}"#)
            #expect(sale.status == .created, "\(sale.text)")
            let later = try await api.post("/admin/v1/price-lists",
                                           #"{"code":"later","currency":"EUR","type":"sale","starts_at":"2099-01-01T00:00:00Z","prices":[{"sku":"onsale-m","amount":5}]}"#)
            #expect(later.status == .created, "\(later.text)")
            // Then: heads hear of the running one only, and read the sale price when they do
            let frames = try await feed.wait { $0.contains { $0.event == "price.changed" } }
            let changed = frames.filter { $0.event == "price.changed" }
            #expect(changed.count == 1)
            let payload = try JSONValue.parse(try #require(changed.first).data)
            #expect(payload["subject"] == .string(id))
            #expect(payload["data"]?["price_list"] == .string("flash"))
            let detail = try await api.get("/store/v1/products/\(id)", as: .bearer(web))
            let small = detail.json["variants"]?.arrayValue?.first { $0["sku"] == .string("onsale-s") }
            #expect(small?["price"]?["amount"] == .number(999))
        }
    }

    @Test func idleFeedsGetHeartbeats() async throws {
        try await withLiveAPI(heartbeat: .milliseconds(200)) { api, port in
            let web = try await api.makePublishableKey()
            let feed = try await SSERecorder.open("http://127.0.0.1:\(port)/store/v1/events", headers: [("Authorization", "Bearer \(web)")])
            defer { feed.close() }
            #expect(try await feed.waitForComment("heartbeat", timeout: .seconds(5)))
            #expect(feed.received.isEmpty)
        }
    }
}
