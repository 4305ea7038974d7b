import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Inputs at the edges: numbers that are no versions, NUL characters, rule changes that would
/// strand existing values, stock that disappears.
@Suite struct RobustnessTests {
    @Test func aVersionMustBeAnExactInteger() async throws {
        try await withAPI { api in
            for version in ["1e300", "2.7", "-1e30", "\"3\""] {
                expectValidation(try await api.patch("/admin/v1/locales/en-US", #"{"name":"English","version":\#(version)}"#),
                                 [FieldErrorExpectation("/version", "invalid_type")], "version \(version)")
            }
            #expect(try await api.get("/health", as: .none).status == .ok)
        }
    }

    @Test func nulCharactersAreRefusedBeforeTheyReachTheDatabase() async throws {
        try await withAPI { api in
            expectProblem(try await api.post("/admin/v1/locales", #"{"code":"fr-FR","name":"Fran\u0000cais"}"#), .badRequest, "malformed_json")
            expectValidation(try await api.get("/admin/v1/products?q=a%00b"), [FieldErrorExpectation("/query/q", "invalid_value")])
            let cursor = Data("prod_\u{0}x".utf8).base64EncodedString()
            expectValidation(try await api.get("/admin/v1/products?cursor=\(cursor)"), [FieldErrorExpectation("/query/cursor", "invalid_cursor")])
        }
    }

    @Test func attributeRulesThatValuesDependOnCannotChange() async throws {
        try await withAPI { api in
            for (field, value) in [("unique", "false"), ("localizable", "false"), ("scopable", "true")] {
                let code = field == "unique" ? "ean" : "name"
                expectValidation(try await api.patch("/admin/v1/attributes/\(code)", #"{"\#(field)":\#(value)}"#),
                                 [FieldErrorExpectation("/\(field)", "immutable_field")], field)
            }
            #expect(try await api.patch("/admin/v1/attributes/name", #"{"labels":{"en-US":"Title"}}"#).status == .ok)
        }
    }

    @Test func stockThatGoesAwayIsNotShownFromThePublishedCopy() async throws {
        try await withAPI { api in
            // Given: a published product with stock
            let created = try await api.createProduct(Shop.completeProduct("gone"))
            let id = try #require(created.id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            let web = try await api.makePublishableKey()
            #expect(try await api.get("/store/v1/products/gone", as: .bearer(web)).json["available_quantity"]?.numberValue == 15)
            // When: a patch leaves the stock entries out, the stock stays (Inventory owns it)
            let variants = try #require(created.json["variants"]?.arrayValue).map { $0.setting("/stock", to: .array([])) }
            let patch = JSONValue.object(["variants": .array(variants)])
            #expect(try await api.patch("/admin/v1/products/\(id)", String(decoding: patch.jsonBytes(), as: UTF8.self)).status == .ok)
            #expect(try await api.get("/store/v1/products/gone", as: .bearer(web)).json["available_quantity"]?.numberValue == 15)
            #expect(try await api.get("/admin/v1/products/\(id)").json["variants"]?[0]?["stock"]?[0]?["on_hand"] == .number(5))
            // When: the inventory counts none
            let counted = try await Shop.adjust(api, ["s", "m", "l"].map { #"{"sku":"gone-\#($0)","location":"berlin","set":0}"# }.joined(separator: ","))
            #expect(counted.status == .created, "\(counted.text)")
            // Then: the storefront shows none, although the published copy listed some
            let after = try await api.get("/store/v1/products/gone", as: .bearer(web))
            #expect(after.json["available_quantity"]?.numberValue == 0)
            #expect(after.json["in_stock"] == .bool(false))
        }
    }
}
