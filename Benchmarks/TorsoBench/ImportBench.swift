import ArgumentParser
import Foundation
import NIOCore

/// `torso-bench import`: writes a CSV of `--products` T-shirts with three size variants each
/// (Torso's product CSV: two locales, EUR and USD prices, stock in two locations), uploads it to
/// `POST /admin/v1/imports` and follows the job to its end. Reports variant rows per second as
/// the job measured them (first batch to last) and end to end (upload included).
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Measure a CSV import (rows per second).")

    @Option(help: "The server, e.g. http://127.0.0.1:8080.") var url: String
    @Option(help: "A secret admin key with the settings and catalog scopes.") var key: String
    @Option(help: "Products in the file (three variant rows each).") var products = 100_000
    @Option(help: "Where to write the file.") var file = "/tmp/torso-import-bench.csv"

    func run() async throws {
        let admin = try Target(url: url, key: key)
        try await AdminWrites.waitForHealth(admin, seconds: 30)
        let connection = BenchConnection(admin)
        for (path, body) in BenchCatalog.settings {
            let answer = try await connection.send(.post, path, json: body)
            guard answer.status == 201 || answer.status == 409 else { throw BenchError("POST \(path) answered \(answer.status): \(answer.body)") }
        }
        let run = String(UUID().uuidString.prefix(6)).lowercased()
        let written = try Self.write(file, products: products, run: run)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let clock = ContinuousClock()
        let start = clock.now
        let started = try await connection.send(.post, "/admin/v1/imports?file_name=bench.csv&mode=create", body: ByteBuffer(bytes: bytes))
        guard started.status == 202, let id = Self.member("id", of: started.body) else { throw BenchError("the upload answered \(started.status): \(started.body.prefix(300))") }
        var job: [String: Any] = [:]
        while true {
            try await Task.sleep(for: .milliseconds(500))
            let answer = try await connection.send(.get, "/admin/v1/imports/\(id)")
            job = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:]
            if let state = job["state"] as? String, !["queued", "running"].contains(state) { break }
        }
        let wall = Checkout.milliseconds(start.duration(to: clock.now)) / 1_000
        await connection.close()
        let counts = job["counts"] as? [String: Any] ?? [:]
        let rows = counts["rows"] as? Int ?? 0
        let jobRate = job["rows_per_second"] as? Double ?? 0
        print("""
            torso-bench import against \(admin.description)
              file         \(products) products, \(written) variant rows, \(bytes.count / 1_048_576) MiB (Torso's CSV)
              job          \(job["state"] ?? "?"): \(counts["created"] ?? 0) created, \(counts["failed"] ?? 0) failed, \(rows) rows
              rows/s       \(String(format: "%.0f", jobRate)) (job), \(String(format: "%.0f", Double(rows) / wall)) (end to end, \(String(format: "%.1f", wall)) s)
            RESULT rows_per_second=\(String(format: "%.0f", jobRate)) end_to_end=\(String(format: "%.0f", Double(rows) / wall)) rows=\(rows) failed=\(counts["failed"] ?? 0) seconds=\(String(format: "%.1f", wall))
            """)
        if (counts["failed"] as? Int ?? 1) > 0 || job["state"] as? String != "completed" { throw ExitCode(1) }
    }

    /// Writes the file; answers its rows.
    static func write(_ path: String, products: Int, run: String) throws -> Int {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var text = "product_type,slug-en-US,slug-de-DE,sku,bench_name-en-US,bench_name-de-DE,bench_description-en-US,bench_description-de-DE,"
            + "bench_brand,bench_ean,bench_size,bench_color,bench_weight,price-EUR,price-USD,stock-bench-berlin,stock-bench-newark\n"
        let prefix = Int.random(in: 1_000...9_999)
        for index in 0..<products {
            let (adjective, adjektiv) = BenchCatalog.adjectives[index % BenchCatalog.adjectives.count]
            let color = BenchCatalog.colors[index % BenchCatalog.colors.count].0
            let brand = BenchCatalog.brands[index % BenchCatalog.brands.count]
            let slug = "imp-\(run)-\(index + 1)"
            let price = 1_499 + (index % 20) * 100
            for (offset, size) in BenchCatalog.sizes.enumerated() {
                let amount = price + offset * 200
                let first = offset == 0
                text += "\(first ? "bench_tshirt" : ""),\(slug),\(slug)-de,IMP-\(run)-\(index + 1)-\(size.1),"
                    + (first ? "\(adjective) tee \(index + 1),\(adjektiv) Shirt \(index + 1),A \(adjective.lowercased()) tee by \(brand).,Ein Shirt von \(brand).,\(brand),"
                        + String(format: "%04d%09d", prefix, index) : ",,,,,")
                    + ",\(size.0),\(color),\(160 + offset * 20) GRAM,\(amount / 100).\(String(format: "%02d", amount % 100)),"
                    + "\(amount * 108 / 10_000).\(String(format: "%02d", amount * 108 / 100 % 100)),\((index * 13 + offset) % 40),\((index * 7 + offset) % 25)\n"
            }
            if text.utf8.count > 1 << 20 {
                handle.write(Data(text.utf8))
                text = ""
            }
        }
        handle.write(Data(text.utf8))
        return products * 3
    }

    static func member(_ name: String, of body: String) -> String? { Checkout.member(name, of: body) }
}
