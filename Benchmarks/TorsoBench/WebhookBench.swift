import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// `torso-bench webhooks`: how fast Torso delivers webhooks to a local receiver.
///
/// The benchmark runs its own receiver (a Hummingbird server on loopback that answers 204 and
/// notes each `webhook-id` once, with when it arrived), subscribes it to every event, and
/// measures two things:
///
/// - **drain**: `--events` events wait in the outbox as pending deliveries, then the receiver
///   opens and the webhook is re-enabled; deliveries per second is `--events` over the time
///   until the receiver has seen every one of them. The backlog is built by keeping the
///   receiver closed (503): the first attempt fails, the webhook pauses for the server's retry
///   base (start it with `--webhook-retry-base 600`), and the events made meanwhile queue up.
///   Re-enabling a webhook clears its pause.
/// - **live**: `--live-events` events made while the receiver is open; events per second made,
///   and the lag from an event's commit (its `timestamp`) to its arrival, p50/p90/p99.
///
/// Events are `product.updated`: each client creates one product, then PATCHes it again and
/// again (one event per PATCH). The server must allow private webhook targets
/// (`--allow-private-webhooks`): the receiver is on 127.0.0.1.
struct WebhookBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Measure webhook delivery to a local receiver (deliveries per second, commit-to-arrival lag).")

    @Option(help: "The server, e.g. http://127.0.0.1:8080 (started with --allow-private-webhooks --webhook-retry-base 600).") var url: String
    @Option(help: "A secret admin key (sk_…) with the settings, catalog and webhooks write scopes.") var key: String
    @Option(help: "Events queued, then delivered and measured (drain).") var events = 5_000
    @Option(help: "Events made and measured while the receiver is open (live); 0 skips it.") var liveEvents = 2_000
    @Option(help: "Concurrent clients making events, each on its own keep-alive connection.") var clients = 8
    @Option(help: "Seconds to wait for every delivery before giving up.") var timeout = 300
    @Option(help: "Seconds to wait for the server to answer /health.") var waitSeconds = 30

    func validate() throws {
        guard clients >= 1 else { throw ValidationError("--clients must be at least 1.") }
        guard events >= 1 else { throw ValidationError("--events must be at least 1.") }
        guard liveEvents >= 0 else { throw ValidationError("--live-events cannot be negative.") }
    }

    func run() async throws {
        let target = try Target(url: url, key: key)
        try await AdminWrites.waitForHealth(target, seconds: waitSeconds)
        let receiver = Receiver()
        try await receiver.run { port in try await self.measure(target, receiver: receiver, port: port) }
    }

    private func measure(_ target: Target, receiver: Receiver, port: Int) async throws {
        let admin = BenchConnection(target)
        defer { Task { await admin.close() } }
        let run = String(UUID().uuidString.lowercased().prefix(8))
        for (path, body) in BenchCatalog.settings {
            let response = try await admin.send(.post, path, json: body)
            guard response.status == 201 || (response.status == 409 && response.body.contains("already_exists")) else {
                throw BenchError("POST \(path) answered \(response.status): \(response.body)")
            }
        }
        let created = try await admin.send(.post, "/admin/v1/webhooks",
                                           json: #"{"url":"http://127.0.0.1:\#(port)/hooks/bench","events":["*"],"description":"torso-bench \#(run)"}"#)
        guard created.status == 201, let webhook = Self.member("id", of: created.body) else {
            throw BenchError("POST /admin/v1/webhooks answered \(created.status): \(created.body) (is --allow-private-webhooks set?)")
        }

        // One product per client: the first events, sent to a closed receiver, pause the webhook.
        let connections = (0..<clients).map { _ in BenchConnection(target) }
        var products: [String] = []
        for (index, connection) in connections.enumerated() {
            let body = """
                {"product_type":"bench_tshirt","slug":{"en-US":"wh-\(run)-\(index)"},"values":{"bench_name":[{"locale":"en-US","data":"Webhook \(index)"}]},
                 "variants":[{"sku":"WH-\(run)-\(index)","axes":{"bench_size":"s","bench_color":"black"}}]}
                """
            let response = try await connection.send(.post, "/admin/v1/products", json: body)
            guard response.status == 201, let id = Self.member("id", of: response.body) else {
                throw BenchError("POST /admin/v1/products answered \(response.status): \(response.body)")
            }
            products.append(id)
        }
        let settled = ContinuousClock.now + .seconds(10)
        while receiver.attempts == 0, ContinuousClock.now < settled { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .seconds(1))
        guard receiver.attempts > 0 else { throw BenchError("no webhook attempt reached the receiver within 10 s") }
        let before = try await deliveryCount(admin, webhook: webhook)

        // Drain: queue the events, then open the receiver and re-enable the webhook.
        let queued = try await makeEvents(connections, products: products, count: events)
        guard queued.errors == 0 else { throw BenchError("\(queued.errors) PATCH requests failed: \(queued.samples)") }
        let fannedOut = ContinuousClock.now + .seconds(timeout)
        while try await deliveryCount(admin, webhook: webhook) < before + events {
            guard ContinuousClock.now < fannedOut else { throw BenchError("the events were not fanned out within \(timeout) s") }
            try await Task.sleep(for: .milliseconds(100))
        }
        receiver.reset(open: true, since: .distantPast)
        for patch in [#"{"enabled":false}"#, #"{"enabled":true}"#] {
            let response = try await admin.send(.patch, "/admin/v1/webhooks/\(webhook)", json: patch)
            guard response.status == 200 else { throw BenchError("PATCH webhook answered \(response.status): \(response.body)") }
        }
        let drainStart = ContinuousClock.now
        let drainDeadline = drainStart + .seconds(timeout)
        while receiver.distinct < events {
            guard ContinuousClock.now < drainDeadline else { throw BenchError("only \(receiver.distinct) of \(events) deliveries within \(timeout) s") }
            try await Task.sleep(for: .milliseconds(2))
        }
        let drainSeconds = Self.seconds(receiver.lastArrival.map { drainStart.duration(to: $0) } ?? drainStart.duration(to: .now))
        let drainRate = Double(events) / drainSeconds
        let drainDuplicates = receiver.repeats

        // Live: events made while the receiver is open.
        var live = "skipped"
        var liveFields = ""
        if liveEvents > 0 {
            receiver.reset(open: true, since: Date())
            let made = try await makeEvents(connections, products: products, count: liveEvents)
            guard made.errors == 0 else { throw BenchError("\(made.errors) PATCH requests failed: \(made.samples)") }
            let liveDeadline = ContinuousClock.now + .seconds(timeout)
            while receiver.distinct < liveEvents {
                guard ContinuousClock.now < liveDeadline else { throw BenchError("only \(receiver.distinct) of \(liveEvents) live deliveries") }
                try await Task.sleep(for: .milliseconds(2))
            }
            let lags = receiver.lags.sorted()
            func percentile(_ p: Double) -> Double { lags.isEmpty ? .nan : lags[min(lags.count - 1, max(0, Int((p * Double(lags.count)).rounded(.up)) - 1))] }
            let madeRate = Double(liveEvents) / Self.seconds(made.elapsed)
            live = String(format: "%d events made at %.1f/s; lag ms p50 %.1f   p90 %.1f   p99 %.1f   max %.1f",
                          liveEvents, madeRate, percentile(0.5), percentile(0.9), percentile(0.99), lags.last ?? .nan)
            liveFields = String(format: " live_events_per_second=%.1f lag_p50_ms=%.1f lag_p90_ms=%.1f lag_p99_ms=%.1f",
                                madeRate, percentile(0.5), percentile(0.9), percentile(0.99))
        }
        for connection in connections { await connection.close() }
        print("""
            torso-bench webhooks against \(target.description), receiver on 127.0.0.1:\(port)
              drain        \(events) queued deliveries in \(String(format: "%.2f", drainSeconds)) s: \(String(format: "%.1f", drainRate)) deliveries/s (\(drainDuplicates) repeats)
              live         \(live)
            """)
        print(String(format: "RESULT deliveries_per_second=%.1f events=%d seconds=%.2f repeats=%d", drainRate, events, drainSeconds, drainDuplicates)
              + liveFields)
    }

    /// How many deliveries the webhook has, counted through its delivery log.
    private func deliveryCount(_ admin: BenchConnection, webhook: String) async throws -> Int {
        var count = 0
        var cursor: String?
        repeat {
            let response = try await admin.send(.get, "/admin/v1/webhooks/\(webhook)/deliveries?limit=200" + (cursor.map { "&cursor=\($0)" } ?? ""))
            guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any] else {
                throw BenchError("GET deliveries answered \(response.status): \(response.body.prefix(300))")
            }
            count += (object["data"] as? [Any])?.count ?? 0
            cursor = object["next_cursor"] as? String
        } while cursor != nil
        return count
    }

    struct Made: Sendable {
        var errors = 0
        var samples: [String] = []
        var elapsed: Duration = .zero
    }

    /// `count` events: every client PATCHes its own product until the count is reached.
    private func makeEvents(_ connections: [BenchConnection], products: [String], count: Int) async throws -> Made {
        let counter = AdminWrites.Counter()
        let start = ContinuousClock.now
        var made = await withTaskGroup(of: Made.self) { group in
            for (connection, product) in zip(connections, products) {
                group.addTask {
                    var made = Made()
                    while true {
                        let index = counter.next()
                        guard index < count else { return made }
                        let patch = #"{"values":{"bench_brand":[{"locale":null,"channel":null,"data":"Brand \#(index)"}]}}"#
                        do {
                            let response = try await connection.send(.patch, "/admin/v1/products/\(product)", json: patch)
                            if response.status != 200 {
                                made.errors += 1
                                if made.samples.count < 3 { made.samples.append("HTTP \(response.status): \(response.body.prefix(200))") }
                            }
                        } catch {
                            made.errors += 1
                            if made.samples.count < 3 { made.samples.append("transport: \(error)") }
                        }
                    }
                }
            }
            return await group.reduce(into: Made()) { total, one in
                total.errors += one.errors
                total.samples += one.samples
            }
        }
        made.elapsed = start.duration(to: .now)
        return made
    }

    static func member(_ name: String, of body: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?[name] as? String
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The receiver: notes each `webhook-id` once, with its arrival and the event's commit-to-arrival lag.
    /// Only the measured events count: `product.updated` committed since the phase began (the
    /// first `product.created` events, sent to the closed receiver, may still arrive later).
    final class Receiver: Sendable {
        private struct State {
            var open = false
            var since = Date.distantPast
            var attempts = 0
            var repeats = 0
            var seen: Set<String> = []
            var lags: [Double] = []
            var lastArrival: ContinuousClock.Instant?
        }

        private let state = Mutex(State())

        var attempts: Int { state.withLock { $0.attempts } }
        var repeats: Int { state.withLock { $0.repeats } }
        var distinct: Int { state.withLock { $0.seen.count } }
        var lags: [Double] { state.withLock { $0.lags } }
        var lastArrival: ContinuousClock.Instant? { state.withLock { $0.lastArrival } }

        /// Forgets what it saw; `open` answers 204, closed 503; counts events committed from `since`.
        func reset(open: Bool, since: Date = .distantPast) {
            state.withLock { $0 = State(open: open, since: since) }
        }

        /// The value of a string member, read from the body without a full parse.
        private static func member(_ name: String, in body: String) -> Substring? {
            guard let range = body.range(of: "\"\(name)\":\"") else { return nil }
            return body[range.upperBound...].prefix { $0 != "\"" }
        }

        private static let timestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

        /// Runs on a free loopback port while `body` runs.
        func run(_ body: @Sendable (Int) async throws -> Void) async throws {
            let router = Router()
            router.post("hooks/:name") { request, _ -> Response in
                let bytes = try await request.body.collect(upTo: 1 << 20)
                let now = ContinuousClock.now
                let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
                let body = String(buffer: bytes)
                let measured = Self.member("type", in: body) == "product.updated"
                let committed = Self.member("timestamp", in: body).flatMap { try? Self.timestamp.parse(String($0)) }
                let lag = committed.map { Date().timeIntervalSince($0) * 1_000 }
                let open = self.state.withLock { state -> Bool in
                    state.attempts += 1
                    guard state.open else { return false }
                    guard measured, (committed ?? .distantFuture) >= state.since else { return true }
                    if state.seen.insert(id).inserted {
                        if let lag { state.lags.append(lag) }
                        state.lastArrival = now
                    } else {
                        state.repeats += 1
                    }
                    return true
                }
                return Response(status: open ? .noContent : .serviceUnavailable)
            }
            var logger = Logger(label: "bench-receiver")
            logger.logLevel = .critical  // cancelling the server at the end logs errors that mean nothing here
            let bound = AsyncStream<Int>.makeStream()
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { bound.continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                var ports = bound.stream.makeAsyncIterator()
                let port = await ports.next() ?? 0
                do {
                    try await body(port)
                } catch {
                    group.cancelAll()
                    throw error
                }
                group.cancelAll()
            }
        }
    }
}
