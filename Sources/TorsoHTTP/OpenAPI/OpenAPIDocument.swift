import Foundation
import TorsoKit

/// The OpenAPI 3.1 document, built from the operations the routes declared (``APIRegistry``)
/// and the named shapes of ``APIComponents``: a route cannot be served without being described,
/// and every operation names its request body and its success answer.
public enum OpenAPIDocument {
    /// The document for the operations of a router.
    public static func json(_ registry: APIRegistry) -> Data {
        var paths: [String: [String: JSONValue]] = [:]
        for entry in registry.all {
            paths[entry.path, default: [:]][entry.method.rawValue.lowercased()] = operation(entry)
        }
        var schemas = APIComponents.schemas.mapValues(\.json)
        schemas["Problem"] = problemSchema
        let document: JSONValue = .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("Torso"), "version": .string("1.0.0"),
                             "description": .string("Headless commerce engine: the admin API (secret keys, scoped) and the store API (publishable keys, one channel each).")]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "securitySchemes": .object(["bearer": .object(["type": .string("http"), "scheme": .string("bearer")])]),
                "schemas": .object(schemas),
            ]),
        ])
        return (try? JSONCoding.encoder().encode(document)) ?? Data()
    }

    static func operation(_ entry: APIRegistry.Entry) -> JSONValue {
        let operation = entry.operation
        var members: [String: JSONValue] = [
            "summary": .string(operation.summary),
            "tags": .array([.string(operation.tag)]),
            "operationId": .string(operationId(entry)),
            "responses": responses(entry),
        ]
        var parameters: [JSONValue] = entry.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment in
            .object(["name": .string(String(segment.dropFirst().dropLast())), "in": .string("path"), "required": .bool(true),
                     "schema": .object(["type": .string("string")])])
        }
        var declared = operation.parameters
        if operation.caller == .customer {
            declared.append(.header("X-Customer-Token", required: true, "The session token from /store/v1/customers/login."))
        }
        if operation.caller == .cart {
            declared.append(.header("X-Cart-Token", required: !operation.parameters.contains { $0.name == "token" },
                                    "The token POST /store/v1/carts answered with (or a claim did)."))
            if !declared.contains(where: { $0.name == "X-Customer-Token" }) {
                declared.append(.header("X-Customer-Token", "The owner's session, for a signed-in customer's cart."))
            }
        }
        for parameter in declared {
            var member: [String: JSONValue] = ["name": .string(parameter.name), "in": .string(parameter.location), "schema": parameter.schema.json]
            if parameter.required { member["required"] = .bool(true) }
            if let description = parameter.description { member["description"] = .string(description) }
            parameters.append(.object(member))
        }
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        switch operation.caller {
        case .anyone:
            members["security"] = .array([])
        case .scope(let scope):
            members["security"] = .array([.object(["bearer": .array([.string(scope.rawValue)])])])
            members["description"] = .string("Requires a secret key with the `\(scope.rawValue)` scope.")
        case .publishableKey:
            members["security"] = .array([.object(["bearer": .array([])])])
            members["description"] = .string("Requires a publishable key (pk_…) bound to a channel.")
        case .customer:
            members["security"] = .array([.object(["bearer": .array([])])])
            members["description"] = .string("Requires a publishable key (pk_…) and a customer session in X-Customer-Token.")
        case .cart:
            members["security"] = .array([.object(["bearer": .array([])])])
            members["description"] = .string(
                "Requires a publishable key (pk_…) and the cart's token in X-Cart-Token (401 cart_token_required, 403 invalid_cart_token or cart_handed_off); a customer's cart also needs the customer's X-Customer-Token.")
        }
        if !operation.fileTypes.isEmpty {
            members["requestBody"] = .object(["required": .bool(true), "content": .object(Dictionary(uniqueKeysWithValues: operation.fileTypes.map {
                ($0, JSONValue.object(["schema": .object(["type": .string("string"), "format": .string("binary")])]))
            }))])
        } else if let body = operation.body {
            let type = operation.mergePatch ? "application/merge-patch+json" : "application/json"
            members["requestBody"] = .object(["required": .bool(operation.bodyRequired), "content": .object([
                type: .object(["schema": body.json]),
            ])])
        }
        return .object(members)
    }

    static func operationId(_ entry: APIRegistry.Entry) -> String {
        entry.method.rawValue.lowercased() + entry.path.replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "").replacingOccurrences(of: "-", with: "_")
    }

    static func content(_ answer: APIOperation.Answer, description: String) -> JSONValue {
        switch answer {
        case .json(let schema):
            .object(["description": .string(description), "content": .object(["application/json": .object(["schema": schema.json])])])
        case .empty:
            .object(["description": .string(description)])
        case .text(let type):
            .object(["description": .string(description), "content": .object([type: .object(["schema": .object(["type": .string("string")])])])])
        case .texts(let types):
            .object(["description": .string(description), "content": .object(Dictionary(uniqueKeysWithValues: types.map {
                ($0, JSONValue.object(["schema": .object(["type": .string("string")])]))
            }))])
        case .eventStream(let schema):
            .object(["description": .string(description + "; each event's `data` is JSON of the schema in x-event-data"),
                     "content": .object(["text/event-stream": eventStream(schema)])])
        case .jsonOrEventStream(let json, let event):
            .object(["description": .string(description + "; with Accept: text/event-stream, each event's `data` is JSON of the schema in x-event-data"),
                     "content": .object(["application/json": .object(["schema": json.json]), "text/event-stream": eventStream(event)])])
        }
    }

    static func eventStream(_ event: APISchema) -> JSONValue {
        .object(["schema": .object(["type": .string("string")]), "x-event-data": event.json])
    }

    static func responses(_ entry: APIRegistry.Entry) -> JSONValue {
        let operation = entry.operation
        let problem: JSONValue = .object(["description": .string("A problem (RFC 9457) with a stable `code`"), "content": .object([
            "application/problem+json": .object(["schema": .object(["$ref": .string("#/components/schemas/Problem")])]),
        ])])
        var responses: [String: JSONValue] = ["\(operation.status.code)": content(operation.answer, description: "Success"), "default": problem]
        for other in operation.otherAnswers {
            responses["\(other.status)"] = content(other.answer, description: other.description)
        }
        if operation.caller != .anyone {
            for status in ["400", "401", "404", "422"] where responses[status] == nil { responses[status] = problem }
        }
        if operation.caller != .anyone { responses["403"] = problem }
        // The store API is rate limited (docs/security.md): 429 with Retry-After.
        if entry.path.hasPrefix("/store/") { responses["429"] = problem }
        for status in operation.problems { responses["\(status)"] = problem }
        if entry.method == .patch || entry.method == .delete { responses["409"] = responses["409"] ?? problem }
        if operation.body != nil || !operation.fileTypes.isEmpty { responses["413"] = problem }
        return .object(responses)
    }

    private static let problemSchema: JSONValue = APISchema.object([
        "type": .string(), "title": .string(), "status": .integer, "detail": .string(), "code": .string(),
        "current_version": .integer,
        "errors": .array(.object(["pointer": .string(), "code": .string(), "detail": .string()], required: ["pointer", "code", "detail"])),
    ], required: ["type", "title", "status", "code"]).json
}
