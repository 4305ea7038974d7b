import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// The back office's product list, in process on both databases: its filters, and the bulk
/// actions — a complete product published while an incomplete one is refused and named, a
/// publication at a time, a withdrawal — and what should not get through: no products, no
/// channels, a time that is not one, too many products, a channel the role may not publish
/// to, a viewer, a form without its token.
@Suite struct BackOfficeProductListTests {
    typealias Pages = BackOfficeTests

    @Test func filtersFindProductsAndBulkActionsPublishWhatIsCompleteAndNameTheRest() async throws {
        try await withAPI { api in
            let complete = try #require(try await api.createProduct(Shop.completeProduct("bulk-done")).json["id"]?.stringValue)
            // Incomplete, and with nothing on hand
            let half = Fixtures.productBody("bulk-half").replacingOccurrences(of: #""on_hand":[0-9]+"#, with: #""on_hand":0"#, options: .regularExpression)
            let partial = try #require(try await api.createProduct(half).json["id"]?.stringValue)
            _ = try await api.services.backOffice.createUser(email: "pub@shop.example", name: "Paula", role: .publisher, password: "correct horse 9")
            _ = try await api.services.backOffice.createUser(email: "voice@shop.example", name: "Vox", role: .publisher, password: "correct horse 10",
                                                             channels: ["voice"])
            _ = try await api.services.backOffice.createUser(email: "view@shop.example", name: "Val", role: .viewer, password: "correct horse 11")
            let paula = try await Pages.signIn(api, "pub@shop.example", "correct horse 9")
            func list(_ query: String) async throws -> String { try await Pages.get(api, "/admin/products?\(query)", cookie: paula.cookie).text }
            func bulk(_ fields: [(String, String)], as session: (cookie: String, csrf: String)? = nil) async throws -> APIResponse {
                let who = session ?? paula
                return try await Pages.post(api, "/admin/products/bulk", [("csrf", who.csrf)] + fields, cookie: who.cookie)
            }
            // Filters
            do { let page = try await list("type=tshirt"); #expect(page.contains(complete) && page.contains(partial)) }
            do { let page = try await list("q=bulk-done"); #expect(!page.contains(partial)) }
            do { let page = try await list("publication=live:web"); #expect(!page.contains(complete), "nothing is live yet") }
            do { let page = try await list("stock=in"); #expect(page.contains(complete) && !page.contains(partial)) }
            do { let page = try await list("stock=out"); #expect(page.contains(partial) && !page.contains(complete)) }
            do { let page = try await list("type=nothing&category=nowhere&publication=sideways"); #expect(page.contains(partial), "unknown filters show all") }
            // Incomplete on web in de-DE, from the heat map's reading (read in the background on the first ask)
            var incomplete = ""
            for _ in 0..<100 {
                incomplete = try await list("completeness=incomplete:web:de-DE")
                if incomplete.contains(partial) { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(incomplete.contains(partial) && !incomplete.contains(complete), "\(incomplete.prefix(300))")
            do { let page = try await list("completeness=incomplete:nowhere:xx"); #expect(!page.contains(partial) && !page.contains(complete)) }
            // Refused before anything happens
            let unchanged: [([(String, String)], HTTPResponse.Status)] = [
                ([("action", "publish"), ("channels", "web")], .unprocessableContent),
                ([("action", "publish"), ("ids", complete)], .unprocessableContent),
                ([("action", "explode"), ("ids", complete), ("channels", "web")], .unprocessableContent),
                ([("action", "publish"), ("ids", complete), ("channels", "web"), ("at", "tomorrow")], .unprocessableContent),
                ([("action", "unpublish"), ("ids", complete), ("channels", "web"), ("at", "2030-01-01T10:00")], .unprocessableContent),
                ([("action", "publish"), ("channels", "web")] + (0...200).map { ("ids", "prod_\($0)") }, .unprocessableContent),
            ]
            for (fields, status) in unchanged {
                #expect(try await bulk(fields).status == status, "\(fields.prefix(4))")
            }
            let vox = try await Pages.signIn(api, "voice@shop.example", "correct horse 10")
            #expect(try await bulk([("action", "publish"), ("ids", complete), ("channels", "web")], as: vox).status == .forbidden)
            let val = try await Pages.signIn(api, "view@shop.example", "correct horse 11")
            #expect(try await bulk([("action", "publish"), ("ids", complete), ("channels", "web")], as: val).status == .forbidden)
            #expect(!(try await Pages.get(api, "/admin/products", cookie: val.cookie).text.contains("id=\"bulk\"")), "a viewer has no bulk form")
            #expect(try await Pages.post(api, "/admin/products/bulk", [("action", "publish"), ("ids", complete), ("channels", "web")],
                                         cookie: paula.cookie).status == .forbidden, "no CSRF token")
            #expect(try await api.get("/admin/v1/products/\(complete)/publication").json["channels"]?.arrayValue?.isEmpty != false)
            // Publish both: the complete one goes, the incomplete one is named with what it lacks
            let published = try await bulk([("action", "publish"), ("ids", complete), ("ids", partial), ("channels", "web"), ("back", "type=tshirt")])
            #expect(published.status == .ok && published.text.contains("1 products published to web"), "\(published.text.prefix(600))")
            #expect(published.text.contains(partial) && published.text.contains("Missing in web"))
            do { let page = try await list("publication=live:web"); #expect(page.contains(complete) && !page.contains(partial)) }
            do { let page = try await list("publication=not_live:web"); #expect(page.contains(partial) && !page.contains(complete)) }
            // At a time: scheduled, not live
            let scheduled = try await bulk([("action", "publish"), ("ids", complete), ("channels", "voice"), ("at", "2030-01-01T10:00")])
            #expect(scheduled.status == .ok && scheduled.text.contains("scheduled"), "\(scheduled.text.prefix(600))")
            do { let page = try await list("publication=scheduled"), voice = try await list("publication=live:voice"); #expect(page.contains(complete) && !voice.contains(complete)) }
            // Staged: changed after it went live
            do { let page = try await list("publication=staged"); #expect(!page.contains(complete)) }
            _ = try await api.patch("/admin/v1/products/\(complete)", #"{"values":{"rating":[{"data":5}]}}"#)
            do { let page = try await list("publication=staged"); #expect(page.contains(complete)) }
            // Withdrawn
            #expect(try await bulk([("action", "unpublish"), ("ids", complete), ("channels", "web")]).status == .ok)
            do { let page = try await list("publication=live:web"); #expect(!page.contains(complete)) }
            // The audit log has the three bulk actions that changed something, by Paula, and nothing else of hers
            let audit = try await api.get("/admin/v1/audit").json["data"]?.arrayValue ?? []
            let hers = audit.filter { $0["actor_name"] == .string("Paula") }.map { $0["action"]?.stringValue ?? "" }
            #expect(hers == Array(repeating: "POST /admin/products/bulk", count: 3), "\(hers)")
        }
    }
}
