import Commerce
import Catalog
import Channels
import Customers
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
        /// Whether the body must be sent (`false`: it may be left out).
        public var bodyRequired: Bool = true
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
        (ShippingMethod.collection, ShippingMethod.kind, ShippingMethod.schema, "catalog:read", "settings:write"),
        (TaxRate.collection, TaxRate.kind, TaxRate.schema, "catalog:read", "settings:write"),
        (Promotion.collection, Promotion.kind, Promotion.schema, "catalog:read", "settings:write"),
        (PriceList.collection, PriceList.kind, PriceList.schema, "catalog:read", "settings:write"),
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
            Operation(method: "GET", path: "/store/v1/products/{key}", summary: "A published product by ID or slug, localized (ETag, If-None-Match → 304); prices for a guest buying one unit, with compare_at and tiers, or for the customer group of X-Customer-Token",
                      scope: "publishable key", body: nil, status: 200, tag: "store"),
            Operation(method: "GET", path: "/store/v1/categories", summary: "The localized category tree with product counts",
                      scope: "publishable key", body: nil, status: 200, tag: "store"),
        ]
        result += customerOperations
        result += commerceOperations
        result += WebhookController.operations
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

    /// The customer routes: the storefront's (a session in `X-Customer-Token`) and the admin's.
    private static let customerOperations: [Operation] = [
        Operation(method: "POST", path: "/store/v1/customers", summary: "Register a customer (Idempotency-Key accepted); 409 `email_taken`",
                  scope: "publishable key", body: CustomerRules.registerSchema, status: 201, tag: "customers"),
        Operation(method: "POST", path: "/store/v1/customers/login",
                  summary: "Log in: {token, expires_at, customer}; the token (cs_…, 30 days) works on this key's channel only; 401 `invalid_credentials`",
                  scope: "publishable key", body: CustomerRules.loginSchema, status: 200, tag: "customers"),
        Operation(method: "POST", path: "/store/v1/customers/logout", summary: "End the session of X-Customer-Token",
                  scope: "publishable key", body: nil, status: 204, tag: "customers"),
        Operation(method: "GET", path: "/store/v1/customers/me", summary: "The logged-in customer (X-Customer-Token)",
                  scope: "publishable key", body: nil, status: 200, tag: "customers"),
        Operation(method: "PATCH", path: "/store/v1/customers/me", summary: "Change e-mail, names or phone with a JSON merge patch (If-Match: version)",
                  scope: "publishable key", body: CustomerRules.profileSchema, status: 200, tag: "customers"),
        Operation(method: "POST", path: "/store/v1/customers/me/addresses", summary: "Add an address; answers the customer",
                  scope: "publishable key", body: CustomerRules.addressSchema, status: 201, tag: "customers"),
        Operation(method: "PATCH", path: "/store/v1/customers/me/addresses/{id}", summary: "Change an address with a JSON merge patch",
                  scope: "publishable key", body: mergePatch(CustomerRules.addressSchema), status: 200, tag: "customers"),
        Operation(method: "DELETE", path: "/store/v1/customers/me/addresses/{id}", summary: "Remove an address; answers the customer",
                  scope: "publishable key", body: nil, status: 200, tag: "customers"),
        Operation(method: "GET", path: "/admin/v1/customers", summary: "List customers (cursor pagination); q matches the e-mail",
                  scope: "customers:read", body: nil, status: 200, tag: "customers"),
        Operation(method: "GET", path: "/admin/v1/customers/{id}", summary: "Read a customer (never a password hash)",
                  scope: "customers:read", body: nil, status: 200, tag: "customers"),
        Operation(method: "PATCH", path: "/admin/v1/customers/{id}", summary: "Set a customer's group with a JSON merge patch (If-Match: version)",
                  scope: "customers:write", body: CustomerRules.adminPatchSchema, status: 200, tag: "customers"),
    ]

    private static let lineBody: FieldSchema = .object(["variant_id": .string(), "quantity": .integer], required: ["variant_id"])
    private static let cartBody: FieldSchema = .object(
        ["email": .string(), "shipping_address": Address.schema, "billing_address": Address.schema, "shipping_method": .string(), "version": .integer],
        required: [])
    private static let completeBody: FieldSchema = .object(
        ["payment": .object(["provider": .string(), "card_number": .string(), "type": .string()], required: ["provider"])], required: ["payment"])

    /// Carts, checkout and orders.
    private static let commerceOperations: [Operation] = [
        Operation(method: "POST", path: "/store/v1/carts", summary: "Create a cart (optional currency and email; X-Customer-Token ties it to the customer)",
                  scope: "publishable key", body: .object(["currency": .string(), "email": .string()], required: []), status: 201, tag: "carts"),
        Operation(method: "GET", path: "/store/v1/carts/{cart}", summary: "A cart with lines and totals (minor units, computed on the server)",
                  scope: "publishable key", body: nil, status: 200, tag: "carts"),
        Operation(method: "PATCH", path: "/store/v1/carts/{cart}", summary: "Set email, addresses or the shipping method (If-Match: version)",
                  scope: "publishable key", body: cartBody, status: 200, tag: "carts"),
        Operation(method: "POST", path: "/store/v1/carts/{cart}/lines", summary: "Add units of a published variant at the price the storefront shows",
                  scope: "publishable key", body: lineBody, status: 200, tag: "carts"),
        Operation(method: "PATCH", path: "/store/v1/carts/{cart}/lines/{line}", summary: "Set a line's quantity",
                  scope: "publishable key", body: .object(["quantity": .integer], required: ["quantity"]), status: 200, tag: "carts"),
        Operation(method: "DELETE", path: "/store/v1/carts/{cart}/lines/{line}", summary: "Remove a line",
                  scope: "publishable key", body: nil, status: 200, tag: "carts"),
        Operation(method: "POST", path: "/store/v1/carts/{cart}/promotions",
                  summary: "Apply a promotion code; 422 with the reason (promotion_not_found, promotion_expired, minimum_not_met, usage_limit_reached, not_applicable…)",
                  scope: "publishable key", body: .object(["code": .string()], required: ["code"]), status: 200, tag: "carts"),
        Operation(method: "DELETE", path: "/store/v1/carts/{cart}/promotions/{code}", summary: "Remove a promotion code",
                  scope: "publishable key", body: nil, status: 200, tag: "carts"),
        Operation(method: "GET", path: "/store/v1/carts/{cart}/shipping-methods", summary: "Shipping methods for the cart's address, priced, cheapest first",
                  scope: "publishable key", body: nil, status: 200, tag: "carts"),
        Operation(method: "POST", path: "/store/v1/carts/{cart}/checkout", summary: "Hold the cart's stock for 15 minutes; 409 `insufficient_stock`",
                  scope: "publishable key", body: nil, status: 200, tag: "carts"),
        Operation(method: "POST", path: "/store/v1/carts/{cart}/complete",
                  summary: "Pay and place the order (Idempotency-Key); 201 the order, 200 the order placed before, 409 `insufficient_stock` or `checkout_in_progress`, 402 declined",
                  scope: "publishable key", body: completeBody, status: 201, tag: "carts"),
        Operation(method: "GET", path: "/store/v1/customers/me/orders", summary: "The logged-in customer's orders",
                  scope: "publishable key", body: nil, status: 200, tag: "orders"),
        Operation(method: "GET", path: "/admin/v1/orders", summary: "List orders (cursor pagination); filter with status, customer",
                  scope: "orders:read", body: nil, status: 200, tag: "orders"),
        Operation(method: "GET", path: "/admin/v1/orders/{key}", summary: "Read an order", scope: "orders:read", body: nil, status: 200, tag: "orders"),
        Operation(method: "POST", path: "/admin/v1/orders/{key}/transitions",
                  summary: "Move an order: confirm (captures), fulfill, fulfill_partially, ship, deliver, cancel (restocks), return, refund, refund_partially (amount); 409 `illegal_transition`",
                  scope: "orders:write", body: .object(["event": .string(), "note": .string(), "amount": .integer], required: ["event"]), status: 200, tag: "orders"),
        Operation(method: "GET", path: "/admin/v1/events",
                  summary: "The outbox: every event in sequence order. JSON pages with after (a sequence number), limit and types; or, with Accept: text/event-stream, a live stream resumable with Last-Event-ID",
                  scope: "events:read", body: nil, status: 200, tag: "events"),
        Operation(method: "GET", path: "/store/v1/events",
                  summary: "The channel's live feed (text/event-stream): product.published, product.unpublished, price.changed, stock.changed of its products; id is the sequence number, Last-Event-ID (or last_event_id) resumes, heartbeats every 15 s; ?key=pk_… for EventSource",
                  scope: "publishable key", body: nil, status: 200, tag: "events"),
    ]

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
                if operation.path.hasSuffix("/deliveries") {
                    queryParameters.append(.object(["name": .string("status"), "in": .string("query"), "schema": .object(["type": .string("string")])]))
                }
                if operation.path == "/admin/v1/customers" {
                    queryParameters.append(.object(["name": .string("q"), "in": .string("query"), "schema": .object(["type": .string("string")])]))
                }
                if operation.path == "/admin/v1/products" {
                    queryParameters += ["q", "product_type", "category"].map { name in
                        .object(["name": .string(name), "in": .string("query"), "schema": .object(["type": .string("string")])])
                    }
                }
            }
            if operation.path.hasPrefix("/store/v1/customers/me") || operation.path == "/store/v1/customers/logout" {
                queryParameters.append(.object(["name": .string("X-Customer-Token"), "in": .string("header"), "required": .bool(true),
                                                "schema": .object(["type": .string("string")])]))
            }
            if !(parameters + queryParameters).isEmpty { members["parameters"] = .array(parameters + queryParameters) }
            if let scope = operation.scope {
                members["security"] = .array([.object(["bearer": .array(scope.contains(":") ? [.string(scope)] : [])])])
                members["description"] = .string(scope.contains(":") ? "Requires the `\(scope)` scope." : "Requires a publishable key (pk_…) bound to a channel.")
            }
            if let body = operation.body {
                members["requestBody"] = .object(["required": .bool(operation.bodyRequired), "content": .object([
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
