import Access
import Commerce
import Events
import Foundation
import TorsoKit

/// Hands a cart from a screen (a billboard, a kiosk) to a phone. The screen asks for a code
/// and shows it as a QR code; the phone claims it and gets a new token for the cart, and the
/// screen's token may from then on only read the cart and follow its stream
/// (`cart.claimed`, `cart.updated`, `cart.completed`). A code is single-use, short-lived, and
/// claimed on the cart's own channel; of two claims, one wins and the other gets 410.
public struct CartHandoffService: Sendable {
    let store: any Store
    let carts: CartService

    /// Creates the service.
    public init(store: any Store, carts: CartService) {
        self.store = store
        self.carts = carts
    }

    /// A code for the screen to show.
    public struct Code: Sendable {
        /// The code, in groups of four (`7KQ2-M9XD-4HTP`); dashes and case do not matter.
        public var code: String
        /// The channel's claim page with the code in it, if the channel has one.
        public var url: String?
        /// When the code stops working.
        public var expiresAt: String
    }

    /// A new code for an open guest cart, valid for `lifetime` seconds (default ten minutes); a
    /// code made before for the same cart and not yet claimed stops working.
    public func handoff(_ id: String, caller: CartCaller, lifetime: Int?) async throws -> Code {
        let seconds = lifetime ?? CartHandoff.defaultLifetime
        guard CartHandoff.lifetimes.contains(seconds) else {
            throw DomainError.validation([FieldError(pointer: "/expires_in", code: "out_of_range",
                                                     detail: "A code lives \(CartHandoff.lifetimes.lowerBound) to \(CartHandoff.lifetimes.upperBound) seconds.")])
        }
        let code = Self.newCode()
        let now = Date()
        let expiresAt = Timestamp.string(now.addingTimeInterval(TimeInterval(seconds)))
        try await store.transaction { tx in
            var cart = try CartGuard.check(try await tx.carts.cart(id, forUpdate: true), id: id, caller: caller, for: .write)
            guard cart.status == .open else {
                throw DomainError(.conflict, code: "cart_not_open", detail: "The cart is \(cart.status.rawValue); it cannot be handed off.")
            }
            guard cart.customerId == nil else {
                throw DomainError(.conflict, code: "handoff_not_allowed",
                                  detail: "A signed-in customer's cart stays with the customer; hand off guest carts.")
            }
            if cart.access?.watched != true {
                // A new version: a change read before this one cannot write the flag away.
                let before = cart.version
                cart.access?.watched = true
                cart.version += 1
                cart.updatedAt = Timestamp.string(now)
                guard try await tx.carts.replaceCart(cart, expectedVersion: before) else {
                    throw DomainError(.versionMismatch, code: "version_mismatch", detail: "The cart changed meanwhile; try again.")
                }
            }
            try await tx.carts.insertHandoff(CartHandoff(codeHash: Self.digest(code), cartId: id, channel: caller.channel,
                                                         expiresAt: expiresAt, createdAt: Timestamp.string(now)))
        }
        let channel = try carts.pricing.snapshot(caller.channel).channel
        return Code(code: code, url: channel.handoffURL(code: code), expiresAt: expiresAt)
    }

    /// Claims a code on `channel`: the cart with a new token that alone may change it. 410
    /// `handoff_claimed` or `handoff_expired` when the code was used or ran out; 404
    /// `handoff_not_found` for a code this channel never made.
    public func claim(code: String, channel: String) async throws -> CartService.View {
        let (token, access) = CartGuard.issue()
        let cart: Cart = try await store.transaction { tx in
            let now = Timestamp.string(Date())
            switch try await tx.carts.claimHandoff(codeHash: Self.digest(code), channel: channel, at: now) {
            case .unknown:
                throw DomainError(.notFound, code: "handoff_not_found", detail: "No cart waits for this code; check it, or ask the screen for a new one.")
            case .alreadyClaimed:
                throw DomainError(.gone, code: "handoff_claimed", detail: "This code was already used; ask the screen for a new one.")
            case .expired:
                throw DomainError(.gone, code: "handoff_expired", detail: "This code expired; ask the screen for a new one.")
            case .claimed(let id):
                guard var cart = try await tx.carts.cart(id, forUpdate: true), cart.status == .open else {
                    throw DomainError(.gone, code: "handoff_expired", detail: "The cart behind this code is no longer open.")
                }
                let before = cart.version
                cart.access?.handOver(to: access.writer)
                cart.version += 1
                cart.updatedAt = now
                guard try await tx.carts.replaceCart(cart, expectedVersion: before) else {
                    throw DomainError(.conflict, code: "version_mismatch", detail: "The cart changed meanwhile; claim again.")
                }
                try await EventRecorder.cart(EventType.cartClaimed, cart, in: tx)
                return cart
            }
        }
        var view = try await carts.view(cart)
        view.token = token
        return view
    }

    /// Twelve characters of Crockford's base32 (60 bits), in groups of four.
    static func newCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var rng = SystemRandomNumberGenerator()
        let characters = (0..<12).map { _ in alphabet[Int(rng.next(upperBound: UInt8(32)))] }
        return stride(from: 0, to: 12, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// A code as typed: case, dashes and spaces do not matter; O reads as 0 and I or L as 1.
    static func normalize(_ code: String) -> String {
        String(code.uppercased().prefix(64).compactMap { character -> Character? in
            switch character {
            case "-", " ": nil
            case "O": "0"
            case "I", "L": "1"
            default: character
            }
        })
    }

    static func digest(_ code: String) -> String { KeySecret.hash(normalize(code)) }
}
