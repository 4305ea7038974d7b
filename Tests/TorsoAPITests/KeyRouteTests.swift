import Access
import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport
import Workflows

/// `/admin/v1/keys`: create (the secret is shown once), list (never the secret), revoke.
@Suite struct KeyRouteTests {
    /// Polls `GET path` with `secret` until it answers `status`, for at most `limit`; returns the time it took.
    func waitFor(_ status: HTTPResponse.Status, _ api: TestAPI, path: String = "/admin/v1/locales", secret: String,
                 limit: Duration = .milliseconds(1500)) async throws -> Duration? {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < limit {
            if try await api.get(path, as: .bearer(secret)).status == status { return clock.now - start }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test func createdKeyShowsItsSecretOnceAndWorksImmediately() async throws {
        try await withAPI { api in
            // When
            let created = try await api.post("/admin/v1/keys", #"{"name":"ci importer","scopes":["catalog:write"]}"#)
            // Then
            #expect(created.status == .created, "\(created.text)")
            let secret = try #require(created.json["secret"]?.stringValue)
            let key = try #require(created.json["key"])
            let id = try #require(key["id"]?.stringValue)
            #expect(secret.hasPrefix("sk_"))
            #expect(secret.count > 40)
            #expect(key["name"] == .string("ci importer"))
            #expect(key["kind"] == .string("secret"))
            #expect(key["scopes"] == .array([.string("catalog:write")]))
            let hint = try #require(key["hint"]?.stringValue)
            #expect(secret.hasPrefix(hint.replacingOccurrences(of: "…", with: "")))
            #expect(hint.count < secret.count / 2)
            #expect(key["revoked_at"] == .null)
            // the key works at once, within its scopes
            let read = try await api.get("/admin/v1/products", as: .bearer(secret))
            #expect(read.status == .ok)
            let write = try await api.post("/admin/v1/products", Fixtures.productBody("a"), as: .bearer(secret))
            #expect(write.status == .created, "\(write.text)")
            expectProblem(try await api.get("/admin/v1/keys", as: .bearer(secret)), .forbidden, "missing_scope")
            // the list shows the key with its hint and never a secret
            let list = try await api.get("/admin/v1/keys")
            #expect(list.status == .ok)
            let listed = try #require(list.data.first { $0["id"] == .string(id) })
            #expect(listed["hint"] == .string(hint))
            #expect(listed["name"] == .string("ci importer"))
            #expect(!list.text.contains(secret))
            #expect(!list.text.contains(api.adminKey))
            #expect(list.data.allSatisfy { $0["secret"] == nil && $0["hash"] == nil })
        }
    }

    @Test func theSecretIsStoredOnlyAsAHash() async throws {
        try await withAPI { api in
            // Given
            let created = try await api.post("/admin/v1/keys", #"{"name":"ci","scopes":["catalog:read"]}"#)
            let secret = try #require(created.json["secret"]?.stringValue)
            // When
            let stored = try await api.services.store.read { try await $0.keys.findKey(hash: KeySecret.hash(secret)) }
            // Then
            #expect(stored?.id.rawValue == created.json["key"]?["id"]?.stringValue)
            let encoded = String(decoding: try JSONCoding.encoder().encode(try #require(stored)), as: UTF8.self)
            #expect(!encoded.contains(secret))
        }
    }

    @Test func revokedKeyGets401WithinASecond() async throws {
        try await withAPI { api in
            // Given: a key that has been used, so its check is cached
            let created = try await api.post("/admin/v1/keys", #"{"name":"temp","scopes":["catalog:read"]}"#)
            let secret = try #require(created.json["secret"]?.stringValue)
            let id = try #require(created.json["key"]?["id"]?.stringValue)
            #expect(try await api.get("/admin/v1/locales", as: .bearer(secret)).status == .ok)
            // When
            let revoked = try await api.delete("/admin/v1/keys/\(id)")
            // Then
            #expect(revoked.status == .noContent)
            let took = try await waitFor(.unauthorized, api, secret: secret)
            #expect(took != nil, "the revoked key still works after 1.5 s")
            expectProblem(try await api.get("/admin/v1/locales", as: .bearer(secret)), .unauthorized, "invalid_key")
            let listed = try await api.get("/admin/v1/keys").data.first { $0["id"] == .string(id) }
            #expect(listed?["revoked_at"]?.stringValue != nil)
            // revoking twice is fine
            #expect(try await api.delete("/admin/v1/keys/\(id)").status == .noContent)
        }
    }

    @Test func aKeyRevokedElsewhereStopsWorkingWithinASecond() async throws {
        try await withAPI { api in
            // Given: the key is cached by this node's KeyService
            let key = try await api.makeKey(name: "temp", scopes: [.catalogRead])
            #expect(try await api.get("/admin/v1/locales", as: .bearer(key.secret)).status == .ok)
            // When: another node (or the CLI) revokes it through its own KeyService
            try await KeyService(store: api.services.store).revoke(key.id)
            // Then
            let took = try await waitFor(.unauthorized, api, secret: key.secret)
            #expect(took != nil, "the revoked key still works after 1.5 s")
        }
    }

    @Test func onlyTheExactSecretAuthenticatesWhateverItsLength() async throws {
        try await withAPI { api in
            // Given a key that has been used (its check is kept in memory)
            let key = try await api.makeKey(name: "reader", scopes: [.catalogRead])
            #expect(try await api.get("/admin/v1/locales", as: .bearer(key.secret)).status == .ok)
            // When near misses and long inventions are sent, twice each (the second from the kept check)
            let long = key.secret + String(repeating: "x", count: 4_000)
            for wrong in [String(key.secret.dropLast()), key.secret + "0", key.secret.uppercased(), long, String(long.dropFirst(key.secret.count))] {
                for _ in 0..<2 {
                    // Then each is refused, and the right key still works
                    #expect(try await api.get("/admin/v1/locales", as: .bearer(wrong)).status == .unauthorized, "\(wrong.prefix(60))")
                }
            }
            #expect(try await api.get("/admin/v1/locales", as: .bearer(key.secret)).status == .ok)
        }
    }

    @Test func unknownScopeIs422() async throws {
        try await withAPI { api in
            // When
            let response = try await api.post("/admin/v1/keys", #"{"name":"ci","scopes":["catalog:read","catalog:delete"]}"#)
            // Then
            expectValidation(response, [.init("/scopes", "unknown_scope")], exactly: true)
            #expect(response.json["errors"]?[0]?["detail"]?.stringValue?.contains("catalog:delete") == true)
            #expect(try await api.get("/admin/v1/keys").data.count == 1)
        }
    }

    @Test func keyBodiesAreValidated() async throws {
        try await withAPI { api in
            // When
            let noScopes = try await api.post("/admin/v1/keys", #"{"name":"ci"}"#)
            let noName = try await api.post("/admin/v1/keys", #"{"scopes":["all"]}"#)
            let blankName = try await api.post("/admin/v1/keys", #"{"name":"  ","scopes":["all"]}"#)
            let badKind = try await api.post("/admin/v1/keys", #"{"name":"x","kind":"master","scopes":["all"]}"#)
            let publishableWithScopes = try await api.post("/admin/v1/keys", #"{"name":"x","kind":"publishable","channel":"web","scopes":["catalog:read"]}"#)
            let publishableUnknownChannel = try await api.post("/admin/v1/keys", #"{"name":"x","kind":"publishable","channel":"moon"}"#)
            // Then
            expectValidation(noScopes, [.init("/scopes", "required")], exactly: true)
            expectValidation(noName, [.init("/name", "required")], exactly: true)
            expectValidation(blankName, [.init("/name", "required")], exactly: true)
            expectValidation(badKind, [.init("/kind", "invalid_value")], exactly: true)
            expectValidation(publishableWithScopes, [.init("/scopes", "not_allowed")], exactly: true)
            expectValidation(publishableUnknownChannel, [.init("/channel", "unknown_channel")], exactly: true)
            #expect(try await api.get("/admin/v1/keys").data.count == 1)
        }
    }

    @Test func allGrantsEveryScope() async throws {
        try await withAPI { api in
            // When
            let created = try await api.post("/admin/v1/keys", #"{"name":"root","scopes":["all"]}"#)
            // Then
            #expect(created.status == .created)
            #expect(created.json["key"]?["scopes"] == .array(Scope.allCases.map(\.rawValue).sorted().map { .string($0) }))
        }
    }

    @Test func publishableKeyIsBoundToAChannelAndRefusedByTheAdminAPI() async throws {
        try await withAPI { api in
            // When
            let created = try await api.post("/admin/v1/keys", #"{"name":"web shop","kind":"publishable","channel":"web"}"#)
            // Then
            #expect(created.status == .created, "\(created.text)")
            let secret = try #require(created.json["secret"]?.stringValue)
            #expect(secret.hasPrefix("pk_"))
            #expect(created.json["key"]?["channel"] == .string("web"))
            #expect(created.json["key"]?["scopes"] == .array([]))
            expectProblem(try await api.get("/admin/v1/products", as: .bearer(secret)), .forbidden, "secret_key_required")
        }
    }

    @Test func revokingAnUnknownKeyIs404() async throws {
        try await withAPI { api in
            // When
            let response = try await api.delete("/admin/v1/keys/key_\(String(repeating: "0", count: 26))")
            // Then
            expectProblem(response, .notFound, "not_found")
        }
    }

    @Test func aKeyCanRevokeItself() async throws {
        try await withAPI { api in
            // Given
            let key = try await api.makeKey(name: "self", scopes: [.keysWrite])
            // When
            let response = try await api.delete("/admin/v1/keys/\(key.id)", as: .bearer(key.secret))
            // Then
            #expect(response.status == .noContent)
            #expect(try await waitFor(.unauthorized, api, path: "/admin/v1/keys", secret: key.secret) != nil)
        }
    }

    @Test func keyListPaginates() async throws {
        try await withAPI { api in
            // Given: the admin key and four more
            for index in 0..<4 { _ = try await api.makeKey(name: "k\(index)", scopes: [.catalogRead]) }
            // When
            var names: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.get("/admin/v1/keys?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.data.count <= 2)
                names += page.data.compactMap { $0["name"]?.stringValue }
                cursor = page.nextCursor
            } while cursor != nil && names.count < 20
            // Then
            #expect(names.sorted() == ["admin", "k0", "k1", "k2", "k3"])
        }
    }
}
