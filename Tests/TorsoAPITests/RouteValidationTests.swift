import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit

/// One request that every admin route taking input must refuse with 422 and field pointers.
struct InvalidRequest: Sendable, CustomTestStringConvertible {
    let method: HTTPRequest.Method
    /// Path template; `{key}` / `{id}` are filled with the seeded resource.
    let template: String
    let body: String?
    let expected: [FieldErrorExpectation]
    /// The problem's code.
    var code = "validation_failed"

    var testDescription: String { "\(method.rawValue) \(template)" }
    var collection: String { template.split(separator: "/")[2].split(separator: "?")[0].description }

    init(_ method: HTTPRequest.Method, _ template: String, _ expected: [FieldErrorExpectation]) {
        self.init(method, template, nil, expected)
    }

    init(_ method: HTTPRequest.Method, _ template: String, _ body: String?, _ expected: [FieldErrorExpectation], code: String) {
        self.init(method, template, body, expected)
        self.code = code
    }

    init(_ method: HTTPRequest.Method, _ template: String, _ body: String?, _ expected: [FieldErrorExpectation]) {
        self.method = method
        self.template = template
        self.body = body
        self.expected = expected
    }

    static let all: [InvalidRequest] = [
        // Lists: limit and cursor are checked.
        InvalidRequest(.get, "/admin/v1/locales?limit=0", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/channels?limit=201", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/stock-locations?limit=ten", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/attributes?cursor=!!not-a-cursor!!", [.init("/query/cursor", "invalid_cursor")]),
        InvalidRequest(.get, "/admin/v1/product-types?limit=-1", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/events?after=-1",
                       [.init("/query/after", "invalid_value")]),
        InvalidRequest(.get, "/admin/v1/categories?cursor=***", [.init("/query/cursor", "invalid_cursor")]),
        InvalidRequest(.get, "/admin/v1/products?limit=500", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/keys?limit=0", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/customers?cursor=***", [.init("/query/cursor", "invalid_cursor")]),
        InvalidRequest(.get, "/admin/v1/products/{key}/history?limit=0", [.init("/query/limit", "out_of_range")]),
        // Creates.
        InvalidRequest(.post, "/admin/v1/locales", #"{"code":"fr-FR","nmae":"Français"}"#,
                       [.init("/nmae", "unknown_field"), .init("/name", "required")]),
        InvalidRequest(.post, "/admin/v1/channels", #"{"code":"app","name":"App","locales":["fr-FR"],"default_locale":"en-US","currencies":["EUR"]}"#,
                       [.init("/locales/0", "unknown_locale"), .init("/default_locale", "locale_not_in_channel")]),
        InvalidRequest(.post, "/admin/v1/stock-locations", #"{"code":"Bad Code","name":"Somewhere"}"#, [.init("/code", "invalid_code")]),
        InvalidRequest(.post, "/admin/v1/attributes", #"{"code":"fabric","type":"text","options":[{"code":"linen"}]}"#,
                       [.init("/options", "not_allowed")]),
        InvalidRequest(.post, "/admin/v1/product-types", #"{"code":"mug","attributes":["name","nope"]}"#,
                       [.init("/attributes/1", "unknown_attribute")]),
        InvalidRequest(.post, "/admin/v1/categories", #"{"names":{"en-US":"Shoes"},"position":"first"}"#,
                       [.init("/position", "invalid_type"), .init("/slug", "required")]),
        InvalidRequest(.post, "/admin/v1/products",
                       try! productJSON("bad").setting("/values/rating", to: .array([.object(["data": .string("five")])])).text,
                       [.init("/values/rating/0/data", "invalid_type")]),
        InvalidRequest(.post, "/admin/v1/keys", #"{"name":"ci","scopes":["catalog:rede"]}"#, [.init("/scopes", "unknown_scope")]),
        InvalidRequest(.post, "/admin/v1/products/{key}/publish", #"{"channels":["voice","moon"]}"#, [.init("/channels/1", "unknown_channel")]),
        InvalidRequest(.post, "/admin/v1/products/{key}/publish", #"{"channels":["web"]}"#, [.init("/channels/0", "incomplete")], code: "incomplete"),
        InvalidRequest(.post, "/admin/v1/products/{key}/unpublish", #"{"channels":[],"at":5}"#, [.init("/at", "unknown_field")]),
        // Merge patches.
        InvalidRequest(.patch, "/admin/v1/locales/{key}", #"{"code":"en-GB"}"#, [.init("/code", "immutable_field")]),
        InvalidRequest(.patch, "/admin/v1/channels/{key}", #"{"default_locale":"fr-FR"}"#, [.init("/default_locale", "locale_not_in_channel")]),
        InvalidRequest(.patch, "/admin/v1/stock-locations/{key}", #"{"name":"  "}"#, [.init("/name", "required")]),
        InvalidRequest(.patch, "/admin/v1/attributes/{key}", #"{"type":"text"}"#, [.init("/type", "immutable_field")]),
        InvalidRequest(.patch, "/admin/v1/product-types/{key}", #"{"variant_axes":["name"]}"#, [.init("/variant_axes/0", "invalid_axis")]),
        InvalidRequest(.patch, "/admin/v1/categories/{key}", #"{"parent_id":"{key}"}"#, [.init("/parent_id", "cycle")]),
        InvalidRequest(.patch, "/admin/v1/products/{key}", #"{"values":{"rating":[{"data":9}]},"colour":"red"}"#,
                       [.init("/colour", "unknown_field")]),
        InvalidRequest(.patch, "/admin/v1/products/{key}", #"{"values":{"rating":[{"data":9}]}}"#,
                       [.init("/values/rating/0/data", "out_of_range")]),
        InvalidRequest(.patch, "/admin/v1/customers/{id}", #"{"group":"Gold Members","email":"x@example.com"}"#,
                       [.init("/group", "invalid_code"), .init("/email", "unknown_field")]),
        // Commerce settings and orders.
        InvalidRequest(.get, "/admin/v1/shipping-methods?limit=0", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.post, "/admin/v1/shipping-methods", #"{"code":"x","zones":[{"countries":["Germany"]}],"rate":{"type":"flat","amount":-5},"currency":"EUR"}"#,
                       [.init("/zones/0/countries", "invalid_country"), .init("/rate/amount", "invalid_amount")]),
        InvalidRequest(.patch, "/admin/v1/shipping-methods/{key}", #"{"free_above":-1}"#, [.init("/free_above", "invalid_amount")]),
        InvalidRequest(.get, "/admin/v1/tax-rates?cursor=***", [.init("/query/cursor", "invalid_cursor")]),
        InvalidRequest(.post, "/admin/v1/tax-rates", #"{"code":"x","country":"de","tax_class":"standard","rate_basis_points":20000}"#,
                       [.init("/country", "invalid_country"), .init("/rate_basis_points", "out_of_range")]),
        InvalidRequest(.patch, "/admin/v1/tax-rates/{key}", #"{"rate_basis_points":-1}"#, [.init("/rate_basis_points", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/orders?status=lost", [.init("/query/status", "invalid_value")]),
        // The inventory: filters are checked, and a batch is refused whole with a pointer per bad row.
        InvalidRequest(.get, "/admin/v1/inventory?below=none&colour=red",
                       [.init("/query/below", "invalid_value"), .init("/query/colour", "unknown_parameter")]),
        InvalidRequest(.get, "/admin/v1/inventory/adjustments?limit=0", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.post, "/admin/v1/inventory/adjustments",
                       #"{"reason":"count","rows":[{"sku":"SKU-seed-0","location":"berlin","set":-1},{"sku":"NOPE","location":"berlin","set":1},{"sku":"SKU-seed-0","location":"moon","delta":1},{"sku":"SKU-seed-0","location":"berlin","delta":-99}]}"#,
                       [.init("/rows/0/set", "negative_stock"), .init("/rows/1/sku", "unknown_sku"), .init("/rows/2/location", "unknown_location"),
                        .init("/rows/3/delta", "negative_stock")]),
        InvalidRequest(.get, "/admin/v1/promotions?limit=0", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/audit?limit=0", [.init("/query/limit", "out_of_range")]),
        // Imports and exports: their options are checked before anything is read or written.
        InvalidRequest(.post, "/admin/v1/imports?mode=replace&max_errors=0&colour=red", "sku\nX\n",
                       [.init("/query/mode", "invalid_value"), .init("/query/max_errors", "out_of_range"), .init("/query/colour", "unknown_parameter")]),
        InvalidRequest(.get, "/admin/v1/imports?limit=0", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/imports/{id}?colour=red", [.init("/query/colour", "unknown_parameter")]),
        InvalidRequest(.get, "/admin/v1/imports/{id}/errors?format=xml", [.init("/query/format", "invalid_value")]),
        InvalidRequest(.post, "/admin/v1/imports/{id}/cancel?colour=red", [.init("/query/colour", "unknown_parameter")]),
        InvalidRequest(.get, "/admin/v1/exports/products?format=xml&channel=moon&updated_since=yesterday",
                       [.init("/query/format", "invalid_value"), .init("/query/updated_since", "invalid_date")]),
        InvalidRequest(.post, "/admin/v1/promotions", #"{"id":"big","code":"SUMMER10","name":"Big","kind":{"type":"percentage","basis_points":20000},"usage_limit":0}"#,
                       [.init("/kind/basis_points", "out_of_range"), .init("/usage_limit", "out_of_range")]),
        InvalidRequest(.patch, "/admin/v1/promotions/{key}", #"{"kind":{"type":"percentage","basis_points":0},"ends_at":"2020-01-01T00:00:00Z","starts_at":"2021-01-01T00:00:00Z"}"#,
                       [.init("/kind/basis_points", "out_of_range"), .init("/ends_at", "invalid_range")]),
        InvalidRequest(.post, "/admin/v1/orders/{key}/transitions", #"{"event":"teleport"}"#, [.init("/event", "invalid_value")]),
        // Webhooks.
        InvalidRequest(.get, "/admin/v1/webhooks?limit=0", [.init("/query/limit", "out_of_range")]),
        InvalidRequest(.post, "/admin/v1/webhooks", #"{"url":"ftp://hooks.example.com/x","events":["order.shipped","*"],"channels":["web","moon"]}"#,
                       [.init("/url", "invalid_url"), .init("/events/0", "unknown_event_type"), .init("/channels/1", "unknown_channel")]),
        InvalidRequest(.post, "/admin/v1/webhooks", #"{"url":"http://127.0.0.1:8080/hook","events":[]}"#,
                       [.init("/url", "private_address"), .init("/events", "required")]),
        InvalidRequest(.patch, "/admin/v1/webhooks/{id}", #"{"url":"http://localhost:9000/hook","events":["*","nope"]}"#,
                       [.init("/url", "private_address"), .init("/events/1", "unknown_event_type")]),
        InvalidRequest(.post, "/admin/v1/webhooks/{id}/rotate-secret", #"{"keep_previous_for":-1}"#, [.init("/keep_previous_for", "out_of_range")]),
        InvalidRequest(.get, "/admin/v1/webhooks/{id}/deliveries?status=lost", [.init("/query/status", "invalid_value")]),
        InvalidRequest(.post, "/admin/v1/webhooks/{id}/deliveries/{delivery}/redeliver", #"{"force":true}"#, [.init("/force", "unknown_field")]),
        InvalidRequest(.get, "/admin/v1/price-lists?cursor=***", [.init("/query/cursor", "invalid_cursor")]),
        InvalidRequest(.post, "/admin/v1/price-lists",
                       #"{"code":"Bad Code","currency":"euro","type":"sale","starts_at":"2026-02-01T00:00:00Z","ends_at":"2026-01-01T00:00:00Z","prices":[{"amount":-1,"min_quantity":0}]}"#,
                       [.init("/code", "invalid_code"), .init("/currency", "invalid_currency"), .init("/ends_at", "invalid_range"),
                        .init("/prices/0", "variant_or_sku_required"), .init("/prices/0/amount", "invalid_amount"),
                        .init("/prices/0/min_quantity", "out_of_range")]),
        InvalidRequest(.patch, "/admin/v1/price-lists/{key}", #"{"channel":"moon","prices":[{"sku":"NOPE-1","amount":5}]}"#,
                       [.init("/channel", "unknown_channel"), .init("/prices/0/sku", "unknown_sku")]),
    ]
}

/// Every admin route that takes input refuses invalid input with 422, a stable code and JSON
/// pointers, and changes nothing; routes without input answer 404 for a resource that does not exist.
@Suite struct RouteValidationTests {
    @Test(arguments: InvalidRequest.all)
    func invalidInputIsRefusedWithPointers(request: InvalidRequest) async throws {
        try await withAPI { api in
            // Given
            let catalog = try await SeededCatalog.seed(api)
            let before = try await api.snapshot()
            // When
            let response = try await api.request(request.method, catalog.fill(request.template, request.collection),
                                                 body: request.body.map { catalog.fill($0, request.collection) })
            // Then
            expectValidation(response, request.expected, code: request.code, "\(request)")
            #expect(try await api.snapshot() == before, "a refused request changed something: \(request)")
        }
    }

    @Test func everyRouteTakingInputHasAnInvalidRequestCase() {
        // Given: the routes whose input can be invalid (query or body)
        let takingInput = AdminRoute.all.filter {
            !$0.hasKey || $0.method == .post || $0.method == .patch || $0.template.hasSuffix("/history")
        }.filter { !($0.method == .delete) }
        // When
        let covered = Set(InvalidRequest.all.map { "\($0.method.rawValue) \($0.template.split(separator: "?")[0])" })
        // Then
        for route in takingInput {
            #expect(covered.contains(route.testDescription), "no 422 case for \(route)")
        }
        #expect(takingInput.count == 56)
    }

    @Test(arguments: AdminRoute.all.filter { $0.hasKey })
    func keyedRoutesAnswer404ForAnUnknownResource(route: AdminRoute) async throws {
        try await withAPI { api in
            // Given
            _ = try await SeededCatalog.seed(api)
            let prefix = ["products": "prod_", "categories": "cat_", "keys": "key_", "webhooks": "wh_", "price-lists": "pl_"][route.collection]
            let missing = prefix.map { $0 + String(repeating: "0", count: 26) } ?? "nope"
            let path = route.template.replacingOccurrences(of: "{key}", with: missing).replacingOccurrences(of: "{id}", with: missing)
                .replacingOccurrences(of: "{delivery}", with: "whd_" + String(repeating: "0", count: 26))
            let before = try await api.snapshot()
            // When
            let response = try await api.request(route.method, path, body: route.validBody)
            // Then
            expectProblem(response, .notFound, "not_found", "\(route)")
            #expect(response.json["detail"]?.stringValue?.contains(missing) == true, "\(response.text)")
            #expect(try await api.snapshot() == before)
        }
    }

    /// JSON bodies (an import's body is a file, read in the background; its header is checked
    /// by `ImportTests`; a cancel takes no body).
    @Test(arguments: AdminRoute.all.filter { ($0.method == .post || $0.method == .patch) && $0.collection != "imports" })
    func bodiesOfTheWrongShapeAreNever500(route: AdminRoute) async throws {
        try await withAPI { api in
            // Given
            let catalog = try await SeededCatalog.seed(api)
            let bodies = ["[]", #""text""#, "42", "null", "true", #"{"values":"x","variants":{}}"#, #"{"name":null,"code":7}"#,
                          #"{"a":{"b":{"c":[1,2,{"d":null}]}}}"#]
            let before = try await api.snapshot()
            for body in bodies {
                // When
                let response = try await api.request(route.method, catalog.path(route), body: body)
                // Then
                #expect([400, 422].contains(response.status.code), "\(route) with \(body): \(response.status.code) \(response.text)")
                #expect(response.contentType == "application/problem+json", "\(route) with \(body)")
                #expect(!response.fieldErrors.isEmpty || response.status == .badRequest, "\(route) with \(body): \(response.text)")
            }
            #expect(try await api.snapshot() == before)
        }
    }
}
