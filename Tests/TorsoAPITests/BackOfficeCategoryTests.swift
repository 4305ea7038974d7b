import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// The category tree in the back office, in process on both databases: categories made under
/// a parent and moved among their siblings — and what should not get through: a bad slug, a
/// taken one, a parent that is none, a direction that is none, a viewer.
@Suite struct BackOfficeCategoryTests {
    typealias Pages = BackOfficeTests

    @Test func categoriesAreMadeUnderTheirParentAndMovedAmongTheirSiblings() async throws {
        try await withAPI { api in
            _ = try await api.services.backOffice.createUser(email: "ed@shop.example", name: "Carla", role: .catalogEditor, password: "correct horse 21")
            _ = try await api.services.backOffice.createUser(email: "view@shop.example", name: "Vic", role: .viewer, password: "correct horse 22")
            let editor = try await Pages.signIn(api, "ed@shop.example", "correct horse 21")
            let viewer = try await Pages.signIn(api, "view@shop.example", "correct horse 22")
            func make(_ english: String, _ slug: String, parent: String = "") async throws -> APIResponse {
                try await Pages.post(api, "/admin/categories", [("csrf", editor.csrf), ("name_en", english), ("name_de", english + " DE"), ("slug", slug),
                                                                ("parent", parent)], cookie: editor.cookie)
            }
            #expect(try await make("Apparel", "apparel").status == .seeOther)
            let apparel = try #require(try await api.get("/admin/v1/categories").json["data"]?.arrayValue?.first?["id"]?.stringValue)
            for (name, slug) in [("Shirts", "shirts"), ("Trousers", "trousers"), ("Hats", "hats")] {
                #expect(try await make(name, slug, parent: apparel).status == .seeOther)
            }
            // Refused
            #expect(try await make("Bad", "Not A Slug").status == .unprocessableContent)
            #expect(try await make("Again", "shirts", parent: apparel).status != .seeOther, "a taken slug")
            #expect(try await make("Lost", "lost", parent: "cat_nowhere").status != .seeOther)
            #expect(try await Pages.post(api, "/admin/categories", [("csrf", viewer.csrf), ("name_en", "X"), ("slug", "x")], cookie: viewer.cookie).status
                    == .forbidden)
            // The tree in order, then Hats moved up twice
            func order() async throws -> [String] {
                let page = try await Pages.get(api, "/admin/categories", cookie: viewer.cookie).text
                return ["Shirts", "Trousers", "Hats"].sorted { page.range(of: ">\($0)<")!.lowerBound < page.range(of: ">\($1)<")!.lowerBound }
            }
            #expect(try await order() == ["Shirts", "Trousers", "Hats"])
            let hats = try #require(try await api.get("/admin/v1/categories").json["data"]?.arrayValue?.first { $0["slug"]?["en-US"] == .string("hats") }?["id"]?.stringValue)
            for _ in 0..<2 {
                #expect(try await Pages.post(api, "/admin/categories/\(hats)/move", [("csrf", editor.csrf), ("direction", "up")], cookie: editor.cookie).status
                        == .seeOther)
            }
            #expect(try await order() == ["Hats", "Shirts", "Trousers"])
            let still = try await Pages.post(api, "/admin/categories/\(hats)/move", [("csrf", editor.csrf), ("direction", "up")], cookie: editor.cookie)
            #expect(still.status == .seeOther, "the first stays first")
            let audited = try await api.get("/admin/v1/audit").json["data"]?.arrayValue?.filter { $0["action"] == .string("POST /admin/categories/{id}/move") }
            #expect(audited?.count == 2, "a move that changes nothing is not audited")
            #expect(try await order() == ["Hats", "Shirts", "Trousers"])
            #expect(try await Pages.post(api, "/admin/categories/\(hats)/move", [("csrf", editor.csrf), ("direction", "sideways")], cookie: editor.cookie).status
                    == .unprocessableContent)
            #expect(try await Pages.post(api, "/admin/categories/cat_nothing/move", [("csrf", editor.csrf), ("direction", "up")], cookie: editor.cookie).status
                    == .notFound)
            #expect(try await Pages.post(api, "/admin/categories/\(hats)/move", [("csrf", viewer.csrf), ("direction", "down")], cookie: viewer.cookie).status
                    == .forbidden)
            // Found from outside: two moves at once wrote half a swap. Now each goes whole or not at all
            let shirts = try #require(try await api.get("/admin/v1/categories").json["data"]?.arrayValue?.first { $0["slug"]?["en-US"] == .string("shirts") }?["id"]?.stringValue)
            let answers = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (id, direction) in [(shirts, "up"), (hats, "down"), (shirts, "down"), (hats, "down")] {
                    group.addTask { try await Pages.post(api, "/admin/categories/\(id)/move", [("csrf", editor.csrf), ("direction", direction)], cookie: editor.cookie).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let siblings = try await api.get("/admin/v1/categories").json["data"]?.arrayValue?.filter { $0["parent_id"] == .string(apparel) } ?? []
            #expect(Set(siblings.compactMap { $0["position"]?.numberValue }).count == 3, "distinct positions: \(siblings) \(answers)")
            // The viewer sees the tree but no forms; the German page shows German names
            let page = try await Pages.get(api, "/admin/categories", cookie: viewer.cookie).text
            #expect(!page.contains("name=\"direction\"") && !page.contains("cat-create"))
            let german = try await api.request(.get, "/admin/categories", as: .none,
                                               headers: [.cookie: "torso_session=\(viewer.cookie)", .acceptLanguage: "de-DE"]).text
            #expect(german.contains(">Hats DE<"), "\(german)")
        }
    }
}
