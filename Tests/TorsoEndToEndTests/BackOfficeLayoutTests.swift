import Foundation
import Testing
import TorsoKit

extension BackOfficeBrowserTests {
    /// Every control a person can use on a page, without a label (`label[for]`, a wrapping
    /// label, `aria-label`), by id or name; and whether the page scrolls sideways.
    static let audit = """
        var unlabelled = Array.prototype.filter.call(document.querySelectorAll('input, select, textarea, button'), function (field) {
          if (field.type === 'hidden') return false;
          if (field.tagName === 'BUTTON') return !(field.textContent.trim() || field.getAttribute('aria-label'));
          var labelled = field.getAttribute('aria-label') || field.closest('label') || (field.id && document.querySelector('label[for="' + field.id + '"]'));
          return !labelled;
        }).map(function (field) { return field.id || field.name || field.tagName; });
        return { unlabelled: unlabelled, sideways: document.documentElement.scrollWidth > window.innerWidth + 1 };
        """

    @Test func everyPageHasLabelledControlsAndFitsADesktopAndATablet() async throws {
        try await DemoSession.run { demo in
            let (server, browser, base) = (demo.server, demo.browser, demo.base)
            try await signIn(browser, base, email: "demo@torso.local", password: demo.password)
            try await browser.wait(forURL: "/admin")
            let product = try JSONValue.parse(bytes: try await server.request("GET", "/admin/v1/products?limit=1", key: demo.key).body)["data"]?.arrayValue?.first?["id"]?.stringValue ?? ""
            let pages = ["/admin", "/admin/products", "/admin/products/\(product)", "/admin/categories", "/admin/orders", "/admin/imports", "/admin/stock",
                         "/admin/settings", "/admin/settings/attributes/name", "/admin/webhooks", "/admin/users", "/admin/keys", "/admin/audit"]
            for (width, height, name) in [(1280, 800, "desktop"), (768, 1024, "tablet")] {
                try await browser.call("POST", "/session/\(browser.session)/window/rect", .object(["width": .number(Double(width)), "height": .number(Double(height))]))
                for path in pages {
                    try await browser.go(base + path)
                    let found = try await browser.run(Self.audit)
                    #expect(found["unlabelled"]?.arrayValue?.isEmpty == true, "\(name) \(path): unlabelled \(found["unlabelled"] ?? .null)")
                    #expect(found["sideways"] == .bool(false), "\(name) \(path) scrolls sideways")
                }
                try await browser.go(base + "/admin/products")
                try await browser.screenshot("20-\(name)-products")
                try await browser.go(base + "/admin/products/\(product)")
                try await browser.screenshot("21-\(name)-editor")
            }
            // The keyboard: Tab from the top reaches the navigation first
            try await browser.go(base + "/admin")
            let first = try await browser.run("document.body.focus(); return document.querySelector('a, button, input, select, textarea').textContent;")
            #expect(first.stringValue?.contains("Torso") == true)
        }
    }
}
