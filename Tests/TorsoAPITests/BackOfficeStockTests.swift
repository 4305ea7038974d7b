import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Stores and stock in the back office, in process on both databases: the locations and levels,
/// filtered, and a count set as a logged adjustment in the person's name — and what should not get
/// through: a negative or made-up count, a SKU that is none, a person who may only read stock.
@Suite struct BackOfficeStockTests {
    typealias Pages = BackOfficeTests

    @Test func aCountSetFromThePageIsALoggedAdjustmentInThePersonsName() async throws {
        try await withAPI { api in
            _ = try await api.createProduct(Shop.completeProduct("stocky", stock: 4))
            _ = try await api.services.backOffice.createUser(email: "own@shop.example", name: "Stefan", role: .owner, password: "correct horse 19")
            _ = try await api.services.backOffice.createUser(email: "view@shop.example", name: "Vera", role: .viewer, password: "correct horse 20")
            let owner = try await Pages.signIn(api, "own@shop.example", "correct horse 19")
            let viewer = try await Pages.signIn(api, "view@shop.example", "correct horse 20")
            let page = try await Pages.get(api, "/admin/stock?sku=stocky-m", cookie: owner.cookie).text
            #expect(page.contains("Berlin") && page.contains("stocky-m") && !page.contains("stocky-s<"), "\(page)")
            #expect(try await Pages.get(api, "/admin/stock?below=3", cookie: owner.cookie).text.contains("stocky-m") == false)
            #expect(try await Pages.get(api, "/admin/stock?location=nowhere&below=-5", cookie: owner.cookie).status == .ok, "odd filters show all")
            // Refused
            for (sku, count, status) in [("stocky-m", "-1", HTTPResponse.Status.unprocessableContent), ("stocky-m", "lots", .unprocessableContent),
                                         ("nobody", "3", .unprocessableContent)] {
                let refused = try await Pages.post(api, "/admin/stock", [("csrf", owner.csrf), ("sku", sku), ("location", "berlin"), ("set", count)],
                                                   cookie: owner.cookie)
                #expect(refused.status == status, "\(sku) \(count) → \(refused.status) \(refused.text.prefix(200))")
            }
            let seen = try await Pages.get(api, "/admin/stock", cookie: viewer.cookie)
            #expect(seen.status == .ok && !seen.text.contains("name=\"set\""), "a viewer has no form")
            #expect(try await Pages.post(api, "/admin/stock", [("csrf", viewer.csrf), ("sku", "stocky-m"), ("location", "berlin"), ("set", "0")],
                                         cookie: viewer.cookie).status == .forbidden)
            // Set
            let set = try await Pages.post(api, "/admin/stock", [("csrf", owner.csrf), ("sku", "stocky-m"), ("location", "berlin"), ("set", "9")],
                                           cookie: owner.cookie)
            #expect(set.status == .ok && set.text.contains("role=\"status\""), "\(set.text.prefix(300))")
            let log = try await api.get("/admin/v1/inventory/adjustments?sku=stocky-m").json["data"]?.arrayValue ?? []
            let last = try #require(log.first { $0["on_hand_after"] == .number(9) }, "\(log)")
            #expect(last["reason"] == .string("stock_take") && last["on_hand_before"] == .number(4) && last["actor"]?.stringValue?.hasPrefix("usr_") == true,
                    "\(last)")
            let audit = try await api.get("/admin/v1/audit").json["data"]?.arrayValue ?? []
            #expect(audit.filter { $0["actor_name"] == .string("Stefan") }.map { $0["action"]?.stringValue ?? "" } == ["POST /admin/stock"], "\(audit)")
        }
    }
}
