import Foundation
import Hummingbird
import Inventory
import Publishing
import TorsoKit

/// Where a head's shoppers can find things: the channel's stores, nearest first, and a product's
/// availability per variant online and per store — exact counts, or bands (`in_stock`, `low`,
/// `out`) where the channel hides counts. Both read the channel's in-memory snapshot.
public struct StoreLocatorController: Sendable {
    /// Creates the controller.
    public init() {}

    /// Adds the routes to a group at `/store/v1`.
    public func addRoutes<Methods: RouterMethods<StoreRequestContext>>(to routes: APIRoutes<Methods>) {
        let near = APIOperation.Parameter.query("near", .string(), "LAT,LNG in degrees: nearest first, with distance_meters.")
        routes.get("stores", APIOperation(
            "The stores this channel shows, with address, coordinates, opening hours and pickup; nearest first with ?near=LAT,LNG",
            tag: "store", caller: .publishableKey, answer: .json(.ref("StoreList")), parameters: [near]), use: stores)
        routes.get("products/:key/availability", APIOperation(
            "A published product's availability per variant: online (within the channel's stock locations) and at each store the channel shows; counts, or bands where the channel hides counts",
            tag: "store", caller: .publishableKey, answer: .json(.ref("ProductAvailability")), parameters: [near]), use: availability)
    }

    @Sendable func stores(_ request: Request, context: StoreRequestContext) async throws -> Response {
        try request.allowOnly(["near"])
        let ranked = try Self.ranked(context.snapshot.projector.stockScope.stores, near: try Self.near(request))
        let body = JSONValue.object(["data": .array(ranked.map { Self.json($0.store, distance: $0.distance) })])
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: StoreController.cacheControl],
                        body: .init(byteBuffer: ByteBuffer(bytes: body.jsonBytes())))
    }

    @Sendable func availability(_ request: Request, context: StoreRequestContext) async throws -> Response {
        try request.allowOnly(["near"])
        let snapshot = context.snapshot
        let key = try context.parameters.path("key")
        guard let product = snapshot.product(key, locale: snapshot.channel.defaultLocale) else {
            throw DomainError(.notFound, code: "not_found", detail: "No product '\(key)' is published on this channel.")
        }
        let scope = snapshot.projector.stockScope
        let bands = snapshot.channel.stockDisplay == .band
        let ranked = try Self.ranked(scope.stores, near: try Self.near(request))
        let perStore = ranked.map { entry in
            (entry, product.available(atStore: scope.storeIndex(entry.store.code) ?? 0, of: scope.stores.count))
        }
        func count(_ units: Int) -> [String: JSONValue] {
            var answer: [String: JSONValue] = ["availability": .string(scope.band(units).rawValue)]
            if !bands { answer["available_quantity"] = .number(Double(max(0, units))) }
            return answer
        }
        let variants: [JSONValue] = product.variantIds.enumerated().map { index, id in
            .object([
                "id": .string(id), "sku": .string(product.skus[index]),
                "online": .object(count(product.available(variant: id))),
                "stores": .array(perStore.map { entry, units in
                    var store = count(index < units.count ? units[index] : 0)
                    store["store"] = .string(entry.store.code)
                    store["name"] = .string(entry.store.name)
                    if let distance = entry.distance { store["distance_meters"] = .number(distance.rounded()) }
                    return .object(store)
                }),
            ])
        }
        let body = JSONValue.object([
            "product_id": .string(product.id), "display": .string(snapshot.channel.stockDisplay.rawValue), "variants": .array(variants),
        ])
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body.jsonBytes())))
    }

    /// `near=LAT,LNG`; 422 when malformed or out of range.
    static func near(_ request: Request) throws -> Coordinates? {
        guard let text = request.uri.queryParameters["near"] else { return nil }
        // Plain decimal degrees only: no hexadecimal, exponents, infinities or NaN.
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { part -> Double? in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            return trimmed.wholeMatch(of: /-?[0-9]{1,3}(\.[0-9]{1,12})?/) == nil ? nil : Double(trimmed)
        }
        guard parts.count == 2, let latitude = parts[0], let longitude = parts[1], latitude.isFinite, longitude.isFinite else {
            throw DomainError.validation([FieldError(pointer: "/query/near", code: "invalid_value", detail: "near is LAT,LNG in degrees, such as 52.52,13.40.")])
        }
        let point = Coordinates(latitude: latitude, longitude: longitude)
        guard point.isValid else {
            throw DomainError.validation([FieldError(pointer: "/query/near", code: "out_of_range",
                                                     detail: "A latitude is between -90 and 90, a longitude between -180 and 180.")])
        }
        return point
    }

    /// The stores nearest first when `near` is given (stores without coordinates last), else by code.
    static func ranked(_ stores: [StockLocation], near: Coordinates?) throws -> [(store: StockLocation, distance: Double?)] {
        guard let near else { return stores.map { ($0, nil) } }
        return stores.map { store in (store, store.coordinates.map { near.distance(to: $0) }) }
            .sorted { ($0.distance ?? .infinity, $0.store.code) < ($1.distance ?? .infinity, $1.store.code) }
    }

    static func json(_ store: StockLocation, distance: Double?) -> JSONValue {
        var object: [String: JSONValue] = [
            "code": .string(store.code), "name": .string(store.name), "pickup": .bool(store.pickup),
            "opening_hours": .array(store.openingHours.map {
                .object(["day": .string($0.day), "opens": .string($0.opens), "closes": .string($0.closes)])
            }),
            "address": store.address.map { address in
                .object(["line1": .string(address.line1), "line2": address.line2.map(JSONValue.string) ?? .null, "city": .string(address.city),
                         "postal_code": .string(address.postalCode), "region": address.region.map(JSONValue.string) ?? .null,
                         "country": .string(address.country)])
            } ?? .null,
            "coordinates": store.coordinates.map { .object(["latitude": .number($0.latitude), "longitude": .number($0.longitude)]) } ?? .null,
        ]
        if let distance { object["distance_meters"] = .number(distance.rounded()) }
        return .object(object)
    }
}
