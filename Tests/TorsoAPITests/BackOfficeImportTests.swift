import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// The back office's imports, in process on both databases: a file uploaded as the page's
/// script sends it (the session's CSRF token in a header), its job's page and status, and what
/// should not get through — no token, another token, a viewer, an editor asking to set stock or
/// to bring Shopify's settings, a job that is not there.
@Suite struct BackOfficeImportTests {
    typealias Pages = BackOfficeTests

    static func upload(_ api: TestAPI, _ query: String, _ file: String, cookie: String, token: String?) async throws -> APIResponse {
        var headers: HTTPFields = [.cookie: "torso_session=\(cookie)", .contentType: "application/octet-stream"]
        if let token { headers[HTTPField.Name("X-CSRF-Token")!] = token }
        return try await api.request(.post, "/admin/imports/upload?\(query)", as: .none, body: file, headers: headers)
    }

    @Test func aFileUploadedFromThePageIsImportedAsThePersonAndFollowedToItsEnd() async throws {
        try await withAPI { api in
            _ = try await api.services.backOffice.createUser(email: "ed@shop.example", name: "Edda", role: .catalogEditor, password: "correct horse 7")
            _ = try await api.services.backOffice.createUser(email: "vi@shop.example", name: "Vito", role: .viewer, password: "correct horse 8")
            let editor = try await Pages.signIn(api, "ed@shop.example", "correct horse 7")
            let page = try await Pages.get(api, "/admin/imports", cookie: editor.cookie).text
            #expect(page.contains("id=\"import-form\"") && page.contains("data-csrf=\"\(editor.csrf)\""))
            #expect(!page.contains("value=\"set\""), "an editor without inventory:write is not offered a stock take")
            let file = "product_type,slug-en-US,sku,name-en-US,size,color,stock-berlin\n"
                + "tshirt,page-tee,PT-S,Page tee,s,red,4\n,page-tee,PT-M,,m,red,2\n" + "tshirt,bad-tee,BT-S,Bad tee,xxl,red,1\n"
            // Without a token, with another session's, or with none in the header: refused, nothing imported
            let other = try await Pages.signIn(api, "ed@shop.example", "correct horse 7")
            #expect(try await Self.upload(api, "file_name=a.csv", file, cookie: editor.cookie, token: nil).status == .forbidden)
            let forged = try await Self.upload(api, "file_name=a.csv", file, cookie: editor.cookie, token: other.csrf)
            expectProblem(forged, .forbidden, "csrf_refused")
            expectProblem(try await Self.upload(api, "file_name=a.csv", file, cookie: editor.cookie, token: ""), .forbidden, "csrf_refused")
            #expect(try await api.services.imports.jobs(limit: 10).isEmpty)
            // An editor may not take stock or bring Shopify's settings; bad parameters are the API's 422
            expectProblem(try await Self.upload(api, "file_name=a.csv&stock=set", file, cookie: editor.cookie, token: editor.csrf), .forbidden, "missing_scope")
            let shopify = "Handle,Title,Variant SKU,Variant Price\nx,X,X-1,1.00\n"
            expectProblem(try await Self.upload(api, "file_name=s.csv", shopify, cookie: editor.cookie, token: editor.csrf), .forbidden, "missing_scope")
            expectValidation(try await Self.upload(api, "file_name=a.csv&mode=sideways", file, cookie: editor.cookie, token: editor.csrf),
                             [.init("/query/mode", "invalid_value")])
            // The upload, as the page's script sends it
            let started = try await Self.upload(api, "file_name=page.csv&publish=web", file, cookie: editor.cookie, token: editor.csrf)
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(started.json["id"]?.stringValue)
            await api.services.imports.wait(id)
            let status = try await Pages.get(api, "/admin/imports/\(id)/status", cookie: editor.cookie)
            #expect(status.json["state"] == .string("completed") && status.json["percent"] == .number(100), "\(status.text)")
            #expect(status.json["counts"]?["created"] == .number(1) && status.json["counts"]?["failed"] == .number(1))
            let job = try await Pages.get(api, "/admin/imports/\(id)", cookie: editor.cookie).text
            #expect(job.contains("Completed") && job.contains("id=\"count-created\">1<") && job.contains("id=\"error-report\""), "\(job)")
            #expect(!job.contains("data-import-poll"), "a job that ended is not followed")
            let report = try await Pages.get(api, "/admin/imports/\(id)/errors?format=csv", cookie: editor.cookie)
            #expect(report.status == .ok && report.text.contains("xxl"), "\(report.text)")
            #expect(try await Pages.get(api, "/admin/imports", cookie: editor.cookie).text.contains("page.csv"))
            // The product is Edda's: in its history and in the audit log
            let product = try #require(try await api.get("/admin/v1/products?q=page").data.first?["id"]?.stringValue)
            let history = try await api.get("/admin/v1/products/\(product)/history").json["data"]?.arrayValue ?? []
            #expect(history.first?["actor"]?["name"] == .string("Edda"), "\(history)")
            let audit = try await api.get("/admin/v1/audit").json["data"]?.arrayValue ?? []
            #expect(audit.filter { $0["actor_name"] == .string("Edda") }.map { $0["action"] } == [.string("POST /admin/imports/upload")], "\(audit)")
            // A translator limited to de-DE may not import (a file's columns reach every locale): found from outside
            _ = try await api.services.backOffice.createUser(email: "tr@shop.example", name: "Tara", role: .catalogEditor, password: "correct horse 25",
                                                             locales: ["de-DE"])
            let translator = try await Pages.signIn(api, "tr@shop.example", "correct horse 25")
            #expect(!(try await Pages.get(api, "/admin/imports", cookie: translator.cookie).text.contains("import-form")))
            let english = "sku,name-en-US\nPT-S,Renamed by a translator\n"
            expectProblem(try await Self.upload(api, "file_name=t.csv", english, cookie: translator.cookie, token: translator.csrf), .forbidden, "missing_scope")
            // A viewer sees the jobs but no form, and may neither upload nor cancel
            let viewer = try await Pages.signIn(api, "vi@shop.example", "correct horse 8")
            let seen = try await Pages.get(api, "/admin/imports", cookie: viewer.cookie)
            #expect(seen.status == .ok && seen.text.contains("page.csv") && !seen.text.contains("import-form"))
            expectProblem(try await Self.upload(api, "file_name=v.csv", file, cookie: viewer.cookie, token: viewer.csrf), .forbidden, "missing_scope")
            #expect(try await Pages.post(api, "/admin/imports/\(id)/cancel", [("csrf", viewer.csrf)], cookie: viewer.cookie).status == .forbidden)
            #expect(try await Pages.get(api, "/admin/imports/imp_nothing", cookie: viewer.cookie).status == .notFound)
            #expect(try await Pages.get(api, "/admin/imports/imp_nothing/status", cookie: viewer.cookie).json["code"] == .string("not_found"))
        }
    }
}
