import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport
import Workflows

/// A write that fails leaves nothing behind: no product, no claimed SKU or slug, no index row,
/// no history entry, no version bump.
@Suite struct AtomicWriteTests {
    @Test func aProductWhoseThirdVariantIsInvalidLeavesNothingBehind() async throws {
        try await withAPI { api in
            // Given: variants 1 and 2 are fine, variant 3 names a stock location that does not exist
            let body = try productJSON("a").setting("/variants/2/stock/0/location", to: .string("atlantis"))
            // When
            let response = try await api.post("/admin/v1/products", body.text)
            // Then
            expectValidation(response, [.init("/variants/2/stock/0/location", "unknown_location")], exactly: true)
            let list = try await api.get("/admin/v1/products")
            #expect(list.status == .ok)
            #expect(list.data.isEmpty)
            #expect(list.nextCursor == nil)
            #expect(try await api.get("/admin/v1/products?q=sku-a").data.isEmpty)
            let claims = try await api.services.store.read { tx in
                [try await tx.claims.claimOwner(UniqueClaim(namespace: "sku", value: "SKU-a-0")),
                 try await tx.claims.claimOwner(UniqueClaim(namespace: "sku", value: "SKU-a-1")),
                 try await tx.claims.claimOwner(UniqueClaim(namespace: "product_slug:en-US", value: "shirt-a"))]
            }
            #expect(claims == [nil, nil, nil])
            // the SKUs of variants 1 and 2 and the slug are free for a new product
            let retry = try await api.post("/admin/v1/products", try productJSON("a", variants: 2).text)
            #expect(retry.status == .created, "\(retry.text)")
            #expect(retry.json["variants"]?.arrayValue?.compactMap { $0["sku"]?.stringValue } == ["SKU-a-0", "SKU-a-1"])
            #expect(try await api.allProductIDs() == [try #require(retry.id)])
        }
    }

    @Test func aProductRefusedForAConflictWithAnotherLeavesNothingBehind() async throws {
        try await withAPI { api in
            // Given: product b exists; a new product's third variant takes one of b's SKUs
            let other = try #require(try await api.createProduct(Fixtures.productBody("b")).id)
            let body = try productJSON("a").setting("/variants/2/sku", to: .string("SKU-b-1"))
            // When
            let response = try await api.post("/admin/v1/products", body.text)
            // Then
            expectValidation(response, [.init("/variants/2/sku", "duplicate_sku")], exactly: true)
            #expect(try await api.allProductIDs() == [other])
            let owner = try await api.services.store.read { try await $0.claims.claimOwner(UniqueClaim(namespace: "sku", value: "SKU-b-1")) }
            #expect(owner == other)
            let freed = try await api.services.store.read { try await $0.claims.claimOwner(UniqueClaim(namespace: "sku", value: "SKU-a-0")) }
            #expect(freed == nil)
        }
    }

    @Test func aFailedPatchLeavesTheProductUnchanged() async throws {
        try await withAPI { api in
            // Given
            let created = try await api.createProduct(Fixtures.productBody("a"))
            let id = try #require(created.id)
            let path = "/admin/v1/products/\(id)"
            let before = try await api.get(path)
            let historyBefore = try await api.get(path + "/history")
            #expect(historyBefore.data.count == 1)
            // When: rename, and replace the variants with new SKUs where the third is invalid
            let variants = try productJSON("new").setting("/variants/2/axes/color", to: .string("purple"))["variants"]!
            let patch = JSONValue.object([
                "values": .object(["name": .array([.object(["locale": .string("en-US"), "data": .string("Renamed")])])]),
                "slug": .object(["en-US": .string("renamed")]),
                "variants": variants,
            ])
            let response = try await api.patch(path, patch.text, ifMatch: "\"1\"")
            // Then
            expectValidation(response, [.init("/variants/2/axes/color", "unknown_option")], exactly: true)
            let after = try await api.get(path)
            #expect(after.json == before.json)
            #expect(after.version == 1)
            #expect(after.headers[.eTag] == "\"1\"")
            #expect(try await api.get(path + "/history").json == historyBefore.json)
            #expect(try await api.get("/admin/v1/products?q=renamed").data.isEmpty)
            #expect(try await api.get("/admin/v1/products?q=sku-a-2").data.compactMap { $0["id"]?.stringValue } == [id])
            // the old SKUs and slug are still claimed, the new ones are not
            let taken = try await api.post("/admin/v1/products", try productJSON("x").setting("/variants/0/sku", to: .string("SKU-a-0")).text)
            expectValidation(taken, [.init("/variants/0/sku", "duplicate_sku")], exactly: true)
            let free = try await api.post("/admin/v1/products", try productJSON("new").setting("/slug/en-US", to: .string("renamed")).text)
            #expect(free.status == .created, "\(free.text)")
        }
    }

    @Test func aFailedDeleteLeavesTheResourceAndItsDependents() async throws {
        try await withAPI { api in
            // Given: a category with a product in it
            let category = try #require(try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Tees"},"slug":{"en-US":"tees"}}"#).id)
            let product = try #require(try await api.createProduct(try productJSON("a").setting("/categories", to: .array([.string(category)])).text).id)
            // When
            let response = try await api.delete("/admin/v1/categories/\(category)")
            // Then
            expectProblem(response, .conflict, "in_use")
            #expect(try await api.get("/admin/v1/categories/\(category)").status == .ok)
            #expect(try await api.get("/admin/v1/products?category=\(category)").data.compactMap { $0["id"]?.stringValue } == [product])
        }
    }

    @Test func deletingAProductFreesItsSKUsAndSlug() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            // When
            let deleted = try await api.delete("/admin/v1/products/\(id)")
            let again = try await api.post("/admin/v1/products", Fixtures.productBody("a"))
            // Then
            #expect(deleted.status == .noContent)
            #expect(again.status == .created, "\(again.text)")
            #expect(try await api.allProductIDs() == [try #require(again.id)])
        }
    }
}
