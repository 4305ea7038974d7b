import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport

/// Products through the admin API: create, read, list, merge-patch and delete.
@Suite struct ProductRouteTests {
    @Test func createReadListAndDelete() async throws {
        try await withAPI { api in
            // When
            let created = try await api.createProduct(Fixtures.productBody("a"))
            // Then
            let id = try #require(created.id)
            #expect(id.hasPrefix("prod_"))
            #expect(created.contentType == "application/json")
            #expect(created.version == 1)
            #expect(created.json["product_type"] == .string("tshirt"))
            #expect(created.json["slug"] == .object(["en-US": .string("shirt-a")]))
            let variants = try #require(created.json["variants"]?.arrayValue)
            #expect(variants.count == 3)
            #expect(variants.allSatisfy { $0["id"]?.stringValue?.hasPrefix("var_") == true })
            #expect(Set(variants.compactMap { $0["id"]?.stringValue }).count == 3)
            #expect(variants[1]["prices"] == .array([.object(["amount": .number(2000), "currency": .string("EUR"), "channel": .null])]))
            #expect(variants[1]["stock"] == .array([.object(["location": .string("berlin"), "on_hand": .number(6)])]))
            #expect(variants[2]["axes"] == .object(["size": .string("l"), "color": .string("red")]))
            #expect(created.json["values"]?["name"] == .array([.object(["locale": .string("en-US"), "channel": .null, "data": .string("Shirt a")])]))

            let read = try await api.get("/admin/v1/products/\(id)")
            #expect(read.status == .ok)
            #expect(read.json == created.json)
            let list = try await api.get("/admin/v1/products")
            #expect(list.data == [created.json])

            // When
            let deleted = try await api.delete("/admin/v1/products/\(id)")
            // Then
            #expect(deleted.status == .noContent)
            #expect(deleted.body.isEmpty)
            expectProblem(try await api.get("/admin/v1/products/\(id)"), .notFound, "not_found")
            expectProblem(try await api.get("/admin/v1/products/\(id)/completeness"), .notFound, "not_found")
            #expect(try await api.get("/admin/v1/products").data.isEmpty)
            expectProblem(try await api.delete("/admin/v1/products/\(id)"), .notFound, "not_found")
        }
    }

    @Test func mergePatchMergesObjectsAndReplacesArrays() async throws {
        try await withAPI { api in
            // Given
            let created = try await api.createProduct(Fixtures.productBody("a"))
            let id = try #require(created.id)
            // When: add a value and a German slug; the other values and slugs stay
            let patched = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"rating":[{"data":4.5}]},"slug":{"de-DE":"hemd-a"}}"#)
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.json["values"]?["rating"]?[0]?["data"] == .number(4.5))
            #expect(patched.json["values"]?["name"] == created.json["values"]?["name"])
            #expect(patched.json["slug"] == .object(["en-US": .string("shirt-a"), "de-DE": .string("hemd-a")]))
            #expect(patched.json["variants"] == created.json["variants"])
            #expect(patched.json["id"] == created.json["id"])
            #expect(patched.json["created_at"] == created.json["created_at"])
        }
    }

    @Test func mergePatchNullRemovesAMember() async throws {
        try await withAPI { api in
            // Given: a product with a rating and a German slug
            let body = try productJSON("a").setting("/values/rating", to: .array([.object(["data": .number(4)])]))
                .setting("/slug/de-DE", to: .string("hemd-a"))
            let id = try #require(try await api.createProduct(body.text).id)
            // When: RFC 7396 — null removes
            let patched = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"rating":null},"slug":{"de-DE":null}}"#)
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.json["values"]?["rating"] == nil)
            #expect(patched.json["values"]?["name"] != nil)
            #expect(patched.json["slug"] == .object(["en-US": .string("shirt-a")]))
            // and the removed German slug is free again
            let other = try await api.post("/admin/v1/products", try productJSON("b").setting("/slug/de-DE", to: .string("hemd-a")).text)
            #expect(other.status == .created, "\(other.text)")
        }
    }

    @Test func removingARequiredMemberIsRefused() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            // When
            let response = try await api.patch("/admin/v1/products/\(id)", #"{"product_type":null}"#)
            // Then
            expectValidation(response, [.init("/product_type", "required")], exactly: true)
            #expect(try await api.get("/admin/v1/products/\(id)").version == 1)
        }
    }

    @Test func variantsKeepTheirIDsAcrossAPatchBySKU() async throws {
        try await withAPI { api in
            // Given
            let created = try await api.createProduct(Fixtures.productBody("a"))
            let id = try #require(created.id)
            let before = Dictionary(uniqueKeysWithValues: (created.json["variants"]?.arrayValue ?? []).map {
                ($0["sku"]!.stringValue!, $0["id"]!.stringValue!)
            })
            // When: the variants are sent again without IDs, in another order, one dropped and one added
            let variants = try productJSON("a", variants: 4)["variants"]!.arrayValue!
            let resent = JSONValue.object(["variants": .array([variants[2], variants[0], variants[3]])])
            // (a variant with units on hand cannot be dropped: they are the inventory's)
            let refused = try await api.patch("/admin/v1/products/\(id)", resent.text)
            #expect(refused.status == .unprocessableContent && refused.json["errors"]?[0]?["code"] == .string("variant_has_stock"), "\(refused.text)")
            let counted = try await api.request(.post, "/admin/v1/inventory/adjustments",
                                                body: #"{"reason":"stock take","rows":[{"sku":"SKU-a-1","location":"berlin","set":0}]}"#)
            #expect(counted.status == .created, "\(counted.text)")
            let patched = try await api.patch("/admin/v1/products/\(id)", resent.text)
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            let after = (patched.json["variants"]?.arrayValue ?? []).map { ($0["sku"]!.stringValue!, $0["id"]!.stringValue!) }
            #expect(after.map(\.0) == ["SKU-a-2", "SKU-a-0", "SKU-a-3"])
            #expect(after[0].1 == before["SKU-a-2"])
            #expect(after[1].1 == before["SKU-a-0"])
            #expect(!before.values.contains(after[2].1))
            // the dropped variant's SKU is free again
            let other = try await api.post("/admin/v1/products", try productJSON("b").setting("/variants/0/sku", to: .string("SKU-a-1")).text)
            #expect(other.status == .created, "\(other.text)")
        }
    }

    @Test func identityCannotChange() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            // When
            let response = try await api.patch("/admin/v1/products/\(id)", #"{"id":"prod_\#(String(repeating: "0", count: 26))"}"#)
            // Then
            expectValidation(response, [.init("/id", "immutable_field")], exactly: true)
            #expect(try await api.get("/admin/v1/products/\(id)").status == .ok)
        }
    }

    @Test func echoingReadOnlyMembersInAPatchIsHarmless() async throws {
        try await withAPI { api in
            // Given: a client reads, edits and sends the whole document back
            let created = try await api.createProduct(Fixtures.productBody("a"))
            let id = try #require(created.id)
            let edited = created.json.setting("/values/rating", to: .array([.object(["data": .number(2)])]))
                .setting("/updated_at", to: .string("2001-01-01T00:00:00Z"))
            // When
            let patched = try await api.patch("/admin/v1/products/\(id)", edited.text)
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.version == 2)
            #expect(patched.json["updated_at"] != .string("2001-01-01T00:00:00Z"))
            #expect(patched.json["values"]?["rating"]?[0]?["data"] == .number(2))
        }
    }

    @Test func aProductInACategoryIsListedThere() async throws {
        try await withAPI { api in
            // Given
            let category = try #require(try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Tees"},"slug":{"en-US":"tees"}}"#).id)
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            // When
            let patched = try await api.patch("/admin/v1/products/\(id)", #"{"categories":["\#(category)"]}"#)
            let listed = try await api.get("/admin/v1/products?category=\(category)")
            let removed = try await api.patch("/admin/v1/products/\(id)", #"{"categories":[]}"#)
            let afterRemoval = try await api.get("/admin/v1/products?category=\(category)")
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(listed.data.compactMap { $0["id"]?.stringValue } == [id])
            #expect(removed.status == .ok)
            #expect(afterRemoval.data.isEmpty)
            #expect(try await api.delete("/admin/v1/categories/\(category)").status == .noContent)
        }
    }
}
