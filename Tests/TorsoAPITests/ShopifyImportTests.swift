import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Shopify's product CSV as Shopify exports it: continuation rows, image-only rows, `Default
/// Title` products, options that become select attributes and variant axes, compare-at prices
/// that become a sale price list, draft products that are not published.
@Suite struct ShopifyImportTests {
    static let header = "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,"
        + "Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,"
        + "Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,"
        + "Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,Variant Weight Unit,Status"

    static let file = header + "\r\n"
        + "linen-shirt,Linen Shirt,\"<p>Cool, light.</p>\",Fjord,Apparel > Shirts,Shirts,\"summer, Linen\",TRUE,Size,S,Color,Blue,,,LS-S-BL,200,shopify,5,deny,manual,49.00,59.00,TRUE,TRUE,4006381333931,https://cdn.example.com/ls1.jpg,1,Front,FALSE,Linen Shirt | Fjord,A light shirt,g,active\r\n"
        + "linen-shirt,,,,,,,,,M,,Blue,,,LS-M-BL,210,shopify,3,deny,manual,49.00,59.00,TRUE,TRUE,,https://cdn.example.com/ls2.jpg,2,Back,,,,g,\r\n"
        + "linen-shirt,,,,,,,,,,,,,,,,,,,,,,,,,https://cdn.example.com/ls0.jpg,0,Detail,,,,,\r\n"
        + "gift-card,Gift Card,,Fjord,,Gift,,TRUE,Title,Default Title,,,,,GC-1,0,,,deny,manual,25.00,,FALSE,FALSE,,,,,TRUE,,,g,draft\r\n"
        + "mug,Mug,<b>Big</b>,Kiln,,Mugs,,TRUE,Title,Default Title,,,,,,350,shopify,12,deny,manual,12.50,,TRUE,TRUE,,,,,FALSE,,,g,active\r\n"
        + "bad-price,Bad,,Kiln,,Mugs,,TRUE,Title,Default Title,,,,,BP-1,,,,,,abc,,,,,,,,,,,,active\r\n"

    @Test func shopifysExportComesInWithItsOptionsImagesSalesAndStatus() async throws {
        try await withAPI { api in
            // When Shopify's export is uploaded (told apart by its header) and published to web
            let job = try await ImportTests.run(api, Self.file, query: "&publish=web&currency=EUR")
            let report = try await ImportTests.errors(api, job)
            // Then three products come in, the bad price is reported with line and column
            #expect(job["format"] == .string("shopify") && job["state"] == .string("completed"), "\(job)")
            #expect(job["counts"]?["created"] == .number(3) && job["counts"]?["failed"] == .number(1), "\(job) \(report)")
            #expect(report.first?["line"] == .number(7) && report.first?["column"] == .string("Variant Price"), "\(report)")
            // and the settings it needed were created, and said so
            let said = (job["report"]?.arrayValue ?? []).compactMap(\.stringValue)
            #expect(said.contains("product type shirts created (axes size, color)") && said.contains("attribute tags created (multi_select)"), "\(said)")
            #expect(said.contains { $0.hasPrefix("price list shopify-sale-eur created") }, "\(said)")
            let shirt = try #require(try await api.get("/admin/v1/products?q=linen").data.first)
            #expect(shirt["product_type"] == .string("shirts"))
            #expect(shirt["values"]?["brand"]?[0]?["data"] == .string("Fjord"))
            #expect(shirt["values"]?["tags"]?[0]?["data"] == .array([.string("summer"), .string("linen")]))
            #expect(shirt["values"]?["description"]?[0]?["data"] == .string("<p>Cool, light.</p>"))
            let variants = try #require(shirt["variants"]?.arrayValue)
            #expect(variants.map { $0["sku"]?.stringValue } == ["LS-S-BL", "LS-M-BL"])
            #expect(variants[1]["axes"] == .object(["size": .string("m"), "color": .string("blue")]))
            #expect(variants[0]["prices"]?[0]?["amount"] == .number(5_900), "the compare-at price is the price")
            #expect(variants[0]["values"]?["weight"]?[0]?["data"]?["amount"] == .number(200))
            #expect(variants[0]["stock"]?[0]?["on_hand"] == .number(5))
            // the image-only row added an image, in Shopify's order
            #expect(shirt["media"]?.arrayValue?.compactMap { $0["url"]?.stringValue }
                == ["https://cdn.example.com/ls0.jpg", "https://cdn.example.com/ls1.jpg", "https://cdn.example.com/ls2.jpg"])
            // the storefront sells it at the sale price, with the compare-at price shown
            let key = try await api.makePublishableKey(channel: "web")
            let listed = try await api.get("/store/v1/products/linen-shirt", as: .bearer(key))
            #expect(listed.status == .ok, "\(listed.text)")
            #expect(listed.json["variants"]?[0]?["price"]?["amount"] == .number(4_900), "\(listed.text)")
            #expect(listed.json["variants"]?[0]?["compare_at"]?["amount"] == .number(5_900), "\(listed.text)")
            // a Default Title product has one variant and no axes; one without a SKU gets its handle
            let mug = try #require(try await api.get("/admin/v1/products?q=mug").data.first)
            #expect(mug["variants"]?.arrayValue?.count == 1 && mug["variants"]?[0]?["sku"] == .string("mug"))
            #expect(mug["variants"]?[0]?["axes"] == .object([:]))
            // a draft product comes in but is not published
            #expect(try await api.get("/store/v1/products/gift-card", as: .bearer(key)).status == .notFound)
            #expect(try await api.get("/store/v1/products/mug", as: .bearer(key)).status == .ok)
        }
    }

    @Test func theSameExportAgainChangesNothingAndKeepsTorsosTranslations() async throws {
        try await withAPI { api in
            let first = try await ImportTests.run(api, Self.file)
            let firstErrors = try await ImportTests.errors(api, first)
            #expect(first["counts"]?["created"] == .number(3), "\(first) \(firstErrors)")
            let id = try #require(try await api.get("/admin/v1/products?q=linen").data.first?["id"]?.stringValue)
            // Given a German name added in Torso
            #expect(try await api.patch("/admin/v1/products/\(id)", #"{"values":{"name":[{"locale":"en-US","data":"Linen Shirt"},{"locale":"de-DE","data":"Leinenhemd"}]}}"#).status == .ok)
            // When the export comes in again
            let again = try await ImportTests.run(api, Self.file)
            // Then nothing changed, and the translation stayed
            let againErrors = try await ImportTests.errors(api, again)
            #expect(again["counts"]?["skipped"] == .number(3) && again["counts"]?["created"] == .number(0), "\(again["counts"]!) \(againErrors)")
            let names = try await api.get("/admin/v1/products/\(id)").json["values"]?["name"]?.arrayValue ?? []
            #expect(names.contains { $0["data"] == .string("Leinenhemd") }, "\(names)")
        }
    }

    @Test func aFileThatIsNotShopifysIsRefusedAtOnce() async throws {
        try await withAPI { api in
            let refused = try await api.request(.post, "/admin/v1/imports?format=shopify", body: "Title,Price\nShirt,1\n",
                                                headers: [.contentType: "text/csv"])
            #expect(refused.status == .unprocessableContent && refused.json["errors"]?[0]?["code"] == .string("missing_column"), "\(refused.text)")
            let currency = try await api.request(.post, "/admin/v1/imports?currency=euro", body: Self.file, headers: [.contentType: "text/csv"])
            #expect(currency.status == .unprocessableContent, "\(currency.text)")
        }
    }
}
