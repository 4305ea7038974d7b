import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport

/// `Idempotency-Key` on creating POSTs: a retry gets the first answer and creates nothing more;
/// the same key with another body is refused; concurrent duplicates create one resource.
@Suite struct IdempotencyTests {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    func create(_ api: TestAPI, _ collection: String, _ body: String, key: String, as credential: Credential = .admin) async throws -> APIResponse {
        try await api.post("/admin/v1/\(collection)", body, as: credential, headers: [Self.idempotencyKey: key])
    }

    @Test func aRetriedProductCreateReturnsTheFirstAnswerAndCreatesOneProduct() async throws {
        try await withAPI { api in
            // Given
            let body = Fixtures.productBody("a")
            let first = try await create(api, "products", body, key: "order-import-42")
            #expect(first.status == .created, "\(first.text)")
            // When
            let retry = try await create(api, "products", body, key: "order-import-42")
            // Then
            #expect(retry.status == first.status)
            #expect(retry.body == first.body)
            #expect(retry.id == first.id)
            #expect(try await api.allProductIDs() == [try #require(first.id)])
            #expect(try await api.get("/admin/v1/products/\(try #require(first.id))/history").data.count == 1)
        }
    }

    @Test(arguments: AdminRoute.collections)
    func everyCreatingPostReplaysARetry(collection: String) async throws {
        try await withAPI { api in
            // Given
            let body = AdminRoute(method: .post, template: "/admin/v1/\(collection)", scope: .catalogWrite).validBody!
            let countBefore = try await api.get("/admin/v1/\(collection)?limit=200").data.count
            let first = try await create(api, collection, body, key: "retry-\(collection)")
            // When
            let retry = try await create(api, collection, body, key: "retry-\(collection)")
            // Then
            #expect(first.status == .created, "\(first.text)")
            #expect(retry.status == .created)
            #expect(retry.body == first.body)
            #expect(try await api.get("/admin/v1/\(collection)?limit=200").data.count == countBefore + 1)
        }
    }

    @Test func aRefusedRequestIsNotRememberedForItsKey() async throws {
        try await withAPI { api in
            // Given: the first attempt is refused
            let body = try productJSON("a").setting("/variants/0/axes/size", to: .string("xxl")).text
            let first = try await create(api, "products", body, key: "k-1")
            // When
            let retry = try await create(api, "products", body, key: "k-1")
            // Then: nothing was stored for the key, so the retry is validated again and refused again
            expectValidation(first, [.init("/variants/0/axes/size", "unknown_option")])
            expectValidation(retry, [.init("/variants/0/axes/size", "unknown_option")])
            #expect(try await api.allProductIDs().isEmpty)
            // and the key can still be used for a corrected request
            let corrected = try await create(api, "products", Fixtures.productBody("a"), key: "k-1")
            #expect(corrected.status == .created, "\(corrected.text)")
        }
    }

    @Test func theSameKeyWithAnotherBodyIsRefused() async throws {
        try await withAPI { api in
            // Given
            let first = try await create(api, "products", Fixtures.productBody("a"), key: "k-1")
            #expect(first.status == .created)
            // When
            let reused = try await create(api, "products", Fixtures.productBody("b"), key: "k-1")
            // Then
            expectProblem(reused, .unprocessableContent, "idempotency_key_reused")
            #expect(try await api.allProductIDs() == [try #require(first.id)])
        }
    }

    @Test func theSameKeyOnAnotherRouteIsRefused() async throws {
        try await withAPI { api in
            // Given
            let first = try await create(api, "products", Fixtures.productBody("a"), key: "k-1")
            #expect(first.status == .created)
            // When
            let reused = try await create(api, "categories", #"{"names":{"en-US":"Shoes"},"slug":{"en-US":"shoes"}}"#, key: "k-1")
            // Then
            expectProblem(reused, .unprocessableContent, "idempotency_key_reused")
            #expect(try await api.get("/admin/v1/categories").data.isEmpty)
        }
    }

    @Test func keysAreScopedToTheAPIKeyThatSentThem() async throws {
        try await withAPI { api in
            // Given: two integrations happen to pick the same Idempotency-Key
            let other = try await api.makeKey(name: "other integration")
            let first = try await create(api, "products", Fixtures.productBody("a"), key: "import-1")
            // When
            let second = try await create(api, "products", Fixtures.productBody("b"), key: "import-1", as: .bearer(other.secret))
            // Then
            #expect(first.status == .created)
            #expect(second.status == .created, "\(second.text)")
            #expect(first.id != second.id)
            #expect(try await api.allProductIDs().count == 2)
        }
    }

    @Test func anInvalidKeyIsABadRequest() async throws {
        try await withAPI { api in
            // When
            let response = try await create(api, "products", Fixtures.productBody("a"), key: String(repeating: "k", count: 256))
            // Then
            expectProblem(response, .badRequest, "invalid_idempotency_key")
            #expect(try await api.allProductIDs().isEmpty)
        }
    }

    @Test func concurrentRequestsWithTheSameKeyCreateOneProduct() async throws {
        try await withAPI { api in
            // Given
            let body = Fixtures.productBody("a")
            // When: ten clients send the same request at once
            let responses = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await create(api, "products", body, key: "double-click") }
                }
                return try await group.reduce(into: [APIResponse]()) { $0.append($1) }
            }
            // Then
            #expect(responses.count == 10)
            for response in responses {
                #expect(response.status == .created, "\(response.status.code) \(response.text)")
                #expect(response.body == responses[0].body)
            }
            let ids = try await api.allProductIDs()
            #expect(ids.count == 1)
            #expect(ids.first == responses[0].id)
        }
    }

    @Test func concurrentRequestsWithDifferentKeysForTheSameProductCreateOne() async throws {
        try await withAPI { api in
            // Given: without a shared key, the unique slug and SKUs still let only one through
            let body = Fixtures.productBody("a")
            // When
            let responses = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for index in 0..<10 {
                    group.addTask { try await create(api, "products", body, key: "client-\(index)") }
                }
                return try await group.reduce(into: [APIResponse]()) { $0.append($1) }
            }
            // Then
            let statuses = responses.map(\.status.code).sorted()
            #expect(statuses == [201] + Array(repeating: 422, count: 9), "\(responses.map { "\($0.status.code) \($0.code ?? "")" })")
            for refused in responses where refused.status != .created {
                #expect(refused.fieldErrors.contains(.init("/slug/en-US", "duplicate_slug")), "\(refused.text)")
            }
            #expect(try await api.allProductIDs().count == 1)
        }
    }
}
