import Events
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing
import TorsoKit
import TorsoStorage
import TorsoTestSupport
import Workflows

/// Webhooks survive a killed process: every event committed before `kill -9` reaches the
/// receiver once it is up and Torso runs again on the same database.
@Suite(.serialized) struct WebhookKillTests {
    /// A receiver on a fixed port that records what it gets.
    final class Receiver: Sendable {
        struct Received: Sendable {
            var id: String
            var timestamp: String
            var signatures: String
            var body: Data
        }

        private let received = Mutex<[Received]>([])
        private let delay = Mutex<Duration>(.zero)
        var requests: [Received] { received.withLock { $0 } }
        /// Answers after this long (recording the request when it arrives).
        func answer(after duration: Duration) { delay.withLock { $0 = duration } }

        /// Runs on `port` (0: a free one) while `body` runs; `body` gets the bound port.
        func run<T: Sendable>(port: Int, _ body: @Sendable (Int) async throws -> T) async throws -> T {
            let router = Router()
            router.post("hooks/:name") { request, _ -> Response in
                let bytes = try await request.body.collect(upTo: 1 << 20)
                let headers = request.headers
                self.received.withLock {
                    $0.append(Received(id: headers[HTTPField.Name("webhook-id")!] ?? "", timestamp: headers[HTTPField.Name("webhook-timestamp")!] ?? "",
                                       signatures: headers[HTTPField.Name("webhook-signature")!] ?? "", body: Data(buffer: bytes)))
                }
                try await Task.sleep(for: self.delay.withLock { $0 })
                return Response(status: .noContent)
            }
            var logger = Logger(label: "e2e-receiver")
            logger.logLevel = .error
            let bound = AsyncStream<Int>.makeStream()
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                                  onServerRunning: { bound.continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await app.runService(gracefulShutdownSignals: [])
                    return nil
                }
                var ports = bound.stream.makeAsyncIterator()
                let result = try await body(await ports.next() ?? 0)
                group.cancelAll()
                while try await group.next() != nil {}
                return result
            }
        }
    }

    /// A database URL string for a fresh database, its parsed form, and its cleanup.
    func freshDatabase() async throws -> (url: String, parsed: DatabaseURL, cleanup: @Sendable () async -> Void) {
        if TestDatabase.postgresServer != nil {
            let database = try await TestDatabase.make()
            guard case .postgres(let host, let port, let user, _, let name?, let tls) = database.url else { throw ServerError(message: "no database") }
            return ("postgres://\(user)@\(host):\(port)/\(name)?sslmode=\(tls.mode.rawValue)", database.url, database.cleanup)
        }
        let path = TestDatabase.temporaryFile()
        return ("sqlite://" + path, .sqliteFile(path: path),
                { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } })
    }

    func json(_ data: Data) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test func everyEventCommittedBeforeAKillIsDeliveredAfterARestart() async throws {
        // Given: a key, and a port where the receiver will listen — down for now
        let database = try await freshDatabase()
        let key = try TorsoProcess.run(["keys", "create", "--database", database.url, "--name", "e2e", "--scopes", "all"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("sk_"))
        let receiver = Receiver()
        let port = try await receiver.run(port: 0) { $0 }
        let flags = ["--database", database.url, "--allow-private-webhooks", "--webhook-retry-base", "0.05",
                     "--webhook-timeout", "2", "--webhook-disable-after", "100000"]
        let server = try TorsoServer(flags)
        let created = try await server.request("POST", "/admin/v1/webhooks", key: key,
                                               body: #"{"url":"http://127.0.0.1:\#(port)/hooks/e2e","events":["*"]}"#)
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        let webhookId = try #require(try json(created.body)["id"] as? String)
        let secret = try #require(try json(created.body)["secret"] as? String)
        // When: writes commit events while the receiver is down, then the process is killed without warning
        for (path, body) in [
            ("locales", #"{"code":"en-US","name":"English"}"#),
            ("channels", #"{"code":"web","name":"Web","locales":["en-US"],"default_locale":"en-US","currencies":["EUR"]}"#),
            ("attributes", #"{"code":"name","type":"text","localizable":true}"#),
            ("product-types", #"{"code":"plain","attributes":["name"],"requirements":{"web":["name"]}}"#),
        ] {
            #expect(try await server.request("POST", "/admin/v1/" + path, key: key, body: body).status == 201)
        }
        for index in 0..<20 {
            let response = try await server.request("POST", "/admin/v1/products", key: key, body: """
                {"product_type":"plain","slug":{"en-US":"thing-\(index)"},"values":{"name":[{"locale":"en-US","data":"Thing \(index)"}]},
                 "variants":[{"sku":"THING-\(index)"}]}
                """)
            #expect(response.status == 201)
        }
        server.kill()
        // the events it committed after the webhook was made
        let store = try await SQLStore.open(database.parsed)
        let expected = try await store.read { tx in
            let after = try await tx.webhooks.webhook(webhookId, forUpdate: false)?.webhook.afterSeq ?? 0
            return try await tx.outbox.events(after: after, limit: 10_000, types: nil).map(\.messageId)
        }
        await store.close()
        #expect(expected.count >= 24, "settings and products each committed an event: \(expected.count)")
        // Then: with the receiver up and Torso restarted, every one of them arrives
        try await receiver.run(port: port) { _ in
            let restarted = try TorsoServer(flags)
            defer { restarted.stop() }
            let deadline = ContinuousClock.now + .seconds(90)
            while ContinuousClock.now < deadline, !Set(expected).isSubset(of: Set(receiver.requests.map(\.id))) {
                try await Task.sleep(for: .milliseconds(50))
            }
            let seen = Set(receiver.requests.map(\.id))
            #expect(Set(expected).subtracting(seen).isEmpty, "missing: \(Set(expected).subtracting(seen).sorted())\n\(restarted.output.suffix(2_000))")
            for request in receiver.requests {
                #expect(throws: Never.self, "\(request.id)") {
                    try WebhookSigner.verify(secret: secret, messageId: request.id, timestamp: request.timestamp,
                                             signatures: request.signatures, body: request.body)
                }
            }
        }
        await database.cleanup()
    }

    @Test func deliveriesInFlightWhenKilledAreSentAgainOnceTheirLeaseEnds() async throws {
        // Given: a receiver that takes 800 ms to answer, and a 1 s attempt timeout (leases of 7 s)
        let database = try await freshDatabase()
        let key = try TorsoProcess.run(["keys", "create", "--database", database.url, "--name", "e2e", "--scopes", "all"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let receiver = Receiver()
        receiver.answer(after: .milliseconds(800))
        let flags = ["--database", database.url, "--allow-private-webhooks", "--webhook-retry-base", "0.05", "--webhook-timeout", "1"]
        try await receiver.run(port: 0) { port in
            let server = try TorsoServer(flags)
            let created = try await server.request("POST", "/admin/v1/webhooks", key: key,
                                                   body: #"{"url":"http://127.0.0.1:\#(port)/hooks/slow","events":["*"]}"#)
            #expect(created.status == 201)
            let webhookId = try #require(try json(created.body)["id"] as? String)
            // When: events are being sent when the process is killed
            for (index, code) in ["en-US", "de-DE", "fr-FR", "it-IT", "es-ES"].enumerated() {
                #expect(try await server.request("POST", "/admin/v1/locales", key: key, body: #"{"code":"\#(code)","name":"L\#(index)"}"#).status == 201)
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while receiver.requests.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            server.kill()
            let inFlight = Set(receiver.requests.map(\.id))
            #expect(!inFlight.isEmpty, "an attempt was in flight at the kill")
            let store = try await SQLStore.open(database.parsed)
            let expected = try await store.read { tx in
                let after = try await tx.webhooks.webhook(webhookId, forUpdate: false)?.webhook.afterSeq ?? 0
                return try await tx.outbox.events(after: after, limit: 10_000, types: nil).map(\.messageId)
            }
            await store.close()
            // Then: after a restart every event arrives, those cut short by the kill a second time
            receiver.answer(after: .zero)
            let restarted = try TorsoServer(flags)
            defer { restarted.stop() }
            let until = ContinuousClock.now + .seconds(60)
            func arrivals(_ id: String) -> Int { receiver.requests.filter { $0.id == id }.count }
            while ContinuousClock.now < until, !(expected.allSatisfy { arrivals($0) >= 1 } && inFlight.allSatisfy { arrivals($0) >= 2 }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(expected.allSatisfy { arrivals($0) >= 1 }, "missing: \(expected.filter { arrivals($0) == 0 })")
            #expect(inFlight.allSatisfy { arrivals($0) >= 2 }, "not sent again: \(inFlight.filter { arrivals($0) < 2 })\n\(restarted.output.suffix(2_000))")
        }
        await database.cleanup()
    }
}
