import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport

/// Errors of the HTTP surface itself — too large, malformed, empty, unknown — are problem+json
/// with a stable code, never a 500, and change nothing.
@Suite struct HTTPErrorTests {
    /// The documented body limit, 1 MiB; spelled out so that a changed limit fails these tests.
    static let oneMebibyte = 1_048_576

    /// A JSON product body padded past `size` bytes with a long description.
    func body(ofAtLeast size: Int) throws -> String {
        let padding = String(repeating: "x", count: size)
        return try productJSON("big").setting("/values/description", to: .array([.object(["locale": .string("en-US"), "data": .string(padding)])])).text
    }

    @Test func aBodyOverOneMebibyteIs413() async throws {
        try await withAPI { api in
            // Given
            let big = try body(ofAtLeast: Self.oneMebibyte + 1)
            #expect(big.utf8.count > Self.oneMebibyte)
            // When
            let post = try await api.post("/admin/v1/products", big)
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            let patch = try await api.patch("/admin/v1/products/\(id)", big)
            // Then
            expectProblem(post, .contentTooLarge, "body_too_large")
            expectProblem(patch, .contentTooLarge, "body_too_large")
            #expect(post.json["detail"]?.stringValue?.contains("1048576") == true, "\(post.text)")
            #expect(try await api.allProductIDs() == [id])
            #expect(try await api.get("/admin/v1/products/\(id)").version == 1)
        }
    }

    @Test func aBodyJustUnderTheLimitIsAccepted() async throws {
        try await withAPI { api in
            // Given: a long description is allowed (textarea, no max length), so only the size matters
            let base = try body(ofAtLeast: 0).utf8.count
            let fits = try body(ofAtLeast: Self.oneMebibyte - base)
            #expect(fits.utf8.count <= Self.oneMebibyte)
            #expect(fits.utf8.count > Self.oneMebibyte - 64)
            // When
            let response = try await api.post("/admin/v1/products", fits)
            // Then
            #expect(response.status == .created, "\(response.status.code) \(response.text.prefix(300))")
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            for body in [#"{"product_type":"tshirt","#, "{'a': 1}", "not json", #"{"a":1}}"#, "\u{FEFF}{\"a\":"] {
                // When
                let post = try await api.post("/admin/v1/products", body)
                let patch = try await api.patch("/admin/v1/products/\(id)", body)
                let key = try await api.post("/admin/v1/keys", body)
                // Then
                expectProblem(post, .badRequest, "malformed_json", body)
                expectProblem(patch, .badRequest, "malformed_json", body)
                expectProblem(key, .badRequest, "malformed_json", body)
            }
            #expect(try await api.allProductIDs() == [id])
        }
    }

    @Test func anEmptyBodyIs400() async throws {
        try await withAPI { api in
            // When
            let response = try await api.request(.post, "/admin/v1/locales", body: "")
            let none = try await api.request(.post, "/admin/v1/locales")
            // Then
            expectProblem(response, .badRequest, "empty_body")
            expectProblem(none, .badRequest, "empty_body")
        }
    }

    @Test func anUnknownRouteIs404ProblemJSON() async throws {
        try await withAPI { api in
            for path in ["/nope", "/admin/v1/widgets", "/admin/v2/products", "/admin/v1/products/x/y/z"] {
                // When
                let response = try await api.get(path)
                // Then
                expectProblem(response, .notFound, "route_not_found", path)
            }
        }
    }

    @Test func anUnsupportedMethodIsAProblemNotA500() async throws {
        try await withAPI { api in
            // When
            let response = try await api.request(.put, "/admin/v1/locales/en-US", body: #"{"name":"English"}"#)
            // Then
            #expect([404, 405].contains(response.status.code), "\(response.status.code)")
            #expect(response.contentType == "application/problem+json")
            #expect(try await api.get("/admin/v1/locales/en-US").version == 1)
        }
    }
}
