import ArgumentParser
import Foundation
import HTTPTypes
import Synchronization

/// `torso-bench login-flood`: a password-guessing script against one account from one address,
/// sending `--rate` attempts a second, while `--readers` clients read the storefront as heads
/// do. Reports the storefront's latency without and with the flood (same run), how many
/// attempts got through to a password check (not 429), and how the rest were answered.
///
/// Run against a server with its standard rate limits (`Benchmarks/login.sh` does that).
struct LoginFlood: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login-flood",
        abstract: "Measure how a login flood is held to the rate limit while storefront reads go on.")

    @Option(help: "The server, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "A publishable key (pk_…).") var publishableKey: String
    @Option(help: "The account under attack (registered first if it does not exist).") var email = "victim@example.com"
    @Option(help: "Login attempts per second.") var rate = 1_000
    @Option(help: "Seconds per phase (reads alone, then reads under the flood).") var seconds = 10
    @Option(help: "Concurrent storefront readers, each on its own connection.") var readers = 8
    @Option(help: "Connections the attacker spreads its attempts over.") var attackers = 16
    @Option(help: "What the readers read.") var path = "/store/v1/products?limit=20"

    func run() async throws {
        let store = try Target(url: url, key: publishableKey)
        try await AdminWrites.waitForHealth(store, seconds: 30)
        let setup = BenchConnection(store)
        _ = try await setup.send(.post, "/store/v1/customers", json: #"{"email":"\#(email)","password":"the real one, long enough"}"#)
        await setup.close()

        let calm = await reads(store, until: .now + .seconds(seconds))
        let clock = ContinuousClock()
        let start = clock.now
        async let flooded = reads(store, until: start + .seconds(seconds))
        let attack = await flood(store, from: start, until: start + .seconds(seconds))
        let underFlood = await flooded

        func ms(_ value: Double) -> String { String(format: "%.2f", value) }
        func line(_ name: String, _ result: ReadResult) -> String {
            let sorted = result.latencies.sorted()
            return "\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%7.0f", Double(sorted.count) / Double(seconds))) reads/s   "
                + "p50 \(ms(percentile(sorted, 0.50)))   p99 \(ms(percentile(sorted, 0.99)))   max \(ms(sorted.last ?? .nan))   errors \(result.errors)"
        }
        let sent = attack.values.reduce(0, +)
        let checked = sent - attack[429, default: 0]
        print("""
            torso-bench login-flood against \(store.description)
              attack       \(rate) attempts/s for \(seconds) s against one account from one address, over \(attackers) connections
              sent         \(sent)   (\(String(format: "%.0f", Double(sent) / Double(seconds)))/s)
              answers      \(attack.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "   "))
              checked      \(checked) reached a password check (\(String(format: "%.2f", Double(checked) / Double(seconds)))/s); the rest were refused with 429
              storefront   \(readers) readers of \(path)
                \(line("alone", calm))
                \(line("under flood", underFlood))
              p99 ratio    \(ms(percentile(underFlood.latencies.sorted(), 0.99) / percentile(calm.latencies.sorted(), 0.99))) (under flood / alone)
            """)
    }

    struct ReadResult: Sendable {
        var latencies: [Double] = []
        var errors = 0
    }

    /// Storefront reads until `end`, one request at a time per reader.
    func reads(_ store: Target, until end: ContinuousClock.Instant) async -> ReadResult {
        await withTaskGroup(of: ReadResult.self) { group in
            for _ in 0..<readers {
                group.addTask {
                    let connection = BenchConnection(store)
                    var result = ReadResult()
                    let clock = ContinuousClock()
                    while clock.now < end {
                        let sent = clock.now
                        let status = (try? await connection.send(.get, path))?.status ?? 0
                        if status == 200 { result.latencies.append(Checkout.milliseconds(sent.duration(to: clock.now))) } else { result.errors += 1 }
                    }
                    await connection.close()
                    return result
                }
            }
            var total = ReadResult()
            for await part in group {
                total.latencies += part.latencies
                total.errors += part.errors
            }
            return total
        }
    }

    /// Login attempts with wrong passwords at `rate` a second (open loop: each attempt has its
    /// time, whatever the answers before it took); answers counted by status.
    func flood(_ store: Target, from start: ContinuousClock.Instant, until end: ContinuousClock.Instant) async -> [Int: Int] {
        let attempts = rate * seconds
        let interval = Duration.seconds(1) / rate
        return await withTaskGroup(of: [Int: Int].self) { group in
            for lane in 0..<attackers {
                group.addTask {
                    let connection = BenchConnection(store)
                    var answers: [Int: Int] = [:]
                    for attempt in stride(from: lane, to: attempts, by: attackers) {
                        let due = start + interval * attempt
                        guard due < end else { break }
                        if ContinuousClock.now < due { try? await Task.sleep(until: due, clock: .continuous) }
                        let body = #"{"email":"\#(email)","password":"guess number \#(attempt)"}"#
                        let status = (try? await connection.send(.post, "/store/v1/customers/login", json: body))?.status ?? 0
                        answers[status, default: 0] += 1
                    }
                    await connection.close()
                    return answers
                }
            }
            var total: [Int: Int] = [:]
            for await part in group { total.merge(part, uniquingKeysWith: +) }
            return total
        }
    }
}
