import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Webhooks in the back office, in process on both databases: a subscription added from the
/// page with its secret shown once, its delivery log, switched off and on at the version the page
/// showed — and what should not get through: a private or plain-http address, no events, an
/// event that is none, a stale page, a person without the scope, a delivery that is not there.
@Suite struct BackOfficeWebhookTests {
    typealias Pages = BackOfficeTests

    @Test func anOwnerAddsAWebhookSeesItsDeliveriesAndSwitchesItOffAndOn() async throws {
        try await withAPI { api in
            _ = try await api.services.backOffice.createUser(email: "own@shop.example", name: "Olli", role: .owner, password: "correct horse 17")
            _ = try await api.services.backOffice.createUser(email: "pub@shop.example", name: "Pia", role: .publisher, password: "correct horse 18")
            let owner = try await Pages.signIn(api, "own@shop.example", "correct horse 17")
            let publisher = try await Pages.signIn(api, "pub@shop.example", "correct horse 18")
            #expect(try await Pages.get(api, "/admin/webhooks", cookie: publisher.cookie).status == .forbidden)
            // Refused, and nothing stored or audited
            for fields in [[("url", "http://127.0.0.1:9/hook"), ("events", "product.published")], [("url", "https://hooks.example.com/a")],
                           [("url", "https://hooks.example.com/a"), ("events", "product.exploded")], [("url", "not a url"), ("events", "order.placed")]] {
                let refused = try await Pages.post(api, "/admin/webhooks", [("csrf", owner.csrf)] + fields, cookie: owner.cookie)
                #expect(refused.status == .unprocessableContent && refused.text.contains("role=\"alert\""), "\(fields) → \(refused.status)")
            }
            #expect(try await api.services.webhooks.list(PageRequest(limit: 10)).data.isEmpty)
            // Added: the secret once, then the list without it
            let added = try await Pages.post(api, "/admin/webhooks", [("csrf", owner.csrf), ("url", "https://hooks.example.com/torso"),
                                                                      ("events", "product.published"), ("events", "order.placed"), ("description", "ERP")],
                                             cookie: owner.cookie)
            #expect(added.status == .created, "\(added.text.prefix(400))")
            let secret = try #require(BackOfficeAccessTests.field(added.text, id: "hook-secret"))
            #expect(secret.hasPrefix("whsec_"), "\(secret)")
            let list = try await Pages.get(api, "/admin/webhooks", cookie: owner.cookie).text
            #expect(list.contains("https://hooks.example.com/torso") && !list.contains(secret))
            let hook = try #require(try await api.services.webhooks.list(PageRequest(limit: 10)).data.first)
            // A publication makes a delivery, which the log shows
            let product = try #require(try await api.createProduct(Shop.completeProduct("hooked")).json["id"]?.stringValue)
            #expect(try await api.post("/admin/v1/products/\(product)/publish", #"{"channels":["web"]}"#).status == .ok)
            _ = try await api.services.webhooks.fanOut()
            var page = try await Pages.get(api, "/admin/webhooks/\(hook.id.rawValue)", cookie: owner.cookie).text
            #expect(page.contains("product.published") && page.contains("pending"), "\(page)")
            // Off and on, at the page's version; a stale page changes nothing
            let off = try await Pages.post(api, "/admin/webhooks/\(hook.id.rawValue)/switch", [("csrf", owner.csrf), ("version", "1"), ("enabled", "false")],
                                           cookie: owner.cookie)
            #expect(off.status == .seeOther)
            page = try await Pages.get(api, "/admin/webhooks/\(hook.id.rawValue)?done=off", cookie: owner.cookie).text
            #expect(page.contains("id=\"hook-state\">Off<") && page.contains("Switched off."))
            let stale = try await Pages.post(api, "/admin/webhooks/\(hook.id.rawValue)/switch", [("csrf", owner.csrf), ("version", "1"), ("enabled", "true")],
                                             cookie: owner.cookie)
            #expect(stale.status == .conflict && stale.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await api.services.webhooks.get(hook.id.rawValue).enabled == false)
            #expect(try await Pages.post(api, "/admin/webhooks/\(hook.id.rawValue)/switch", [("csrf", owner.csrf), ("version", "2"), ("enabled", "true")],
                                         cookie: owner.cookie).status == .seeOther)
            #expect(try await api.services.webhooks.get(hook.id.rawValue).enabled == true)
            #expect(try await Pages.post(api, "/admin/webhooks/\(hook.id.rawValue)/deliveries/whd_nothing/redeliver", [("csrf", owner.csrf)],
                                         cookie: owner.cookie).status == .notFound)
            #expect(try await Pages.post(api, "/admin/webhooks/\(hook.id.rawValue)/switch", [("csrf", publisher.csrf), ("version", "3"), ("enabled", "false")],
                                         cookie: publisher.cookie).status == .forbidden)
            // The audit log: the addition and the two switches, all Olli's
            let audit = try await api.get("/admin/v1/audit").json["data"]?.arrayValue ?? []
            let his = audit.filter { $0["actor_name"] == .string("Olli") }.map { $0["action"]?.stringValue ?? "" }
            #expect(his.sorted() == ["POST /admin/webhooks", "POST /admin/webhooks/{id}/switch", "POST /admin/webhooks/{id}/switch"], "\(his)")
        }
    }
}
