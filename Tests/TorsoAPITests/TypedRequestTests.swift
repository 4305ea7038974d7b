import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Storefront and order bodies decode into typed requests whose one declared shape checks them:
/// each wrong member is a 422 with its pointer and code, and nothing is written.
@Suite struct TypedRequestTests {
    @Test func wrongTypesAndMissingMembersArePointedAt() async throws {
        try await withAPI { api in
            // Given a shop and an open cart
            let (key, variants) = try await Shop.shop(api, suffix: "tr")
            let created = try await api.post("/store/v1/carts", "{}", as: .bearer(key))
            let cart = try #require(created.json["id"]?.stringValue)
            // When bodies do not fit their shape, then each problem is named where it is
            expectValidation(try await api.post("/store/v1/carts", #"{"currency":5}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/currency", "invalid_type")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":7,"quantity":"2"}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/quantity", "invalid_type"), FieldErrorExpectation("/variant_id", "invalid_type")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":1.5}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/quantity", "invalid_type")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":1e300}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/quantity", "invalid_type")])
            expectValidation(try await api.request(.patch, "/store/v1/carts/\(cart)/lines/line_x", as: .bearer(key), body: "{}"),
                             [FieldErrorExpectation("/quantity", "required")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/promotions", #"{"code":["WELCOME10"]}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/code", "invalid_type")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/complete", #"{"payment":{}}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/payment/provider", "required")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/complete", #"{"payment":"card"}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/payment", "invalid_type")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/complete", #"{"payment":{"provider":"test","cvv":"123"}}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/payment/cvv", "unknown_field")])
            expectValidation(try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: #"{"version":"one"}"#),
                             [FieldErrorExpectation("/version", "invalid_type")])
            expectProblem(try await api.post("/store/v1/carts/\(cart)/lines", "[1]", as: .bearer(key)), .unprocessableContent, "validation_failed")
            // Then the cart is as it was: no line, version 1
            let after = try await api.get("/store/v1/carts/\(cart)", as: .bearer(key))
            #expect(after.json["lines"]?.arrayValue?.isEmpty == true)
            #expect(after.json["version"] == .number(1))
        }
    }

    @Test func nullsClearNothingAndAreAccepted() async throws {
        try await withAPI { api in
            // Given a shop and an open cart
            let (key, _) = try await Shop.shop(api, suffix: "tn")
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            // When optional members are sent as null
            let patched = try await api.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key),
                                                body: #"{"email":"a@example.com","shipping_address":null,"shipping_method":null}"#)
            // Then they are left out, as before
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.json["email"] == .string("a@example.com"))
        }
    }

    @Test func orderTransitionsAreTyped() async throws {
        try await withAPI { api in
            // Given an unknown order (the body is checked before the order is looked up)
            // When the body does not fit, then 422 names the member
            expectValidation(try await api.post("/admin/v1/orders/ord_x/transitions", #"{"event":1,"amount":"5"}"#),
                             [FieldErrorExpectation("/amount", "invalid_type"), FieldErrorExpectation("/event", "invalid_type")])
            expectValidation(try await api.post("/admin/v1/orders/ord_x/transitions", #"{"note":"x"}"#),
                             [FieldErrorExpectation("/event", "required")])
        }
    }
}
