import Foundation
import Hummingbird
import Publishing
import TorsoKit
import Workflows

/// `/store/v1`: what a head reads, straight from its channel's in-memory snapshot. A detail body
/// is encoded on its first read and kept with the snapshot, so a read is a lookup and a write of bytes; `ETag` and
/// `If-None-Match` let heads and CDNs skip even that. A detail read with a customer's session
/// (`X-Customer-Token`) is priced for the customer's group when the group has price lists.
public struct StoreController: Sendable {
    let catalog: StorefrontCatalog
    let customers: CustomerService?

    /// Creates the controller; without `customers`, customer tokens are ignored.
    public init(catalog: StorefrontCatalog, customers: CustomerService? = nil) {
        self.catalog = catalog
        self.customers = customers
    }

    /// How long heads and CDNs may reuse an answer before revalidating.
    static let cacheControl = "public, max-age=5, stale-while-revalidate=30"

    /// Adds the routes to a group at `/store/v1`.
    public func addRoutes<Methods: RouterMethods<StoreRequestContext>>(to routes: APIRoutes<Methods>) {
        let locale = APIOperation.Parameter.query("locale", .string(), "A locale of the channel; else Accept-Language, else the channel's default.")
        routes.get("products", APIOperation(
            "The channel's published products: q (typo-tolerant, prefix), category, filter.<attribute>, price_min, price_max, in_stock, in_stock_at (a store), sort, limit, cursor, locale; with total and facets",
            tag: "store", caller: .publishableKey, answer: .json(.ref("StoreProductList")),
            parameters: [
                .query("limit", .boundedInteger(1...ListQuery.maxLimit), "At most this many (default \(ListQuery.defaultLimit))."),
                .query("cursor", .string(), "`next_cursor` of the previous page (of the same sort and locale)."),
                .query("q"), .query("category"), .query("price_min", .integer), .query("price_max", .integer),
                .query("in_stock", .boolean), .query("in_stock_at", .string(), "A store's code: only products with a unit available there."),
                .query("sort", .string(enumeration: ListQuery.Sort.allCases.map(\.rawValue))), locale,
            ]), use: list)
        routes.get("products/:key", APIOperation(
            "A published product by ID or slug, localized (ETag, If-None-Match → 304); prices for a guest buying one unit, with compare_at and tiers, or for the customer group of X-Customer-Token",
            tag: "store", caller: .publishableKey, answer: .json(.ref("StoreProduct")),
            parameters: [locale, .header("X-Customer-Token"), .header("If-None-Match")],
            otherAnswers: [(304, "Not modified (If-None-Match)", .empty)]), use: product)
        routes.get("categories", APIOperation("The localized category tree with product counts", tag: "store", caller: .publishableKey,
                                              answer: .json(.ref("CategoryTree")), parameters: [locale]), use: categories)
    }

    static func locale(_ request: Request, _ snapshot: ChannelSnapshot) -> LocaleCode {
        var wanted: [String] = []
        if let locale = request.uri.queryParameters["locale"] { wanted.append(String(locale)) }
        if let header = request.headers[.acceptLanguage] {
            let ranked = header.split(separator: ",").compactMap { part -> (String, Double)? in
                let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let tag = pieces.first, !tag.isEmpty, tag != "*" else { return nil }
                let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
                return (tag, quality)
            }
            wanted += ranked.enumerated().sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }.map(\.element.0)
        }
        return snapshot.resolveLocale(wanted)
    }

    static func cached(_ body: Data, etag: String, request: Request, locale: LocaleCode, personal: Bool = false) -> Response {
        var headers: HTTPFields = [.eTag: etag, .cacheControl: personal ? "private, max-age=5" : cacheControl, .contentLanguage: locale.rawValue,
                                   .vary: "Authorization, Accept-Language, Origin, X-Customer-Token"]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == etag || tag == "W/" + etag || tag == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    @Sendable func product(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let snapshot = context.snapshot
        let locale = Self.locale(request, snapshot)
        let key = try context.parameters.path("key")
        guard let product = snapshot.product(key, locale: locale) else {
            throw DomainError(.notFound, code: "not_found", detail: "No product '\(key)' is published on this channel.")
        }
        var group: String?
        if let customers, request.headers[CustomerTokenHeader.name] != nil {
            group = try await customers.customer(for: request, context: context)?.group
            if let known = group, !snapshot.hasPriceLists(for: known) { group = nil }
        }
        let body = try await catalog.detail(product, in: snapshot, locale: locale, customerGroup: group)
        return Self.cached(body.data, etag: body.etag, request: request, locale: locale, personal: group != nil)
    }

    @Sendable func categories(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let snapshot = context.snapshot
        let locale = Self.locale(request, snapshot)
        let body = Data(JSONValue.object(["data": snapshot.categoryTree(locale: locale), "locale": .string(locale.rawValue)]).jsonBytes())
        return Self.cached(body, etag: "\"\(Digest64.hash(body))\"", request: request, locale: locale)
    }

    @Sendable func list(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let snapshot = context.snapshot
        let locale = Self.locale(request, snapshot)
        let query = try Self.listQuery(request, snapshot: snapshot, locale: locale)
        let result = try snapshot.list(query)
        let body = Data(JSONValue.object([
            "data": .array(result.data), "next_cursor": result.nextCursor.map { .string($0) } ?? .null,
            "total": .number(Double(result.total)), "facets": .array(result.facets), "locale": .string(locale.rawValue),
        ]).jsonBytes())
        return Self.cached(body, etag: "\"\(Digest64.hash(body))\"", request: request, locale: locale)
    }

    /// The longest search a head may send, in characters and in words.
    static let maxQueryLength = 200
    static let maxQueryWords = 12

    /// Reads the list parameters; anything malformed is a 422 with a pointer into the query.
    static func listQuery(_ request: Request, snapshot: ChannelSnapshot, locale: LocaleCode) throws -> ListQuery {
        var query = ListQuery(locale: locale)
        var errors = ValidationErrors()
        var seen: Set<String> = []
        for (name, value) in request.uri.queryParameters {
            let name = String(name), value = String(value)
            // A filter's values add up (any of them matches); anything else is said once.
            if !name.hasPrefix("filter."), !seen.insert(name).inserted {
                errors.add("/query/\(name)", "repeated_parameter", "'\(name)' is given more than once; a list takes one.")
                continue
            }
            switch name {
            case "q":
                // Search work grows with the words and their prefixes: a query is bounded.
                // Words as search reads them (letters and digits between anything else: `a+b`, `a,b`).
                if value.count > Self.maxQueryLength || TextNormalizer.tokens(value).count > Self.maxQueryWords {
                    errors.add("/query/q", "too_long", "q has at most \(Self.maxQueryLength) characters and \(Self.maxQueryWords) words.")
                } else {
                    query.text = value
                }
            case "category": query.category = value
            case "locale", "cursor": break
            case "limit":
                if let limit = Int(value), (1...ListQuery.maxLimit).contains(limit) { query.limit = limit } else {
                    errors.add("/query/limit", "out_of_range", "limit must be between 1 and \(ListQuery.maxLimit).")
                }
            case "price_min", "price_max":
                guard let amount = Int64(value), amount >= 0 else {
                    errors.add("/query/\(name)", "invalid_value", "\(name) is an amount in minor units.")
                    continue
                }
                if name == "price_min" { query.priceMin = amount } else { query.priceMax = amount }
            case "in_stock_at":
                if let index = snapshot.projector.stockScope.storeIndex(String(value)) {
                    query.inStockAt = index
                } else {
                    errors.add("/query/in_stock_at", "unknown_store", "'\(value)' is not a store this channel shows; GET /store/v1/stores lists them.")
                }
            case "in_stock":
                guard let flag = Bool(value) else {
                    errors.add("/query/in_stock", "invalid_value", "in_stock is true or false.")
                    continue
                }
                query.inStock = flag
            case "sort":
                guard let sort = ListQuery.Sort(rawValue: value) else {
                    errors.add("/query/sort", "invalid_value", "sort is one of \(ListQuery.Sort.allCases.map(\.rawValue).joined(separator: ", ")).")
                    continue
                }
                query.sort = sort
            case _ where name.hasPrefix("filter."):
                let code = String(name.dropFirst("filter.".count))
                if snapshot.attributeType(code) == "number" {
                    let parts = value.components(separatedBy: "..")
                    guard parts.count == 2 else {
                        errors.add("/query/\(name)", "invalid_value", "A number filter is a range: min..max (either side may be empty).")
                        continue
                    }
                    let low = parts[0].isEmpty ? -Double.infinity : Double(parts[0])
                    let high = parts[1].isEmpty ? Double.infinity : Double(parts[1])
                    guard let low, let high, low <= high else {
                        errors.add("/query/\(name)", "invalid_value", "A number filter is a range: min..max.")
                        continue
                    }
                    query.ranges[code] = low...high
                } else {
                    query.filters[code, default: []].formUnion(value.split(separator: ",").map(String.init))
                }
            default:
                errors.add("/query/\(name)", "unknown_parameter", "'\(name)' is not a parameter of this list.")
            }
        }
        query.cursor = request.uri.queryParameters["cursor"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        try errors.throwIfAny()
        return query
    }
}
