import Access
import Events
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import TorsoApp
import TorsoHTTP
import TorsoKit
import TorsoTestSupport
import Workflows

// MARK: - Responses

/// A response read into memory, with its body parsed as JSON when it is JSON.
struct APIResponse: Sendable {
    /// The status.
    var status: HTTPResponse.Status
    /// The headers.
    var headers: HTTPFields
    /// The raw body.
    var body: Data
    /// The body as JSON; `.null` when it is not JSON.
    var json: JSONValue

    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The problem's `code`, if any.
    var code: String? { json["code"]?.stringValue }
    /// `errors[].pointer` of a problem.
    var pointers: [String] { (json["errors"]?.arrayValue ?? []).compactMap { $0["pointer"]?.stringValue } }
    /// `errors[]` of a problem as `(pointer, code)` pairs.
    var fieldErrors: [FieldErrorExpectation] {
        (json["errors"]?.arrayValue ?? []).compactMap { error in
            guard let pointer = error["pointer"]?.stringValue, let code = error["code"]?.stringValue else { return nil }
            return FieldErrorExpectation(pointer, code)
        }
    }
    /// The `data` array of a list.
    var data: [JSONValue] { json["data"]?.arrayValue ?? [] }
    /// The `next_cursor` of a list; `nil` when it is JSON null or missing.
    var nextCursor: String? { json["next_cursor"]?.stringValue }
    /// The `id` of a created resource.
    var id: String? { json["id"]?.stringValue }
    /// The `version` of a resource.
    var version: Int? { json["version"]?.numberValue.map { Int($0) } }
    /// The content type without parameters.
    var contentType: String? { headers[.contentType].map { String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces) } }
}

/// One expected field error of a validation problem.
struct FieldErrorExpectation: Hashable, Sendable, CustomStringConvertible {
    var pointer: String
    var code: String
    init(_ pointer: String, _ code: String) {
        self.pointer = pointer
        self.code = code
    }
    var description: String { "\(pointer) \(code)" }
}

extension JSONValue {
    /// A member of an object.
    subscript(key: String) -> JSONValue? { objectValue?[key] }
    /// An element of an array.
    subscript(index: Int) -> JSONValue? {
        guard let elements = arrayValue, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// Parses JSON text; fails the test when it is not JSON.
    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The value with the member or element at `pointer` (RFC 6901, no escapes) set to `value`;
    /// `nil` removes an object member.
    func setting(_ pointer: String, to value: JSONValue?) -> JSONValue {
        let parts = pointer.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return Self.set(self, parts[...], value)
    }

    private static func set(_ node: JSONValue, _ parts: ArraySlice<String>, _ value: JSONValue?) -> JSONValue {
        guard let head = parts.first else { return value ?? .null }
        switch node {
        case .array(var elements):
            let index = Int(head)!
            if parts.count == 1, value == nil {
                elements.remove(at: index)
            } else if index == elements.count {
                elements.append(set(.null, parts.dropFirst(), value))
            } else {
                elements[index] = set(elements[index], parts.dropFirst(), value)
            }
            return .array(elements)
        default:
            var members = node.objectValue ?? [:]
            if parts.count == 1, value == nil {
                members.removeValue(forKey: head)
            } else {
                members[head] = set(members[head] ?? .null, parts.dropFirst(), value)
            }
            return .object(members)
        }
    }

    /// The JSON text.
    var text: String { String(decoding: (try? JSONCoding.encoder().encode(self)) ?? Data(), as: UTF8.self) }
}

// MARK: - The API under test

/// The credential a request carries.
enum Credential: Sendable {
    /// The suite's all-scopes admin key.
    case admin
    /// No `Authorization` header.
    case none
    /// `Authorization: Bearer <secret>`.
    case bearer(String)
    /// A raw `Authorization` header.
    case header(String)
}

/// The cart tokens a test's heads were given, as a head keeps them: the token a cart was created
/// (or claimed) with is sent on that cart's routes, and an order's cart token reads the order.
final class CartTokenJar: Sendable {
    private let tokens = Mutex<[String: String]>([:])

    /// The token for a cart or an order ID.
    subscript(id: String) -> String? { tokens.withLock { $0[id] } }

    /// Keeps a token for an ID.
    func keep(_ token: String, for id: String) { tokens.withLock { $0[id] = token } }

    /// The cart or order ID a store path names (`/store/v1/carts/{id}/…`, `/store/v1/orders/{id}`).
    static func subject(of uri: String) -> String? {
        let parts = uri.split(separator: "?")[0].split(separator: "/")
        guard parts.count >= 4, parts[0] == "store", ["carts", "orders"].contains(parts[2]) else { return nil }
        return String(parts[3])
    }
}

/// The application under test, in process, over a fresh database, with an admin key holding every scope.
struct TestAPI: Sendable {
    let client: any TestClientProtocol
    let services: TorsoServices
    /// The secret of a key with every scope, named `admin`.
    let adminKey: String
    /// Cart tokens from created and claimed carts, sent on their routes unless a test sends its
    /// own `X-Cart-Token` or turns this off (``withoutCartTokens``).
    var cartTokens = CartTokenJar()
    var sendsCartTokens = true

    /// The same API, sending no cart token unless the test names one.
    var withoutCartTokens: TestAPI {
        var copy = self
        copy.sendsCartTokens = false
        return copy
    }

    /// Sends a request and reads the whole response.
    @discardableResult
    func request(_ method: HTTPRequest.Method, _ uri: String, as credential: Credential = .admin, body: String? = nil,
                 headers extra: HTTPFields = [:]) async throws -> APIResponse {
        var headers = extra
        let subject = CartTokenJar.subject(of: uri)
        if sendsCartTokens, headers[CartTokenHeader.name] == nil, let subject, let token = cartTokens[subject] {
            headers[CartTokenHeader.name] = token
        }
        switch credential {
        case .admin: headers[.authorization] = "Bearer \(adminKey)"
        case .none: break
        case .bearer(let secret): headers[.authorization] = "Bearer \(secret)"
        case .header(let value): headers[.authorization] = value
        }
        if body != nil, headers[.contentType] == nil {
            headers[.contentType] = method == .patch ? "application/merge-patch+json" : "application/json"
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers,
                                                body: body.map { ByteBuffer(string: $0) }) { response in
            let data = Data(buffer: response.body)
            return APIResponse(status: response.status, headers: response.headers, body: data,
                               json: (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null)
        }
        if method == .post, let token = response.json["token"]?.stringValue, token.hasPrefix("ct_"),
           let id = response.json["id"]?.stringValue {
            cartTokens.keep(token, for: id)
        }
        if method == .post, uri.hasSuffix("/complete"), let subject, let order = response.json["id"]?.stringValue,
           let token = headers[CartTokenHeader.name] {
            cartTokens.keep(token, for: order)
        }
        return response
    }

    /// `GET`.
    @discardableResult
    func get(_ uri: String, as credential: Credential = .admin, headers: HTTPFields = [:]) async throws -> APIResponse {
        try await request(.get, uri, as: credential, headers: headers)
    }

    /// `POST` with a JSON body.
    @discardableResult
    func post(_ uri: String, _ body: String, as credential: Credential = .admin, headers: HTTPFields = [:]) async throws -> APIResponse {
        try await request(.post, uri, as: credential, body: body, headers: headers)
    }

    /// `PATCH` with a merge patch, optionally with `If-Match`.
    @discardableResult
    func patch(_ uri: String, _ body: String, ifMatch: String? = nil, as credential: Credential = .admin) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let ifMatch { headers[.ifMatch] = ifMatch }
        return try await request(.patch, uri, as: credential, body: body, headers: headers)
    }

    /// `DELETE`, optionally with `If-Match`.
    @discardableResult
    func delete(_ uri: String, ifMatch: String? = nil, as credential: Credential = .admin) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let ifMatch { headers[.ifMatch] = ifMatch }
        return try await request(.delete, uri, as: credential, headers: headers)
    }

    /// Creates a secret key through the service; returns its ID and secret.
    func makeKey(name: String = "test", scopes: Set<Scope> = Set(Scope.allCases)) async throws -> (id: String, secret: String) {
        let created = try await services.keys.create(name: name, kind: .secret, scopes: scopes, channel: nil)
        return (created.key.id.rawValue, created.secret)
    }

    /// Creates a publishable key for a channel; returns its secret.
    func makePublishableKey(channel: String = "web") async throws -> String {
        try await services.keys.create(name: "storefront", kind: .publishable, scopes: [], channel: channel).secret
    }

    /// Creates a product and returns the response, which must be a 201.
    @discardableResult
    func createProduct(_ body: String, as credential: Credential = .admin,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> APIResponse {
        let response = try await post("/admin/v1/products", body, as: credential)
        #expect(response.status == .created, "creating a product: \(response.text)", sourceLocation: sourceLocation)
        return response
    }

    /// Every product ID in the list, following the cursor.
    func allProductIDs(query: String = "", limit: Int = 200) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        repeat {
            var uri = "/admin/v1/products?limit=\(limit)" + (query.isEmpty ? "" : "&" + query)
            if let cursor { uri += "&cursor=\(cursor)" }
            let page = try await get(uri)
            guard page.status == .ok else {
                Issue.record("listing products: \(page.status) \(page.text)")
                return ids
            }
            ids += page.data.compactMap { $0["id"]?.stringValue }
            cursor = page.nextCursor
        } while cursor != nil
        return ids
    }

    /// Everything the admin API can list — every collection, every key, and the history of every
    /// product — so that a test can show a rejected request changed nothing.
    func snapshot() async throws -> [String: JSONValue] {
        var state: [String: JSONValue] = [:]
        for collection in AdminRoute.collections + ["keys", "customers", "webhooks"] {
            let page = try await get("/admin/v1/\(collection)?limit=200")
            #expect(page.status == .ok, "listing \(collection): \(page.text)")
            state[collection] = page.json
            if collection == "products" {
                for id in page.data.compactMap({ $0["id"]?.stringValue }) {
                    state["history " + id] = try await get("/admin/v1/products/\(id)/history?limit=200").json
                    state["publication " + id] = try await get("/admin/v1/products/\(id)/publication").json
                }
            }
            if collection == "webhooks" {
                for id in page.data.compactMap({ $0["id"]?.stringValue }) {
                    state["deliveries " + id] = try await get("/admin/v1/webhooks/\(id)/deliveries?limit=200").json
                }
            }
        }
        return state
    }
}

/// Limits how many databases the suite holds at once, so that a PostgreSQL server's connection
/// limit is not exhausted when swift-testing runs many tests in parallel.
actor DatabaseGate {
    static let shared = DatabaseGate(limit: TestDatabase.postgresServer == nil ? 8 : 4)

    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func enter() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// Runs `body` against the application built by `buildApplication`, in process, over a fresh
/// migrated database (SQLite in memory, or PostgreSQL with `TORSO_TEST_DATABASE`). With
/// `settings`, the fixture settings are loaded first (locales en-US and de-DE, channels web and
/// voice, stock location berlin, attributes and the `tshirt` type).
func withAPI(settings: Bool = true, adminName: String = "admin", metricsToken: String? = nil, rateLimits: RateLimits = .off,
             _ body: @escaping @Sendable (TestAPI) async throws -> Void) async throws {
    await DatabaseGate.shared.enter()
    do {
        try await TestDatabase.withServices { services in
            if settings { try await Fixtures.loadSettings(services) }
            let adminKey = try await Fixtures.key(services, name: adminName)
            var configuration = AppConfiguration(port: 0, database: .sqliteMemory, logLevel: .error)
            configuration.metricsToken = metricsToken
            configuration.rateLimits = rateLimits
            configuration.importsDirectory = TestDatabase.temporaryFile() + "-imports"
            let app = try await buildApplication(configuration, services: services)
            try await app.test(.router) { client in
                try await body(TestAPI(client: client, services: services, adminKey: adminKey))
            }
        }
    } catch {
        await DatabaseGate.shared.leave()
        throw error
    }
    await DatabaseGate.shared.leave()
}

// MARK: - Expectations

/// Expects an RFC 9457 problem with `status` and `code`.
func expectProblem(_ response: APIResponse, _ status: HTTPResponse.Status, _ code: String, _ comment: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) {
    let context = "\(comment) → \(response.status.code) \(response.text.prefix(600))"
    #expect(response.status == status, "\(context)", sourceLocation: sourceLocation)
    #expect(response.contentType == "application/problem+json", "\(context)", sourceLocation: sourceLocation)
    #expect(response.code == code, "\(context)", sourceLocation: sourceLocation)
    #expect(response.json["status"]?.numberValue == Double(status.code), "\(context)", sourceLocation: sourceLocation)
    #expect(response.json["type"]?.stringValue?.isEmpty == false, "\(context)", sourceLocation: sourceLocation)
    #expect(response.json["title"]?.stringValue?.isEmpty == false, "\(context)", sourceLocation: sourceLocation)
}

/// Expects a 422 `validation_failed` problem listing (at least) the given field errors.
func expectValidation(_ response: APIResponse, _ expected: [FieldErrorExpectation], exactly: Bool = false, code: String = "validation_failed",
                      _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    expectProblem(response, .unprocessableContent, code, comment, sourceLocation: sourceLocation)
    let actual = Set(response.fieldErrors)
    for error in expected {
        #expect(actual.contains(error), "\(comment): expected \(error) among \(response.fieldErrors)", sourceLocation: sourceLocation)
    }
    if exactly {
        #expect(actual == Set(expected), "\(comment): expected exactly \(expected), got \(response.fieldErrors)", sourceLocation: sourceLocation)
    }
}

/// The fixture product body (`Fixtures.productBody`) as JSON, to edit.
func productJSON(_ suffix: String, variants: Int = 3) throws -> JSONValue {
    try JSONValue.parse(Fixtures.productBody(suffix, variants: variants))
}

// MARK: - The admin routes

/// One admin route: its method, its path template and the scope it needs.
struct AdminRoute: Sendable, Hashable, CustomTestStringConvertible, CustomStringConvertible {
    let method: HTTPRequest.Method
    /// The path with `{key}` / `{id}` for the resource.
    let template: String
    /// The scope a key needs.
    let scope: Scope

    var testDescription: String { "\(method.rawValue) \(template)" }
    var description: String { testDescription }

    /// The collection segment (`products`, `keys`…).
    var collection: String { template.split(separator: "/")[2].description }
    /// Whether the route names one resource.
    var hasKey: Bool { template.contains("{") }

    /// The resource collections with generic CRUD routes.
    static let collections = ["locales", "channels", "stock-locations", "attributes", "product-types", "categories", "products",
                              "shipping-methods", "tax-rates", "promotions", "price-lists"]

    /// The scope that writes a collection.
    static func writeScope(_ collection: String) -> Scope {
        ["categories", "products"].contains(collection) ? .catalogWrite : .settingsWrite
    }

    /// Every admin route.
    static let all: [AdminRoute] = {
        var routes: [AdminRoute] = []
        for collection in collections {
            let base = "/admin/v1/\(collection)"
            routes += [
                AdminRoute(method: .get, template: base, scope: .catalogRead),
                AdminRoute(method: .post, template: base, scope: writeScope(collection)),
                AdminRoute(method: .get, template: base + "/{key}", scope: .catalogRead),
                AdminRoute(method: .patch, template: base + "/{key}", scope: writeScope(collection)),
                AdminRoute(method: .delete, template: base + "/{key}", scope: writeScope(collection)),
            ]
        }
        routes += [
            AdminRoute(method: .get, template: "/admin/v1/products/{key}/completeness", scope: .catalogRead),
            AdminRoute(method: .get, template: "/admin/v1/products/{key}/history", scope: .catalogRead),
            AdminRoute(method: .post, template: "/admin/v1/products/{key}/publish", scope: .catalogWrite),
            AdminRoute(method: .post, template: "/admin/v1/products/{key}/unpublish", scope: .catalogWrite),
            AdminRoute(method: .get, template: "/admin/v1/products/{key}/publication", scope: .catalogRead),
            AdminRoute(method: .get, template: "/admin/v1/keys", scope: .keysWrite),
            AdminRoute(method: .post, template: "/admin/v1/keys", scope: .keysWrite),
            AdminRoute(method: .delete, template: "/admin/v1/keys/{id}", scope: .keysWrite),
            AdminRoute(method: .get, template: "/admin/v1/customers", scope: .customersRead),
            AdminRoute(method: .get, template: "/admin/v1/customers/{id}", scope: .customersRead),
            AdminRoute(method: .patch, template: "/admin/v1/customers/{id}", scope: .customersWrite),
            AdminRoute(method: .get, template: "/admin/v1/orders", scope: .ordersRead),
            AdminRoute(method: .get, template: "/admin/v1/orders/{key}", scope: .ordersRead),
            AdminRoute(method: .post, template: "/admin/v1/orders/{key}/transitions", scope: .ordersWrite),
            AdminRoute(method: .get, template: "/admin/v1/webhooks", scope: .webhooksRead),
            AdminRoute(method: .post, template: "/admin/v1/webhooks", scope: .webhooksWrite),
            AdminRoute(method: .get, template: "/admin/v1/webhooks/{id}", scope: .webhooksRead),
            AdminRoute(method: .patch, template: "/admin/v1/webhooks/{id}", scope: .webhooksWrite),
            AdminRoute(method: .delete, template: "/admin/v1/webhooks/{id}", scope: .webhooksWrite),
            AdminRoute(method: .post, template: "/admin/v1/webhooks/{id}/rotate-secret", scope: .webhooksWrite),
            AdminRoute(method: .get, template: "/admin/v1/webhooks/{id}/deliveries", scope: .webhooksRead),
            AdminRoute(method: .get, template: "/admin/v1/webhooks/{id}/deliveries/{delivery}", scope: .webhooksRead),
            AdminRoute(method: .post, template: "/admin/v1/webhooks/{id}/deliveries/{delivery}/redeliver", scope: .webhooksWrite),
            AdminRoute(method: .get, template: "/admin/v1/events", scope: .eventsRead),
            AdminRoute(method: .get, template: "/admin/v1/audit", scope: .auditRead),
            AdminRoute(method: .get, template: "/admin/v1/inventory", scope: .inventoryRead),
            AdminRoute(method: .get, template: "/admin/v1/inventory/adjustments", scope: .inventoryRead),
            AdminRoute(method: .post, template: "/admin/v1/inventory/adjustments", scope: .inventoryWrite),
            AdminRoute(method: .post, template: "/admin/v1/imports", scope: .catalogWrite),
            AdminRoute(method: .get, template: "/admin/v1/imports", scope: .catalogRead),
            AdminRoute(method: .get, template: "/admin/v1/imports/{id}", scope: .catalogRead),
            AdminRoute(method: .get, template: "/admin/v1/imports/{id}/errors", scope: .catalogRead),
            AdminRoute(method: .post, template: "/admin/v1/imports/{id}/cancel", scope: .catalogWrite),
            AdminRoute(method: .get, template: "/admin/v1/exports/products", scope: .catalogRead),
        ]
        return routes
    }()

    /// PATCH and DELETE of the versioned resources.
    static let versioned: [AdminRoute] = all.filter { ($0.method == .patch || $0.method == .delete) && $0.collection != "keys" }

    /// Whether the route is a POST that creates a resource (and answers 201).
    var creates: Bool { method == .post && !hasKey }

    /// A body that would succeed on this route with a key holding the scope.
    var validBody: String? {
        if template.hasSuffix("/publish") || template.hasSuffix("/unpublish") { return #"{"channels":["voice"]}"# }
        if template.hasSuffix("/rotate-secret") { return #"{"keep_previous_for":3600}"# }
        if template.hasSuffix("/redeliver") { return "{}" }
        if template == "/admin/v1/imports" && method == .post { return "sku,price-EUR\nSKU-seed-0,12.50\n" }
        if template.hasSuffix("/inventory/adjustments") && method == .post {
            return #"{"reason":"stock_take","rows":[{"sku":"SKU-seed-0","location":"berlin","set":4}]}"#
        }
        return switch (method, collection) {
        case (.post, "locales"): #"{"code":"fr-FR","name":"Français"}"#
        case (.post, "channels"): #"{"code":"app","name":"App","locales":["en-US"],"default_locale":"en-US","currencies":["EUR"]}"#
        case (.post, "stock-locations"): #"{"code":"newark","name":"Newark"}"#
        case (.post, "attributes"): #"{"code":"fabric","type":"text"}"#
        case (.post, "product-types"): #"{"code":"mug","attributes":["name"]}"#
        case (.post, "categories"): #"{"names":{"en-US":"Shoes"},"slug":{"en-US":"shoes"}}"#
        case (.post, "products"): Fixtures.productBody("new")
        case (.post, "keys"): #"{"name":"new","scopes":["keys:write"]}"#
        case (.patch, "locales"): #"{"name":"English (US)"}"#
        case (.patch, "channels"): #"{"name":"Web shop"}"#
        case (.patch, "stock-locations"): #"{"name":"Berlin DC"}"#
        case (.patch, "attributes"): #"{"labels":{"en-US":"Rating"}}"#
        case (.patch, "product-types"): #"{"labels":{"en-US":"T-shirt"}}"#
        case (.patch, "categories"): #"{"position":3}"#
        case (.patch, "products"): #"{"values":{"rating":[{"data":4}]}}"#
        case (.patch, "customers"): #"{"group":"vip"}"#
        case (.post, "shipping-methods"): #"{"code":"express","zones":[{"countries":["DE","AT"]}],"rate":{"type":"flat","amount":990},"currency":"EUR"}"#
        case (.patch, "shipping-methods"): #"{"free_above":5000}"#
        case (.post, "tax-rates"): #"{"code":"at-standard","country":"AT","tax_class":"standard","rate_basis_points":2000}"#
        case (.patch, "tax-rates"): #"{"rate_basis_points":1900}"#
        case (.post, "orders"): #"{"event":"confirm"}"#
        case (.post, "promotions"): #"{"id":"winter","code":"WINTER5","name":"Winter","kind":{"type":"fixed","amount":500,"currency":"EUR"}}"#
        case (.patch, "promotions"): #"{"usage_limit":100}"#
        case (.post, "webhooks"): #"{"url":"https://hooks.example.com/orders","events":["order.placed"],"channels":["web"]}"#
        case (.patch, "webhooks"): #"{"description":"Orders feed"}"#
        case (.post, "price-lists"): #"{"code":"winter","currency":"EUR","type":"sale","ends_at":"2099-01-01T00:00:00Z"}"#
        case (.patch, "price-lists"): #"{"priority":5}"#
        default: nil
        }
    }
}

/// A catalog to aim every route at: the fixture settings, a category, a product and a spare key.
struct SeededCatalog: Sendable {
    /// The key (code or ID) of an existing resource per collection.
    let keys: [String: String]
    /// The spare key's ID.
    let spareKeyId: String

    /// Seeds the catalog through the API.
    static func seed(_ api: TestAPI) async throws -> SeededCatalog {
        let category = try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Apparel"},"slug":{"en-US":"apparel"}}"#)
        #expect(category.status == .created, "\(category.text)")
        // complete for the voice channel (name and tagline in en-US), so that it can be published there
        let product = try await api.createProduct(try productJSON("seed").setting("/values/tagline", to: .array([
            .object(["locale": .string("en-US"), "channel": .string("voice"), "data": .string("Soft.")]),
        ])).text)
        let spare = try await api.makeKey(name: "spare", scopes: [.keysWrite])
        let importFile = TestDatabase.temporaryFile()
        // An import that changes nothing (its one row names no product) but leaves an error report.
        try Data("sku,price-EUR\nNOPE,1.00\n".utf8).write(to: URL(fileURLWithPath: importFile))
        let job = try await api.services.imports.start(.init(format: .csv, mode: .update), path: importFile, fileName: "seed.csv",
                                                       context: WriteContext(actor: .init(keyId: "seed", name: "seed")))
        await api.services.imports.wait(job.id.rawValue)
        let shipping = try await api.post("/admin/v1/shipping-methods",
                                          #"{"code":"standard","zones":[{"countries":["DE"]}],"rate":{"type":"flat","amount":495},"currency":"EUR"}"#)
        #expect(shipping.status == .created, "\(shipping.text)")
        let tax = try await api.post("/admin/v1/tax-rates", #"{"code":"de-standard","country":"DE","tax_class":"standard","rate_basis_points":1900}"#)
        #expect(tax.status == .created, "\(tax.text)")
        let promotion = try await api.post("/admin/v1/promotions",
                                           #"{"id":"summer","code":"SUMMER10","name":"Summer","kind":{"type":"percentage","basis_points":1000}}"#)
        #expect(promotion.status == .created, "\(promotion.text)")
        let priceList = try await api.post("/admin/v1/price-lists",
                                           #"{"code":"seed-sale","currency":"EUR","type":"sale","prices":[{"sku":"SKU-seed-0","amount":1500}]}"#)
        #expect(priceList.status == .created, "\(priceList.text)")
        let customer = try await api.services.customers.register(.init(email: "seed@example.com", password: "seed password"))
        // A disabled webhook (so no sender touches it) with one delivery of the last event.
        let webhook = try await api.post("/admin/v1/webhooks", #"{"url":"https://hooks.example.com/torso","events":["*"],"enabled":false}"#)
        #expect(webhook.status == .created, "\(webhook.text)")
        let webhookId = try #require(webhook.id)
        let deliveryId = try await api.services.store.transaction { tx in
            let now = Timestamp.string(Date())
            let delivery = WebhookDelivery(webhookId: ID(rawValue: webhookId), eventSeq: try await tx.outbox.lastEventSeq(), nextAttemptAt: now,
                                           createdAt: now, updatedAt: now)
            try await tx.deliveries.insertWebhookDeliveries([delivery])
            return delivery.id.rawValue
        }
        return SeededCatalog(
            keys: ["locales": "en-US", "channels": "web", "stock-locations": "berlin", "attributes": "rating",
                   "product-types": "tshirt", "categories": try #require(category.id), "products": try #require(product.id),
                   "customers": customer.id.rawValue, "shipping-methods": "standard", "tax-rates": "de-standard", "promotions": "summer",
                   "price-lists": try #require(priceList.id),
                   "orders": "ord_01M8DZ22H6KQ5WYCN95QHAYP65", "webhooks": webhookId, "deliveries": deliveryId, "imports": job.id.rawValue],
            spareKeyId: spare.id)
    }

    /// The route's path aimed at the seeded resource.
    func path(_ route: AdminRoute) -> String {
        fill(route.template, route.collection)
    }

    /// `{key}` and `{id}` in `text` replaced by the seeded resource of `collection`.
    func fill(_ text: String, _ collection: String) -> String {
        text.replacingOccurrences(of: "{key}", with: keys[collection] ?? "")
            .replacingOccurrences(of: "{id}", with: keys[collection] ?? spareKeyId)
            .replacingOccurrences(of: "{delivery}", with: keys["deliveries"] ?? "")
    }
}
