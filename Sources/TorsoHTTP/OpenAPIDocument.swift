import Catalog
import Channels
import Foundation
import Inventory
import TorsoKit
import Workflows

/// The OpenAPI 3.1 description of every route. It is written here, apart from the router, so
/// that a test can compare the two: a route without a description fails the suite.
public enum OpenAPIDocument {
    /// One documented operation.
    public struct Operation: Sendable {
        /// `GET`, `POST`…
        public var method: String
        /// The path in OpenAPI form (`/admin/v1/products/{key}`).
        public var path: String
        /// One line for people.
        public var summary: String
        /// The scope required, `nil` for public routes.
        public var scope: String?
        /// The request body's shape.
        public var body: FieldSchema?
        /// The success status.
        public var status: Int
        /// A group for the documentation.
        public var tag: String
    }

    /// A merge patch of a shape: every member optional and nullable (null removes it).
    static func mergePatch(_ schema: FieldSchema) -> FieldSchema {
        guard case .object(let members, _, let readOnly) = schema else { return schema }
        return .object(members.mapValues { member in
            if case .nullable = member { return member }
            return .nullable(member)
        }, required: [], readOnly: readOnly)
    }

    private static let publishBody = PublishingService.Request.schema

    private static let resources: [(collection: String, kind: String, schema: FieldSchema, read: String, write: String)] = [
        (ContentLocale.collection, ContentLocale.kind, ContentLocale.schema, "catalog:read", "settings:write"),
        (Channel.collection, Channel.kind, Channel.schema, "catalog:read", "settings:write"),
        (StockLocation.collection, StockLocation.kind, StockLocation.schema, "catalog:read", "settings:write"),
        (AttributeDefinition.collection, AttributeDefinition.kind, AttributeDefinition.schema, "catalog:read", "settings:write"),
        (ProductType.collection, ProductType.kind, ProductType.schema, "catalog:read", "settings:write"),
        (Category.collection, Category.kind, Category.schema, "catalog:read", "catalog:write"),
        (Product.collection, Product.kind, Product.schema, "catalog:read", "catalog:write"),
    ]

    /// Every operation of the API.
    public static let operations: [Operation] = {
        var result: [Operation] = [
            Operation(method: "GET", path: "/health", summary: "Liveness", scope: nil, body: nil, status: 200, tag: "system"),
            Operation(method: "GET", path: "/metrics", summary: "Prometheus metrics", scope: nil, body: nil, status: 200, tag: "system"),
            Operation(method: "GET", path: "/openapi.json", summary: "This document", scope: nil, body: nil, status: 200, tag: "system"),
            Operation(method: "GET", path: "/admin/v1/keys", summary: "List API keys (never their secrets)", scope: "keys:write", body: nil, status: 200, tag: "keys"),
            Operation(method: "POST", path: "/admin/v1/keys", summary: "Create an API key; the secret is shown once", scope: "keys:write",
                      body: KeyController.schema, status: 201, tag: "keys"),
            Operation(method: "DELETE", path: "/admin/v1/keys/{id}", summary: "Revoke an API key", scope: "keys:write", body: nil, status: 204, tag: "keys"),
            Operation(method: "GET", path: "/admin/v1/products/{key}/completeness", summary: "Completeness per channel and locale",
                      scope: "catalog:read", body: nil, status: 200, tag: "products"),
            Operation(method: "GET", path: "/admin/v1/products/{key}/history", summary: "Every change with actor, time, version and field differences",
                      scope: "catalog:read", body: nil, status: 200, tag: "products"),
            Operation(method: "POST", path: "/admin/v1/products/{key}/publish",
                      summary: "Publish the staged product to channels, now or at `at`; 422 `incomplete` lists what is missing per channel and locale",
                      scope: "catalog:write", body: publishBody, status: 200, tag: "publishing"),
            Operation(method: "POST", path: "/admin/v1/products/{key}/unpublish", summary: "Withdraw the product (live and scheduled) from channels",
                      scope: "catalog:write", body: publishBody, status: 200, tag: "publishing"),
            Operation(method: "GET", path: "/admin/v1/products/{key}/publication",
                      summary: "has_staged_changes and, per channel, published_at, scheduled_at, visible_in_listings",
                      scope: "catalog:read", body: nil, status: 200, tag: "publishing"),
            Operation(method: "GET", path: "/store/v1/products",
                      summary: "The channel's published products: q (typo-tolerant, prefix), category, filter.<attribute>, price_min, price_max, in_stock, sort, limit, cursor, locale; with total and facets",
                      scope: "publishable key", body: nil, status: 200, tag: "store"),
            Operation(method: "GET", path: "/store/v1/products/{key}", summary: "A published product by ID or slug, localized (ETag, If-None-Match → 304)",
                      scope: "publishable key", body: nil, status: 200, tag: "store"),
            Operation(method: "GET", path: "/store/v1/categories", summary: "The localized category tree with product counts",
                      scope: "publishable key", body: nil, status: 200, tag: "store"),
        ]
        for resource in resources {
            let base = "/admin/v1/\(resource.collection)"
            let tag = resource.collection
            result += [
                Operation(method: "GET", path: base, summary: "List \(resource.collection) (cursor pagination)" + (tag == "products" ? "; filter with q, product_type, category" : ""),
                          scope: resource.read, body: nil, status: 200, tag: tag),
                Operation(method: "POST", path: base, summary: "Create a \(resource.kind) (Idempotency-Key accepted)", scope: resource.write,
                          body: resource.schema, status: 201, tag: tag),
                Operation(method: "GET", path: base + "/{key}", summary: "Read a \(resource.kind)", scope: resource.read, body: nil, status: 200, tag: tag),
                Operation(method: "PATCH", path: base + "/{key}", summary: "Change a \(resource.kind) with a JSON merge patch (If-Match: version)",
                          scope: resource.write, body: mergePatch(resource.schema), status: 200, tag: tag),
                Operation(method: "DELETE", path: base + "/{key}", summary: "Delete a \(resource.kind)", scope: resource.write, body: nil, status: 204, tag: tag),
            ]
        }
        return result
    }()

    /// The document as JSON.
    public static func json() -> Data {
        var paths: [String: JSONValue] = [:]
        for operation in operations {
            var members: [String: JSONValue] = [
                "summary": .string(operation.summary),
                "tags": .array([.string(operation.tag)]),
                "operationId": .string(operation.method.lowercased() + operation.path.replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "").replacingOccurrences(of: "-", with: "_")),
                "responses": responses(for: operation),
            ]
            let parameters = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment -> JSONValue in
                .object(["name": .string(String(segment.dropFirst().dropLast())), "in": .string("path"), "required": .bool(true),
                         "schema": .object(["type": .string("string")])])
            }
            var queryParameters: [JSONValue] = []
            if operation.method == "GET", !operation.path.hasSuffix("}") || operation.path.hasSuffix("history"), operation.path.hasPrefix("/admin"),
               !operation.path.hasSuffix("completeness"), !operation.path.hasSuffix("publication") {
                queryParameters = [("limit", "integer"), ("cursor", "string")].map { name, type in
                    .object(["name": .string(name), "in": .string("query"), "schema": .object(["type": .string(type)])])
                }
                if operation.path == "/admin/v1/products" {
                    queryParameters += ["q", "product_type", "category"].map { name in
                        .object(["name": .string(name), "in": .string("query"), "schema": .object(["type": .string("string")])])
                    }
                }
            }
            if !(parameters + queryParameters).isEmpty { members["parameters"] = .array(parameters + queryParameters) }
            if let scope = operation.scope {
                members["security"] = .array([.object(["bearer": .array(scope.contains(":") ? [.string(scope)] : [])])])
                members["description"] = .string(scope.contains(":") ? "Requires the `\(scope)` scope." : "Requires a publishable key (pk_…) bound to a channel.")
            }
            if let body = operation.body {
                members["requestBody"] = .object(["required": .bool(true), "content": .object([
                    (operation.method == "PATCH" ? "application/merge-patch+json" : "application/json"): .object(["schema": schema(body)]),
                ])])
            }
            var item = paths[operation.path]?.objectValue ?? [:]
            item[operation.method.lowercased()] = .object(members)
            paths[operation.path] = .object(item)
        }
        let document: JSONValue = .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string("Torso"), "version": .string("1.0.0"),
                             "description": .string("Headless commerce engine: PIM catalog, admin API.")]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object(["bearer": .object(["type": .string("http"), "scheme": .string("bearer")])]),
                "schemas": .object(["Problem": problemSchema]),
            ]),
        ])
        return (try? JSONCoding.encoder().encode(document)) ?? Data()
    }

    private static func responses(for operation: Operation) -> JSONValue {
        let problem: JSONValue = .object(["description": .string("A problem"), "content": .object([
            "application/problem+json": .object(["schema": .object(["$ref": .string("#/components/schemas/Problem")])]),
        ])])
        var responses: [String: JSONValue] = ["\(operation.status)": .object(["description": .string("Success")])]
        if operation.scope != nil {
            for status in ["400", "401", "403", "404", "422"] { responses[status] = problem }
            if operation.method == "PATCH" || (operation.method == "DELETE" && !operation.path.hasPrefix("/admin/v1/keys")) {
                responses["409"] = problem
            }
            if operation.body != nil { responses["413"] = problem }
        }
        return .object(responses)
    }

    private static let problemSchema: JSONValue = .object([
        "type": .string("object"),
        "properties": .object([
            "type": .object(["type": .string("string")]), "title": .object(["type": .string("string")]),
            "status": .object(["type": .string("integer")]), "detail": .object(["type": .string("string")]),
            "code": .object(["type": .string("string")]), "current_version": .object(["type": .string("integer")]),
            "errors": .object(["type": .string("array"), "items": .object(["type": .string("object"), "properties": .object([
                "pointer": .object(["type": .string("string")]), "code": .object(["type": .string("string")]),
                "detail": .object(["type": .string("string")]),
            ])])]),
        ]),
        "required": .array(["type", "title", "status", "code"].map { .string($0) }),
    ])

    /// A JSON Schema for a body shape.
    static func schema(_ field: FieldSchema) -> JSONValue {
        switch field {
        case .string(let format, let enumeration):
            var members: [String: JSONValue] = ["type": .string("string")]
            if let format { members["format"] = .string(format) }
            if let enumeration { members["enum"] = .array(enumeration.map { .string($0) }) }
            return .object(members)
        case .integer: return .object(["type": .string("integer")])
        case .number: return .object(["type": .string("number")])
        case .boolean: return .object(["type": .string("boolean")])
        case .any: return .object([:])
        case .object(let members, let required, let readOnly):
            var properties: [String: JSONValue] = [:]
            for (name, member) in members {
                var property = schema(member).objectValue ?? [:]
                if readOnly.contains(name) { property["readOnly"] = .bool(true) }
                properties[name] = .object(property)
            }
            return .object(["type": .string("object"), "properties": .object(properties),
                            "required": .array(required.sorted().map { .string($0) }), "additionalProperties": .bool(false)])
        case .map(let inner): return .object(["type": .string("object"), "additionalProperties": schema(inner)])
        case .array(let inner): return .object(["type": .string("array"), "items": schema(inner)])
        case .nullable(let inner):
            var members = schema(inner).objectValue ?? [:]
            if case .string(let type)? = members["type"] { members["type"] = .array([.string(type), .string("null")]) }
            return .object(members)
        }
    }
}
