import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Settings in the back office, in process on both databases: an attribute's labels changed as
/// JSON and a promotion made, through the admin API's rules — and what should not get through:
/// JSON that is none, a change the rules refuse, a stale page, a person without
/// `settings:write`, a kind or a key that is none.
@Suite struct BackOfficeSettingsTests {
    typealias Pages = BackOfficeTests

    @Test func aSettingEditedAsJSONIsSavedThroughTheAPIsRules() async throws {
        try await withAPI { api in
            _ = try await api.services.backOffice.createUser(email: "pub@shop.example", name: "Sina", role: .publisher, password: "correct horse 23")
            _ = try await api.services.backOffice.createUser(email: "ed@shop.example", name: "Edu", role: .catalogEditor, password: "correct horse 24")
            let publisher = try await Pages.signIn(api, "pub@shop.example", "correct horse 23")
            let editor = try await Pages.signIn(api, "ed@shop.example", "correct horse 24")
            let overview = try await Pages.get(api, "/admin/settings", cookie: editor.cookie).text
            #expect(overview.contains("/admin/settings/attributes/rating") && overview.contains("/admin/settings/product-types/tshirt"))
            #expect(!overview.contains("name=\"json\""), "an editor cannot change settings")
            let page = try await Pages.get(api, "/admin/settings/attributes/rating", cookie: publisher.cookie).text
            #expect(page.contains("&quot;code&quot; : &quot;rating&quot;") || page.contains("\"code\" : \"rating\""), "\(page)")
            func save(_ json: String, version: String = "1", as session: (cookie: String, csrf: String)? = nil) async throws -> APIResponse {
                let who = session ?? publisher
                return try await Pages.post(api, "/admin/settings/attributes/rating", [("csrf", who.csrf), ("version", version), ("json", json)], cookie: who.cookie)
            }
            // Refused: not JSON, a rule, a change of type, an editor; the typed text stays
            let broken = try await save("{ not json")
            #expect(broken.status == .badRequest || broken.status == .unprocessableContent, "\(broken.status)")
            #expect(broken.text.contains("{ not json"), "what was typed stays")
            #expect(try await save(#"{"validation":{"min":9,"max":1}}"#).status == .unprocessableContent)
            #expect(try await save(#"{"type":"text"}"#).status.code >= 400)
            #expect(try await save(#"{"labels":{"en-US":"Stars"}}"#, as: editor).status == .forbidden)
            #expect(try await api.get("/admin/v1/attributes/rating").json["version"] == .number(1), "nothing changed")
            // Saved at the page's version, with the fields the server keeps left alone
            let saved = try await save(#"{"code":"rating","labels":{"en-US":"Stars","de-DE":"Sterne"},"version":99,"created_at":"1999-01-01T00:00:00Z"}"#)
            #expect(saved.status == .seeOther, "\(saved.text.prefix(300))")
            let stored = try await api.get("/admin/v1/attributes/rating").json
            #expect(stored["labels"]?["de-DE"] == .string("Sterne") && stored["version"] == .number(2) && stored["created_at"] != .string("1999-01-01T00:00:00Z"))
            #expect(try await save(#"{"labels":{"en-US":"Old"}}"#, version: "1").status == .conflict, "a stale page")
            // A promotion made from the overview
            let made = try await Pages.post(api, "/admin/settings/promotions", [("csrf", publisher.csrf), ("json",
                #"{"id":"spring","code":"SPRING5","name":"Spring","kind":{"type":"percentage","basis_points":500}}"#)], cookie: publisher.cookie)
            #expect(made.status == .seeOther, "\(made.text.prefix(300))")
            #expect(try await api.get("/admin/v1/promotions/spring").status == .ok)
            #expect(try await Pages.get(api, "/admin/settings/nothing/x", cookie: publisher.cookie).status == .notFound)
            #expect(try await Pages.get(api, "/admin/settings/attributes/nothing", cookie: publisher.cookie).status == .notFound)
        }
    }
}
