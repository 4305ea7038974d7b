import Foundation
import Testing
import TorsoKit
import TorsoTestSupport

/// Images in Torso's CSV (`media_url`, `media_alt-LOCALE`) and their round trip, and a job that
/// stops exactly where `max_errors` says.
@Suite struct ImportMediaTests {
    static let header = "product_type,slug-en-US,sku,name-en-US,size,color,price-EUR,media_url,media_alt-en-US,media_alt-de-DE"

    func media(_ api: TestAPI, _ query: String) async throws -> [JSONValue] {
        try #require(try await api.get("/admin/v1/products?q=\(query)").data.first)["media"]?.arrayValue ?? []
    }

    @Test func imagesComeInWithTheirTextsAndGoOutTheSameWay() async throws {
        try await withAPI { api in
            // Given a CSV with two images, a bar within a text (escaped) and a German text for the first only
            let file = Self.header + "\n"
                + #"tshirt,pic-tee,PIC-S,Picture tee,s,red,19.99,https://img.example/a.jpg | https://img.example/b.jpg,Front|Back \| side,Vorne"# + "\n"
                + "tshirt,plain-tee,PLN-S,Plain tee,s,red,9.99,,,\n"
            // When
            let job = try await ImportTests.run(api, file)
            let report = try await ImportTests.errors(api, job)
            #expect(job["counts"]?["created"] == .number(2) && job["counts"]?["failed"] == .number(0), "\(job) \(report)")
            // Then the images are the product's, in the file's order, each with its texts
            let media = try await media(api, "picture")
            #expect(media.map { $0["url"] } == [.string("https://img.example/a.jpg"), .string("https://img.example/b.jpg")], "\(media)")
            #expect(media.first?["alt"] == .object(["en-US": .string("Front"), "de-DE": .string("Vorne")]), "\(media)")
            #expect(media.last?["alt"] == .object(["en-US": .string("Back | side")]), "\(media)")
            #expect(try await self.media(api, "plain").isEmpty, "an empty cell gives no media")
            // And the export carries them, so that importing it again changes nothing
            let export = try await api.get("/admin/v1/exports/products?format=csv").text
            #expect(export.contains("https://img.example/a.jpg|https://img.example/b.jpg") && export.contains(#"Front|Back \| side"#), "\(export)")
            let again = try await ImportTests.run(api, export)
            #expect(again["counts"]?["skipped"] == .number(2) && again["counts"]?["updated"] == .number(0), "\(again)")
            #expect(try await self.media(api, "picture") == media)
        }
    }

    @Test func textsAloneKeepTheImagesAndBadCellsAreReported() async throws {
        try await withAPI { api in
            _ = try await ImportTests.run(api, Self.header + "\ntshirt,pic-tee,PIC-S,Picture tee,s,red,19.99,https://img.example/a.jpg|https://img.example/b.jpg,Front,\n")
            // A file with texts but no URLs changes the texts by position and keeps the images
            let texts = try await ImportTests.run(api, "sku,media_alt-en-US\nPIC-S,|Back\n")
            #expect(texts["counts"]?["updated"] == .number(1), "\(texts)")
            let media = try await media(api, "picture")
            #expect(media.count == 2 && media[0]["alt"] == .object(["en-US": .string("Front")]) && media[1]["alt"] == .object(["en-US": .string("Back")]),
                    "an empty text keeps its place and its text: \(media)")
            // New URLs keep the texts of those that stay
            _ = try await ImportTests.run(api, "sku,media_url\nPIC-S,https://img.example/b.jpg|https://img.example/c.jpg\n")
            let moved = try await self.media(api, "picture")
            #expect(moved.map { $0["url"] } == [.string("https://img.example/b.jpg"), .string("https://img.example/c.jpg")], "\(moved)")
            #expect(moved[0]["alt"] == .object(["en-US": .string("Back")]) && (moved[1]["alt"]?.objectValue ?? [:]).isEmpty, "\(moved)")
            // More texts than images, and a URL that is none, are the product's problems, with their columns
            let bad = try await ImportTests.run(api, "sku,media_url,media_alt-en-US\nPIC-S,https://img.example/b.jpg,One|Two\n")
            let report = try await ImportTests.errors(api, bad)
            #expect(bad["counts"]?["failed"] == .number(1) && report.first?["column"] == .string("media_alt-en-US"), "\(report)")
            let notURL = try await ImportTests.run(api, "sku,media_url\nPIC-S,not a url\n")
            let notURLReport = try await ImportTests.errors(api, notURL)
            #expect(notURL["counts"]?["failed"] == .number(1) && notURLReport.first?["column"] == .string("/media/0/url"), "\(notURLReport)")
            #expect(try await self.media(api, "picture") == moved, "a refused product keeps its images")
        }
    }

    @Test func anExportWithBarsInURLsAndSpacesAroundTextsComesBackUnchanged() async throws {
        try await withAPI { api in
            _ = try await ImportTests.run(api, Self.header + "\ntshirt,bar-tee,BAR-S,Bar tee,s,red,19.99,https://img.example/a.jpg,Front,\n")
            let product = try #require(try await api.get("/admin/v1/products?q=bar").data.first)
            let id = try #require(product["id"]?.stringValue)
            // Given values the API takes as they are: a URL with a bar, texts with spaces around them
            let patch = #"{"media":[{"url":"https://img.example/a.jpg?x=1|2","alt":{"en-US":"  spaced alt  "}}],"values":{"name":[{"locale":"en-US","data":"  Bar tee  "}]}}"#
            #expect(try await api.request(.patch, "/admin/v1/products/\(id)", body: patch).status == .ok)
            let before = try await api.get("/admin/v1/products/\(id)").json
            // When the export comes back in
            let export = try await api.get("/admin/v1/exports/products?format=csv").text
            #expect(export.contains(#"https://img.example/a.jpg?x=1\|2"#), "a bar within a URL is escaped: \(export)")
            let again = try await ImportTests.run(api, export)
            let report = try await ImportTests.errors(api, again)
            // Then nothing changed
            #expect(again["counts"]?["skipped"] == .number(1) && again["counts"]?["failed"] == .number(0), "\(again) \(report)")
            #expect(try await api.get("/admin/v1/products/\(id)").json == before)
            // And an empty URL between two bars is refused, not dropped
            let empty = try await ImportTests.run(api, "sku,media_url\nBAR-S,https://img.example/a.jpg||https://img.example/c.jpg\n")
            #expect(empty["counts"]?["failed"] == .number(1), "\(empty)")
        }
    }

    @Test func maxErrorsStopsAtTheProductThatReachesIt() async throws {
        try await withAPI { api in
            // Given ten products, every second one with a price that is none
            let rows = (1...10).map { index in "tshirt,limit-\(index),LIM-\(index),Limit \(index),s,red,\(index.isMultiple(of: 2) ? "abc" : "10.00"),,," }
            // When the job may fail two
            let job = try await ImportTests.run(api, Self.header + "\n" + rows.joined(separator: "\n") + "\n", query: "&max_errors=2")
            // Then it stops at the fourth product: two created, two failed, nothing after
            #expect(job["state"] == .string("failed"), "\(job)")
            #expect(job["counts"]?["failed"] == .number(2) && job["counts"]?["created"] == .number(2) && job["counts"]?["rows"] == .number(4), "\(job)")
            #expect(try await api.get("/admin/v1/products?q=limit").data.count == 2)
            #expect(try await ImportTests.errors(api, job).count == 2)
        }
    }
}
