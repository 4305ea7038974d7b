import ArgumentParser
import Foundation
import HTTPTypes
import NIOCore
import Synchronization

/// `torso-bench checkout`: full storefront checkouts by `--clients` concurrent clients, each on
/// its own keep-alive connection. One order is five requests in a row: create a cart, add two
/// lines (two different variants), set email, shipping address and shipping method, complete
/// with the test payment provider. Warm-up orders are excluded from the figures; every measured
/// request must answer 2xx.
///
/// Setup, through the admin API (secret key) and the storefront (publishable key of the
/// channel): a flat-rate shipping method `standard` and a German standard tax rate (409
/// `already_exists` on a rerun is fine); `--products` published products with EUR prices are
/// picked from the storefront listing, and their variants' stock is set to 1,000,000 in one
/// location through the inventory API, so thousands of orders never run out.
struct Checkout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "Measure full checkouts through the storefront API (orders per second, latency).")

    @Option(help: "The server, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "A secret admin key (sk_…) with the settings and catalog scopes (for setup).") var key: String
    @Option(help: "A publishable key (pk_…) of the channel to order from.") var publishableKey: String
    @Option(help: "Concurrent clients, each on its own keep-alive connection.") var clients = 8
    @Option(help: "Orders to place and measure.") var orders = 3000
    @Option(help: "Orders placed first and left out of the figures.") var warmup = 200
    @Option(help: "Published products whose variants the orders spread over.") var products = 20
    @Option(help: "The stock location whose on-hand is raised before the run.") var location = "berlin"
    @Option(help: "Seconds to wait for the server to answer /health.") var waitSeconds = 30

    func validate() throws {
        guard clients >= 1 else { throw ValidationError("--clients must be at least 1.") }
        guard orders >= 1 else { throw ValidationError("--orders must be at least 1.") }
        guard warmup >= 0 else { throw ValidationError("--warmup cannot be negative.") }
        guard (1...50).contains(products) else { throw ValidationError("--products is between 1 and 50.") }
    }

    /// Stock set on each variant before the run.
    static let stock = 1_000_000

    func run() async throws {
        let admin = try Target(url: url, key: key)
        let store = try Target(url: url, key: publishableKey)
        try await AdminWrites.waitForHealth(admin, seconds: waitSeconds)
        let variants = try await setUp(admin: admin, store: store)

        let connections = (0..<clients).map { _ in BenchConnection(store) }
        if warmup > 0 {
            let result = await phase(connections, orders: warmup, offset: 0, variants: variants)
            if result.errors > 0 {
                print("warm-up: \(result.errors) requests failed")
                result.printSamples()
            }
        }
        let result = await phase(connections, orders: orders, offset: warmup, variants: variants)
        for connection in connections { await connection.close() }

        let seconds = Double(result.elapsed.components.seconds) + Double(result.elapsed.components.attoseconds) / 1e18
        let placed = result.flows.count
        let rate = Double(placed) / seconds
        func ms(_ value: Double) -> String { String(format: "%.2f", value) }
        func line(_ name: String, _ values: [Double]) -> String {
            let sorted = values.sorted()
            return "\(name.padding(toLength: 14, withPad: " ", startingAt: 0)) p50 \(ms(percentile(sorted, 0.50)))   p90 \(ms(percentile(sorted, 0.90)))   "
                + "p99 \(ms(percentile(sorted, 0.99)))   max \(ms(sorted.last ?? .nan))"
        }
        let flows = result.flows.sorted(), completes = result.steps[Step.complete.rawValue].sorted()

        print("""
            torso-bench checkout against \(admin.description)
              clients      \(clients), one keep-alive connection each
              orders       \(orders) measured after \(warmup) warm-up; 5 requests each, 2 lines over \(variants.count) variants of \(products) products
              elapsed      \(String(format: "%.2f", seconds)) s
              orders/s     \(String(format: "%.1f", rate))   (\(String(format: "%.0f", rate * 5)) requests/s)
              total        \(orders)   placed \(placed)   errors \(result.errors)
              latency ms
                \(line("whole order", result.flows))
            """)
        for step in Step.allCases { print("    \(line(step.label, result.steps[step.rawValue]))") }
        result.printSamples()
        // One line for scripts.
        print("RESULT orders_per_second=\(String(format: "%.1f", rate)) total=\(orders) placed=\(placed) errors=\(result.errors) "
              + "p50_ms=\(ms(percentile(flows, 0.50))) p99_ms=\(ms(percentile(flows, 0.99))) "
              + "complete_p50_ms=\(ms(percentile(completes, 0.50))) complete_p99_ms=\(ms(percentile(completes, 0.99))) "
              + "seconds=\(String(format: "%.2f", seconds))")
        if result.errors > 0 || placed < orders { throw ExitCode(1) }
    }

    // MARK: Setup

    /// Creates the shipping method and tax rate, picks the products, raises their stock;
    /// returns the variant IDs the orders use.
    func setUp(admin: Target, store: Target) async throws -> [String] {
        let adminConnection = BenchConnection(admin), storeConnection = BenchConnection(store)
        do {
            let variants = try await setUp(admin: adminConnection, store: storeConnection)
            await adminConnection.close()
            await storeConnection.close()
            return variants
        } catch {
            await adminConnection.close()
            await storeConnection.close()
            throw error
        }
    }

    static let settings: [(path: String, body: String)] = [
        ("/admin/v1/shipping-methods", #"{"code":"standard","zones":[{"countries":["DE","AT","US"]}],"rate":{"type":"flat","amount":495},"currency":"EUR","free_above":10000}"#),
        ("/admin/v1/tax-rates", #"{"code":"de-standard","country":"DE","tax_class":"standard","rate_basis_points":1900}"#),
    ]

    private func setUp(admin: BenchConnection, store: BenchConnection) async throws -> [String] {
        for (path, body) in Self.settings {
            let response = try await admin.send(.post, path, json: body)
            guard response.status == 201 || (response.status == 409 && response.body.contains("already_exists")) else {
                throw BenchError("POST \(path) answered \(response.status): \(response.body)")
            }
        }

        // Products on the storefront with every variant priced in EUR.
        let listing = try Self.object(try await store.send(.get, "/store/v1/products?limit=50"), "GET /store/v1/products?limit=50")
        let ids = (listing["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        var chosen: [(id: String, variants: [String])] = []
        for id in ids where chosen.count < products {
            let detail = try Self.object(try await store.send(.get, "/store/v1/products/\(id)"), "GET /store/v1/products/\(id)")
            let variants = (detail["variants"] as? [[String: Any]] ?? []).filter { variant in
                (variant["prices"] as? [[String: Any]] ?? []).contains { $0["currency"] as? String == "EUR" }
            }.compactMap { $0["id"] as? String }
            if !variants.isEmpty { chosen.append((id, variants)) }
        }
        let variants = chosen.flatMap(\.variants)
        guard chosen.count == products, variants.count >= 2 else {
            throw BenchError("Found \(chosen.count) published products with EUR prices (\(variants.count) variants); \(products) wanted. "
                             + "Generate a catalog first (torso demo --products 200).")
        }

        // Stock for thousands of orders: every variant gets `stock` units in one location,
        // through the inventory API (a product edit cannot change counts).
        let rows = variants.map { ["variant_id": $0, "location": location, "set": Self.stock] as [String: Any] }
        let batch = String(decoding: try JSONSerialization.data(withJSONObject: ["reason": "benchmark", "rows": rows]), as: UTF8.self)
        let adjusted = try await admin.send(.post, "/admin/v1/inventory/adjustments", json: batch)
        guard adjusted.status == 201 else { throw BenchError("POST /admin/v1/inventory/adjustments answered \(adjusted.status): \(adjusted.body.prefix(500))") }
        // The storefront shows the new stock once the product is projected again.
        let deadline = ContinuousClock.now + .seconds(10)
        for product in chosen {
            while true {
                let detail = try Self.object(try await store.send(.get, "/store/v1/products/\(product.id)"), "GET /store/v1/products/\(product.id)")
                let low = (detail["variants"] as? [[String: Any]] ?? []).filter { variant in
                    product.variants.contains(variant["id"] as? String ?? "") && ((variant["available_quantity"] as? Int) ?? 0) < Self.stock / 2
                }
                if low.isEmpty { break }
                if ContinuousClock.now > deadline {
                    print("warning: the storefront still shows less stock for \(product.id) (available_quantity \(low.map { $0["available_quantity"] ?? "?" }))")
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return variants
    }

    static func object(_ response: (status: Int, body: String), _ request: String) throws -> [String: Any] {
        guard response.status == 200, let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any] else {
            throw BenchError("\(request) answered \(response.status): \(response.body.prefix(500))")
        }
        return object
    }

    // MARK: Measuring

    /// The five requests of an order.
    enum Step: Int, CaseIterable {
        case create, firstLine, secondLine, details, complete

        var label: String {
            switch self {
            case .create: "create cart"
            case .firstLine: "add line 1"
            case .secondLine: "add line 2"
            case .details: "address+ship"
            case .complete: "complete"
            }
        }
    }

    /// What one phase measured (latencies in ms).
    struct PhaseResult: Sendable {
        var flows: [Double] = []
        var steps: [[Double]] = Array(repeating: [], count: Step.allCases.count)
        var errors = 0
        var samples: [String] = []
        var elapsed: Duration = .zero

        mutating func add(_ other: PhaseResult) {
            flows += other.flows
            for index in steps.indices { steps[index] += other.steps[index] }
            errors += other.errors
            samples += other.samples.prefix(max(0, 5 - samples.count))
        }

        mutating func fail(_ sample: String) {
            errors += 1
            if samples.count < 5 { samples.append(sample) }
        }

        func printSamples() {
            for sample in samples { print("  error: \(sample)") }
        }
    }

    static let detailsBody = ByteBuffer(string: """
        {"email":"b@example.com","shipping_address":{"first_name":"Ada","last_name":"L","line1":"Main St 1","city":"Berlin","postal_code":"10115","country":"DE"},"shipping_method":"standard"}
        """)
    static let completeBody = ByteBuffer(string: #"{"payment":{"provider":"test","card_number":"4242424242424242"}}"#)

    /// Every client places the next order until `orders` are placed or failed.
    func phase(_ connections: [BenchConnection], orders: Int, offset: Int, variants: [String]) async -> PhaseResult {
        let lineBodies = variants.map { ByteBuffer(string: #"{"variant_id":"\#($0)","quantity":1}"#) }
        let counter = AdminWrites.Counter()
        let clock = ContinuousClock()
        let start = clock.now
        var total = await withTaskGroup(of: PhaseResult.self) { group in
            for connection in connections {
                group.addTask {
                    var result = PhaseResult()
                    while true {
                        let index = counter.next()
                        guard index < orders else { break }
                        // Consecutive variants, so the two lines always differ (at least 2 variants).
                        let first = (2 * (offset + index)) % variants.count
                        let second = (first + 1) % variants.count
                        await placeOrder(connection, lines: [lineBodies[first], lineBodies[second]], clock: clock, into: &result)
                    }
                    return result
                }
            }
            var total = PhaseResult()
            for await part in group { total.add(part) }
            return total
        }
        total.elapsed = start.duration(to: clock.now)
        return total
    }

    /// One order: five requests; stops at the first that fails.
    func placeOrder(_ connection: BenchConnection, lines: [ByteBuffer], clock: ContinuousClock, into result: inout PhaseResult) async {
        let began = clock.now
        var steps: [Double] = []
        steps.reserveCapacity(Step.allCases.count)
        func request(_ step: Step, _ method: HTTPRequest.Method, _ path: String, body: ByteBuffer?, headers: HTTPFields = [:],
                     expect: Int) async -> String? {
            let sent = clock.now
            do {
                let response = try await connection.send(method, path, body: body, headers: headers)
                guard response.status == expect else {
                    result.fail("\(step.label): \(method) \(path) → HTTP \(response.status): \(response.body.prefix(300))")
                    return nil
                }
                steps.append(Self.milliseconds(sent.duration(to: clock.now)))
                return response.body
            } catch {
                result.fail("\(step.label): \(method) \(path) → transport: \(error)")
                return nil
            }
        }
        guard let created = await request(.create, .post, "/store/v1/carts", body: nil, expect: 201) else { return }
        guard let cart = Self.member("id", of: created) else {
            result.fail("create cart: no id in \(created.prefix(300))")
            return
        }
        let path = "/store/v1/carts/\(cart)"
        var headers = HTTPFields()
        // (Servers before cart tokens answer none; the same load generator measures both.)
        if let token = Self.member("token", of: created) { headers[HTTPField.Name("X-Cart-Token")!] = token }
        guard await request(.firstLine, .post, path + "/lines", body: lines[0], headers: headers, expect: 200) != nil,
              await request(.secondLine, .post, path + "/lines", body: lines[1], headers: headers, expect: 200) != nil,
              await request(.details, .patch, path, body: Self.detailsBody, headers: headers, expect: 200) != nil else { return }
        headers[HTTPField.Name("Idempotency-Key")!] = UUID().uuidString
        guard await request(.complete, .post, path + "/complete", body: Self.completeBody, headers: headers, expect: 201) != nil else { return }
        result.flows.append(Self.milliseconds(began.duration(to: clock.now)))
        for (index, value) in steps.enumerated() { result.steps[index].append(value) }
    }

    /// A string member of the create answer (a new cart has no lines, so the only `"id"` key
    /// is the cart's); a scan, so the load generator spends little CPU.
    static func member(_ name: String, of body: String) -> String? {
        guard let key = body.range(of: "\"\(name)\":\"") else { return nil }
        guard let end = body[key.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(body[key.upperBound..<end])
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
    }
}

/// Nearest-rank percentile of sorted values.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
}
