import Foundation
import Testing
import TorsoKit

/// A demo server, a browser, and what they need, for one browser test.
struct DemoSession {
    let database: (url: String, cleanup: @Sendable () async -> Void)
    let server: TorsoServer
    let browser: Browser
    let base: String
    /// The demo's admin key and its owner's password.
    let key: String, password: String

    /// Runs `body` against a fresh `torso serve --demo` and a browser, then ends both.
    static func run(_ body: (DemoSession) async throws -> Void) async throws {
        let database = try await TorsoProcess.freshDatabase()
        let server = try TorsoServer(["--demo", "--database", database.url])
        defer { server.stop() }
        let browser = try await Browser()
        let (key, password) = try BackOfficeBrowserTests.demo(server)
        try await body(DemoSession(database: database, server: server, browser: browser, base: "http://127.0.0.1:\(server.port)", key: key, password: password))
        await browser.quit()
        await database.cleanup()
    }
}

extension BackOfficeBrowserTests {
    /// Places an order on the demo's `web` channel through the store API, as a head would;
    /// answers its ID and number.
    static func placeOrder(_ server: TorsoServer, key: String, database: String) async throws -> (id: String, number: String) {
        let publishable = try TorsoProcess.run(["keys", "create-publishable", "--database", database, "--channel", "web"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let list = try JSONValue.parse(bytes: try await server.request("GET", "/store/v1/products?limit=100", key: publishable).body)
        var variant: String?
        for product in list["data"]?.arrayValue ?? [] where variant == nil {
            let id = product["id"]?.stringValue ?? ""
            let detail = try JSONValue.parse(bytes: try await server.request("GET", "/store/v1/products/\(id)", key: publishable).body)
            variant = (detail["variants"]?.arrayValue ?? []).first { ($0["available_quantity"]?.numberValue ?? 0) > 1 }?["id"]?.stringValue
        }
        let line = try #require(variant, "the demo sells something in stock")
        let created = try JSONValue.parse(bytes: try await server.request("POST", "/store/v1/carts", key: publishable, body: #"{"currency":"EUR"}"#).body)
        let cart = try #require(created["id"]?.stringValue), token = try #require(created["token"]?.stringValue)
        let headers = ["X-Cart-Token": token]
        #expect(try await server.request("POST", "/store/v1/carts/\(cart)/lines", key: publishable, body: #"{"variant_id":"\#(line)","quantity":2}"#,
                                         headers: headers).status == 200)
        let address = #"{"first_name":"Ada","last_name":"Lovelace","line1":"Unter den Linden 1","city":"Berlin","postal_code":"10117","country":"DE"}"#
        let details = #"{"email":"ada@example.com","shipping_address":\#(address),"shipping_method":"standard"}"#
        #expect(try await server.request("PATCH", "/store/v1/carts/\(cart)", key: publishable, body: details, headers: headers).status == 200)
        let completed = try await server.request("POST", "/store/v1/carts/\(cart)/complete", key: publishable,
                                                 body: #"{"payment":{"provider":"test","card_number":"4242424242424242"}}"#, headers: headers)
        let order = try JSONValue.parse(bytes: completed.body)
        #expect(completed.status == 201, "\(order)")
        return (try #require(order["id"]?.stringValue), try #require(order["number"]?.stringValue))
    }

    @Test func anOrderManagerConfirmsShipsAndRefundsAnOrder() async throws {
        try await DemoSession.run { demo in
            let (database, server, browser, base, key) = (demo.database, demo.server, demo.browser, demo.base, demo.key)
            let (order, number) = try await Self.placeOrder(server, key: key, database: database.url)
            let made = try TorsoProcess.run(["users", "create", "--database", database.url, "--email", "orders@shop.example", "--name", "Otto Order",
                                             "--role", "order_manager", "--generate-password"]).output
            let password = try #require(made.range(of: "password: ").map { String(made[$0.upperBound...].prefix { !$0.isWhitespace }) })
            try await signIn(browser, base, email: "orders@shop.example", password: password)
            try await browser.wait(forURL: "/admin")
            #expect(try await browser.text("#orders-today").contains("1"))
            try await browser.screenshot("10-dashboard-orders")

            // The list, the order, and its moves one after another
            try await browser.go(base + "/admin/orders")
            #expect(try await browser.text("table").contains(number))
            try await browser.screenshot("11-orders")
            try await browser.click("a[href='/admin/orders/\(order)']")
            #expect(try await browser.text("#order-status", once: "Pending") == "Pending")
            try await browser.screenshot("12-order-pending")
            try await browser.click("#move-confirm")
            #expect(try await browser.text("#order-status", once: "Confirmed") == "Confirmed")
            try await browser.type("#note-fulfill", "DHL 00340434161094042557")
            try await browser.click("#move-fulfill")
            #expect(try await browser.text("#order-status", once: "Fulfilled") == "Fulfilled")
            try await browser.click("#move-ship")
            #expect(try await browser.text("#order-status", once: "Shipped") == "Shipped")
            try await browser.click("#move-deliver")
            #expect(try await browser.text("#order-status", once: "Delivered") == "Delivered")
            try await browser.screenshot("13-order-delivered")
            // Part of it back, then the rest
            try await browser.type("#amount", "5.00")
            try await browser.click("#move-refund_partially")
            #expect(try await browser.text("#order-status", once: "Partly refunded") == "Partly refunded")
            #expect(try await browser.text("#payment").contains("5.00 EUR"))
            try await browser.click("#move-refund")
            #expect(try await browser.text("#order-status", once: "Refunded") == "Refunded")
            try await browser.screenshot("14-order-refunded")
            let stored = try JSONValue.parse(bytes: try await server.request("GET", "/admin/v1/orders/\(order)", key: key).body)
            #expect(stored["status"] == .string("refunded") && stored["payment"]?["refunded"] == stored["payment"]?["captured"], "\(stored)")
            #expect((stored["history"]?.arrayValue ?? []).contains { $0["note"] == .string("DHL 00340434161094042557") })

            // The audit log names each move and who made it
            let audit = try JSONValue.parse(bytes: try await server.request("GET", "/admin/v1/audit?limit=50", key: key).body)
            let moves = (audit["data"]?.arrayValue ?? []).filter { $0["actor_name"] == .string("Otto Order") }.compactMap { $0["target"]?.stringValue }
            #expect(Set(moves) == Set(["confirm", "fulfill", "ship", "deliver", "refund_partially", "refund"].map { "/admin/orders/\(order)/\($0)" }), "\(moves)")
        }
    }
}

extension BackOfficeBrowserTests {
    @Test func aMarketerUploadsACSVAndWatchesItsBarReachTheEnd() async throws {
        try await DemoSession.run { demo in
            let (server, browser, base, key, password) = (demo.server, demo.browser, demo.base, demo.key, demo.password)
            // A file of 4,000 coffees, one of them with a roast the catalog does not know
            var file = "product_type,slug-en-US,sku,name-en-US,name-de-DE,description-en-US,roast,weight,price-EUR\n"
            for index in 0..<4_000 {
                file += "coffee,bean-\(index),BEAN-\(index),Bean \(index),Bohne \(index),Roasted in batches.,\(index == 7 ? "burnt" : "dark"),250 GRAM,8.90\n"
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("coffees-\(UUID().uuidString).csv").path
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }

            try await signIn(browser, base, email: "demo@torso.local", password: password)
            try await browser.wait(forURL: "/admin")
            try await browser.go(base + "/admin/imports")
            try await browser.type("#file", path)
            try await browser.screenshot("15-imports")
            try await browser.click("#import-start")
            try await browser.wait(forURL: "/admin/imports/imp_")
            #expect(try await browser.url.contains("/admin/imports/imp_"))
            try await browser.screenshot("16-import-running")
            #expect(try await browser.text("#import-state", once: "Completed") == "Completed")
            #expect(try await browser.text("#import-percent") == "100%")
            #expect(try await browser.run("return document.getElementById('import-progress').value;") == .number(100))
            let created = try await browser.text("#count-created"), failed = try await browser.text("#count-failed")
            #expect(created == "3999" && failed == "1", "\(created) \(failed)")
            #expect(try await browser.text("#error-report").contains("(1)"))
            try await browser.screenshot("17-import-completed")
            let list = try JSONValue.parse(bytes: try await server.request("GET", "/admin/v1/products?q=bean-3999", key: key).body)
            #expect(list["data"]?.arrayValue?.count == 1, "\(list)")
        }
    }
}
