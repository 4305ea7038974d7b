import Commerce
import TorsoKit

extension CartService {
    /// The cart, if `caller` may use it for `wanted` (``CartGuard``).
    @discardableResult
    public func authorize(_ id: String, caller: CartCaller, for wanted: CartPermission) async throws -> Cart {
        let stored = try await store.read { tx in try await tx.carts.cart(id, forUpdate: false) }
        return try CartGuard.check(stored, id: id, caller: caller, for: wanted)
    }

    /// An order placed on the caller's channel, for the signed-in customer who placed it or the
    /// holder of the token of the cart it was placed from (the phone's, after a handoff; a
    /// screen's read-only token does not read the order, which names a person and an address).
    public func order(_ id: String, caller: CartCaller) async throws -> Order {
        let (order, cart): (Order?, Cart?) = try await store.read { tx in
            guard let order = try await tx.orders.order(id) else { return (nil, nil) }
            return (order, try await tx.carts.cart(order.cartId, forUpdate: false))
        }
        guard let order, order.channel == caller.channel else { throw DomainError.notFound("order", id) }
        if let owner = order.customerId, owner == caller.customerId { return order }
        guard let cart else { throw DomainError.notFound("order", id) }
        try CartGuard.check(cart, id: cart.id.rawValue, caller: caller, for: .write)
        return order
    }
}
