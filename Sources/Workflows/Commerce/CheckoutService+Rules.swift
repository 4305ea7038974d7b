import Channels
import Commerce
import Inventory
import TorsoKit

/// What checkout checks of a cart before it holds stock or takes money.
extension CheckoutService {
    /// Refuses a cart that cannot be ordered yet, with what is missing.
    static func ready(_ cart: Cart) throws {
        var errors = ValidationErrors()
        if cart.lines.isEmpty { errors.add("/lines", "required", "The cart is empty.") }
        if cart.email == nil { errors.add("/email", "required", "An email is required to place an order.") }
        if cart.shippingAddress == nil { errors.add("/shipping_address", "required", "A shipping address is required.") }
        if cart.shippingMethod == nil { errors.add("/shipping_method", "required", "Choose a shipping method.") }
        if !errors.isEmpty { throw DomainError(.conflict, code: "cart_incomplete", detail: "The cart is not ready for checkout.", errors: errors.errors) }
    }

    static func stockLines(_ cart: Cart) -> [InventoryService.Line] {
        cart.lines.map { InventoryService.Line(variantId: $0.variantId, quantity: $0.quantity, allowBackorder: $0.allowBackorder) }
    }

    /// Where a cart's stock is held: the pickup store alone for click and collect, else the
    /// channel's stock locations (every one when it names none).
    static func locations(_ channel: Channel, _ cart: Cart) -> [String]? {
        if let store = cart.pickupStore { return [store] }
        return channel.stockLocations.isEmpty ? nil : channel.stockLocations
    }

    /// The chosen method's quote for the cart as it is, or `nil` when it does not ship it.
    static func quote(_ cart: Cart, code: String, methods: [ShippingMethod], subtotal: Int64) -> ShippingQuote? {
        guard let method = methods.first(where: { $0.code == code }), method.offers(cart) else { return nil }
        return cart.shippingQuotes([method], subtotal: max(0, subtotal)).first
    }

    /// 409 `shipping_unavailable`: the chosen method has no quote for the cart now.
    static func shippingUnavailable(_ code: String) -> DomainError {
        DomainError(.conflict, code: "shipping_unavailable",
                    detail: "'\(code)' does not ship this cart as it is now (address, weight or amount); choose another method.",
                    errors: [FieldError(pointer: "/shipping_method", code: "shipping_unavailable", detail: "No quote for the cart as it is now.")])
    }

    /// Refuses a cart whose collection no longer holds: a pickup method without a store, a store
    /// without a pickup method, or a store this channel no longer shows or that no longer offers
    /// pickup (settings may change after the cart chose).
    static func readyForPickup(_ cart: Cart, methods: [ShippingMethod], stores: [StockLocation]) throws {
        let pickup = cart.shippingMethod.flatMap { code in methods.first { $0.code == code } }?.pickup == true
        let problem: FieldError? = switch (pickup, cart.pickupStore) {
        case (true, nil):
            FieldError(pointer: "/pickup_store", code: "required", detail: "A pickup method needs a pickup_store.")
        case (false, .some):
            FieldError(pointer: "/shipping_method", code: "invalid_value", detail: "The shipping method is no longer a pickup method; choose one again.")
        case (true, .some(let code)) where !stores.contains(where: { $0.code == code && $0.pickup }):
            FieldError(pointer: "/pickup_store", code: "unknown_store", detail: "'\(code)' no longer offers pickup on this channel; choose another store.")
        default: nil
        }
        guard let problem else { return }
        throw DomainError(.conflict, code: "cart_incomplete", detail: problem.detail, errors: [problem])
    }

    /// Refuses a provider the channel does not offer, and the `test` provider (which approves
    /// made-up cards) anywhere but on a test channel: 422 `provider_not_enabled`.
    static func allowed(_ provider: String, on channel: Channel) throws {
        var detail: String?
        if !channel.paymentProviders.contains(provider) {
            detail = "'\(provider)' is not a payment provider of this channel" + (channel.paymentProviders.isEmpty ? "; it takes no payments yet."
                : "; it offers \(channel.paymentProviders.joined(separator: ", ")).")
        } else if provider == "test", !channel.testMode {
            detail = "The test provider works only on a channel in test mode."
        }
        guard let detail else { return }
        throw DomainError.validation([FieldError(pointer: "/payment/provider", code: "provider_not_enabled", detail: detail)])
    }
}
