import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// What an outside test of imports found, each kept: bytes no text has, sales that end,
/// settings only a settings key may create, files whose products come back later in the file,
/// numbers that are none, names in other scripts, and a re-import that must change nothing.
@Suite struct ImportFindingsTests {
    static func shopify(_ rows: [String]) -> String { ShopifyImportTests.header + "\n" + rows.joined(separator: "\n") + "\n" }

    /// A Shopify row: handle, title, option name and value, SKU, quantity, price, compare-at, tags.
    static func row(_ handle: String, title: String = "", option: String = "Title", value: String = "Default Title", sku: String, quantity: String = "1",
                    price: String = "10.00", compareAt: String = "", tags: String = "") -> String {
        "\(handle),\(title),,Kiln,,Mugs,\"\(tags)\",TRUE,\(title.isEmpty ? "" : option),\(value),,,,,\(sku),100,shopify,\(quantity),deny,manual,\(price),\(compareAt),TRUE,TRUE,,,,,FALSE,,,g,active"
    }

    @Test func aNulByteFailsTheFileAndLeavesTheCatalogReadable() async throws {
        try await withAPI { api in
            let job = try await ImportTests.run(api, ImportTests.header + "\n" + ",tshirt,nul-tee,NUL-S,Nul\u{0}tee,,,,s,red,,10.00,,5,\n")
            #expect(job["state"] == .string("failed") && job["counts"]?["created"] == .number(0), "\(job)")
            #expect(try await ImportTests.errors(api, job).first?["code"] == .string("invalid_encoding"))
            #expect(try await api.get("/admin/v1/products?limit=200").status == .ok)
            let named = try await api.request(.post, "/admin/v1/imports?file_name=a%00b.csv", body: "sku,price-EUR\nX,1\n", headers: [.contentType: "text/csv"])
            #expect(named.status == .unprocessableContent && named.json["errors"]?[0]?["pointer"] == .string("/query/file_name"), "\(named.text)")
        }
    }

    @Test func aSaleThatEndsInShopifyEndsInTorso() async throws {
        try await withAPI { api in
            let onSale = try await ImportTests.run(api, Self.shopify([Self.row("sale-mug", title: "Sale mug", sku: "SM-1", price: "89.95", compareAt: "120.00")]),
                                                   query: "&currency=EUR&publish=web")
            #expect(onSale["counts"]?["created"] == .number(1), "\(onSale)")
            let key = try await api.makePublishableKey(channel: "web")
            #expect(try await api.get("/store/v1/products/sale-mug", as: .bearer(key)).json["price"]?["amount"] == .number(8_995))
            // When the sale ends in Shopify (no compare-at) and the file comes in again
            let ended = try await ImportTests.run(api, Self.shopify([Self.row("sale-mug", title: "Sale mug", sku: "SM-1", price: "99.95")]),
                                                  query: "&currency=EUR&publish=web")
            #expect(ended["state"] == .string("completed"), "\(ended)")
            // Then the storefront sells at the new price, with no compare-at price
            let shown = try await api.get("/store/v1/products/sale-mug", as: .bearer(key)).json
            #expect(shown["price"]?["amount"] == .number(9_995) && (shown["compare_at"] ?? .null) == .null, "\(shown)")
            // And the same file once more changes nothing: no new price list version, no report line
            let lists = try await api.get("/admin/v1/price-lists").json["data"]?.arrayValue ?? []
            let version = lists.first { $0["code"] == .string("shopify-sale-eur") }?["version"]
            let again = try await ImportTests.run(api, Self.shopify([Self.row("sale-mug", title: "Sale mug", sku: "SM-1", price: "99.95")]),
                                                  query: "&currency=EUR&publish=web")
            #expect(again["counts"]?["skipped"] == .number(1), "\(again)")
            let after = try await api.get("/admin/v1/price-lists").json["data"]?.arrayValue ?? []
            #expect(after.first { $0["code"] == .string("shopify-sale-eur") }?["version"] == version)
        }
    }

    @Test func shopifysSettingsNeedASettingsKey() async throws {
        try await withAPI { api in
            let catalog = try await api.makeKey(name: "catalog", scopes: [.catalogRead, .catalogWrite])
            let refused = try await api.request(.post, "/admin/v1/imports", as: .bearer(catalog.secret),
                                                body: Self.shopify([Self.row("k-mug", title: "Mug", sku: "KM-1")]), headers: [.contentType: "text/csv"])
            #expect(refused.status == .forbidden && refused.json["code"] == .string("missing_scope"), "\(refused.text)")
            let currency = try await api.request(.post, "/admin/v1/imports?currency=JPY", body: Self.shopify([Self.row("j-mug", title: "Mug", sku: "JM-1")]),
                                                 headers: [.contentType: "text/csv"])
            #expect(currency.status == .unprocessableContent, "\(currency.text)")
        }
    }

    @Test func shopifyRowsLaterInTheFileOtherScriptsTagsAndOversoldCounts() async throws {
        try await withAPI { api in
            let file = Self.shopify([
                Self.row("tea", title: "Tea", option: "色", value: "黒", sku: "TEA-B", quantity: "-3", tags: "Sale, sale, Köln"),
                Self.row("other", title: "Other", sku: "OT-1"),
                Self.row("tea", option: "色", value: "白", sku: "TEA-W"),
            ])
            let job = try await ImportTests.run(api, file, query: "&currency=EUR")
            let report = try await ImportTests.errors(api, job)
            // The rows of 'tea' after another product's are a fragment: reported, and the job goes on
            #expect(job["state"] == .string("completed") && job["counts"]?["created"] == .number(2) && job["counts"]?["failed"] == .number(1),
                    "\(job) \(report)")
            #expect(report.first?["line"] == .number(4) && report.first?["column"] == .string("Handle"), "\(report)")
            let tea = try #require(try await api.get("/admin/v1/products?q=tea").data.first)
            // a colour in another script is an option of its own, labelled as written
            let axes = (tea["variants"]?.arrayValue ?? []).compactMap { $0["axes"]?.objectValue }
            #expect(axes == [["u8272": .string("u9ed2")]], "\(axes)")
            let colour = try await api.get("/admin/v1/attributes/u8272").json
            #expect(colour["options"]?[0]?["labels"]?.objectValue?.values.first == .string("黒"), "\(colour)")
            #expect(tea["values"]?["tags"]?[0]?["data"] == .array([.string("sale"), .string("koln")]), "\(tea["values"] ?? .null)")
            let levels = try await api.get("/admin/v1/inventory?sku=TEA-B").json["data"]?.arrayValue ?? []
            #expect(levels.allSatisfy { $0["on_hand"] == .number(0) }, "an oversold variant comes in with none on hand: \(levels)")
        }
    }

    @Test func numbersThatAreNoneAreRefused() async throws {
        try await withAPI { api in
            let job = try await ImportTests.run(api, ImportTests.header + "\n" + ",tshirt,nan-tee,NAN-S,Nan tee,,,NaN,s,red,inf GRAM,10.00,,1,\n")
            #expect(job["counts"]?["failed"] == .number(1) && job["counts"]?["created"] == .number(0), "\(job)")
        }
    }

    @Test func oneSKUOnTwoProductsOfAFileIsReported() async throws {
        try await withAPI { api in
            // Given a file whose second product reuses the first one's SKU (apart, and in one batch)
            let file = ImportTests.header + "\n" + ",tshirt,dup-a,DUP-1,Dup a,,,,s,red,,10.00,,,\n"
                + ",tshirt,between,BT-1,Between,,,,s,red,,10.00,,,\n" + ",tshirt,dup-b,DUP-1,Dup b,,,,m,red,,12.00,,,\n"
            let job = try await ImportTests.run(api, file)
            let report = try await ImportTests.errors(api, job)
            // Then the second is reported, and the first keeps its slug and name
            #expect(job["counts"]?["created"] == .number(2) && job["counts"]?["failed"] == .number(1), "\(job) \(report)")
            #expect(report.first?["code"] == .string("duplicate_sku") && report.first?["line"] == .number(4), "\(report)")
            let first = try #require(try await api.get("/admin/v1/products?q=dup").data.first)
            #expect(first["slug"]?["en-US"] == .string("dup-a"))
            // While an older product found by its SKU may still take a new slug
            let renamed = try await ImportTests.run(api, ImportTests.header + "\n" + ",,dup-renamed,DUP-1,,,,,,,,,,,\n")
            #expect(renamed["counts"]?["updated"] == .number(1), "\(renamed)")
        }
    }
}

