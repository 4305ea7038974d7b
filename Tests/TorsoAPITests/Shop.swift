import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// A shop to test against, shared by the suites that sell: complete products, a shipping method
/// and a tax rate, publishable keys, ready carts, completions and customers.
enum Shop {
    /// A complete product for web (name and description in en-US and de-DE) and voice
    /// (name and an en-US voice tagline), with one variant per size.
    static func completeProduct(_ suffix: String, name: String? = nil, prices: [Int] = [1999, 2099, 2199],
                                stock: Int = 5, size: String? = nil) -> String {
        let sizes = size.map { [$0] } ?? ["s", "m", "l"]
        let variants = sizes.enumerated().map { index, size in
            """
            {"sku":"\(suffix)-\(size)","axes":{"size":"\(size)","color":"red"},
             "prices":[{"amount":\(prices[index % prices.count]),"currency":"EUR"},{"amount":\(prices[index % prices.count] + 100),"currency":"USD"}],
             "stock":[{"location":"berlin","on_hand":\(stock)}]}
            """
        }.joined(separator: ",")
        let title = name ?? "Shirt \(suffix)"
        return """
            {"product_type":"tshirt","slug":{"en-US":"\(suffix)","de-DE":"\(suffix)-de"},
             "values":{"name":[{"locale":"en-US","data":"\(title)"},{"locale":"de-DE","data":"Hemd \(suffix)"}],
                       "description":[{"locale":"en-US","data":"Soft linen \(title)."},{"locale":"de-DE","data":"Weiches Leinen."}],
                       "tagline":[{"locale":"en-US","channel":"voice","data":"A \(title) for summer."}],
                       "rating":[{"data":4}]},
             "variants":[\(variants)]}
            """
    }

    /// Adjusts stock through the inventory API: rows such as
    /// `{"sku":"x-s","location":"berlin","set":3}`; returns the answer.
    @discardableResult
    static func adjust(_ api: TestAPI, _ rows: String, reason: String = "stock_take") async throws -> APIResponse {
        try await api.post("/admin/v1/inventory/adjustments", #"{"reason":"\#(reason)","rows":[\#(rows)]}"#)
    }

    /// A German shipping address.
    static let address = #"{"first_name":"Ada","last_name":"Lovelace","line1":"Unter den Linden 1","city":"Berlin","postal_code":"10117","country":"DE"}"#

    /// A published product (one variant per size, `stock` each), a flat shipping method for
    /// Germany and a 19 % tax rate; returns the web key and the variant IDs.
    static func shop(_ api: TestAPI, suffix: String = "co", stock: Int = 5, sizes: [String] = ["s", "m"]) async throws -> (key: String, variants: [String]) {
        var variants: [String] = []
        for size in sizes {
            let product = try await api.createProduct(Shop.completeProduct("\(suffix)-\(size)", prices: [2_000], stock: stock, size: size))
            let id = try #require(product.id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            variants.append(try #require(product.json["variants"]?.arrayValue?.first?["id"]?.stringValue))
        }
        if try await api.get("/admin/v1/shipping-methods/standard").status == .notFound {
            #expect(try await api.post("/admin/v1/shipping-methods",
                                       #"{"code":"standard","name":{"en-US":"Standard"},"zones":[{"countries":["DE","AT"]}],"rate":{"type":"flat","amount":495},"currency":"EUR","free_above":100000}"#).status == .created)
            #expect(try await api.post("/admin/v1/tax-rates", #"{"code":"de-standard","country":"DE","tax_class":"standard","rate_basis_points":1900}"#).status == .created)
        }
        return (try await api.makePublishableKey(channel: "web"), variants)
    }

    /// A cart with one unit of each variant, an email, an address and the shipping method.
    static func readyCart(_ api: TestAPI, key: String, variants: [String]) async throws -> String {
        let created = try await api.post("/store/v1/carts", "{}", as: .bearer(key))
        #expect(created.status == .created, "\(created.text)")
        let cart = try #require(created.json["id"]?.stringValue)
        for variant in variants {
            let added = try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variant)","quantity":1}"#, as: .bearer(key))
            #expect(added.status == .ok, "\(added.text)")
        }
        let updated = try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key),
                                            body: #"{"email":"ada@example.com","shipping_address":\#(address),"shipping_method":"standard"}"#)
        #expect(updated.status == .ok, "\(updated.text)")
        return cart
    }

    /// The storefront's available quantity of a product once it equals `expected`, or the last
    /// one seen after two seconds (orders update stock in the snapshots within milliseconds).
    static func available(_ api: TestAPI, _ slug: String, key: String, becomes expected: Double) async throws -> Double? {
        var seen: Double?
        for _ in 0..<200 {
            seen = try await api.get("/store/v1/products/\(slug)", as: .bearer(key)).json["available_quantity"]?.numberValue
            if seen == expected { return seen }
            try await Task.sleep(for: .milliseconds(10))
        }
        return seen
    }

    /// Completes a cart with the test provider's card (approved unless `card` says otherwise).
    static func complete(_ api: TestAPI, _ cart: String, key: String, card: String = "4242424242424242", idempotency: String? = nil) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let idempotency { headers[HTTPField.Name("Idempotency-Key")!] = idempotency }
        return try await api.post("/store/v1/carts/\(cart)/complete", #"{"payment":{"provider":"test","card_number":"\#(card)"}}"#,
                                  as: .bearer(key), headers: headers)
    }

    /// Registers a customer through the storefront; returns the response, which must be a 201.
    @discardableResult
    static func register(_ api: TestAPI, key: String, email: String, password: String = "correct horse",
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> APIResponse {
        let response = try await api.post("/store/v1/customers", #"{"email":"\#(email)","password":"\#(password)","first_name":"Ada"}"#,
                                          as: .bearer(key))
        #expect(response.status == .created, "registering \(email): \(response.text)", sourceLocation: sourceLocation)
        return response
    }

    /// Logs in and returns the session token.
    static func login(_ api: TestAPI, key: String, email: String, password: String = "correct horse",
                      sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await api.post("/store/v1/customers/login", #"{"email":"\#(email)","password":"\#(password)"}"#, as: .bearer(key))
        #expect(response.status == .ok, "logging in \(email): \(response.text)", sourceLocation: sourceLocation)
        return try #require(response.json["token"]?.stringValue, sourceLocation: sourceLocation)
    }
}
