import Channels
import Commerce
import Events
import Foundation
import Inventory
import Logging
import TorsoKit

/// Starts and completes checkouts: holds stock, takes the payment and places the order, with no
/// oversell and no duplicate order.
///
/// Completion runs in three steps and reads the cart once per step. (1) In one transaction on
/// the locked cart: a completed cart
/// answers with its order; a cart already completing refuses with 409 `checkout_in_progress`;
/// otherwise the cart is checked, its stock is held (409 `insufficient_stock` if it cannot be),
/// and it is marked `completing`. (2) The payment is authorized, outside any transaction. A
/// declined or failed payment returns the cart to `open` (the stock stays held until the hold
/// expires) and answers 402. (3) In one transaction: the held stock is taken out of stock on
/// hand, the order (numbered from a counter), its payment and an `order.placed` event are
/// written, and the cart becomes `completed`. A cart stuck in `completing` (a crash between the
/// steps) can be completed again after ``staleCompletion``.
public struct CheckoutService: Sendable {
    let store: any Store
    let pricing: CartPricing
    let providers: [String: any PaymentProvider]
    let observer: (any ChangeObserver)?

    /// How long a completion may stay in progress before another attempt may take over.
    public static let staleCompletion: TimeInterval = 60

    /// Creates the service with payment providers by code.
    public init(store: any Store, carts: CartService, providers: [any PaymentProvider], observer: (any ChangeObserver)? = nil) {
        self.store = store
        pricing = carts.pricing
        self.providers = Dictionary(providers.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.observer = observer
    }

    /// What a head sends to complete a checkout.
    public struct Payment: Sendable {
        /// The provider's code (`test`, `manual`).
        public var provider: String
        /// How to pay.
        public var method: PaymentMethodDetails

        /// Creates payment details.
        public init(provider: String, method: PaymentMethodDetails) {
            self.provider = provider
            self.method = method
        }
    }

    /// Holds the cart's stock for ``Reservation/defaultTTL``; answers with the reservations.
    /// Reads the cart once, locked, in the transaction that holds the stock.
    public func checkout(_ id: String, caller: CartCaller) async throws -> [Reservation] {
        let snapshot = try pricing.snapshot(caller.channel)
        let (snapshotChannel, stores) = (snapshot.channel, snapshot.projector.stockScope.stores)
        let (held, products) = try await store.transaction { tx in
            let cart = try CartGuard.check(try await tx.carts.cart(id, forUpdate: true), id: id, caller: caller, for: .write)
            try Self.ready(cart)
            guard cart.status == .open else {
                throw DomainError(.conflict, code: "cart_not_open", detail: "The cart cannot be checked out any more.")
            }
            let methods = try await pricing.settings(in: tx).methods
            try Self.readyForPickup(cart, methods: methods, stores: stores)
            let subtotal: Int64
            do { subtotal = try cart.itemsSubtotal() } catch let error as CommerceError { throw error.domainError }
            if let code = cart.shippingMethod, Self.quote(cart, code: code, methods: methods, subtotal: subtotal) == nil {
                throw Self.shippingUnavailable(code)
            }
            let held = try await InventoryService.reserve(holder: id, lines: Self.stockLines(cart), locations: Self.locations(snapshotChannel, cart),
                                                          now: Date(), ttl: Reservation.defaultTTL,
                                                          hidingCounts: snapshotChannel.stockDisplay == .band, client: caller.holdLimit, in: tx)
            return (held, Array(Set(cart.lines.map(\.productId))).sorted())
        }
        // Held units are not available: the storefront says so before this returns.
        await observer?.changed(.adjusted(productIds: products))
        return held
    }

    /// Completes the checkout: the order, whether placed now or before.
    public func complete(_ id: String, caller: CartCaller, payment: Payment) async throws -> (order: Order, created: Bool) {
        let channel = caller.channel
        guard let provider = providers[payment.provider] else {
            throw DomainError.validation([FieldError(pointer: "/payment/provider", code: "unknown_provider",
                                                     detail: "Providers: \(providers.keys.sorted().joined(separator: ", ")).")])
        }
        let snapshot = try pricing.snapshot(channel)
        let (snapshotChannel, stores) = (snapshot.channel, snapshot.projector.stockScope.stores)
        try Self.allowed(payment.provider, on: snapshotChannel)
        // The cart's one read: the lines' published variants are read ahead from it (pricing in
        // the claim needs no I/O), and the claim's conditional write proves it did not move since.
        let (current, found) = try await store.read { tx in (try await pricing.settings(in: tx), try await tx.carts.cart(id, forUpdate: false)) }
        let (rates, methods, promotions) = (current.rates, current.methods, current.promotions)
        let cart = try CartGuard.check(found, id: id, caller: caller, for: .write)
        let pricer = try await pricing.pricer(for: cart)

        // 1. Claim the cart, price its lines and hold their stock. Stock that is no longer there
        // lets the cart's earlier holds go too: they would hide units until they expire.
        let claim: Claim
        do {
            claim = try await claimForCompletion(cart, pricer: pricer, methods: methods, stores: stores,
                                                 channel: snapshotChannel, caller: caller)
        } catch let error as DomainError where error.code == "insufficient_stock" {
            try await releaseHolds(ofOpenCart: id)
            throw error
        }
        let claimed: Cart
        switch claim {
        case .placed(let order): return (order, false)
        case .claimed(let cart): claimed = cart
        }
        return try await pay(claimed, provider: provider, payment: payment, snapshotChannel: snapshotChannel, settings: current)
    }

    /// Step 1: the cart claimed for completion (`completing`), priced and its stock held; or the
    /// order placed before.
    func claimForCompletion(_ cart: Cart, pricer: LinePricer, methods: [ShippingMethod], stores: [StockLocation],
                            channel snapshotChannel: Channel, caller: CartCaller) async throws -> Claim {
        let id = cart.id.rawValue
        return try await store.transaction { tx in
            var cart = cart
            switch cart.status {
            case .completed:
                guard let orderId = cart.orderId, let order = try await tx.orders.order(orderId) else {
                    throw DomainError(.conflict, code: "cart_not_open", detail: "The cart is completed.")
                }
                return .placed(order)
            case .completing:
                if let since = cart.completingSince.flatMap(Timestamp.parse), Date().timeIntervalSince(since) < Self.staleCompletion {
                    throw DomainError(.conflict, code: "checkout_in_progress", detail: "This cart is being completed; try again in a moment.")
                }
            case .open: break
            }
            try Self.ready(cart)
            try Self.readyForPickup(cart, methods: methods, stores: stores)
            try pricer.reprice(&cart, at: Date(), strict: true)
            // A hold about to end lives two more minutes: long enough to take the payment.
            _ = try await InventoryService.reserve(holder: id, lines: Self.stockLines(cart), locations: Self.locations(snapshotChannel, cart),
                                                   now: Date(), ttl: Reservation.defaultTTL,
                                                   hidingCounts: snapshotChannel.stockDisplay == .band, atLeast: .seconds(120),
                                                   client: caller.holdLimit, in: tx)
            let before = cart.version
            cart.status = .completing
            cart.completingSince = Timestamp.string(Date())
            cart.version += 1
            guard try await tx.carts.replaceCart(cart, expectedVersion: before) else {
                throw DomainError(.conflict, code: "checkout_in_progress", detail: "The cart changed meanwhile; try again.")
            }
            return .claimed(cart)
        }
    }

    /// What step 1 found: a cart claimed for completion, or the order placed before.
    enum Claim: Sendable {
        case claimed(Cart)
        case placed(Order)
    }
}

/// Marks payment identifiers (`pay_…`).
public enum PaymentEntity: IdentifiedEntity { public static let idPrefix = "pay" }
