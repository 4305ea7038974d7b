import ArgumentParser
import Foundation
import HTTPTypes
import NIOCore
import Synchronization

/// `torso-bench admin-writes`: creates the settings it needs, then has `--clients` concurrent
/// clients, each on its own keep-alive connection, POST products with three variants to
/// `/admin/v1/products` as fast as the server answers. Warm-up requests are excluded from the
/// figures; every measured response must be 201.
struct AdminWrites: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin-writes",
        abstract: "Measure product creation through the admin API (products per second, latency).")

    @Option(help: "The server, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "A secret admin key (sk_…) with the settings and catalog write scopes.") var key: String
    @Option(help: "Concurrent clients, each on its own keep-alive connection.") var clients = 8
    @Option(help: "Products to create and measure.") var products = 4000
    @Option(help: "Products created first and left out of the figures.") var warmup = 200
    @Option(help: "Seconds to wait for the server to answer /health.") var waitSeconds = 30

    func validate() throws {
        guard clients >= 1 else { throw ValidationError("--clients must be at least 1.") }
        guard products >= 1 else { throw ValidationError("--products must be at least 1.") }
        guard warmup >= 0 else { throw ValidationError("--warmup cannot be negative.") }
        guard warmup + products < 1_000_000_000 else { throw ValidationError("--warmup plus --products must stay below 10^9.") }
    }

    func run() async throws {
        let target = try Target(url: url, key: key)
        try await waitForHealth(target)
        let run = String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8))
        let eanPrefix = Int.random(in: 1_000...9_999)
        let category = try await setUp(target, run: run)

        // Bodies are built before the clock starts, so the load generator spends its CPU on I/O.
        let bodies = (0..<(warmup + products)).map {
            ByteBuffer(string: BenchCatalog.productBody(run: run, eanPrefix: eanPrefix, index: $0, category: category))
        }
        let averageBytes = bodies.reduce(0) { $0 + $1.readableBytes } / max(bodies.count, 1)

        let connections = (0..<clients).map { _ in BenchConnection(target) }
        if warmup > 0 {
            let result = await phase(connections, bodies: Array(bodies[0..<warmup]))
            if result.errors > 0 {
                print("warm-up: \(result.errors) of \(warmup) requests failed")
                result.printSamples()
            }
        }
        let result = await phase(connections, bodies: Array(bodies[warmup...]))
        for connection in connections { await connection.close() }

        let seconds = Double(result.elapsed.components.seconds) + Double(result.elapsed.components.attoseconds) / 1e18
        let created = result.latencies.count
        let rate = Double(created) / seconds
        let sorted = result.latencies.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
        }
        func ms(_ value: Double) -> String { String(format: "%.2f", value) }

        print("""
            torso-bench admin-writes against \(target.description)
              clients      \(clients), one keep-alive connection each
              products     \(products) measured after \(warmup) warm-up; 3 variants each, \(averageBytes) bytes of JSON on average
              elapsed      \(String(format: "%.2f", seconds)) s
              products/s   \(String(format: "%.1f", rate))
              total        \(products)   created \(created)   errors \(result.errors)
              latency ms   p50 \(ms(percentile(0.50)))   p90 \(ms(percentile(0.90)))   p99 \(ms(percentile(0.99)))   max \(ms(sorted.last ?? .nan))
            """)
        result.printSamples()
        // One line for scripts.
        print("RESULT products_per_second=\(String(format: "%.1f", rate)) total=\(products) created=\(created) errors=\(result.errors) "
              + "p50_ms=\(ms(percentile(0.50))) p90_ms=\(ms(percentile(0.90))) p99_ms=\(ms(percentile(0.99))) seconds=\(String(format: "%.2f", seconds))")
        if result.errors > 0 { throw ExitCode(1) }
    }

    /// Waits until `/health` answers, so the script can start the server and this at once.
    func waitForHealth(_ target: Target) async throws {
        try await Self.waitForHealth(target, seconds: waitSeconds)
    }

    /// Waits up to `waitSeconds` until `/health` answers 200.
    static func waitForHealth(_ target: Target, seconds waitSeconds: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(waitSeconds)
        while true {
            let connection = BenchConnection(target)
            let status = try? await connection.send(.get, "/health").status
            await connection.close()
            if status == 200 { return }
            if ContinuousClock.now > deadline { throw BenchError("\(target.description)/health did not answer 200 within \(waitSeconds) s.") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Creates the settings (tolerating `already_exists`) and this run's category; returns its ID.
    func setUp(_ target: Target, run: String) async throws -> String {
        let connection = BenchConnection(target)
        do {
            let category = try await setUp(connection, run: run)
            await connection.close()
            return category
        } catch {
            await connection.close()
            throw error
        }
    }

    private func setUp(_ connection: BenchConnection, run: String) async throws -> String {
        for (path, body) in BenchCatalog.settings {
            let response = try await connection.send(.post, path, json: body)
            guard response.status == 201 || (response.status == 409 && response.body.contains("already_exists")) else {
                throw BenchError("POST \(path) answered \(response.status): \(response.body)")
            }
        }
        let response = try await connection.send(.post, "/admin/v1/categories", json: BenchCatalog.categoryBody(run: run))
        guard response.status == 201,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
              let id = object["id"] as? String else {
            throw BenchError("POST /admin/v1/categories answered \(response.status): \(response.body)")
        }
        return id
    }

    /// What one phase measured.
    struct PhaseResult: Sendable {
        var latencies: [Double] = []
        var errors = 0
        var samples: [String] = []
        var elapsed: Duration = .zero

        mutating func add(_ other: PhaseResult) {
            latencies += other.latencies
            errors += other.errors
            samples += other.samples.prefix(max(0, 5 - samples.count))
        }

        func printSamples() {
            for sample in samples { print("  error: \(sample)") }
        }
    }

    /// The next body to send, shared by every client.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
    }

    /// Every client takes the next body until none is left; returns latencies in ms.
    func phase(_ connections: [BenchConnection], bodies: [ByteBuffer]) async -> PhaseResult {
        let counter = Counter()
        let clock = ContinuousClock()
        let start = clock.now
        var total = await withTaskGroup(of: PhaseResult.self) { group in
            for connection in connections {
                group.addTask {
                    var result = PhaseResult()
                    result.latencies.reserveCapacity(bodies.count / connections.count + 1)
                    while true {
                        let index = counter.next()
                        guard index < bodies.count else { break }
                        let sent = clock.now
                        do {
                            let response = try await connection.send(.post, "/admin/v1/products", body: bodies[index])
                            let elapsed = sent.duration(to: clock.now)
                            if response.status == 201 {
                                result.latencies.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)
                            } else {
                                result.errors += 1
                                if result.samples.count < 5 { result.samples.append("HTTP \(response.status): \(response.body.prefix(300))") }
                            }
                        } catch {
                            result.errors += 1
                            if result.samples.count < 5 { result.samples.append("transport: \(error)") }
                        }
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
}
