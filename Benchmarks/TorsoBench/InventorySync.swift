import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// `torso-bench inventory-sync`: an ERP-style sync. Reads `--rows` stock levels at `--location`
/// from `GET /admin/v1/inventory`, then `--rounds` times sends all of them in one
/// `POST /admin/v1/inventory/adjustments` batch of absolute counts (`set`). For each round it
/// measures the call (sending to the whole answer), the time from the answer until the
/// storefront shows the new availability of a probe variant (polled every millisecond), and
/// the time from sending until a live-feed client of the channel reads the probe's
/// `stock.changed`.
struct InventorySync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory-sync",
        abstract: "Measure an ERP-style sync of absolute counts through the inventory API.")

    @Option(help: "The server, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "A secret admin key (sk_…) with inventory:write.") var key: String
    @Option(help: "A publishable key (pk_…) of the channel to watch; it must sell from --location.") var publishableKey: String
    @Option(help: "Rows per batch (at most 10,000).") var rows = 10_000
    @Option(help: "Batches to send.") var rounds = 3
    @Option(help: "The stock location the rows set.") var location = "berlin"
    @Option(help: "Seconds to wait for the server to answer /health.") var waitSeconds = 30

    func validate() throws {
        guard (1...10_000).contains(rows) else { throw ValidationError("--rows is between 1 and 10000.") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1.") }
    }

    func run() async throws {
        let target = try Target(url: url, key: key)
        try await AdminWrites.waitForHealth(target, seconds: waitSeconds)
        let admin = BenchConnection(target)
        let head = BenchConnection(try Target(url: url, key: publishableKey))
        var levels: [(sku: String, product: String, variant: String)] = []
        var cursor: String?
        while levels.count < rows {
            let page = try Self.json(try await admin.send(.get, "/admin/v1/inventory?location=\(location)&limit=200" + (cursor.map { "&cursor=\($0)" } ?? "")))
            for row in page["data"] as? [[String: Any]] ?? [] where levels.count < rows {
                levels.append((row["sku"] as? String ?? "", row["product_id"] as? String ?? "", row["variant_id"] as? String ?? ""))
            }
            guard let next = page["next_cursor"] as? String else { break }
            cursor = next
        }
        guard levels.count == rows else { throw BenchError("only \(levels.count) stock levels at '\(location)'; generate a bigger catalog") }
        // The probe: the first level whose product the channel shows.
        var probe: (sku: String, product: String, variant: String)?
        for level in levels.prefix(200) where try await head.send(.get, "/store/v1/products/\(level.product)").status == 200 {
            probe = level
            break
        }
        guard let probe else { throw BenchError("none of the first 200 levels belongs to a product the channel shows") }
        let feed = FeedProbe(product: probe.product)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let reader = Task { await feed.read(url: "\(url)/store/v1/events?key=\(publishableKey)&types=stock.changed", http: http) }
        while !feed.connected { try await Task.sleep(for: .milliseconds(20)) }

        var calls: [Double] = [], visible: [Double] = [], feedLatencies: [Double] = []
        for round in 0..<rounds {
            let count = 20 + round % 2 * 17  // alternates, so every round changes every row
            let body = #"{"reason":"erp_sync","reference":"bench-\#(round)","rows":["#
                + levels.map { #"{"sku":"\#($0.sku)","location":"\#(location)","set":\#(count)}"# }.joined(separator: ",") + "]}"
            let before = try await Self.available(head, probe)
            feed.arm()
            let sent = ContinuousClock.now
            let response = try await admin.send(.post, "/admin/v1/inventory/adjustments", json: body)
            let answered = ContinuousClock.now
            guard response.status == 201 else { throw BenchError("the batch answered \(response.status): \(response.body.prefix(300))") }
            var seen = before
            while seen == before, answered.duration(to: .now) < .seconds(5) { seen = try await Self.available(head, probe) }
            let shown = ContinuousClock.now
            guard seen != before else { throw BenchError("the storefront did not show the probe's new availability within 5 s") }
            while feed.latency(since: sent) == nil, sent.duration(to: .now) < .seconds(5) { try await Task.sleep(for: .milliseconds(1)) }
            calls.append(Self.seconds(sent.duration(to: answered)))
            visible.append(Self.seconds(answered.duration(to: shown)))
            feedLatencies.append(feed.latency(since: sent) ?? .infinity)
            print(String(format: "round %d: %d rows in %.0f ms; storefront showed it %.1f ms after the answer; live feed %.0f ms after sending",
                         round + 1, rows, calls.last! * 1_000, visible.last! * 1_000, feedLatencies.last! * 1_000))
        }
        reader.cancel()
        await admin.close()
        await head.close()
        try? await http.shutdown()
        func ms(_ values: [Double], _ pick: ([Double]) -> Double?) -> String { String(format: "%.1f", (pick(values.sorted()) ?? .nan) * 1_000) }
        print("RESULT rows=\(rows) rounds=\(rounds) call_p50_ms=\(ms(calls) { $0[$0.count / 2] }) call_max_ms=\(ms(calls) { $0.last }) "
              + "visible_max_ms=\(ms(visible) { $0.last }) feed_max_ms=\(ms(feedLatencies) { $0.last })")
    }

    /// The probe variant's available quantity on the storefront.
    static func available(_ head: BenchConnection, _ probe: (sku: String, product: String, variant: String)) async throws -> Int {
        let detail = try json(try await head.send(.get, "/store/v1/products/\(probe.product)"))
        let variant = (detail["variants"] as? [[String: Any]] ?? []).first { $0["id"] as? String == probe.variant }
        return variant?["available_quantity"] as? Int ?? -1
    }

    static func json(_ response: (status: Int, body: String)) throws -> [String: Any] {
        guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any] else {
            throw BenchError("answered \(response.status): \(response.body.prefix(300))")
        }
        return object
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// One live-feed client waiting for the probe product's `stock.changed`.
final class FeedProbe: Sendable {
    let product: String
    private let state = Mutex<(connected: Bool, armed: Bool, arrived: ContinuousClock.Instant?)>((false, false, nil))

    init(product: String) { self.product = product }

    var connected: Bool { state.withLock { $0.connected } }
    func arm() { state.withLock { $0.armed = true; $0.arrived = nil } }
    func latency(since sent: ContinuousClock.Instant) -> Double? {
        state.withLock { $0.arrived.map { InventorySync.seconds(sent.duration(to: $0)) } }
    }

    func read(url: String, http: HTTPClient) async {
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "text/event-stream")
            let response = try await http.execute(request, timeout: .hours(1))
            var pending = ""
            for try await buffer in response.body {
                pending += String(buffer: buffer)
                while let range = pending.range(of: "\n\n") {
                    let block = pending[..<range.lowerBound]
                    if block.contains(": connected") { state.withLock { $0.connected = true } }
                    if block.contains("event: stock.changed"), block.contains(product) {
                        let now = ContinuousClock.now
                        state.withLock { if $0.armed, $0.arrived == nil { $0.arrived = now } }
                    }
                    pending.removeSubrange(..<range.upperBound)
                }
            }
        } catch {}
    }
}
