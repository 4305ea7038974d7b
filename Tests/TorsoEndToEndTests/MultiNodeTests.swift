import Foundation
import Testing
import TorsoTestSupport

/// Several `torso serve` processes on one PostgreSQL database behave as one.
@Suite(.serialized) struct MultiNodeTests {
    func json(_ data: Data) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Whether `condition` becomes true within `limit`, checking every 10 ms.
    func within(_ limit: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test(.enabled(if: TestDatabase.postgresServer != nil, "several nodes share a PostgreSQL database"))
    func aPublishThroughOneNodeIsServedAndStreamedByTheOtherWithinASecond() async throws {
        // Given: node A (with the demo catalog) and node B on the same database
        let database = try await ServeTests().freshDatabase()
        let a = try TorsoServer(["--demo", "--database", database.url])
        defer { a.stop() }
        let b = try TorsoServer(["--database", database.url])
        defer { b.stop() }
        let key = try #require(a.output.firstMatch(of: /sk_[A-Za-z0-9]+/).map { String($0.output) })
        let created = try await a.request("POST", "/admin/v1/keys", key: key, body: #"{"name":"web head","kind":"publishable","channel":"web"}"#)
        #expect(created.status == 201)
        let web = try #require(try json(created.body)["secret"] as? String)
        let listed = try await b.request("GET", "/store/v1/products?limit=1", key: web)
        let first = try #require((try json(listed.body)["data"] as? [[String: Any]])?.first)
        let id = try #require(first["id"] as? String)
        // B's live feed, connected before the change
        let feed = try await SSERecorder.open("http://127.0.0.1:\(b.port)/store/v1/events?key=\(web)")
        defer { feed.close() }
        #expect(try await feed.waitForComment("connected"))

        // When: A withdraws the product from web
        #expect(try await a.request("POST", "/admin/v1/products/\(id)/unpublish", key: key, body: #"{"channels":["web"]}"#).status == 200)
        // Then: within a second B's storefront stops serving it and B's feed says so
        let gone = try await within(.seconds(1)) { try await b.request("GET", "/store/v1/products/\(id)", key: web).status == 404 }
        #expect(gone, "node B still served the product a second after node A unpublished it")
        let unpublished = try await feed.wait(timeout: .seconds(1)) { $0.contains { $0.event == "product.unpublished" } }
        #expect(unpublished.contains { $0.event == "product.unpublished" && $0.data.contains(id) })

        // When: A publishes it again
        #expect(try await a.request("POST", "/admin/v1/products/\(id)/publish", key: key, body: #"{"channels":["web"]}"#).status == 200)
        let started = ContinuousClock.now
        // Then: B serves it and streams it within a second
        let back = try await within(.seconds(1)) { try await b.request("GET", "/store/v1/products/\(id)", key: web).status == 200 }
        #expect(back, "node B did not serve the product a second after node A published it")
        let published = try await feed.wait(timeout: .seconds(1)) { $0.contains { $0.event == "product.published" } }
        #expect(published.contains { $0.event == "product.published" && $0.data.contains(id) })
        let elapsed = ContinuousClock.now - started
        print("multi-node: publish on A visible and streamed on B after \(elapsed)")

        // And: a head resuming on B from the start replays both from the outbox, in order
        let replay = try await SSERecorder.open("http://127.0.0.1:\(b.port)/store/v1/events?key=\(web)&last_event_id=0")
        defer { replay.close() }
        // (The demo's own first publication of it comes earlier in the outbox.)
        func mine(_ frames: [SSEFrame]) -> [String?] {
            frames.filter { $0.data.contains(id) && ($0.event == "product.unpublished" || $0.event == "product.published") }.map(\.event)
        }
        let all = try await replay.wait { mine($0).suffix(2) == ["product.unpublished", "product.published"] }
        #expect(mine(all) == ["product.published", "product.unpublished", "product.published"])
        #expect(all.compactMap(\.seq) == all.compactMap(\.seq).sorted())
        replay.close()
        feed.close()
        // Stop the nodes before their database goes.
        b.stop()
        a.stop()
        await database.cleanup()
    }
}
