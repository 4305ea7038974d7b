import Foundation
import Testing
import TorsoKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The back office in a real headless Chromium against `torso serve --demo`: sign in, fix a
/// product's missing German description and watch its completeness reach 100%, publish it to
/// `web` and read it from the store API; a wrong password; a form without its CSRF token; a
/// German translator who cannot change an English value; and the audit log of it all.
@Suite(.serialized, .enabled(if: Browser.available, "needs Debian's chromium and chromium-driver (.ci/run installs them)"))
struct BackOfficeBrowserTests {
    /// The demo's key and its owner's password, from what `torso serve --demo` printed.
    static func demo(_ server: TorsoServer) throws -> (key: String, password: String) {
        let output = server.output
        let key = try #require(output.range(of: "Demo admin key (all scopes): ").map { String(output[$0.upperBound...].prefix { !$0.isWhitespace }) })
        let password = try #require(output.range(of: "with the password ").map { String(output[$0.upperBound...].prefix { !$0.isWhitespace }) })
        return (key, password)
    }

    /// A demo product that lacks its German description on `web`.
    static func productMissingGermanDescription(_ server: TorsoServer, key: String) async throws -> String {
        let list = try JSONValue.parse(bytes: try await server.request("GET", "/admin/v1/products?limit=100", key: key).body)
        for product in list["data"]?.arrayValue ?? [] {
            let id = product["id"]?.stringValue ?? ""
            let completeness = try JSONValue.parse(bytes: try await server.request("GET", "/admin/v1/products/\(id)/completeness", key: key).body)
            let entries = completeness["completeness"]?.arrayValue ?? []
            let missing: JSONValue = .array([.string("description")])
            if entries.contains(where: { entry in
                entry["channel"] == .string("web") && entry["locale"] == .string("de-DE") && entry["missing"] == missing
            }) { return id }
        }
        throw BrowserError(message: "the demo has no product missing only its German description")
    }

    func signIn(_ browser: Browser, _ base: String, email: String, password: String) async throws {
        try await browser.go(base + "/admin/sign-in")
        try await browser.type("#email", email)
        try await browser.type("#password", password)
        try await browser.click("#sign-in")
    }

    @Test func aMarketerFixesATranslationPublishesItAndTheAuditLogSaysWho() async throws {
        let database = try await TorsoProcess.freshDatabase()
        let server = try TorsoServer(["--demo", "--database", database.url])
        let browser = try await Browser()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let (key, password) = try Self.demo(server)
        let id = try await Self.productMissingGermanDescription(server, key: key)

        // A page before signing in goes to the sign-in page; a wrong password is told, nothing more
        try await browser.go(base + "/admin/products/\(id)")
        #expect(try await browser.url.contains("/admin/sign-in"))
        try await browser.screenshot("01-sign-in")
        try await signIn(browser, base, email: "demo@torso.local", password: "not-the-password")
        #expect(try await browser.text("[role=alert]", once: "do not match").contains("do not match"))
        try await browser.screenshot("02-wrong-password")

        // Signed in, the dashboard shows completeness per channel and locale
        try await signIn(browser, base, email: "demo@torso.local", password: password)
        #expect(try await browser.text("h1", once: "Dashboard") == "Dashboard")
        // The heat map's figures are read in the background: the page says so until they are there
        for _ in 0..<100 where (try? await browser.text("table.heat")) == nil {
            #expect(try await browser.text("#heat-pending").contains("being worked out"))
            try await Task.sleep(for: .milliseconds(100))
            try await browser.go(base + "/admin")
        }
        #expect(try await browser.text("table.heat").contains("web"))
        try await browser.screenshot("03-dashboard")
        try await browser.go(base + "/admin/products")
        try await browser.screenshot("04-products")

        // The editor: the German description is missing on web, and the meter follows the typing
        try await browser.go(base + "/admin/products/\(id)")
        #expect(try await browser.text("#meter-web-de-DE") != "100%")
        try await browser.type("#v-description-de-DE--", "Ein Produkt, beschrieben im Browser.")
        #expect(try await browser.text("#meter-web-de-DE") == "100%", "the meter updates as the field is filled")
        try await browser.screenshot("05-editor-filled")
        try await browser.click("#save")
        #expect(try await browser.text("[role=status]", once: "Saved.") == "Saved.")
        #expect(try await browser.text("#meter-web-de-DE") == "100%")

        // Published to web, the store API serves the German description
        try await browser.click("#publish-web")
        try await browser.click("#publish")
        #expect(try await browser.text("[role=status]", once: "Published.") == "Published.")
        try await browser.screenshot("06-published")
        let publishable = try TorsoProcess.run(["keys", "create-publishable", "--database", database.url, "--channel", "web"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let served = try JSONValue.parse(bytes: try await server.request("GET", "/store/v1/products/\(id)?locale=de-DE", key: publishable).body)
        #expect(served["values"]?["description"] == .string("Ein Produkt, beschrieben im Browser.")
                    || String(decoding: served.jsonBytes(), as: UTF8.self).contains("beschrieben im Browser"), "\(served)")

        // A form posted without its CSRF token is refused, with the session's own cookie
        let cookie = try #require(try await browser.cookie("torso_session"))
        var forged = URLRequest(url: URL(string: base + "/admin/products/\(id)")!)
        forged.httpMethod = "POST"
        forged.setValue("torso_session=\(cookie)", forHTTPHeaderField: "Cookie")
        forged.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        forged.httpBody = Data("version=1&v%7Cdescription%7Cen-US%7C=forged".utf8)
        let (_, answer) = try await URLSession.shared.data(for: forged)
        #expect((answer as? HTTPURLResponse)?.statusCode == 403)

        // A German translator cannot change an English value, even with the field unlocked by hand
        let made = try TorsoProcess.run(["users", "create", "--database", database.url, "--email", "translator@shop.example", "--name", "Übersetzerin",
                                         "--role", "catalog_editor", "--locales", "de-DE", "--generate-password"]).output
        let translatorPassword = try #require(made.range(of: "password: ").map { String(made[$0.upperBound...].prefix { !$0.isWhitespace }) })
        try await browser.click("button[name=everywhere]")
        try await browser.wait(forURL: "/admin/sign-in")
        try await signIn(browser, base, email: "translator@shop.example", password: translatorPassword)
        try await browser.wait(forURL: "/admin")
        try await browser.go(base + "/admin/products/\(id)")
        let english = try await browser.value("#v-description-en-US--")
        try await browser.run("var f = document.getElementById('v-description-en-US--'); f.removeAttribute('readonly'); f.value = 'Changed by a translator';")
        try await browser.click("#save")
        #expect(try await browser.text("[role=alert]", once: "may not change").contains("may not change values in description · en-US"))
        try await browser.screenshot("07-translator-refused")
        let stored = try JSONValue.parse(bytes: try await server.request("GET", "/admin/v1/products/\(id)", key: key).body)
        #expect((stored["values"]?["description"]?.arrayValue ?? []).contains { $0["locale"] == .string("en-US") && $0["data"] == .string(english) })
        // The audit log shows each change with who made it
        let audit = try JSONValue.parse(bytes: try await server.request("GET", "/admin/v1/audit", key: key).body)
        let entries = audit["data"]?.arrayValue ?? []
        #expect(entries.contains { $0["actor_name"] == .string("Demo owner") && $0["action"] == .string("POST /admin/products/{id}") }, "\(entries)")
        #expect(entries.contains { $0["actor_name"] == .string("Demo owner") && $0["action"] == .string("POST /admin/products/{id}/publish") })
        #expect(!entries.contains { $0["actor_name"] == .string("Übersetzerin") && $0["action"] == .string("POST /admin/products/{id}") },
                "a refused change is no change")
        await browser.quit()
        await database.cleanup()
    }
}
