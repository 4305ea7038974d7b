import Access
import Commerce
import TorsoKit

/// Decides whether a caller may use a cart. A cart is reached by its ID but opened by its
/// token: 404 when the cart does not exist or belongs to another channel; 401
/// `cart_token_required` without `X-Cart-Token`; 403 `invalid_cart_token` for a token that is
/// not the cart's; 403 `cart_handed_off` for a screen's token after a phone claimed the cart
/// (it may still read); and for a customer's cart, the customer's session too (401
/// `customer_token_required`, 403 `cart_of_another_customer`).
public enum CartGuard {
    /// The prefix of cart tokens.
    public static let tokenPrefix = "ct_"

    /// A new cart token and the access it opens.
    static func issue() -> (token: String, access: CartAccess) {
        let token = KeySecret.generate(prefix: tokenPrefix)
        return (token, CartAccess(writer: KeySecret.hash(token)))
    }

    /// The digest of a token as kept in ``CartAccess``.
    static func digest(_ token: String) -> String { KeySecret.hash(token) }

    /// What the caller's token may do with the cart (it must have passed ``check``).
    static func permission(_ cart: Cart, caller: CartCaller) -> CartPermission? {
        caller.token.flatMap { cart.access?.permission(of: digest($0)) }
    }

    /// `cart` if `caller` may use it for `wanted`; the problem otherwise.
    @discardableResult
    static func check(_ cart: Cart?, id: String, caller: CartCaller, for wanted: CartPermission) throws -> Cart {
        guard let cart, cart.channel == caller.channel else { throw DomainError.notFound("cart", id) }
        guard let token = caller.token, !token.isEmpty else {
            throw DomainError(.unauthenticated, code: "cart_token_required",
                              detail: "Send the token the cart was created with as 'X-Cart-Token: ct_…'.")
        }
        guard token.hasPrefix(tokenPrefix), token.utf8.count <= 100, let granted = cart.access?.permission(of: digest(token)) else {
            throw DomainError(.forbidden, code: "invalid_cart_token", detail: "This is not the cart's token.")
        }
        guard granted >= wanted else {
            throw DomainError(.forbidden, code: "cart_handed_off",
                              detail: "The cart was claimed on another device; this token may only read it and follow its events.")
        }
        if let owner = cart.customerId {
            guard let customer = caller.customerId else {
                throw DomainError(.unauthenticated, code: "customer_token_required",
                                  detail: "This cart belongs to a customer: send their session as 'X-Customer-Token: cs_…'.")
            }
            guard customer == owner else {
                throw DomainError(.forbidden, code: "cart_of_another_customer", detail: "This cart belongs to another customer.")
            }
        }
        return cart
    }
}
