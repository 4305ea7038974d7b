import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// The back office's orders, in process on both databases: an order walked from pending to
/// refunded through its buttons, and what a careless person or an attacker would send — a stale
/// page, a move the status does not allow, a made-up move, a partial refund of nonsense or of
/// too much, a viewer's post, a form without its CSRF token — each refused with the order as it was.
@Suite struct BackOfficeOrderTests {
    typealias Pages = BackOfficeTests

    /// The order's version as its page shows it in the forms.
    static func version(_ page: String) -> String? {
        page.range(of: "name=\"version\" value=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) }
    }

    @Test func anOrderIsConfirmedShippedAndRefundedThroughItsPagesAndEachStepIsAudited() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "bo", stock: 3, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            let placed = try await Shop.complete(api, cart, key: key).json
            let order = try #require(placed["id"]?.stringValue), number = try #require(placed["number"]?.stringValue)
            _ = try await api.services.backOffice.createUser(email: "om@shop.example", name: "Omar", role: .orderManager, password: "correct horse 5")
            _ = try await api.services.backOffice.createUser(email: "vi@shop.example", name: "Vera", role: .viewer, password: "correct horse 6")
            let manager = try await Pages.signIn(api, "om@shop.example", "correct horse 5")
            // The list shows the order; the dashboard counts it
            let list = try await Pages.get(api, "/admin/orders", cookie: manager.cookie)
            #expect(list.status == .ok && list.text.contains(number) && list.text.contains("Pending"), "\(list.text.prefix(400))")
            let dashboard = try await Pages.get(api, "/admin", cookie: manager.cookie).text
            #expect(dashboard.contains("id=\"orders-today\"") && dashboard.contains("<strong>1</strong>"), "\(dashboard)")
            // The page offers the moves of a pending order only
            var page = try await Pages.get(api, "/admin/orders/\(order)", cookie: manager.cookie).text
            #expect(page.contains("move-confirm") && page.contains("move-cancel") && !page.contains("move-refund\""))
            let first = try #require(Self.version(page))
            // A move the status does not allow, or that does not exist, changes nothing
            let early = try await Pages.post(api, "/admin/orders/\(order)/refund", [("csrf", manager.csrf), ("version", first)], cookie: manager.cookie)
            #expect(early.status == .conflict && early.text.contains("role=\"alert\""), "\(early.text.prefix(300))")
            let madeUp = try await Pages.post(api, "/admin/orders/\(order)/explode", [("csrf", manager.csrf), ("version", first)], cookie: manager.cookie)
            #expect(madeUp.status == .notFound && madeUp.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await Pages.post(api, "/admin/orders/\(order)/confirm", [("version", first)], cookie: manager.cookie).status == .forbidden,
                    "no CSRF token")
            #expect(try await Pages.post(api, "/admin/orders/\(order)/confirm", [("csrf", manager.csrf)], cookie: manager.cookie).status == .unprocessableContent,
                    "no version")
            // Confirm captures the payment
            let confirmed = try await Pages.post(api, "/admin/orders/\(order)/confirm", [("csrf", manager.csrf), ("version", first)], cookie: manager.cookie)
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == "/admin/orders/\(order)?done=confirm")
            page = try await Pages.get(api, "/admin/orders/\(order)?done=confirm", cookie: manager.cookie).text
            #expect(page.contains("Confirmed") && page.contains("role=\"status\""))
            // The same form sent again (a double click, a second tab) is stale, and refused
            let again = try await Pages.post(api, "/admin/orders/\(order)/cancel", [("csrf", manager.csrf), ("version", first)], cookie: manager.cookie)
            #expect(again.status == .conflict && again.text.contains("Someone else changed this order"), "\(again.text.prefix(300))")
            #expect(try await api.get("/admin/v1/orders/\(order)").json["status"] == .string("confirmed"))
            // Fulfil with a note (escaped), ship, deliver
            for (event, note) in [("fulfill", "<b>DHL</b> 123"), ("ship", ""), ("deliver", "")] {
                let current = try #require(Self.version(try await Pages.get(api, "/admin/orders/\(order)", cookie: manager.cookie).text))
                let moved = try await Pages.post(api, "/admin/orders/\(order)/\(event)", [("csrf", manager.csrf), ("version", current), ("note", note)],
                                                 cookie: manager.cookie)
                #expect(moved.status == .seeOther, "\(event): \(moved.text.prefix(300))")
            }
            page = try await Pages.get(api, "/admin/orders/\(order)", cookie: manager.cookie).text
            #expect(page.contains("&lt;b&gt;DHL&lt;/b&gt; 123") && !page.contains("<b>DHL"))
            // A partial refund of nonsense, of nothing or of everything is refused; of a part it is made
            let total = try #require(placed["totals"]?["total"]?.numberValue)
            var current = try #require(Self.version(page))
            for amount in ["abc", "0", "-1", String(format: "%.2f", total / 100), "1.999", ""] {
                let refused = try await Pages.post(api, "/admin/orders/\(order)/refund_partially", [("csrf", manager.csrf), ("version", current), ("amount", amount)],
                                                   cookie: manager.cookie)
                #expect(refused.status == .unprocessableContent, "\(amount): \(refused.status) \(refused.text.prefix(200))")
            }
            #expect(try await api.get("/admin/v1/orders/\(order)").json["payment"]?["refunded"] == .number(0))
            let part = try await Pages.post(api, "/admin/orders/\(order)/refund_partially", [("csrf", manager.csrf), ("version", current), ("amount", "1,50")],
                                            cookie: manager.cookie)
            #expect(part.status == .seeOther, "\(part.text.prefix(300))")
            #expect(try await api.get("/admin/v1/orders/\(order)").json["payment"]?["refunded"] == .number(150))
            // A viewer sees the order but no buttons, and may not move it
            let viewer = try await Pages.signIn(api, "vi@shop.example", "correct horse 6")
            page = try await Pages.get(api, "/admin/orders/\(order)", cookie: viewer.cookie).text
            #expect(page.contains(number) && !page.contains("move-refund"))
            current = try #require(Self.version(try await Pages.get(api, "/admin/orders/\(order)", cookie: manager.cookie).text))
            let viewerRefund = try await Pages.post(api, "/admin/orders/\(order)/refund", [("csrf", viewer.csrf), ("version", current)], cookie: viewer.cookie)
            #expect(viewerRefund.status == .forbidden && viewerRefund.headers[.contentType]?.hasPrefix("text/html") == true)
            // The rest is refunded; a refunded order offers no moves
            let rest = try await Pages.post(api, "/admin/orders/\(order)/refund", [("csrf", manager.csrf), ("version", current)], cookie: manager.cookie)
            #expect(rest.status == .seeOther)
            let refunded = try await api.get("/admin/v1/orders/\(order)").json
            #expect(refunded["status"] == .string("refunded") && refunded["payment"]?["refunded"]?.numberValue == total)
            page = try await Pages.get(api, "/admin/orders/\(order)", cookie: manager.cookie).text
            #expect(!page.contains("class=\"move\""))
            let filtered = try await Pages.get(api, "/admin/orders?status=refunded", cookie: manager.cookie).text
            #expect(filtered.contains(number))
            #expect(!(try await Pages.get(api, "/admin/orders?status=pending", cookie: manager.cookie).text.contains(number)))
            #expect(try await Pages.get(api, "/admin/orders?status=bogus", cookie: manager.cookie).status == .unprocessableContent)
            #expect(try await Pages.get(api, "/admin/orders/ord_nothing", cookie: manager.cookie).status == .notFound)
            // The audit log names each move and who made it, and nothing that was refused
            let audit = try await api.get("/admin/v1/audit?limit=50").json["data"]?.arrayValue ?? []
            let moves = audit.filter { $0["actor_name"] == .string("Omar") }.compactMap { $0["target"]?.stringValue }
            #expect(moves.sorted() == ["confirm", "deliver", "fulfill", "refund", "refund_partially", "ship"].map { "/admin/orders/\(order)/\($0)" }.sorted(),
                    "\(moves)")
            #expect(audit.allSatisfy { $0["actor_name"] != .string("Vera") })
        }
    }
}
