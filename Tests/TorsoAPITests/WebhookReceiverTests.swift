import AsyncHTTPClient
import Crypto
import Events
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing
import TorsoApp
import TorsoKit
import TorsoTestSupport
import Workflows

// MARK: - A real receiver

/// A webhook receiver on loopback: a Hummingbird server on a free port that records every
/// request to `/hooks/<name>` and answers as planned — 200 by default, or a queue of statuses
/// per name ("fail three times, then recover").
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Received: Sendable {
        /// `<name>` of `/hooks/<name>`.
        var name: String
        var headers: HTTPFields
        var body: Data
        /// The status it was answered with.
        var answered: Int
        var at: Date

        var messageId: String? { headers[HTTPField.Name("webhook-id")!] }
        var timestamp: String? { headers[HTTPField.Name("webhook-timestamp")!] }
        var signatures: String? { headers[HTTPField.Name("webhook-signature")!] }
        var json: JSONValue { (try? JSONValue.parse(bytes: body)) ?? .null }
    }

    private struct State {
        var port = 0
        var requests: [Received] = []
        var queued: [String: [Int]] = [:]
        var always: [String: Int] = [:]
        var delay: [String: Duration] = [:]
    }

    private let state = Mutex(State())

    /// The port it listens on.
    var port: Int { state.withLock { $0.port } }
    /// The URL of `/hooks/<name>`.
    func url(_ name: String) -> String { "http://127.0.0.1:\(port)/hooks/\(name)" }
    /// Every request so far, in arrival order.
    var requests: [Received] { state.withLock { $0.requests } }
    /// The requests to one name.
    func requests(_ name: String) -> [Received] { requests.filter { $0.name == name } }

    /// Answers the next requests to `name` with these statuses, then as before.
    func queue(_ statuses: [Int], for name: String) { state.withLock { $0.queued[name, default: []] += statuses } }
    /// Answers every request to `name` with `status` (after any queued ones).
    func always(_ status: Int, for name: String) { state.withLock { $0.always[name] = status } }
    /// Waits this long before answering requests to `name`.
    func delay(_ duration: Duration, for name: String) { state.withLock { $0.delay[name] = duration } }

    private func answer(_ name: String, headers: HTTPFields, body: Data) -> (status: Int, delay: Duration?) {
        state.withLock { state in
            var status = state.always[name] ?? 200
            if var queue = state.queued[name], !queue.isEmpty {
                status = queue.removeFirst()
                state.queued[name] = queue
            }
            state.requests.append(Received(name: name, headers: headers, body: body, answered: status, at: Date()))
            return (status, state.delay[name])
        }
    }

    /// Runs a receiver on `port` (0: a free one) for the duration of `body`.
    static func run<T: Sendable>(port: Int = 0, _ body: @Sendable (WebhookReceiver) async throws -> T) async throws -> T {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("hooks/:name") { request, context -> Response in
            let name = try context.parameters.require("name")
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let (status, delay) = receiver.answer(name, headers: request.headers, body: Data(buffer: bytes))
            if let delay { try await Task.sleep(for: delay) }
            let text = (200..<300).contains(status) ? "ok" : "failing on purpose (\(status))"
            return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .error
        let started = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { channel in started.continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var ports = started.stream.makeAsyncIterator()
            let bound = await ports.next() ?? 0
            receiver.state.withLock { $0.port = bound }
            let result = try await body(receiver)
            group.cancelAll()
            while try await group.next() != nil {}
            return result
        }
    }
}

/// Standard Webhooks verification written from the specification, apart from `WebhookSigner`:
/// HMAC-SHA256 keyed with the base64-decoded secret over `id.timestamp.body`, compared with
/// each `v1,` signature of the header, and a timestamp within five minutes.
enum IndependentVerifier {
    static func verify(_ request: WebhookReceiver.Received, secret: String, now: Date = Date()) -> Bool {
        guard let id = request.messageId, let timestamp = request.timestamp, let signatures = request.signatures,
              let seconds = Double(timestamp), abs(now.timeIntervalSince1970 - seconds) <= 300,
              secret.hasPrefix("whsec_"), let key = Data(base64Encoded: String(secret.dropFirst(6))) else { return false }
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(request.body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        let expected = "v1," + Data(mac).base64EncodedString()
        return signatures.split(separator: " ").contains { $0 == expected }
    }
}

// MARK: - The API with a sender tuned for tests

extension WebhookSettings {
    /// Tiny waits so tests take milliseconds: 20 ms retries doubling, a 20 ms poll, a 2 s timeout.
    static func testing(allowPrivate: Bool = true, retryBase: TimeInterval = 0.02, window: TimeInterval = 60,
                        disableAfter: Int = 50, timeout: TimeInterval = 2) -> WebhookSettings {
        WebhookSettings(allowPrivateTargets: allowPrivate, retry: RetrySchedule(base: retryBase, maxInterval: 1, window: window),
                        disableAfter: disableAfter, timeout: timeout, pollInterval: 0.02)
    }
}

/// Like `withAPI`, with webhook settings of the test's choosing and the fixture settings loaded.
func withWebhookAPI(_ settings: WebhookSettings = .testing(), _ body: @escaping @Sendable (TestAPI) async throws -> Void) async throws {
    await DatabaseGate.shared.enter()
    do {
        try await runWebhookAPI(settings, body)
    } catch {
        await DatabaseGate.shared.leave()
        throw error
    }
    await DatabaseGate.shared.leave()
}

private func runWebhookAPI(_ settings: WebhookSettings, _ body: @escaping @Sendable (TestAPI) async throws -> Void) async throws {
    let database = try await TestDatabase.make()
    var failure: (any Error)?
    do {
        let services = try await TorsoServices.open(database.url, passwordCost: 4, webhooks: settings)
        do {
            try await Fixtures.loadSettings(services)
            let adminKey = try await Fixtures.key(services, name: "admin")
            let app = try await buildApplication(AppConfiguration(port: 0, database: .sqliteMemory, logLevel: .error), services: services)
            try await app.test(.router) { client in
                try await body(TestAPI(client: client, services: services, adminKey: adminKey))
            }
        } catch {
            failure = error
        }
        await services.store.close()
    } catch {
        failure = error
    }
    await database.cleanup()
    if let failure { throw failure }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; records an issue on timeout.
@discardableResult
func eventually(_ what: String, timeout: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation,
                _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
    return false
}

extension TestAPI {
    /// Creates a webhook and returns its ID and secret (the response must be a 201).
    func createWebhook(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (id: String, secret: String) {
        let response = try await post("/admin/v1/webhooks", body)
        #expect(response.status == .created, "creating a webhook: \(response.text)", sourceLocation: sourceLocation)
        return (try #require(response.id, sourceLocation: sourceLocation),
                try #require(response.json["secret"]?.stringValue, sourceLocation: sourceLocation))
    }

    /// Appends events in one transaction, as any write would; returns their sequence numbers.
    @discardableResult
    func appendEvents(_ events: [(type: String, channel: String?, subject: String)]) async throws -> [Int] {
        let seqs = try await services.store.transaction { tx in
            var seqs: [Int] = []
            for event in events {
                seqs.append(try await tx.outbox.appendEvent(type: event.type, channel: event.channel, subject: event.subject,
                                                     data: .object(["note": .string("test")]), at: Timestamp.string(Date())))
            }
            return seqs
        }
        services.webhooks.wake()
        return seqs
    }

    /// A webhook's deliveries (first page, newest first).
    func deliveries(_ webhook: String, query: String = "") async throws -> [JSONValue] {
        try await get("/admin/v1/webhooks/\(webhook)/deliveries?limit=200" + (query.isEmpty ? "" : "&" + query)).data
    }
}

// MARK: - The receiver's own checks

/// The test receiver and its independent verifier agree with the specification.
@Suite struct WebhookReceiverTests {
    @Test func independentVerifierAcceptsTheReferenceVector() {
        // Given: the Standard Webhooks test vector, as a received request
        let request = WebhookReceiver.Received(
            name: "vector",
            headers: [HTTPField.Name("webhook-id")!: "msg_p5jXN8AQM9LWM0D4loKWxJek", HTTPField.Name("webhook-timestamp")!: "1614265330",
                      HTTPField.Name("webhook-signature")!: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
            body: Data(#"{"test": 2432232314}"#.utf8), answered: 200, at: Date())
        let then = Date(timeIntervalSince1970: 1_614_265_330)
        // When / Then
        #expect(IndependentVerifier.verify(request, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now: then))
        #expect(!IndependentVerifier.verify(request, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now: then.addingTimeInterval(301)))
        var tampered = request
        tampered.body = Data(#"{"test": 2432232315}"#.utf8)
        #expect(!IndependentVerifier.verify(tampered, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now: then))
    }

    @Test func receiverAnswersAsPlanned() async throws {
        try await WebhookReceiver.run { receiver in
            // Given
            receiver.queue([500, 503], for: "a")
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            // When
            var statuses: [UInt] = []
            for _ in 0..<3 {
                var request = HTTPClientRequest(url: receiver.url("a"))
                request.method = .POST
                request.body = .bytes(ByteBuffer(string: "{}"))
                statuses.append(try await client.execute(request, timeout: .seconds(5)).status.code)
            }
            try await client.shutdown()
            // Then
            #expect(statuses == [500, 503, 200])
            #expect(receiver.requests("a").count == 3)
        }
    }
}
