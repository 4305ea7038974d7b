import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// What an outside tester found after the renovation, each first as a failing test.
@Suite struct OutsideFindingsTests {
    @Test func pathParametersArePercentDecoded() async throws {
        try await withAPI { api in
            // Given a published product and a locale whose code has a hyphen
            let (key, _) = try await Shop.shop(api, suffix: "pd")
            // When a client percent-encodes the path parameters, as generated clients do
            let product = try await api.get("/store/v1/products/pd%2Ds", as: .bearer(key))
            let locale = try await api.get("/admin/v1/locales/de%2DDE")
            // Then they are the same resources as unencoded
            #expect(product.status == .ok, "\(product.text)")
            #expect(locale.status == .ok, "\(locale.text)")
        }
    }

    @Test func aDeletedChannelsKeyReachesNoStorefrontRoute() async throws {
        try await withAPI { api in
            // Given a channel with a publishable key, then the channel deleted
            #expect(try await api.post("/admin/v1/channels",
                                       #"{"code":"kiosk","name":"Kiosk","locales":["en-US"],"default_locale":"en-US","currencies":["EUR"]}"#).status == .created)
            let key = try await api.makePublishableKey(channel: "kiosk")
            #expect(try await api.delete("/admin/v1/channels/kiosk").status == .noContent)
            // When the key registers, logs in or reads the catalog
            let register = try await api.post("/store/v1/customers", #"{"email":"k@example.com","password":"long enough"}"#, as: .bearer(key))
            let login = try await api.post("/store/v1/customers/login", #"{"email":"k@example.com","password":"long enough"}"#, as: .bearer(key))
            let products = try await api.get("/store/v1/products", as: .bearer(key))
            // Then every route answers 404 channel_not_found and nothing is written
            expectProblem(register, .notFound, "channel_not_found")
            expectProblem(login, .notFound, "channel_not_found")
            expectProblem(products, .notFound, "channel_not_found")
            let customers = try await api.get("/admin/v1/customers?q=k@example.com")
            #expect(customers.json["data"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func raisingALinesQuantityPastTheStockIsRefusedAtOnce() async throws {
        try await withAPI { api in
            // Given a variant with 5 units and a cart line of 2
            let (key, variants) = try await Shop.shop(api, suffix: "uq", stock: 5, sizes: ["s"])
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            let added = try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])","quantity":2}"#, as: .bearer(key))
            let line = try #require(added.json["lines"]?[0]?["id"]?.stringValue)
            // When the line is raised to 6, then to 5, then lowered to 1
            let tooMany = try await api.request(.patch, "/store/v1/carts/\(cart)/lines/\(line)", as: .bearer(key), body: #"{"quantity":6}"#)
            let all = try await api.request(.patch, "/store/v1/carts/\(cart)/lines/\(line)", as: .bearer(key), body: #"{"quantity":5}"#)
            let fewer = try await api.request(.patch, "/store/v1/carts/\(cart)/lines/\(line)", as: .bearer(key), body: #"{"quantity":1}"#)
            // Then 6 is refused like adding units is, and the others apply
            expectProblem(tooMany, .conflict, "insufficient_stock")
            #expect(all.status == .ok && all.json["lines"]?[0]?["quantity"] == .number(5))
            #expect(fewer.status == .ok && fewer.json["lines"]?[0]?["quantity"] == .number(1))
        }
    }

    @Test func unpublishTakesOnlyChannels() async throws {
        try await withAPI { api in
            // Given a published product
            let product = try await api.createProduct(Shop.completeProduct("up"))
            let id = try #require(product.id)
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            // When an unpublish names a time (which it cannot honour: it withdraws now)
            let scheduled = try await api.post("/admin/v1/products/\(id)/unpublish", #"{"channels":["web"],"at":"2030-01-01T00:00:00Z"}"#)
            // Then it is refused, and the product stays published
            expectValidation(scheduled, [FieldErrorExpectation("/at", "unknown_field")])
            let publication = try await api.get("/admin/v1/products/\(id)/publication")
            #expect(publication.json["channels"]?.arrayValue?.count == 1)
        }
    }

    @Test func aRequiredMemberSentAsNullIsOneProblem() async throws {
        try await withAPI { api in
            // Given a body whose required member is null
            let (key, _) = try await Shop.shop(api, suffix: "nl")
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            // When it is sent
            let answer = try await api.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":null}"#, as: .bearer(key))
            // Then it is one error, `required`, not also `invalid_type` at the same pointer
            expectValidation(answer, [FieldErrorExpectation("/variant_id", "required")], exactly: true)
        }
    }
}
