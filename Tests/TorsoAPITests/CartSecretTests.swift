import Access
import Commerce
import Foundation
import HTTPTypes
import Testing
import TorsoHTTP
import TorsoKit
import TorsoTestSupport

/// A cart's ID is no credential: the token it was created with opens it, and a customer's cart
/// also needs the customer. Found from outside: whoever saw a cart ID (in a URL, a log, a QR
/// code) could read and change the cart, its e-mail and addresses, and read the placed order.
@Suite struct CartSecretTests {
    static func token(_ value: String) -> HTTPFields { [CartTokenHeader.name: value] }

    @Test func theIDAloneOpensNoCartRouteAndNoOrder() async throws {
        try await withAPI { api in
            // Given: a shopper's ready cart, and a stranger who learned its ID but not its token
            let (key, variants) = try await Shop.shop(api, suffix: "sec")
            let cart = try await Shop.readyCart(api, key: key, variants: [variants[0]])
            let token = try #require(api.cartTokens[cart])
            #expect(token.hasPrefix("ct_") && token.count > 40)
            let stranger = api.withoutCartTokens
            let other = try #require(try await stranger.post("/store/v1/carts", "{}", as: .bearer(key)).json["token"]?.stringValue)
            // When the stranger tries every cart route, without a token, with a made-up one and with their own cart's
            let line = try #require(try await api.get("/store/v1/carts/\(cart)", as: .bearer(key)).json["lines"]?[0]?["id"]?.stringValue)
            let attempts: [(HTTPRequest.Method, String, String?)] = [
                (.get, "", nil), (.patch, "", #"{"email":"thief@example.com"}"#), (.post, "/lines", #"{"variant_id":"\#(variants[1])"}"#),
                (.patch, "/lines/\(line)", #"{"quantity":2}"#), (.delete, "/lines/\(line)", nil), (.post, "/promotions", #"{"code":"X"}"#),
                (.delete, "/promotions/X", nil), (.get, "/shipping-methods", nil), (.post, "/checkout", nil),
                (.post, "/complete", #"{"payment":{"provider":"test","card_number":"4242424242424242"}}"#), (.post, "/handoff", nil),
                (.get, "/events", nil),
            ]
            for (method, suffix, body) in attempts {
                let path = "/store/v1/carts/\(cart)\(suffix)"
                expectProblem(try await stranger.request(method, path, as: .bearer(key), body: body), .unauthorized, "cart_token_required", "\(method) \(path)")
                expectProblem(try await stranger.request(method, path, as: .bearer(key), body: body, headers: Self.token("ct_guessed")),
                              .forbidden, "invalid_cart_token", "\(method) \(path)")
                expectProblem(try await stranger.request(method, path, as: .bearer(key), body: body, headers: Self.token(other)),
                              .forbidden, "invalid_cart_token", "\(method) \(path)")
            }
            // A token in the URL is not read outside the streams (URLs end up in logs)
            expectProblem(try await stranger.get("/store/v1/carts/\(cart)?token=\(token)", as: .bearer(key)), .unauthorized, "cart_token_required")
            // Then nothing changed, and the shopper's token still works
            let mine = try await api.get("/store/v1/carts/\(cart)", as: .bearer(key))
            #expect(mine.status == .ok)
            #expect(mine.json["email"] == .string("ada@example.com") && mine.json["lines"]?.arrayValue?.count == 1)
            #expect(mine.json["token"] == nil && mine.json["access"] == nil, "a read never shows a token or its digest")
            // And the order placed from it reads with the cart's token only
            let placed = try await Shop.complete(api, cart, key: key)
            let order = try #require(placed.json["id"]?.stringValue)
            #expect(try await api.get("/store/v1/orders/\(order)", as: .bearer(key)).json["number"] == placed.json["number"])
            expectProblem(try await stranger.get("/store/v1/orders/\(order)", as: .bearer(key)), .unauthorized, "cart_token_required")
            expectProblem(try await stranger.get("/store/v1/orders/\(order)", as: .bearer(key), headers: Self.token(other)), .forbidden, "invalid_cart_token")
            let app = try await api.makePublishableKey(channel: "voice")
            expectProblem(try await api.get("/store/v1/orders/\(order)", as: .bearer(app), headers: Self.token(token)), .notFound, "not_found")
        }
    }

    @Test func onlyTheTokensDigestIsStored() async throws {
        try await withAPI { api in
            let key = try await api.makePublishableKey()
            let created = try await api.post("/store/v1/carts", "{}", as: .bearer(key))
            #expect(created.status == .created)
            let token = try #require(created.json["token"]?.stringValue)
            let id = try #require(created.json["id"]?.stringValue)
            let stored = try #require(try await api.services.store.read { try await $0.carts.cart(id, forUpdate: false) })
            let document = String(decoding: try JSONCoding.encode(stored), as: UTF8.self)
            #expect(!document.contains(token) && !document.contains(String(token.dropFirst(3))))
            #expect(stored.access?.writer == KeySecret.hash(token))
        }
    }

    @Test func aCustomersCartNeedsThatCustomersSession() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "own")
            try await Shop.register(api, key: key, email: "owner@example.com")
            let owner = try await Shop.login(api, key: key, email: "owner@example.com")
            try await Shop.register(api, key: key, email: "other@example.com")
            let other = try await Shop.login(api, key: key, email: "other@example.com")
            let created = try await api.request(.post, "/store/v1/carts", as: .bearer(key), body: "{}", headers: [CustomerTokenHeader.name: owner])
            let cart = try #require(created.json["id"]?.stringValue)
            let line = #"{"variant_id":"\#(variants[0])"}"#
            // The token alone does not open a customer's cart (a leaked token is not the account)
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", line, as: .bearer(key)), .unauthorized, "customer_token_required")
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", line, as: .bearer(key), headers: [CustomerTokenHeader.name: other]),
                          .forbidden, "cart_of_another_customer")
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", line, as: .bearer(key), headers: [CustomerTokenHeader.name: "cs_nope"]),
                          .unauthorized, "invalid_customer_token")
            // nor does the session alone
            expectProblem(try await api.withoutCartTokens.get("/store/v1/carts/\(cart)", as: .bearer(key), headers: [CustomerTokenHeader.name: owner]),
                          .unauthorized, "cart_token_required")
            #expect(try await api.post("/store/v1/carts/\(cart)/lines", line, as: .bearer(key), headers: [CustomerTokenHeader.name: owner]).status == .ok)
            // A customer's cart is not handed off
            expectProblem(try await api.request(.post, "/store/v1/carts/\(cart)/handoff", as: .bearer(key), headers: [CustomerTokenHeader.name: owner]),
                          .conflict, "handoff_not_allowed")
        }
    }
}
