import Foundation
import Testing
import TorsoStorage
import TorsoTestSupport

/// `torso serve` and the CLI as a user runs them, on a temporary SQLite file, or on a fresh
/// PostgreSQL database when TORSO_TEST_DATABASE is set.
@Suite(.serialized) struct ServeTests {
    /// A database URL string for a fresh database, and its cleanup.
    func freshDatabase() async throws -> (url: String, cleanup: @Sendable () async -> Void) { try await TorsoProcess.freshDatabase() }

    func json(_ data: Data) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test func demoServesAFullCatalogWithAWorkingKey() async throws {
        // Given
        let database = try await freshDatabase()
        let server = try TorsoServer(["--demo", "--database", database.url])
        defer { server.stop() }
        let key = try #require(server.output.firstMatch(of: /sk_[A-Za-z0-9]+/).map { String($0.output) })
        // When
        let health = try await server.request("GET", "/health")
        var count = 0
        var cursor: String?
        repeat {
            let page = try await server.request("GET", "/admin/v1/products?limit=25" + (cursor.map { "&cursor=\($0)" } ?? ""), key: key)
            #expect(page.status == 200)
            let body = try json(page.body)
            count += (body["data"] as? [Any])?.count ?? 0
            cursor = body["next_cursor"] as? String
        } while cursor != nil
        // Then
        #expect(health.status == 200)
        #expect(count >= 60)
        server.stop()  // before its database goes
        await database.cleanup()
    }

    @Test func acknowledgedWritesSurviveAKilledProcess() async throws {
        // Given: a server with settings and a key made by the CLI
        let database = try await freshDatabase()
        let key = try TorsoProcess.run(["keys", "create", "--database", database.url, "--name", "e2e", "--scopes", "all"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("sk_"))
        var server = try TorsoServer(["--database", database.url])
        for (path, body) in [
            ("locales", #"{"code":"en-US","name":"English"}"#),
            ("channels", #"{"code":"web","name":"Web","locales":["en-US"],"default_locale":"en-US","currencies":["EUR"]}"#),
            ("attributes", #"{"code":"name","type":"text","localizable":true}"#),
            ("product-types", #"{"code":"plain","attributes":["name"],"requirements":{"web":["name"]}}"#),
        ] {
            #expect(try await server.request("POST", "/admin/v1/" + path, key: key, body: body).status == 201)
        }
        // When: 30 products are acknowledged, then the process is killed without warning
        var ids: [String] = []
        for index in 0..<30 {
            let response = try await server.request("POST", "/admin/v1/products", key: key, body: """
                {"product_type":"plain","slug":{"en-US":"thing-\(index)"},"values":{"name":[{"locale":"en-US","data":"Thing \(index)"}]},
                 "variants":[{"sku":"THING-\(index)"}]}
                """)
            #expect(response.status == 201)
            ids.append(try json(response.body)["id"] as? String ?? "")
        }
        server.kill()
        // Then: a new process serves every one of them
        server = try TorsoServer(["--database", database.url])
        defer { server.stop() }
        for id in ids {
            #expect(try await server.request("GET", "/admin/v1/products/\(id)", key: key).status == 200)
        }
        server.stop()  // before its database goes
        await database.cleanup()
    }

    @Test func keysMadeOrRevokedByTheCLITakeEffectWithoutARestart() async throws {
        // Given
        let database = try await freshDatabase()
        let server = try TorsoServer(["--database", database.url])
        defer { server.stop() }
        // When: a key is created beside the running server
        let key = try TorsoProcess.run(["keys", "create", "--database", database.url, "--name", "late", "--scopes", "catalog:read"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // Then: it works within a second
        #expect(try await statusWithin(seconds: 1, expecting: 200) { try await server.request("GET", "/admin/v1/products", key: key).status })
        #expect(try await server.request("POST", "/admin/v1/locales", key: key, body: #"{"code":"en-US","name":"x"}"#).status == 403)
        // When: it is revoked
        let listed = try TorsoProcess.run(["keys", "list", "--database", database.url]).output
        let id = try #require(listed.firstMatch(of: /key_[0-9A-Z]+/).map { String($0.output) })
        #expect(try TorsoProcess.run(["keys", "revoke", id, "--database", database.url]).status == 0)
        // Then: it stops working within a second
        #expect(try await statusWithin(seconds: 1, expecting: 401) { try await server.request("GET", "/admin/v1/products", key: key).status })
        server.stop()  // before its database goes
        await database.cleanup()
    }

    @Test func migrateDryRunListsPendingMigrations() async throws {
        let database = try await freshDatabase()
        let dryRun = try TorsoProcess.run(["migrate", "--dry-run", "--database", database.url]).output
        #expect(dryRun.contains("pending 0001_catalog"))
        #expect(try TorsoProcess.run(["migrate", "--database", database.url]).output.contains("applied 0001_catalog"))
        #expect(try TorsoProcess.run(["migrate", "--dry-run", "--database", database.url]).output.contains("No pending migrations."))
        #expect(try TorsoProcess.run(["keys", "create", "--database", database.url, "--name", "x", "--scopes", "nope"]).status != 0)
        await database.cleanup()
    }

    /// Polls until `probe` returns `expected`, for at most `seconds` (plus one last try).
    func statusWithin(seconds: Double, expecting expected: Int, _ probe: () async throws -> Int) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await probe() == expected { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await probe() == expected
    }
}
