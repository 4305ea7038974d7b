import Commerce
import TorsoKit

extension CartService {
    /// A change to a cart's contact, addresses or shipping method.
    public struct Details: Sendable {
        /// A new email, if given.
        public var email: String?
        /// A new shipping address, if given.
        public var shippingAddress: Address?
        /// A new billing address, if given.
        public var billingAddress: Address?
        /// A shipping method's code, if given.
        public var shippingMethod: String?
        /// The store to collect from (a pickup method), if given.
        public var pickupStore: String?

        /// Creates a change.
        public init(email: String? = nil, shippingAddress: Address? = nil, billingAddress: Address? = nil, shippingMethod: String? = nil,
                    pickupStore: String? = nil) {
            self.email = email
            self.shippingAddress = shippingAddress
            self.billingAddress = billingAddress
            self.shippingMethod = shippingMethod
            self.pickupStore = pickupStore
        }
    }

    /// Sets the email, addresses or shipping method.
    public func update(_ id: String, caller: CartCaller, details: Details, expectedVersion: Int?) async throws -> View {
        var errors = ValidationErrors()
        if let email = details.email { EmailAddress.check(email, at: "/email", into: &errors) }
        details.shippingAddress?.check(at: "/shipping_address", into: &errors)
        details.billingAddress?.check(at: "/billing_address", into: &errors)
        try errors.throwIfAny()
        if let code = details.pickupStore {
            let stores = try pricing.snapshot(caller.channel).projector.stockScope.stores
            guard stores.contains(where: { $0.code == code && $0.pickup }) else {
                throw DomainError.validation([FieldError(pointer: "/pickup_store", code: "unknown_store",
                                                         detail: "'\(code)' is not a store of this channel that offers pickup; GET /store/v1/stores lists them.")])
            }
        }
        let methods = details.shippingMethod == nil && details.pickupStore == nil ? [] : try await store.read { tx in try await pricing.settings(in: tx) }.methods
        return try await change(id, caller: caller, expectedVersion: expectedVersion) { cart in
            if let email = details.email { cart.email = email }
            if let address = details.shippingAddress { cart.shippingAddress = address }
            if let address = details.billingAddress { cart.billingAddress = address }
            if let code = details.shippingMethod {
                guard let method = methods.first(where: { $0.code == code }), method.offers(cart) else {
                    throw DomainError.validation([FieldError(pointer: "/shipping_method", code: "shipping_method_unavailable",
                                                             detail: "'\(code)' does not ship this cart (channel, currency or country).")])
                }
                cart.shippingMethod = code
                if !method.pickup { cart.pickupStore = nil }
            }
            if let store = details.pickupStore {
                guard let code = cart.shippingMethod, methods.first(where: { $0.code == code })?.pickup == true else {
                    throw DomainError.validation([FieldError(pointer: "/pickup_store", code: "invalid_value",
                                                             detail: "A pickup store goes with a pickup shipping method; choose one first or in the same request.")])
                }
                cart.pickupStore = store
            }
        }
    }
}
