import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport

/// Completeness per channel × locale, and the change history of a product.
@Suite struct CompletenessHistoryTests {
    /// The completeness entries keyed by `channel/locale`.
    func completeness(_ api: TestAPI, _ id: String) async throws -> (version: Int?, entries: [String: (ratio: Double, required: Int, missing: [String])]) {
        let response = try await api.get("/admin/v1/products/\(id)/completeness")
        #expect(response.status == .ok, "\(response.text)")
        #expect(response.json["product_id"]?.stringValue == id)
        var entries: [String: (Double, Int, [String])] = [:]
        for entry in response.json["completeness"]?.arrayValue ?? [] {
            let key = "\(entry["channel"]?.stringValue ?? "?")/\(entry["locale"]?.stringValue ?? "?")"
            entries[key] = (entry["ratio"]?.numberValue ?? -1, Int(entry["required"]?.numberValue ?? -1),
                            entry["missing"]?.arrayValue?.compactMap(\.stringValue) ?? ["?"])
        }
        return (response.version, entries)
    }

    @Test func completenessOfAPartlyFilledProductPerChannelAndLocale() async throws {
        try await withAPI { api in
            // Given: web requires name and description (en-US, de-DE); voice requires name and tagline (en-US);
            // the product has an English name only
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            // When
            let result = try await completeness(api, id)
            // Then
            #expect(result.version == 1)
            #expect(Set(result.entries.keys) == ["web/en-US", "web/de-DE", "voice/en-US"])
            #expect(result.entries["web/en-US"]! == (0.5, 2, ["description"]))
            #expect(result.entries["web/de-DE"]! == (0, 2, ["description", "name"]))
            #expect(result.entries["voice/en-US"]! == (0.5, 2, ["tagline"]))
        }
    }

    @Test func completenessFollowsEdits() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            // When: an English description and a voice tagline are added
            let first = try await api.patch("/admin/v1/products/\(id)", #"""
                {"values":{"description":[{"locale":"en-US","data":"Soft cotton."}],
                           "tagline":[{"locale":"en-US","channel":"voice","data":"Soft."}]}}
                """#)
            let afterFirst = try await completeness(api, id)
            // and a German name and a blank German description
            let second = try await api.patch("/admin/v1/products/\(id)", #"""
                {"values":{"name":[{"locale":"en-US","data":"Shirt a"},{"locale":"de-DE","data":"Hemd a"}],
                           "description":[{"locale":"en-US","data":"Soft cotton."},{"locale":"de-DE","data":"   "}]}}
                """#)
            let afterSecond = try await completeness(api, id)
            // Then
            #expect(first.status == .ok, "\(first.text)")
            #expect(afterFirst.version == 2)
            #expect(afterFirst.entries["web/en-US"]! == (1, 2, []))
            #expect(afterFirst.entries["voice/en-US"]! == (1, 2, []))
            #expect(afterFirst.entries["web/de-DE"]! == (0, 2, ["description", "name"]))
            #expect(second.status == .ok, "\(second.text)")
            #expect(afterSecond.version == 3)
            #expect(afterSecond.entries["web/de-DE"]! == (0.5, 2, ["description"]), "a blank text is not filled")
        }
    }

    @Test func aVariantAttributeIsFilledWhenEveryVariantHasIt() async throws {
        try await withAPI { api in
            // Given: the web channel also requires each variant's weight
            let type = try await api.patch("/admin/v1/product-types/tshirt", #"{"requirements":{"web":["name","weight"]}}"#)
            #expect(type.status == .ok, "\(type.text)")
            let weight = JSONValue.object(["weight": .array([.object(["data": .object(["amount": .number(180), "unit": .string("GRAM")])])])])
            let body = try productJSON("a").setting("/variants/0/values", to: weight).setting("/variants/1/values", to: weight)
            let id = try #require(try await api.createProduct(body.text).id)
            // When
            let partly = try await completeness(api, id)
            let read = try await api.get("/admin/v1/products/\(id)")
            let variants = try #require(read.json["variants"]?.arrayValue)
            let filled = JSONValue.object(["variants": .array(variants.map { $0.setting("/values", to: weight) })])
            let patched = try await api.patch("/admin/v1/products/\(id)", filled.text)
            let fully = try await completeness(api, id)
            // Then
            #expect(partly.entries["web/en-US"]! == (0.5, 2, ["weight"]))
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(fully.entries["web/en-US"]! == (1, 2, []))
        }
    }

    @Test func completenessOfAnUnknownProductIs404() async throws {
        try await withAPI { api in
            // When
            let response = try await api.get("/admin/v1/products/prod_\(String(repeating: "0", count: 26))/completeness")
            // Then
            expectProblem(response, .notFound, "not_found")
        }
    }

    @Test func historyShowsCreationThenUpdateWithFieldChangesActorsAndVersions() async throws {
        try await withAPI { api in
            // Given: a merchandiser creates the product, an editor renames it
            let merchandiser = try await api.makeKey(name: "merchandiser")
            let editor = try await api.makeKey(name: "editor")
            let id = try #require(try await api.createProduct(Fixtures.productBody("a"), as: .bearer(merchandiser.secret)).id)
            let renamed = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"name":[{"locale":"en-US","data":"Renamed"}]}}"#,
                                              ifMatch: "\"1\"", as: .bearer(editor.secret))
            #expect(renamed.status == .ok, "\(renamed.text)")
            // When
            let history = try await api.get("/admin/v1/products/\(id)/history")
            // Then
            #expect(history.status == .ok, "\(history.text)")
            #expect(history.nextCursor == nil)
            let entries = history.data
            #expect(entries.count == 2)
            let created = try #require(entries.first)
            #expect(created["action"] == .string("created"))
            #expect(created["version"] == .number(1))
            #expect(created["resource"] == .string(id))
            #expect(created["actor"]?["name"] == .string("merchandiser"))
            #expect(created["actor"]?["key_id"] == .string(merchandiser.id))
            let createdChanges = created["changes"]?.arrayValue ?? []
            #expect(createdChanges.contains(.object(["path": .string("/product_type"), "to": .string("tshirt")])), "\(createdChanges)")
            #expect(createdChanges.allSatisfy { $0["from"] == nil }, "a creation has nothing before")
            #expect(!createdChanges.contains { ["/version", "/created_at", "/updated_at"].contains($0["path"]?.stringValue ?? "") })

            let updated = try #require(entries.last)
            #expect(updated["action"] == .string("updated"))
            #expect(updated["version"] == .number(2))
            #expect(updated["actor"]?["name"] == .string("editor"))
            #expect(updated["actor"]?["key_id"] == .string(editor.id))
            #expect(updated["changes"] == .array([
                .object(["path": .string("/values/name/0/data"), "from": .string("Shirt a"), "to": .string("Renamed")]),
            ]))
            let times = entries.compactMap { $0["at"]?.stringValue }
            #expect(times.count == 2)
            #expect(times == times.sorted())
            #expect(times.allSatisfy { ISO8601DateFormatter.withFractions.date(from: $0) != nil || ISO8601DateFormatter().date(from: $0) != nil }, "\(times)")
        }
    }

    @Test func historyRecordsAddedAndRemovedFields() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(try productJSON("a").setting("/values/rating", to: .array([.object(["data": .number(4)])])).text).id)
            // When: rating is removed and an EAN added
            let patched = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"rating":null,"ean":[{"data":"4006381333931"}]}}"#)
            let history = try await api.get("/admin/v1/products/\(id)/history")
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            let changes = history.data.last?["changes"]?.arrayValue ?? []
            #expect(changes.contains(.object(["path": .string("/values/rating"),
                                              "from": .array([.object(["locale": .null, "channel": .null, "data": .number(4)])])])), "\(changes)")
            #expect(changes.contains(.object(["path": .string("/values/ean"),
                                              "to": .array([.object(["locale": .null, "channel": .null, "data": .string("4006381333931")])])])), "\(changes)")
            #expect(changes.count == 2)
        }
    }

    @Test func historyPaginates() async throws {
        try await withAPI { api in
            // Given: three versions
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            for rating in [2, 3] {
                let response = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"rating":[{"data":\#(rating)}]}}"#)
                #expect(response.status == .ok)
            }
            // When
            var versions: [Int] = []
            var cursor: String?
            repeat {
                let page = try await api.get("/admin/v1/products/\(id)/history?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == .ok, "\(page.text)")
                versions += page.data.compactMap { $0["version"]?.numberValue.map { Int($0) } }
                cursor = page.nextCursor
            } while cursor != nil && versions.count < 10
            // Then
            #expect(versions == [1, 2, 3])
        }
    }

    @Test func aRefusedChangeLeavesNoHistory() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            // When
            let stale = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"rating":[{"data":2}]}}"#, ifMatch: "\"5\"")
            let invalid = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"rating":[{"data":20}]}}"#)
            // Then
            #expect(stale.status == .conflict)
            #expect(invalid.status == .unprocessableContent)
            #expect(try await api.get("/admin/v1/products/\(id)/history").data.count == 1)
        }
    }
}

extension ISO8601DateFormatter {
    /// RFC 3339 with fractional seconds.
    static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
