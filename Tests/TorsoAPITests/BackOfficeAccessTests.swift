import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoApp
import TorsoTestSupport

/// People and keys in the back office, in process on both databases: an invitation link used
/// once to set a password, removing someone ends their sessions, a key whose secret is shown once
/// and then revoked — and what should not get through: a used, made-up or mistyped link, a short
/// password, an editor reaching for people or keys, a scope the person does not hold, removing
/// oneself.
@Suite struct BackOfficeAccessTests {
    typealias Pages = BackOfficeTests

    static func field(_ page: String, id: String) -> String? {
        page.range(of: "id=\"\(id)\" value=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) }
    }

    @Test func anOwnerInvitesAPersonWhoSetsTheirPasswordOnceAndCanBeRemoved() async throws {
        try await withAPI { api in
            _ = try await api.services.backOffice.createUser(email: "own@shop.example", name: "Otto", role: .owner, password: "correct horse 12")
            _ = try await api.services.backOffice.createUser(email: "ed@shop.example", name: "Ede", role: .catalogEditor, password: "correct horse 13")
            let owner = try await Pages.signIn(api, "own@shop.example", "correct horse 12")
            let editor = try await Pages.signIn(api, "ed@shop.example", "correct horse 13")
            // Only people who manage access see the page
            #expect(try await Pages.get(api, "/admin/users", cookie: editor.cookie).status == .forbidden)
            #expect(try await Pages.post(api, "/admin/users", [("csrf", editor.csrf), ("email", "x@shop.example"), ("name", "X"), ("role", "owner")],
                                         cookie: editor.cookie).status == .forbidden, "an editor cannot make an owner")
            // Bad invitations are refused and keep what was typed
            let invalid: [([(String, String)], HTTPResponse.Status)] = [
                ([("email", "not-an-address"), ("name", "Nina"), ("role", "catalog_editor")], .unprocessableContent),
                ([("email", "ed@shop.example"), ("name", "Ede again"), ("role", "viewer")], .conflict),
                ([("email", "nina@shop.example"), ("name", "Nina"), ("role", "emperor")], .unprocessableContent),
                ([("email", "nina@shop.example"), ("name", "Nina"), ("role", "viewer"), ("locales", "xx-XX")], .unprocessableContent),
                ([("email", "nina@shop.example"), ("name", " "), ("role", "viewer")], .unprocessableContent),
                ([("email", "nina@shop.example"), ("name", String(repeating: "N", count: 201)), ("role", "viewer")], .unprocessableContent),
                ([("email", "nina@shop.example"), ("name", "Nina\u{202E}evil"), ("role", "viewer")], .unprocessableContent),
            ]
            for (fields, status) in invalid {
                let answer = try await Pages.post(api, "/admin/users", [("csrf", owner.csrf)] + fields, cookie: owner.cookie)
                #expect(answer.status == status && !answer.text.contains("invite-link"), "\(fields) → \(answer.status)")
            }
            #expect(try await Pages.post(api, "/admin/users", [("email", "nina@shop.example"), ("name", "Nina"), ("role", "viewer")],
                                         cookie: owner.cookie).status == .forbidden, "no CSRF token")
            #expect(try await api.services.backOffice.users().count == 2)
            // The invitation: a link shown once
            let invited = try await Pages.post(api, "/admin/users", [("csrf", owner.csrf), ("email", "Nina@Shop.example"), ("name", "Nina"),
                                                                     ("role", "catalog_editor"), ("locales", "de-DE")], cookie: owner.cookie)
            let link = try #require(Self.field(invited.text, id: "invite-link"), "\(invited.text.prefix(500))")
            let path = String(link[try #require(link.range(of: "/admin/invite/"))!.lowerBound...])
            #expect(!(try await Pages.get(api, "/admin/users", cookie: owner.cookie).text.contains(path)), "the link is not shown again")
            // Nobody signs in as Nina before she sets her password
            #expect(try await Pages.post(api, "/admin/sign-in", [("email", "nina@shop.example"), ("password", "")]).status == .unauthorized)
            // A mistyped repeat or a short password leaves the link good; the right one signs her in, once
            #expect(try await Pages.get(api, path, cookie: nil).status == .ok)
            #expect(try await Pages.post(api, path, [("password", "long enough 1"), ("repeat", "long enough 2")]).status == .unprocessableContent)
            #expect(try await Pages.post(api, path, [("password", "short"), ("repeat", "short")]).status == .unprocessableContent)
            let accepted = try await Pages.post(api, path, [("password", "long enough 1"), ("repeat", "long enough 1")])
            #expect(accepted.status == .seeOther && accepted.headers[.setCookie]?.contains("HttpOnly") == true, "\(accepted.text.prefix(300))")
            let cookie = String((accepted.headers[.setCookie] ?? "").split(separator: ";")[0].dropFirst("torso_session=".count))
            let dashboard = try await Pages.get(api, "/admin", cookie: cookie)
            #expect(dashboard.status == .ok && dashboard.text.contains("Nina"))
            #expect(try await Pages.post(api, path, [("password", "another one 1"), ("repeat", "another one 1")]).status == .gone, "used once")
            #expect(try await Pages.get(api, path, cookie: nil).status == .gone, "a used link says so on opening")
            #expect(try await Pages.get(api, "/admin/invite/bo_made-up", cookie: nil).status == .gone)
            #expect(try await Pages.post(api, "/admin/invite/bo_made-up", [("password", "another one 1"), ("repeat", "another one 1")]).status == .gone)
            let nina = try await Pages.signIn(api, "nina@shop.example", "long enough 1")
            // She has her role and its limits
            #expect(try await Pages.get(api, "/admin/users", cookie: nina.cookie).status == .forbidden)
            let ninaUser = try #require(try await api.services.backOffice.users().first { $0.email == "nina@shop.example" })
            #expect(ninaUser.role == .catalogEditor && ninaUser.locales == ["de-DE"] && ninaUser.name == "Nina")
            // Removing her ends her sessions; an owner cannot remove themselves
            let ownerUser = try #require(try await api.services.backOffice.users().first { $0.role == .owner })
            #expect(try await Pages.post(api, "/admin/users/\(ownerUser.id.rawValue)/remove", [("csrf", owner.csrf)], cookie: owner.cookie).status
                    == .unprocessableContent)
            #expect(try await Pages.post(api, "/admin/users/usr_nobody/remove", [("csrf", owner.csrf)], cookie: owner.cookie).status == .notFound)
            #expect(try await Pages.post(api, "/admin/users/\(ninaUser.id.rawValue)/remove", [("csrf", owner.csrf)], cookie: owner.cookie).status == .seeOther)
            #expect(try await Pages.get(api, "/admin", cookie: nina.cookie).status == .seeOther, "her session ended")
            #expect(try await Pages.get(api, "/admin", cookie: cookie).status == .seeOther)
            // The audit log has the invitation and the removal, both Otto's
            let audit = try await api.get("/admin/v1/audit").json["data"]?.arrayValue ?? []
            let otto = audit.filter { $0["actor_name"] == .string("Otto") }.map { $0["action"]?.stringValue ?? "" }
            #expect(otto.sorted() == ["POST /admin/users", "POST /admin/users/{id}/remove"], "\(otto)")
        }
    }

    @Test func anOwnerCreatesAKeyWhoseSecretIsShownOnceAndRevokesIt() async throws {
        try await withAPI { api in
            _ = try await api.services.backOffice.createUser(email: "own@shop.example", name: "Otto", role: .owner, password: "correct horse 14")
            _ = try await api.services.backOffice.createUser(email: "ed@shop.example", name: "Ede", role: .catalogEditor, password: "correct horse 15")
            let owner = try await Pages.signIn(api, "own@shop.example", "correct horse 14")
            let editor = try await Pages.signIn(api, "ed@shop.example", "correct horse 15")
            #expect(try await Pages.get(api, "/admin/keys", cookie: editor.cookie).status == .forbidden)
            // An owner limited to de-DE makes no keys and invites nobody (neither carries the limit): found from outside
            _ = try await api.services.backOffice.createUser(email: "de@shop.example", name: "Dora", role: .owner, password: "correct horse 26",
                                                             locales: ["de-DE"])
            let dora = try await Pages.signIn(api, "de@shop.example", "correct horse 26")
            #expect(try await Pages.post(api, "/admin/keys", [("csrf", dora.csrf), ("name", "Escape"), ("scopes", "catalog:write")], cookie: dora.cookie).status
                    == .forbidden)
            #expect(try await Pages.post(api, "/admin/users", [("csrf", dora.csrf), ("email", "free@shop.example"), ("name", "Free"), ("role", "owner")],
                                         cookie: dora.cookie).status == .forbidden)
            #expect(!(try await Pages.get(api, "/admin", cookie: dora.cookie).text.contains("/admin/keys")))
            // Refused: no name, a publishable key without a channel, a scope that is none
            #expect(try await Pages.post(api, "/admin/keys", [("csrf", owner.csrf), ("name", ""), ("scopes", "catalog:read")], cookie: owner.cookie).status
                    == .unprocessableContent)
            #expect(try await Pages.post(api, "/admin/keys", [("csrf", owner.csrf), ("name", "Mirror"), ("kind", "publishable")], cookie: owner.cookie).status
                    == .unprocessableContent)
            #expect(try await Pages.post(api, "/admin/keys", [("csrf", owner.csrf), ("name", "God"), ("scopes", "root:all")], cookie: owner.cookie).status
                    == .forbidden)
            // A secret key: its secret once, and it works
            let created = try await Pages.post(api, "/admin/keys", [("csrf", owner.csrf), ("name", "PIM sync"), ("scopes", "catalog:read")], cookie: owner.cookie)
            #expect(created.status == .created)
            let secret = try #require(Self.field(created.text, id: "new-secret"))
            #expect(try await api.get("/admin/v1/products", as: .bearer(secret)).status == .ok)
            #expect(try await api.post("/admin/v1/products", Fixtures.productBody("nope"), as: .bearer(secret)).status == .forbidden)
            let list = try await Pages.get(api, "/admin/keys", cookie: owner.cookie).text
            #expect(list.contains("PIM sync") && !list.contains(secret), "the list never shows a secret")
            // A publishable key for a channel
            let mirror = try await Pages.post(api, "/admin/keys", [("csrf", owner.csrf), ("name", "Mirror"), ("kind", "publishable"), ("channel", "web")],
                                              cookie: owner.cookie)
            let publishable = try #require(Self.field(mirror.text, id: "new-secret"))
            #expect(try await api.get("/store/v1/products", as: .bearer(publishable)).status == .ok)
            // Revoked, it stops working
            let id = try #require(try await api.services.keys.list(PageRequest(limit: 50)).data.first { $0.name == "PIM sync" }?.id.rawValue)
            #expect(try await Pages.post(api, "/admin/keys/\(id)/revoke", [("csrf", editor.csrf)], cookie: editor.cookie).status == .forbidden)
            #expect(try await Pages.post(api, "/admin/keys/\(id)/revoke", [("csrf", owner.csrf)], cookie: owner.cookie).status == .seeOther)
            #expect(try await api.get("/admin/v1/products", as: .bearer(secret)).status == .unauthorized)
            #expect(try await Pages.post(api, "/admin/keys/key_nothing/revoke", [("csrf", owner.csrf)], cookie: owner.cookie).status == .notFound)
        }
    }
}

/// The audit log's retention is a setting (`torso serve --audit-days`, 1 to 3,650; 90 by default).
@Suite struct AuditRetentionTests {
    @Test func theRetentionSettingDecidesWhatTheSweepRemoves() async throws {
        let database = try await TestDatabase.make()
        let services = try await TorsoServices.open(database.url, passwordCost: 4, auditDays: 7)
        try await services.backOffice.audit(AuditEntry(at: Timestamp.string(Date()), actorId: "key_x", actorName: "x", action: "POST /admin/v1/things",
                                                       target: "/admin/v1/things", status: 201))
        #expect(try await services.backOffice.trimAudit(now: Date().addingTimeInterval(6 * 86_400)) == 0)
        #expect(try await services.backOffice.trimAudit(now: Date().addingTimeInterval(8 * 86_400)) == 1)
        await services.store.close()
        await database.cleanup()
    }
}
