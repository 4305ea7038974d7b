import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport

/// Optimistic concurrency: every change names the version it was made against, through
/// `If-Match` or `version` in the body; a stale one gets 409 with the current version.
@Suite struct VersionTests {
    @Test(arguments: AdminRoute.versioned)
    func staleIfMatchIsAConflictOnEveryVersionedRoute(route: AdminRoute) async throws {
        try await withAPI { api in
            // Given: the seeded resource is at version 1
            let catalog = try await SeededCatalog.seed(api)
            let path = catalog.path(route)
            let one = "/admin/v1/\(route.collection)/\(catalog.keys[route.collection]!)"
            #expect(try await api.get(one).version == 1)
            let before = try await api.snapshot()
            for stale in ["\"7\"", "W/\"0\"", "2"] {
                // When
                let response = try await api.request(route.method, path, body: route.validBody, headers: [.ifMatch: stale])
                // Then
                expectProblem(response, .conflict, "version_mismatch", "\(route) If-Match \(stale)")
                #expect(response.json["current_version"]?.numberValue == 1, "\(route): \(response.text)")
                #expect(response.headers[.eTag] == "\"1\"", "\(route)")
            }
            #expect(try await api.snapshot() == before, "a stale \(route) changed something")
        }
    }

    @Test(arguments: AdminRoute.collections)
    func patchWithCurrentIfMatchBumpsTheVersion(collection: String) async throws {
        try await withAPI { api in
            // Given
            let catalog = try await SeededCatalog.seed(api)
            let route = AdminRoute.versioned.first { $0.collection == collection && $0.method == .patch }!
            let path = catalog.path(route)
            let read = try await api.get(path)
            #expect(read.headers[.eTag] == "\"1\"")
            // When
            let patched = try await api.patch(path, route.validBody!, ifMatch: "\"1\"")
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.version == 2)
            #expect(patched.headers[.eTag] == "\"2\"")
            let reread = try await api.get(path)
            #expect(reread.version == 2)
            #expect(reread.headers[.eTag] == "\"2\"")
            #expect(reread.json["created_at"] == read.json["created_at"])
            // the same stale If-Match a second time is now a conflict
            let again = try await api.patch(path, route.validBody!, ifMatch: "\"1\"")
            expectProblem(again, .conflict, "version_mismatch")
            #expect(again.json["current_version"]?.numberValue == 2)
        }
    }

    @Test func versionInTheBodyWorksLikeIfMatch() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("v")).id)
            let path = "/admin/v1/products/\(id)"
            // When
            let current = try await api.patch(path, #"{"version":1,"values":{"rating":[{"data":3}]}}"#)
            let stale = try await api.patch(path, #"{"version":1,"values":{"rating":[{"data":5}]}}"#)
            // Then
            #expect(current.status == .ok, "\(current.text)")
            #expect(current.version == 2)
            #expect(current.json["values"]?["rating"]?[0]?["data"] == .number(3))
            expectProblem(stale, .conflict, "version_mismatch")
            #expect(stale.json["current_version"]?.numberValue == 2)
            let read = try await api.get(path)
            #expect(read.version == 2)
            #expect(read.json["values"]?["rating"]?[0]?["data"] == .number(3))
        }
    }

    @Test func ifMatchAndBodyVersionMustAgree() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("v")).id)
            // When
            let response = try await api.patch("/admin/v1/products/\(id)", #"{"version":2,"values":{"rating":[{"data":3}]}}"#, ifMatch: "\"1\"")
            // Then
            expectProblem(response, .badRequest, "version_ambiguous")
            #expect(try await api.get("/admin/v1/products/\(id)").version == 1)
        }
    }

    @Test func malformedIfMatchIsABadRequest() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("v")).id)
            // When
            let patch = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"rating":[{"data":3}]}}"#, ifMatch: "\"abc\"")
            let delete = try await api.delete("/admin/v1/products/\(id)", ifMatch: "*x")
            // Then
            expectProblem(patch, .badRequest, "invalid_if_match")
            expectProblem(delete, .badRequest, "invalid_if_match")
            #expect(try await api.get("/admin/v1/products/\(id)").version == 1)
        }
    }

    @Test func deleteWithCurrentIfMatchRemovesTheResource() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("v")).id)
            let path = "/admin/v1/products/\(id)"
            _ = try await api.patch(path, #"{"values":{"rating":[{"data":3}]}}"#)
            // When
            let stale = try await api.delete(path, ifMatch: "\"1\"")
            let current = try await api.delete(path, ifMatch: "\"2\"")
            // Then
            expectProblem(stale, .conflict, "version_mismatch")
            #expect(stale.json["current_version"]?.numberValue == 2)
            #expect(current.status == .noContent)
            expectProblem(try await api.get(path), .notFound, "not_found")
        }
    }

    @Test func getSendsTheVersionAsETag() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("v")).id)
            // When
            let product = try await api.get("/admin/v1/products/\(id)")
            let locale = try await api.get("/admin/v1/locales/en-US")
            // Then
            #expect(product.headers[.eTag] == "\"1\"")
            #expect(product.version == 1)
            #expect(locale.headers[.eTag] == "\"\(try #require(locale.version))\"")
        }
    }
}
