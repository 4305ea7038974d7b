import Foundation
import Testing
import TorsoTestSupport

/// Imports against the real binary: a job whose server is killed in the middle goes on after a
/// restart with no product written twice; the CLI imports and exports with exit codes.
@Suite(.serialized) struct ImportKillTests {
    static let settings: [(String, String)] = [
        ("locales", #"{"code":"en-US","name":"English"}"#),
        ("channels", #"{"code":"web","name":"Web","locales":["en-US"],"default_locale":"en-US","currencies":["EUR"]}"#),
        ("stock-locations", #"{"code":"main","name":"Main"}"#),
        ("attributes", #"{"code":"name","type":"text","localizable":true}"#),
        ("product-types", #"{"code":"plain","attributes":["name"],"requirements":{"web":["name"]}}"#),
    ]

    /// A CSV of `count` one-variant products.
    static func file(_ count: Int) -> String {
        "product_type,slug-en-US,sku,name-en-US,price-EUR,stock-main\n"
            + (0..<count).map { "plain,item-\($0),ITEM-\($0),Item \($0),\($0 % 90 + 10).50,\($0 % 7)\n" }.joined()
    }

    func job(_ server: TorsoServer, _ id: String, key: String) async throws -> [String: Any] {
        let answer = try await server.request("GET", "/admin/v1/imports/\(id)", key: key)
        return try JSONSerialization.jsonObject(with: answer.body) as? [String: Any] ?? [:]
    }

    @Test func aJobWhoseServerIsKilledGoesOnAfterARestartWithNoDuplicates() async throws {
        // Given: a server with settings, and an import of 20,000 products under way (large enough that
        // a loaded machine cannot finish it between two looks at its progress)
        let database = try await TorsoProcess.freshDatabase()
        let url = database.url
        let uploads = FileManager.default.temporaryDirectory.appendingPathComponent("torso-uploads-\(UUID().uuidString)").path
        let key = try TorsoProcess.run(["keys", "create", "--database", url, "--name", "e2e", "--scopes", "all"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var server = try TorsoServer(["--database", url, "--imports-dir", uploads])
        for (path, body) in Self.settings {
            #expect(try await server.request("POST", "/admin/v1/" + path, key: key, body: body).status == 201)
        }
        let total = 20_000
        let started = try await server.request("POST", "/admin/v1/imports?file_name=big.csv", key: key, body: Self.file(total))
        #expect(started.status == 202)
        let id = try #require((try JSONSerialization.jsonObject(with: started.body) as? [String: Any])?["id"] as? String)
        // When: it is killed as soon as its first batch is committed, long before the end
        var killedAt = 0
        for _ in 0..<1_500 {
            let counts = try await job(server, id, key: key)["counts"] as? [String: Any]
            killedAt = counts?["rows"] as? Int ?? 0
            if killedAt > 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        server.kill()
        #expect(killedAt > 0 && killedAt < total, "killed after \(killedAt) rows")
        // Then: a new process finishes the job from its last committed batch
        server = try TorsoServer(["--database", url, "--imports-dir", uploads])
        var ended: [String: Any] = [:]
        for _ in 0..<3_600 {
            ended = try await job(server, id, key: key)
            if ended["state"] as? String != "running" && ended["state"] as? String != "queued" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(ended["state"] as? String == "completed", "\(ended)")
        let counts = try #require(ended["counts"] as? [String: Any])
        #expect(counts["created"] as? Int == total && counts["failed"] as? Int == 0 && counts["rows"] as? Int == total, "\(counts)")
        // and every product is there once, with its stock set once
        let export = try await server.request("GET", "/admin/v1/exports/products?format=ndjson", key: key)
        #expect(String(decoding: export.body, as: UTF8.self).split(separator: "\n").count == total)
        let log = try await server.request("GET", "/admin/v1/inventory/adjustments?sku=ITEM-3", key: key)
        #expect((try JSONSerialization.jsonObject(with: log.body) as? [String: Any])?["data"].map { ($0 as? [Any])?.count } == 1)
        server.stop()
        await database.cleanup()
    }

    @Test func theCLIImportsExportsAndFailsWithAReport() async throws {
        let database = try await TorsoProcess.freshDatabase()
        let url = database.url
        let key = try TorsoProcess.run(["keys", "create", "--database", url, "--name", "e2e", "--scopes", "all"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try TorsoServer(["--database", url])
        for (path, body) in Self.settings {
            #expect(try await server.request("POST", "/admin/v1/" + path, key: key, body: body).status == 201)
        }
        server.stop()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("torso-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let good = folder.appendingPathComponent("good.csv").path
        try Data(Self.file(50).utf8).write(to: URL(fileURLWithPath: good))
        let imported = try TorsoProcess.run(["import", good, "--database", url])
        #expect(imported.status == 0, "\(imported.output)")
        #expect(imported.output.contains("completed: 50 rows, 50 created"), "\(imported.output)")
        let bad = folder.appendingPathComponent("bad.csv").path
        try Data("sku,price-EUR\nITEM-1,abc\nITEM-2,11.00\n".utf8).write(to: URL(fileURLWithPath: bad))
        let failed = try TorsoProcess.run(["import", bad, "--database", url, "--mode", "update"])
        #expect(failed.status == 1 && failed.output.contains("1 updated") && failed.output.contains("1 failed"), "\(failed.output)")
        let report = try String(contentsOfFile: bad + ".errors.csv", encoding: .utf8)
        #expect(report.hasPrefix("line,column,code,message\r\n2,price-EUR,invalid_price,"), "\(report)")
        let exported = folder.appendingPathComponent("out.csv").path
        #expect(try TorsoProcess.run(["export", "--database", url, "--format", "csv", "-o", exported]).status == 0)
        #expect(try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\r\n").count == 51)
        // The same against a running server (--server URL --key KEY): the file goes up, the job is followed there
        let running = try TorsoServer(["--database", url])
        let address = "http://127.0.0.1:\(running.port)"
        try FileManager.default.removeItem(atPath: bad + ".errors.csv")
        let remote = try TorsoProcess.run(["import", bad, "--server", address, "--key", key, "--mode", "update"])
        #expect(remote.status == 1, "\(remote.output)")
        #expect(remote.output.contains("1 failed"), "\(remote.output)")
        let remoteReport = try String(contentsOfFile: bad + ".errors.csv", encoding: .utf8)
        #expect(remoteReport.hasPrefix("line,column,code,message\r\n2,price-EUR,invalid_price,"), "\(remoteReport)")
        let fetched = folder.appendingPathComponent("remote.csv").path
        #expect(try TorsoProcess.run(["export", "--server", address, "--key", key, "--format", "csv", "-o", fetched]).status == 0)
        #expect(try String(contentsOfFile: fetched, encoding: .utf8).split(separator: "\r\n").count == 51)
        let refused = try TorsoProcess.run(["import", good, "--server", address, "--key", "sk_wrong"])
        #expect(refused.status != 0 && !refused.output.contains("completed"), "\(refused.output)")
        running.stop()
        await database.cleanup()
    }
}
