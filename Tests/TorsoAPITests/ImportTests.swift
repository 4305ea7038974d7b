import Foundation
import HTTPTypes
import Synchronization
import Testing
import TorsoKit
import TorsoTestSupport

/// Whole catalogs in and out: Torso's CSV and NDJSON, bad rows reported with line and column
/// while the rest goes in, stock through adjustments, the export imported again.
@Suite struct ImportTests {
    /// Uploads `file`; waits for the job to end; answers it.
    static func run(_ api: TestAPI, _ file: String, query: String = "", sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let started = try await api.request(.post, "/admin/v1/imports?file_name=test.csv\(query)", body: file, headers: [.contentType: "text/csv"])
        #expect(started.status == .accepted, "\(started.text)", sourceLocation: sourceLocation)
        let id = try #require(started.json["id"]?.stringValue, sourceLocation: sourceLocation)
        await api.services.imports.wait(id)
        return try await api.get("/admin/v1/imports/\(id)").json
    }

    static func errors(_ api: TestAPI, _ job: JSONValue) async throws -> [JSONValue] {
        let report = try await api.get("/admin/v1/imports/\(job["id"]?.stringValue ?? "")/errors")
        return report.text.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
    }

    static let header = "id,product_type,slug-en-US,sku,name-en-US,name-de-DE,tagline-en-US-voice,rating,size,color,weight,price-EUR,price-USD,stock-berlin,description-en-US"

    @Test func aCSVWithContinuationRowsCreatesProductsWithVariantsValuesPricesAndStock() async throws {
        try await withAPI { api in
            // Given a spreadsheet: BOM, CRLF, a quoted name with a comma, a quote and a line break
            let file = "\u{FEFF}" + Self.header + "\r\n"
                + ",tshirt,linen-tee,LT-S,\"Linen tee, \"\"summer\"\"\",Leinenshirt,A tee for summer.,4,s,red,180 GRAM,19.99,21.50,7,\"Soft.\r\nCool.\"\r\n"
                + ",,linen-tee,LT-M,,,,,m,red,190 GRAM,19.99,21.50,3,\r\n"
                + ",tshirt,wool-tee,WT-S,Wool tee,,,,s,blue,,29.00,,0,\r\n"
            // When
            let job = try await Self.run(api, file)
            // Then
            #expect(job["state"] == .string("completed"), "\(job)")
            #expect(job["path"] == nil, "the server's paths are not shown")
            let stored = try #require(try await api.services.imports.jobs(limit: 1).first)
            #expect(stored.upload == true && !FileManager.default.fileExists(atPath: stored.path), "the upload is removed when its job ends")
            let report = try await Self.errors(api, job)
            #expect(job["counts"]?["created"] == .number(2) && job["counts"]?["rows"] == .number(3) && job["counts"]?["failed"] == .number(0),
                    "\(job) \(report)")
            let linen = try #require(try await api.get("/admin/v1/products?q=linen").data.first)
            #expect(linen["values"]?["name"]?.arrayValue?.contains { $0["locale"] == .string("en-US") && $0["data"] == .string("Linen tee, \"summer\"") } == true)
            #expect(linen["values"]?["description"]?[0]?["data"] == .string("Soft.\r\nCool."), "a quoted line break is kept")
            #expect(linen["values"]?["tagline"]?[0]?["channel"] == .string("voice"))
            #expect(linen["values"]?["rating"]?[0]?["data"] == .number(4))
            let variants = try #require(linen["variants"]?.arrayValue)
            #expect(variants.map { $0["sku"]?.stringValue } == ["LT-S", "LT-M"])
            #expect(variants[1]["axes"]?["size"] == .string("m"))
            #expect(variants[0]["values"]?["weight"]?[0]?["data"]?["amount"] == .number(180))
            #expect(variants[0]["prices"]?.arrayValue?.contains { $0["currency"] == .string("USD") && $0["amount"] == .number(2150) } == true)
            #expect(variants[0]["stock"]?[0]?["on_hand"] == .number(7) && variants[1]["stock"]?[0]?["on_hand"] == .number(3))
            // and the stock went in through logged adjustments, with the file as the reason
            let log = try await api.get("/admin/v1/inventory/adjustments?sku=LT-S")
            #expect(log.json["data"]?[0]?["reason"] == .string("import: test.csv"))
        }
    }

    @Test func badRowsAreReportedWithLineAndColumnAndTheRestGoesIn() async throws {
        try await withAPI { api in
            let file = Self.header + "\n"
                + ",tshirt,good-one,G-1,Good,,,,s,red,,10.00,,1,\n"
                + ",tshirt,bad-price,B-1,Bad price,,,,s,red,,12.345,,1,\n"         // line 3: three decimals
                + ",tshirt,bad-rating,B-2,Bad rating,,,lots,s,red,,10.00,,1,\n"     // line 4: not a number
                + ",tshirt,bad-stock,B-3,Bad stock,,,,s,red,,10.00,,-2,\n"          // line 5
                + ",tshirt,no-sku,,No SKU,,,,s,red,,10.00,,1,\n"                     // line 6
                + ",tshirt,dupe,D-1,Dupe,,,,s,red,,10.00,,1,\n"
                + ",,dupe,D-1,,,,,m,red,,10.00,,1,\n"                                // line 8: the same SKU twice
                + ",ghost,ghost,GH-1,Ghost,,,,s,red,,10.00,,1,\n"                    // line 9: no such product type
                + ",tshirt,good-two,G-2,Good too,,,,m,red,,10.00,,1,\n"
                + ",tshirt,mixed,G-1,Two owners,,,,l,red,,10.00,,1,\n"               // line 11: G-1 and G-2 are two products'
                + ",,mixed,G-2,,,,,l,blue,,10.00,,1,\n"
            let job = try await Self.run(api, file)
            #expect(job["state"] == .string("completed"))
            #expect(job["counts"]?["created"] == .number(2), "\(job)")
            #expect(job["counts"]?["failed"] == .number(7), "\(job)")
            let report = try await Self.errors(api, job)
            func has(_ line: Int, _ code: String, _ column: String? = nil) -> Bool {
                report.contains { $0["line"] == .number(Double(line)) && $0["code"] == .string(code) && (column == nil || $0["column"] == .string(column!)) }
            }
            #expect(has(3, "invalid_price", "price-EUR"), "\(report)")
            #expect(has(4, "invalid_value", "rating"))
            #expect(has(5, "invalid_value", "stock-berlin"))
            #expect(has(6, "required", "sku"))
            #expect(has(8, "duplicate_sku", "sku"))
            #expect(report.contains { $0["line"] == .number(9) }, "\(report)")
            #expect(has(11, "duplicate_sku", "sku"), "\(report)")
            // Nothing of a failed product was written
            #expect(try await api.get("/admin/v1/products?q=bad").data.isEmpty)
            #expect(try await api.get("/admin/v1/products").data.count == 2)
            // The report as CSV
            let csv = try await api.get("/admin/v1/imports/\(job["id"]?.stringValue ?? "")/errors?format=csv")
            #expect(csv.text.hasPrefix("line,column,code,message\r\n3,price-EUR,invalid_price,"), "\(csv.text.prefix(200))")
        }
    }

    @Test func onlyTheColumnsPresentChangeAndModesAreKept() async throws {
        try await withAPI { api in
            let id = try #require(try await api.createProduct(Fixtures.productBody("keep")).id)
            let before = try await api.get("/admin/v1/products/\(id)").json
            // A price list by SKU: only EUR prices change; names, other variants and stock stay
            let job = try await Self.run(api, "sku,price-EUR\nSKU-keep-1,25.00\n", query: "&mode=update")
            #expect(job["counts"]?["updated"] == .number(1), "\(job)")
            let after = try await api.get("/admin/v1/products/\(id)").json
            #expect(after["values"] == before["values"])
            #expect(after["variants"]?[1]?["prices"]?[0]?["amount"] == .number(2500))
            #expect(after["variants"]?[0] == before["variants"]?[0])
            #expect(after["variants"]?[1]?["stock"] == before["variants"]?[1]?["stock"])
            // The same file again changes nothing
            #expect(try await Self.run(api, "sku,price-EUR\nSKU-keep-1,25.00\n")["counts"]?["skipped"] == .number(1))
            // create refuses what exists; update refuses what does not
            let create = try await Self.run(api, "sku,price-EUR\nSKU-keep-1,26.00\n", query: "&mode=create")
            #expect(try await Self.errors(api, create).first?["code"] == .string("product_exists"))
            let update = try await Self.run(api, "sku,price-EUR\nNEW-1,26.00\n", query: "&mode=update")
            #expect(try await Self.errors(api, update).first?["code"] == .string("not_found"))
        }
    }

    @Test func ndjsonAndTheExportRoundTrip() async throws {
        // Given products made through the API, exported as NDJSON and as CSV
        let exported = Mutex<(ndjson: String, csv: String, originals: [JSONValue])>(("", "", []))
        try await withAPI { api in
            for suffix in ["one", "two"] { try await api.createProduct(Fixtures.productBody(suffix)) }
            let ndjson = try await api.get("/admin/v1/exports/products?format=ndjson")
            let csv = try await api.get("/admin/v1/exports/products?format=csv")
            #expect(ndjson.headers[.contentType] == "application/x-ndjson" && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(ndjson.text.split(separator: "\n").count == 2)
            let originals = try await api.get("/admin/v1/products").data
            exported.withLock { $0 = (ndjson.text, csv.text, originals) }
            // Imported again where they came from, they change nothing: no new version, no adjustment
            for (file, format) in [(ndjson.text, "ndjson"), (csv.text, "csv")] {
                let again = try await Self.run(api, file, query: "&format=\(format)")
                #expect(again["counts"]?["skipped"] == .number(2) && again["counts"]?["updated"] == .number(0), "\(format): \(again)")
            }
            #expect(try await api.get("/admin/v1/products").data.map { $0["version"] } == originals.map { $0["version"] })
        }
        let (ndjson, csv, originals) = exported.withLock { $0 }
        // When each is imported into an empty database
        for (file, format) in [(ndjson, "ndjson"), (csv, "csv")] {
            try await withAPI { fresh in
                let job = try await Self.run(fresh, file, query: "&format=\(format)")
                let report = try await Self.errors(fresh, job)
                #expect(job["counts"]?["created"] == .number(2), "\(format): \(job) \(report)")
                let copies = try await fresh.get("/admin/v1/products").data
                // Then the same products: slugs, values, variants with prices and stock
                for original in originals {
                    let sku = original["variants"]?[0]?["sku"]
                    let copy = try #require(copies.first { $0["variants"]?[0]?["sku"] == sku }, "\(format)")
                    for member in ["product_type", "slug", "values", "categories"] { #expect(copy[member] == original[member], "\(format) \(member)") }
                    let strip: (JSONValue?) -> [JSONValue] = { ($0?.arrayValue ?? []).map { $0.setting("/id", to: .null) } }
                    #expect(strip(copy["variants"]) == strip(original["variants"]), "\(format) variants")
                }
            }
        }
    }

    @Test func publishingWhatBecameCompleteReportsPerChannel() async throws {
        try await withAPI { api in
            let file = "product_type,slug-en-US,slug-de-DE,sku,name-en-US,name-de-DE,description-en-US,description-de-DE,tagline-en-US-voice,rating,size,color,price-EUR,price-USD\n"
                + "tshirt,pub-a,pub-a-de,PUB-A-S,Pub A,Pub A,Soft.,Weich.,A tee for summer.,4,s,red,20.00,21.00\n"
                + "tshirt,pub-b,pub-b-de,PUB-B-S,Pub B,,Soft.,,,4,s,red,20.00,21.00\n"
            let job = try await Self.run(api, file, query: "&publish=web,voice")
            #expect(job["state"] == .string("completed"), "\(job)")
            // The complete one went live on both channels asked for; the other, missing German, on none
            #expect(job["published_per_channel"] == .object(["web": .number(1), "voice": .number(1)]), "\(job)")
            #expect(job["published"] == .number(2))
            let key = try await api.makePublishableKey()
            #expect(try await api.get("/store/v1/products/pub-a", as: .bearer(key)).status == .ok)
            #expect(try await api.get("/store/v1/products/pub-b", as: .bearer(key)).status == .notFound)
            // An unknown channel is refused before anything is read
            expectValidation(try await api.request(.post, "/admin/v1/imports?publish=moon", body: file, headers: [.contentType: "text/csv"]),
                             [FieldErrorExpectation("/publish/0", "unknown_channel")])
        }
    }

    @Test func filesTorsoCannotReadAreRefusedAtOnce() async throws {
        try await withAPI { api in
            expectValidation(try await api.request(.post, "/admin/v1/imports", body: "name,price\nx,1\n", headers: [.contentType: "text/csv"]),
                             [FieldErrorExpectation("/body", "missing_column")])
            expectValidation(try await api.request(.post, "/admin/v1/imports", body: "sku,sku\nx,y\n", headers: [.contentType: "text/csv"]),
                             [FieldErrorExpectation("/body", "duplicate_column")])
            expectValidation(try await api.request(.post, "/admin/v1/imports?format=ndjson", body: "[1,2]\n", headers: [.contentType: "text/csv"]),
                             [FieldErrorExpectation("/body", "invalid_type")])
            expectProblem(try await api.request(.post, "/admin/v1/imports", body: "", headers: [.contentType: "text/csv"]), .badRequest, "empty_body")
            #expect(try await api.get("/admin/v1/imports").json["data"]?.arrayValue?.isEmpty == true, "refused files leave no job")
            expectProblem(try await api.get("/admin/v1/imports/imp_nope"), .notFound, "not_found")
        }
    }
}
