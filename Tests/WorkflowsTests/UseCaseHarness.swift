import Commerce
import Foundation
import Testing
import TorsoApp
import TorsoKit
import TorsoTestSupport
import Workflows

/// The use cases over a real store, with no HTTP in between: a fresh database with the test
/// settings, a shipping method to Germany, and helpers that read like the steps of a head.
struct UseCaseHarness {
    let services: TorsoServices
    let context = WriteContext(actor: .init(keyId: "test", name: "workflows"))

    /// Runs `body` on fresh services (SQLite in memory, or PostgreSQL with `TORSO_TEST_DATABASE`).
    static func run<T: Sendable>(_ body: (UseCaseHarness) async throws -> T) async throws -> T {
        try await TestDatabase.withServices(webhooks: WebhookSettings(allowPrivateTargets: true)) { services in
            let harness = UseCaseHarness(services: services)
            try await Fixtures.loadSettings(services)
            _ = try await services.shippingMethods.create(try json(#"""
                {"code":"standard","name":{"en-US":"Standard"},"zones":[{"countries":["DE"]}],"rate":{"type":"flat","amount":495},"currency":"EUR"}
                """#), context: harness.context)
            return try await body(harness)
        }
    }

    static func json(_ text: String) throws -> JSONValue { try JSONCoding.parse(Data(text.utf8)) }

    /// Creates a one-variant product with `stock` units in Berlin, complete for `web`; returns
    /// the product's and the variant's IDs.
    func product(_ suffix: String, stock: Int) async throws -> (product: String, variant: String) {
        let created = try await services.products.create(try Self.json("""
            {"product_type":"tshirt","slug":{"en-US":"shirt-\(suffix)"},
             "values":{"name":[{"locale":"en-US","data":"Shirt \(suffix)"},{"locale":"de-DE","data":"Hemd \(suffix)"}],
                      "description":[{"locale":"en-US","data":"Soft."},{"locale":"de-DE","data":"Weich."}]},
             "variants":[{"sku":"SKU-\(suffix)","axes":{"size":"m","color":"red"},"prices":[{"amount":1999,"currency":"EUR"}],
                          "stock":[{"location":"berlin","on_hand":\(stock)}]}]}
            """), context: context)
        let document = try JSONCoding.parse(created.body)
        let product = try #require(document.objectValue?["id"]?.stringValue)
        let variant = try #require(document.objectValue?["variants"]?.arrayValue?.first?.objectValue?["id"]?.stringValue)
        return (product, variant)
    }

    /// Publishes a product to `web` now.
    func publish(_ product: String) async throws {
        _ = try await services.publishing.publish(product, body: .object(["channels": .array([.string("web")])]), context: context)
    }

    /// A cart on `web` with `quantity` units of `variant`, an e-mail, a German address and
    /// standard shipping: ready to complete.
    func readyCart(_ variant: String, quantity: Int) async throws -> HarnessCart {
        let carts = services.carts
        let created = try await carts.create(channel: "web", currency: "EUR", customer: nil, email: "buyer@example.com")
        let cart = HarnessCart(id: created.cart.id.rawValue, caller: CartCaller(channel: "web", token: created.token))
        _ = try await carts.addLine(cart.id, caller: cart.caller, variant: variant, quantity: quantity, expectedVersion: nil)
        let address = Address(firstName: "Ada", lastName: "Lovelace", line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "DE")
        _ = try await carts.update(cart.id, caller: cart.caller, details: .init(shippingAddress: address, shippingMethod: "standard"),
                                   expectedVersion: nil)
        return cart
    }

    /// Pays with the test provider's always-approved card.
    static let card = CheckoutService.Payment(provider: "test", method: .card(number: "4242424242424242"))

    /// Units on hand of a variant, summed over locations.
    func onHand(product: String, variant: String) async throws -> Int {
        try await services.store.read { try await $0.stock.levels(products: [product], asOf: Timestamp.string(Date())) }[variant]?
            .reduce(0) { $0 + $1.onHand } ?? 0
    }
}

/// A cart made by the harness: its ID and the caller holding its token.
struct HarnessCart: Sendable {
    /// The cart's ID.
    var id: String
    /// The web channel with the cart's token.
    var caller: CartCaller
}
