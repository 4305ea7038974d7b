import Foundation
import Hummingbird
import TorsoKit

/// A typed request body. Its shape is declared once, in ``schema``: that declaration rejects
/// what does not fit (problem+json 422 with a pointer and a code per problem: `unknown_field`,
/// `invalid_type`, `required`…), then the body decodes into the type, and the same declaration
/// is the body's schema in the OpenAPI document.
protocol RequestBody: Decodable, Sendable {
    /// The body's shape.
    static var schema: FieldSchema { get }
    /// The body's shape in the OpenAPI document: ``schema``, with what it cannot say (bounds).
    static var documentedSchema: APISchema { get }
}

extension RequestBody {
    static var documentedSchema: APISchema { .request(schema) }

    /// The body's component name in the OpenAPI document: the type's name.
    static var componentName: String { String(describing: Self.self) }

    /// The body's schema for the OpenAPI document: a reference to its named component.
    static var apiSchema: APISchema { .ref(componentName) }

    /// Checks and decodes a parsed body.
    static func decode(_ value: JSONValue) throws -> Self {
        try JSONCoding.decode(Self.self, from: value, schema: schema)
    }
}

extension Request {
    /// The body, checked against its declared shape and decoded (413 beyond the size limit,
    /// 400 if it is not JSON, 422 with pointers if it does not fit).
    func decode<Body: RequestBody>(_ type: Body.Type, context: some TorsoContext) async throws -> Body {
        try Body.decode(try await jsonBody(context: context).value)
    }
}
