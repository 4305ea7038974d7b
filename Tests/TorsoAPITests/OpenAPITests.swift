import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoApp
import TorsoHTTP
import TorsoKit
import TorsoTestSupport

/// `/openapi.json` describes every route the router serves, and nothing it does not.
@Suite struct OpenAPITests {
    /// `:param` and `{param}` both become `{param}`.
    static func openAPIPath(_ path: String) -> String {
        "/" + path.split(separator: "/").map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    /// The router's routes as `METHOD /path` in OpenAPI form.
    static func routerOperations() async throws -> Set<String> {
        try await TestDatabase.withServices { services in
            // The back office's pages (`/admin/…` outside `/admin/v1`) are HTML for people, not API.
            Set(buildRouter(services).routes.map { "\($0.method.rawValue) \(openAPIPath($0.path.description))" }
                .filter { !($0.contains(" /admin") && !$0.contains(" /admin/v1/")) })
        }
    }

    /// The document's operations as `METHOD /path`.
    static func documentOperations(_ document: JSONValue) -> Set<String> {
        var operations = Set<String>()
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in (item.objectValue ?? [:]).keys { operations.insert("\(method.uppercased()) \(path)") }
        }
        return operations
    }

    @Test func pathConversion() {
        // Given / When / Then: Hummingbird's `:param` and OpenAPI's `{param}` meet in one form
        #expect(Self.openAPIPath("/admin/v1/products/:key") == "/admin/v1/products/{key}")
        #expect(Self.openAPIPath("/admin/v1/keys/{id}") == "/admin/v1/keys/{id}")
        #expect(Self.openAPIPath("admin/v1/products/:key/history") == "/admin/v1/products/{key}/history")
    }

    @Test func everyRouteOfTheRouterIsDocumented() async throws {
        try await withAPI { api in
            // Given
            let routes = try await Self.routerOperations()
            // When
            let response = try await api.get("/openapi.json", as: .none)
            // Then
            #expect(response.status == .ok)
            #expect(response.contentType == "application/json")
            let documented = Self.documentOperations(response.json)
            #expect(routes.count >= 43, "the router lists \(routes.count) routes")
            for route in routes.sorted() {
                #expect(documented.contains(route), "\(route) is served but not in /openapi.json")
            }
            for operation in documented.sorted() {
                #expect(routes.contains(operation), "\(operation) is documented but not served")
            }
        }
    }

    @Test func everyAdminRouteOfThisSuiteIsServedAndDocumented() async throws {
        // Given: the table the auth, validation and version tests run over
        let routes = try await Self.routerOperations()
        let document = try await APIDocumentFixture.document()
        let documented = Self.documentOperations(document)
        // Then: the table covers every admin route the router serves
        let table = Set(AdminRoute.all.map { "\($0.method.rawValue) \($0.template)" })
        #expect(table == routes.filter { $0.contains(" /admin/") })
        #expect(table.isSubset(of: documented))
    }

    @Test func adminOperationsDeclareScopesAndProblems() async throws {
        // Given
        let document = try await APIDocumentFixture.document()
        // Then
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.") == true)
        for route in AdminRoute.all {
            let operation = document["paths"]?[route.template]?[route.method.rawValue.lowercased()]
            #expect(operation != nil, "\(route)")
            #expect(operation?["security"]?[0]?["bearer"]?[0] == .string(route.scope.rawValue), "\(route)")
            for status in ["401", "403"] {
                #expect(operation?["responses"]?[status] != nil, "\(route) does not document \(status)")
            }
            if route.method == .post || route.method == .patch, !route.template.hasSuffix("/cancel") {
                #expect(operation?["requestBody"] != nil, "\(route) has no request body")
                #expect(operation?["responses"]?["422"] != nil, "\(route) does not document 422")
            }
            if route.hasKey {
                let parameters = operation?["parameters"]?.arrayValue ?? []
                #expect(parameters.contains { $0["in"] == .string("path") }, "\(route) has no path parameter")
            }
        }
    }
}

/// `/health` and `/metrics`.
@Suite struct SystemRouteTests {
    @Test func healthAnswers200() async throws {
        try await withAPI { api in
            // When
            let response = try await api.get("/health", as: .none)
            // Then
            #expect(response.status == .ok)
            #expect(response.json == .object(["status": .string("ok")]))
        }
    }

    @Test func metricsCountHTTPRequests() async throws {
        try await withAPI { api in
            // Given: a request to a route no other test uses this way
            let marker = try await api.get("/admin/v1/stock-locations/berlin")
            #expect(marker.status == .ok)
            // When
            let response = try await api.get("/metrics", as: .none)
            // Then
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let lines = response.text.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("# TYPE ") }, "not Prometheus text")
            let requestLines = lines.filter { $0.contains("hb_requests") || $0.contains("hb.requests") }
            #expect(!requestLines.isEmpty, "no http request metric in:\n\(response.text.prefix(2000))")
            #expect(requestLines.contains { $0.contains("/admin/v1/stock-locations/{key}") && $0.contains("GET") && $0.contains("200") },
                    "the request to the stock location is not counted:\n\(requestLines.joined(separator: "\n"))")
        }
    }
}
