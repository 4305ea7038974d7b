import ArgumentParser
import Foundation

/// `torso-bench registration-timing`: registers `--count` new e-mail addresses and, in turn,
/// `--count` times an address that already has an account, one at a time, and reports both
/// answers' statuses and latencies: a registration must not tell whether an e-mail is taken,
/// neither by its answer nor by its time. Run against a server without rate limits.
struct RegistrationTiming: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration-timing",
        abstract: "Compare registration answers and times for new and taken e-mail addresses.")

    @Option(help: "The server, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "A publishable key (pk_…).") var publishableKey: String
    @Option(help: "Registrations of each kind.") var count = 40

    func run() async throws {
        let store = try Target(url: url, key: publishableKey)
        try await AdminWrites.waitForHealth(store, seconds: 30)
        let connection = BenchConnection(store)
        let run = UUID().uuidString.prefix(8).lowercased()
        let taken = "taken-\(run)@example.com"
        _ = try await connection.send(.post, "/store/v1/customers", json: #"{"email":"\#(taken)","password":"long enough password"}"#)
        var times: [Bool: [Double]] = [:], statuses: [Bool: [Int: Int]] = [:]
        let clock = ContinuousClock()
        for index in 0..<(2 * count) {
            let isTaken = index % 2 == 1
            let email = isTaken ? taken : "new-\(run)-\(index)@example.com"
            let sent = clock.now
            let status = try await connection.send(.post, "/store/v1/customers", json: #"{"email":"\#(email)","password":"long enough password"}"#).status
            times[isTaken, default: []].append(Checkout.milliseconds(sent.duration(to: clock.now)))
            statuses[isTaken, default: [:]][status, default: 0] += 1
        }
        await connection.close()
        func summary(_ values: [Double]) -> String {
            let sorted = values.sorted()
            return String(format: "p50 %.1f   p90 %.1f   max %.1f ms", percentile(sorted, 0.5), percentile(sorted, 0.9), sorted.last ?? .nan)
        }
        let fresh = times[false] ?? [], repeated = times[true] ?? []
        print("""
            torso-bench registration-timing against \(store.description), \(count) of each, alternating
              new e-mail     statuses \(statuses[false] ?? [:])   \(summary(fresh))
              taken e-mail   statuses \(statuses[true] ?? [:])   \(summary(repeated))
              median ratio   \(String(format: "%.2f", percentile(repeated.sorted(), 0.5) / percentile(fresh.sorted(), 0.5))) (taken / new)
            """)
    }
}
