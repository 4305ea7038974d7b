import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Stock cells of an import (found from outside): a file exported before sales and imported
/// after them must not bring the sold units back, and only a key allowed to adjust inventory may
/// set counts on hand through a file.
@Suite struct ImportStockTests {
    static func onHand(_ api: TestAPI, _ sku: String) async throws -> JSONValue? {
        try await api.get("/admin/v1/inventory?sku=\(sku)&location=berlin").json["data"]?[0]?["on_hand"]
    }

    @Test func aReimportedExportBringsNoSoldUnitsBack() async throws {
        try await withAPI { api in
            // Given a product imported with five units, and the catalog exported
            let file = ImportTests.header + "\n" + ",tshirt,sold-tee,ST-S,Sold tee,,,,s,red,,19.99,,5,\n"
            let first = try await ImportTests.run(api, file)
            #expect(first["counts"]?["created"] == .number(1), "\(first)")
            #expect(try await Self.onHand(api, "ST-S") == .number(5), "a first count is set")
            let export = try await api.get("/admin/v1/exports/products?format=csv")
            // When three are sold (counted down), and the export goes in again with a new price
            let sale = try await api.request(.post, "/admin/v1/inventory/adjustments", body: #"{"rows":[{"sku":"ST-S","location":"berlin","delta":-3}],"reason":"sold"}"#,
                                             headers: [HTTPField.Name("Idempotency-Key")!: "sale-1"])
            #expect(sale.status == .ok || sale.status == .created, "\(sale.text)")
            let again = try await ImportTests.run(api, export.text.replacingOccurrences(of: "19.99", with: "17.99"), query: "&mode=update")
            // Then the price changed, the two units left stay two, and the job says a count was kept
            #expect(again["counts"]?["updated"] == .number(1) && again["counts"]?["stock_kept"] == .number(1), "\(again)")
            #expect(try await Self.onHand(api, "ST-S") == .number(2))
            let log = try await api.get("/admin/v1/inventory/adjustments?sku=ST-S").json["data"]?.arrayValue ?? []
            #expect(log.count == 2, "the first count and the sale, nothing from the second import: \(log)")
        }
    }

    @Test func settingCountsThroughAFileNeedsInventoryWrite() async throws {
        try await withAPI { api in
            _ = try await ImportTests.run(api, ImportTests.header + "\n" + ",tshirt,take-tee,TT-S,Take tee,,,,s,red,,19.99,,5,\n")
            let stockTake = ImportTests.header + "\n" + ",tshirt,take-tee,TT-S,,,,,s,red,,,,9,\n"
            // A catalog key may import, but not set counts on hand
            let catalog = try await api.makeKey(name: "catalog", scopes: [.catalogRead, .catalogWrite])
            let refused = try await api.request(.post, "/admin/v1/imports?stock=set", as: .bearer(catalog.secret), body: stockTake,
                                                headers: [.contentType: "text/csv"])
            #expect(refused.status == .forbidden && refused.json["code"] == .string("missing_scope"), "\(refused.text)")
            #expect(try await api.get("/admin/v1/imports").json["data"]?.arrayValue?.count == 1, "a refused upload leaves no job")
            // and without stock=set its cells keep the count on hand
            let kept = try await api.request(.post, "/admin/v1/imports", as: .bearer(catalog.secret), body: stockTake, headers: [.contentType: "text/csv"])
            #expect(kept.status == .accepted, "\(kept.text)")
            await api.services.imports.wait(try #require(kept.json["id"]?.stringValue))
            #expect(try await Self.onHand(api, "TT-S") == .number(5))
            // A key with inventory:write sets them, logged with the file as the reason
            let set = try await ImportTests.run(api, stockTake, query: "&stock=set")
            #expect(set["stock"] == .string("set") && set["counts"]?["stock_kept"] == nil, "\(set)")
            #expect(try await Self.onHand(api, "TT-S") == .number(9))
            // and nonsense is refused
            let bad = try await api.request(.post, "/admin/v1/imports?stock=all", body: stockTake, headers: [.contentType: "text/csv"])
            #expect(bad.status == .unprocessableContent && bad.json["errors"]?[0]?["pointer"] == .string("/query/stock"), "\(bad.text)")
        }
    }
}
