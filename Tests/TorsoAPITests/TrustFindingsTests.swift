import Foundation
import HTTPTypes
import Testing
import TorsoHTTP
import TorsoKit
import TorsoTestSupport

/// What a tester found from outside after cart secrets and handoff landed; each case failed
/// before its fix.
@Suite struct TrustFindingsTests {
    @Test func aLimitedKeyCannotRevokeABroaderOne() async throws {
        try await withAPI { api in
            let keeper = try await api.makeKey(name: "keeper", scopes: [.keysWrite])
            let broad = try await api.makeKey(name: "broad", scopes: [.catalogWrite, .ordersWrite])
            let narrow = try await api.makeKey(name: "narrow", scopes: [.keysWrite])
            expectProblem(try await api.delete("/admin/v1/keys/\(broad.id)", as: .bearer(keeper.secret)), .forbidden, "missing_scope")
            #expect(try await api.get("/admin/v1/products", as: .bearer(broad.secret)).status == .ok, "the broader key still works")
            #expect(try await api.delete("/admin/v1/keys/\(narrow.id)", as: .bearer(keeper.secret)).status == .noContent)
            #expect(try await api.delete("/admin/v1/keys/\(broad.id)").status == .noContent, "a key holding every scope may")
        }
    }

    @Test func anOrderReadIsNeverCached() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "ordcache", stock: 5, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            let order = try #require(try await Shop.complete(api, cart, key: key).json["id"]?.stringValue)
            let read = try await api.get("/store/v1/orders/\(order)", as: .bearer(key))
            #expect(read.status == .ok)
            #expect(read.headers[.cacheControl] == "no-store")
        }
    }

    @Test func spellingsOfOneMailboxAreRefusedOnCarts() async throws {
        try await withAPI { api in
            let key = try await api.makePublishableKey()
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            for email in ["(c)promo@example.com", "<promo@example.com>", "promo\u{200B}@example.com", "promo@example.com;"] {
                let body = JSONValue.object(["email": .string(email)]).text
                expectValidation(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: body),
                                 [FieldErrorExpectation("/email", "invalid_email")])
            }
        }
    }

    @Test func aLineWhoseAmountsOverflowIsNotKept() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "ovf", stock: 1000, sizes: ["s", "m"])
            #expect(try await Shop.adjust(api, #"{"sku":"ovf-s-s","location":"berlin","set":1000},{"sku":"ovf-m-m","location":"berlin","set":1000}"#).status == .created)
            let list = #"{"code":"huge","name":"Huge","type":"override","currency":"EUR","priority":1,"prices":[{"variant_id":"\#(variants[0])","amount":9007199254740991},{"variant_id":"\#(variants[1])","amount":9007199254740991}]}"#
            let created = try await api.post("/admin/v1/price-lists", list)
            #expect(created.status == .created, "\(created.text)")
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            #expect(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":1000}"#, as: .bearer(key)).status == .ok)
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[1])","quantity":1000}"#, as: .bearer(key)),
                          .unprocessableContent, "amount_overflow")
            // The cart is as it was before the refused line: readable, one line
            let after = try await api.get("/store/v1/carts/\(cart)", as: .bearer(key))
            #expect(after.status == .ok, "\(after.text)")
            #expect(after.json["lines"]?.arrayValue?.count == 1)
        }
    }
}
