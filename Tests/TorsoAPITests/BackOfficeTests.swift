import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// The back office's sign-in, sessions and forms, in process on both databases: what a careless
/// person and an attacker would try — wrong passwords, many of them, forms without their CSRF
/// token or with another session's, a cookie that outlived its sign-out, script in a product
/// name, a translator reaching for English — and the audit log of what went through.
@Suite struct BackOfficeTests {
    static func form(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            .joined(separator: "&")
    }

    /// Posts a form with the session cookie (if any).
    static func post(_ api: TestAPI, _ path: String, _ fields: [(String, String)], cookie: String? = nil,
                     headers extra: HTTPFields = [:]) async throws -> APIResponse {
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let cookie { headers[.cookie] = "torso_session=\(cookie)" }
        return try await api.request(.post, path, as: .none, body: form(fields), headers: headers)
    }

    static func get(_ api: TestAPI, _ path: String, cookie: String?) async throws -> APIResponse {
        try await api.request(.get, path, as: .none, headers: cookie.map { [.cookie: "torso_session=\($0)"] } ?? [:])
    }

    /// Signs in; answers the session cookie's token and the CSRF token of its forms.
    static func signIn(_ api: TestAPI, _ email: String, _ password: String) async throws -> (cookie: String, csrf: String) {
        let answer = try await post(api, "/admin/sign-in", [("email", email), ("password", password)])
        #expect(answer.status == .seeOther, "\(answer.text)")
        let setCookie = try #require(answer.headers[.setCookie])
        let cookie = String(setCookie.split(separator: ";")[0].dropFirst("torso_session=".count))
        let page = try await get(api, "/admin", cookie: cookie).text
        let csrf = try #require(page.range(of: "name=\"csrf\" value=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) })
        return (cookie, csrf)
    }

    @Test func signingInSetsAStrictHttpOnlyCookieAndWrongPasswordsAreThrottled() async throws {
        try await withAPI { api in
            _ = try await api.services.backOffice.createUser(email: "Owner@Shop.example", name: "Olga", role: .owner, password: "correct horse 1")
            // A page before signing in sends the person to the sign-in page, keeping where they were going
            let before = try await Self.get(api, "/admin/products", cookie: nil)
            #expect(before.status == .seeOther && before.headers[.location] == "/admin/sign-in?next=%2Fadmin%2Fproducts")
            #expect(try await Self.post(api, "/admin/products/x", [("csrf", "x")]).status == .unauthorized)
            // A wrong password and an unknown e-mail answer alike
            let wrong = try await Self.post(api, "/admin/sign-in", [("email", "owner@shop.example"), ("password", "nope")])
            let unknown = try await Self.post(api, "/admin/sign-in", [("email", "nobody@shop.example"), ("password", "nope")])
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized && wrong.headers[.setCookie] == nil)
            #expect(wrong.text.contains("do not match") && unknown.text.contains("do not match"))
            // The right one (any case of the e-mail) opens a session in a cookie scripts cannot read
            let right = try await Self.post(api, "/admin/sign-in", [("email", "OWNER@shop.example "), ("password", "correct horse 1"), ("next", "//evil.example")])
            #expect(right.status == .seeOther && right.headers[.location] == "/admin", "no redirect off the site")
            let cookie = right.headers[.setCookie] ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/admin") && !cookie.contains("Secure"))
            let behindTLS = try await Self.post(api, "/admin/sign-in", [("email", "owner@shop.example"), ("password", "correct horse 1")],
                                                headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(behindTLS.headers[.setCookie]?.contains("; Secure") == true)
            // Guessing is throttled per e-mail
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<10 { statuses.append(try await Self.post(api, "/admin/sign-in", [("email", "owner@shop.example"), ("password", "guess")]).status) }
            #expect(statuses.last == .tooManyRequests, "\(statuses)")
        }
    }

    @Test func formsNeedTheirSessionsCSRFTokenAndSignOutEndsSessions() async throws {
        try await withAPI { api in
            _ = try await api.services.backOffice.createUser(email: "ed@shop.example", name: "Ed", role: .catalogEditor, password: "correct horse 2")
            let first = try await Self.signIn(api, "ed@shop.example", "correct horse 2")
            let second = try await Self.signIn(api, "ed@shop.example", "correct horse 2")
            // No token, another session's token, or an empty one: refused before anything runs
            for token in [nil, second.csrf, ""] as [String?] {
                let fields = [("version", "1")] + (token.map { [("csrf", $0)] } ?? [])
                let refused = try await Self.post(api, "/admin/sign-out", fields, cookie: first.cookie)
                #expect(refused.status == .forbidden, "\(token ?? "none")")
            }
            #expect(try await Self.get(api, "/admin", cookie: first.cookie).status == .ok, "the refused forms changed nothing")
            // Signing out ends that session only; everywhere ends them all
            #expect(try await Self.post(api, "/admin/sign-out", [("csrf", first.csrf)], cookie: first.cookie).status == .seeOther)
            #expect(try await Self.get(api, "/admin", cookie: first.cookie).status == .seeOther)
            #expect(try await Self.get(api, "/admin", cookie: second.cookie).status == .ok)
            let third = try await Self.signIn(api, "ed@shop.example", "correct horse 2")
            #expect(try await Self.post(api, "/admin/sign-out", [("csrf", third.csrf), ("everywhere", "1")], cookie: third.cookie).status == .seeOther)
            #expect(try await Self.get(api, "/admin", cookie: second.cookie).status == .seeOther)
            #expect(try await Self.get(api, "/admin", cookie: "bo_made-up").status == .seeOther)
        }
    }

    @Test func editsAreEscapedLimitedToTheRolesLocalesAndAudited() async throws {
        try await withAPI { api in
            let body = try productJSON("xss").setting("/values/name", to: .array([
                .object(["locale": .string("en-US"), "data": .string("<script>alert(1)</script>")]),
                .object(["locale": .string("de-DE"), "data": .string("Skript")]),
            ]))
            let id = try #require(try await api.createProduct(String(decoding: body.jsonBytes(), as: UTF8.self)).json["id"]?.stringValue)
            _ = try await api.services.backOffice.createUser(email: "tr@shop.example", name: "Trude", role: .catalogEditor, password: "correct horse 3",
                                                             locales: ["de-DE"])
            _ = try await api.services.backOffice.createUser(email: "view@shop.example", name: "Vic", role: .viewer, password: "correct horse 4")
            let translator = try await Self.signIn(api, "tr@shop.example", "correct horse 3")
            let page = try await Self.get(api, "/admin/products/\(id)", cookie: translator.cookie)
            #expect(page.status == .ok && !page.text.contains("<script>alert") && page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            // The translator changes German, not English
            let english = try await Self.post(api, "/admin/products/\(id)", [("csrf", translator.csrf), ("version", "1"), ("v|name|en-US|", "Renamed")],
                                              cookie: translator.cookie)
            #expect(english.status == .forbidden && english.text.contains("name · en-US"), "\(english.text.prefix(300))")
            let unlocalized = try await Self.post(api, "/admin/products/\(id)", [("csrf", translator.csrf), ("version", "1"), ("v|rating||", "3")],
                                                  cookie: translator.cookie)
            #expect(unlocalized.status == .forbidden && unlocalized.text.contains("rating"), "a value of no locale is nobody's translation")
            let german = try await Self.post(api, "/admin/products/\(id)", [("csrf", translator.csrf), ("version", "1"), ("v|name|de-DE|", "Umbenannt")],
                                             cookie: translator.cookie)
            #expect(german.status == .seeOther, "\(german.text.prefix(300))")
            let stored = try await api.get("/admin/v1/products/\(id)").json
            let names = stored["values"]?["name"]?.arrayValue ?? []
            #expect(names.contains { $0["locale"] == .string("de-DE") && $0["data"] == .string("Umbenannt") })
            #expect(names.contains { $0["locale"] == .string("en-US") && $0["data"] == .string("<script>alert(1)</script>") })
            // A form without a version, or with a field the editor never showed, is refused; a form that
            // changes nothing says so and is no change for the audit log; a refused form keeps what was typed
            let noVersion = try await Self.post(api, "/admin/products/\(id)", [("csrf", translator.csrf), ("v|name|de-DE|", "Ohne")], cookie: translator.cookie)
            #expect(noVersion.status == .unprocessableContent)
            let stray = try await Self.post(api, "/admin/products/\(id)", [("csrf", translator.csrf), ("version", "2"), ("v|name|xx-XX|", "X")],
                                            cookie: translator.cookie)
            #expect(stray.status == .unprocessableContent && stray.text.contains("v|name|xx-XX|"), "\(stray.text.prefix(300))")
            let same = try await Self.post(api, "/admin/products/\(id)", [("csrf", translator.csrf), ("version", "2"), ("v|name|de-DE|", "Umbenannt")],
                                           cookie: translator.cookie)
            #expect(same.status == .seeOther && same.headers[.location]?.hasSuffix("done=unchanged") == true)
            let typed = try await Self.post(api, "/admin/products/\(id)", [("csrf", translator.csrf), ("version", "2"), ("v|name|de-DE|", "Mein langer Text"),
                                                                           ("v|name|en-US|", "Sneaky")], cookie: translator.cookie)
            #expect(typed.status == .forbidden && typed.text.contains("Mein langer Text"), "what was typed is still there")
            // A stale form says someone else changed it, and changes nothing
            let stale = try await Self.post(api, "/admin/products/\(id)", [("csrf", translator.csrf), ("version", "1"), ("v|name|de-DE|", "Alt")],
                                            cookie: translator.cookie)
            #expect(stale.status == .conflict && stale.text.contains("Someone else changed"), "\(stale.text.prefix(300))")
            // A viewer reads but may not save
            let viewer = try await Self.signIn(api, "view@shop.example", "correct horse 4")
            #expect(try await Self.get(api, "/admin/products/\(id)", cookie: viewer.cookie).status == .ok)
            #expect(try await Self.post(api, "/admin/products/\(id)", [("csrf", viewer.csrf), ("version", "2"), ("v|name|de-DE|", "X")],
                                        cookie: viewer.cookie).status == .forbidden)
            #expect(try await Self.get(api, "/admin/audit", cookie: viewer.cookie).status == .forbidden)
            // The audit log names the person and the key, and needs its scope
            let audit = try await api.get("/admin/v1/audit").json["data"]?.arrayValue ?? []
            #expect(audit.contains { $0["actor_name"] == .string("Trude") && $0["action"] == .string("POST /admin/products/{id}") && $0["status"] == .number(303) })
            #expect(audit.contains { $0["action"] == .string("POST /admin/v1/products") && $0["actor_name"] == .string("admin") })
            #expect(audit.filter { $0["actor_name"] == .string("Trude") }.count == 1, "refused and stale forms are no change: \(audit)")
            let reader = try await api.makeKey(name: "reader", scopes: [.catalogRead])
            #expect(try await api.get("/admin/v1/audit", as: .bearer(reader.secret)).status == .forbidden)
            // Entries past the retention (90 days) go with the housekeeping sweep, newer ones stay
            #expect(try await api.services.backOffice.trimAudit(now: Date().addingTimeInterval(89 * 86_400)) == 0)
            #expect(try await api.services.backOffice.trimAudit(now: Date().addingTimeInterval(91 * 86_400)) == audit.count)
            #expect(try await api.get("/admin/v1/audit").json["data"]?.arrayValue?.isEmpty == true)
            // History names the person too
            let history = try await api.get("/admin/v1/products/\(id)/history").json["data"]?.arrayValue ?? []
            #expect(history.last?["actor"]?["name"] == .string("Trude"), "\(history)")
        }
    }

    @Test func concurrentChangesEachGetTheirOwnAuditEntry() async throws {
        try await withAPI { api in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await api.services.backOffice.audit(AuditEntry(at: Timestamp.string(Date()), actorId: "key_race", actorName: "race",
                                                                           action: "POST /admin/v1/things", target: "/admin/v1/things/\(index)", status: 201))
                    }
                }
                try await group.waitForAll()
            }
            let entries = try await api.services.backOffice.auditLog(before: nil, actor: "key_race", limit: 100)
            #expect(entries.count == 20 && Set(entries.map(\.seq)).count == 20 && Set(entries.map(\.target)).count == 20)
        }
    }
}
