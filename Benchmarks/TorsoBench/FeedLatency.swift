import ArgumentParser
import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import Synchronization

/// `torso-bench feed`: opens `--clients` live-feed connections (`/store/v1/events`) with a
/// publishable key, then alternately unpublishes and publishes one product of that channel
/// `--changes` times through the admin API, `--interval-ms` apart. For every change and every
/// client it measures the time from sending the admin request to the client reading the
/// event: publish-to-feed latency as a head sees it.
struct FeedLatency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Measure publish-to-feed latency with many live-feed clients connected.")

    @Option(help: "The server, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "A secret admin key (sk_…) with catalog:write.") var key: String
    @Option(help: "A publishable key (pk_…) of the channel to watch.") var publishableKey: String
    @Option(help: "The channel of the publishable key.") var channel = "web"
    @Option(help: "Live-feed connections.") var clients = 1000
    @Option(help: "Publish or unpublish changes to measure.") var changes = 200
    @Option(help: "Milliseconds between changes.") var intervalMs = 50
    @Option(help: "Seconds to wait for the server to answer /health.") var waitSeconds = 30

    func validate() throws {
        guard clients >= 1 else { throw ValidationError("--clients must be at least 1.") }
        guard changes >= 2 else { throw ValidationError("--changes must be at least 2.") }
    }

    func run() async throws {
        let target = try Target(url: url, key: key)
        try await AdminWrites.waitForHealth(target, seconds: waitSeconds)
        let admin = BenchConnection(target)
        let head = BenchConnection(try Target(url: url, key: publishableKey))
        let listed = try await head.send(.get, "/store/v1/products?limit=1")
        guard listed.status == 200, let id = listed.body.firstMatch(of: /"id":"([^"]+)"/).map({ String($0.output.1) }) else {
            throw BenchError("the channel lists no product to change (\(listed.status) \(listed.body.prefix(200)))")
        }

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: clients + 16)
        configuration.timeout = .init(connect: .seconds(30), read: nil)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let record = FeedRecord(clients: clients, changes: changes, product: id)
        let readers = Task {
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask { await Self.read(client: client, url: "\(url)/store/v1/events?key=\(publishableKey)", http: http, record: record) }
                }
            }
        }
        let connectStart = ContinuousClock.now
        while record.connected < clients {
            if ContinuousClock.now - connectStart > .seconds(60) { throw BenchError("only \(record.connected) of \(clients) feeds connected in 60 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
        print("connected \(clients) live-feed clients in \(connectStart.duration(to: .now))")

        for change in 0..<changes {
            let action = change % 2 == 0 ? "unpublish" : "publish"
            record.sent(change)
            let response = try await admin.send(.post, "/admin/v1/products/\(id)/\(action)", json: #"{"channels":["\#(channel)"]}"#)
            guard response.status == 200 else { throw BenchError("\(action) answered \(response.status): \(response.body.prefix(300))") }
            try await Task.sleep(for: .milliseconds(intervalMs))
        }
        let drainStart = ContinuousClock.now
        while record.complete < changes, ContinuousClock.now - drainStart < .seconds(10) { try await Task.sleep(for: .milliseconds(20)) }
        readers.cancel()
        await admin.close()
        await head.close()
        try? await http.shutdown()

        let latencies = record.latencies.sorted()
        let last = record.lastClientLatencies.sorted()
        let expected = clients * changes
        func ms(_ value: Double) -> String { String(format: "%.1f", value * 1_000) }
        print("deliveries \(latencies.count) of \(expected) (clients × changes); missing \(expected - latencies.count)")
        print("per delivery   p50 \(ms(percentile(latencies, 0.5)))   p90 \(ms(percentile(latencies, 0.9)))   p99 \(ms(percentile(latencies, 0.99)))   max \(ms(latencies.last ?? .nan)) ms")
        print("all clients    p50 \(ms(percentile(last, 0.5)))   p99 \(ms(percentile(last, 0.99))) ms (until the last client of a change has it)")
        print("RESULT clients=\(clients) changes=\(changes) deliveries=\(latencies.count) missing=\(expected - latencies.count) "
              + "p50_ms=\(ms(percentile(latencies, 0.5))) p99_ms=\(ms(percentile(latencies, 0.99))) max_ms=\(ms(latencies.last ?? .nan)) "
              + "all_p50_ms=\(ms(percentile(last, 0.5))) all_p99_ms=\(ms(percentile(last, 0.99)))")
        if latencies.count < expected { throw ExitCode(1) }
    }

    /// Reads one feed, noting when each change of the product arrives.
    static func read(client: Int, url: String, http: HTTPClient, record: FeedRecord) async {
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "text/event-stream")
            let response = try await http.execute(request, timeout: .hours(2))
            guard response.status == .ok else { return print("feed \(client): \(response.status)") }
            var pending = ""
            var seen = 0
            for try await buffer in response.body {
                pending += String(buffer: buffer)
                while let range = pending.range(of: "\n\n") {
                    let block = pending[..<range.lowerBound]
                    if block.contains(": connected") { record.connect() }
                    if block.contains("event: product.") && block.contains(record.product) {
                        record.received(change: seen)
                        seen += 1
                    }
                    pending.removeSubrange(..<range.upperBound)
                }
            }
        } catch {}
    }
}

/// What the feed readers saw, shared between their tasks.
final class FeedRecord: Sendable {
    let product: String
    private let changes: Int
    private let state: Mutex<State>

    struct State {
        var connected = 0
        var sentAt: [ContinuousClock.Instant?]
        var latencies: [Double] = []
        var counts: [Int]
        var lastAt: [Double]
    }

    init(clients: Int, changes: Int, product: String) {
        self.product = product
        self.changes = changes
        state = Mutex(State(sentAt: Array(repeating: nil, count: changes), counts: Array(repeating: 0, count: changes),
                            lastAt: Array(repeating: 0, count: changes)))
        self.clients = clients
    }

    private let clients: Int

    var connected: Int { state.withLock { $0.connected } }
    func connect() { state.withLock { $0.connected += 1 } }
    func sent(_ change: Int) { state.withLock { $0.sentAt[change] = .now } }

    func received(change: Int) {
        let now = ContinuousClock.now
        state.withLock { state in
            guard change < changes, let sent = state.sentAt[change] else { return }
            let elapsed = sent.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.latencies.append(seconds)
            state.counts[change] += 1
            state.lastAt[change] = max(state.lastAt[change], seconds)
        }
    }

    var complete: Int { state.withLock { state in state.counts.filter { $0 >= clients }.count } }
    var latencies: [Double] { state.withLock { $0.latencies } }
    var lastClientLatencies: [Double] { state.withLock { state in zip(state.counts, state.lastAt).filter { $0.0 >= clients }.map(\.1) } }
}
