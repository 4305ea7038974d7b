import Foundation
import TorsoApp
import TorsoKit
import TorsoTestSupport

/// The OpenAPI document the router's routes declare, for the suites that read it.
enum APIDocumentFixture {
    /// The document, parsed.
    static func document() async throws -> JSONValue {
        try await TestDatabase.withServices { services in try JSONDecoder().decode(JSONValue.self, from: openAPIDocument(services)) }
    }
}
