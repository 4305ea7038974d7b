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

        // 1. Claim the cart, price its lines and hold their stock.
        let claim: Claim = try await store.transaction { tx in
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
        let claimed: Cart
        switch claim {
        case .placed(let order): return (order, false)
        case .claimed(let cart): claimed = cart
        }
        return try await pay(claimed, provider: provider, payment: payment, snapshotChannel: snapshotChannel, settings: current)
    }

    /// Steps 2 and 3 for a cart claimed for completion.
    func pay(_ cart: Cart, provider: any PaymentProvider, payment: Payment, snapshotChannel: Channel,
             settings current: CommerceSettings) async throws -> (order: Order, created: Bool) {
        let (rates, methods, promotions, channel) = (current.rates, current.methods, current.promotions, cart.channel)
        let (totals, applied) = try pricing.totals(cart, channel: snapshotChannel, rates: rates, methods: methods, promotions: promotions,
                                                       now: Date(), usage: try await pricing.usage(of: cart))
        // A code the shopper entered that no longer applies (used up meanwhile, expired) is never
        // dropped silently: the order would cost more than the cart showed.
        if let rejected = applied.rejections.first {
            try await reopen(cart)
            throw DomainError(.conflict, code: rejected.reason.rawValue,
                              detail: "Promotion '\(rejected.code)' no longer applies (\(rejected.reason.rawValue.replacingOccurrences(of: "_", with: " "))); remove it and try again.")
        }
        // The method is quoted again for the cart as it is now (address, weight, subtotal): a
        // method that no longer ships it is never charged as free.
        if let code = cart.shippingMethod, Self.quote(cart, code: code, methods: methods, subtotal: totals.subtotal - totals.discountTotal) == nil {
            try await reopen(cart)
            throw Self.shippingUnavailable(code)
        }

        // 2. Pay, outside any transaction.
        let result: PaymentResult
        do {
            result = try await provider.authorize(amount: totals.total, currency: cart.currency, method: payment.method)
        } catch {
            // What the provider said goes to the log, not to the shopper.
            Logger(label: "torso.payments").error("payment provider failed", metadata: ["provider": "\(provider.code)", "error": "\(error)"])
            try await reopen(cart)
            throw DomainError(.paymentRequired, code: "payment_failed", detail: "The payment could not be processed; the cart is open again.")
        }
        guard [.authorized, .captured, .pending].contains(result.status) else {
            try await reopen(cart)
            let code = result.failureCode ?? "payment_declined"
            throw DomainError(.paymentRequired, code: code, detail: "The payment was not accepted (\(code)). The cart is open again.")
        }

        // 3. Place the order; if that fails, the payment is voided and the cart reopened.
        let now = Timestamp.string(Date())
        let order: Order
        do {
            order = try await place(cart, totals: totals, applied: applied, promotions: promotions, result: result, provider: provider,
                                    channel: channel, now: now)
        } catch {
            _ = try? await provider.cancel(reference: result.reference)
            try await reopen(cart)
            throw error
        }
        await observer?.changed(.stock(productIds: Array(Set(order.lines.map { $0.productId })).sorted()))
        return (order, true)
    }

    /// Step 3: takes the held stock, counts promotion uses, writes the order, its payment and an
    /// `order.placed` event, and closes the cart — all or nothing.
    func place(_ cart: Cart, totals: Totals, applied: PromotionResult, promotions: [Promotion], result: PaymentResult, provider: any PaymentProvider,
               channel: String, now: String) async throws -> Order {
        let id = cart.id.rawValue
        let limits = Dictionary(promotions.map { ($0.id, $0.usageLimit) }, uniquingKeysWith: { first, _ in first })
        let perBuyer = Dictionary(promotions.map { ($0.id, $0.usageLimitPerCustomer) }, uniquingKeysWith: { first, _ in first })
        return try await store.transaction { tx in
            // The cart is not read again: step 1 left it `completing` at `cart.version`, and the
            // conditional write at the end rolls all of this back if anything moved it since.
            var current = cart
            let taken = try await InventoryService.consume(holder: id, now: Date(), in: tx)
            let wanted = Self.stockLines(current).reduce(0) { $0 + $1.quantity }
            guard taken.reduce(0, { $0 + $1.quantity }) == wanted else {
                throw DomainError(.conflict, code: "insufficient_stock", detail: "The stock held for this cart expired; check out again.")
            }
            let sequence = try await tx.counters.nextCounter("order_number") - OrderNumber.defaultOffset
            let paymentRecord = Order.Payment(id: ID<PaymentEntity>.generate().rawValue, provider: provider.code, reference: result.reference,
                                              status: result.status, amount: result.amount,
                                              captured: result.status == .captured ? result.amount : 0, refunded: 0)
            var order = Order(
                id: .generate(), number: OrderNumber(sequence: sequence).description, cartId: id, channel: channel,
                customerId: current.customerId, email: current.email ?? "", status: .pending, lines: current.lines,
                shippingAddress: current.shippingAddress!, billingAddress: current.billingAddress ?? current.shippingAddress!,
                shippingMethod: current.shippingMethod, totals: totals, payment: paymentRecord,
                history: [.init(from: nil, to: .pending, event: "place", at: now, note: nil)], version: 1, createdAt: now, updatedAt: now)
            order.promotions = applied.discounts.isEmpty ? nil : applied.discounts
            order.pickupStore = current.pickupStore
            order.stockTaken = taken.map { StockTake(variantId: $0.variantId, location: $0.locationId, quantity: $0.quantity) }
            // Uses are counted here, in the order's transaction (the counter row is locked until
            // commit): concurrent completions cannot all see "not used yet".
            let buyer = CartPricing.buyerKey(current)
            for promotion in applied.discounts {
                let used = try await tx.counters.incrementCounter(CartPricing.usageCounter(promotion.promotionId))
                if let limit = limits[promotion.promotionId] ?? nil, used > limit {
                    throw DomainError(.conflict, code: "usage_limit_reached",
                                      detail: "Promotion '\(promotion.code ?? promotion.promotionId)' has been used up; remove it and try again.")
                }
                if let limit = perBuyer[promotion.promotionId] ?? nil, let buyer,
                   try await tx.counters.incrementCounter(CartPricing.usageCounter(promotion.promotionId, by: buyer)) > limit {
                    throw DomainError(.conflict, code: "usage_limit_reached",
                                      detail: "Promotion '\(promotion.code ?? promotion.promotionId)' was already used by this customer; remove it and try again.")
                }
            }
            try await tx.orders.insertOrder(order)
            try await tx.orders.insertPayment(orderId: order.id.rawValue, payment: paymentRecord, currency: cart.currency.code, at: now)
            try await tx.outbox.appendEvent(type: EventType.orderPlaced, channel: channel, subject: order.id.rawValue, data: .object([
                "order_id": .string(order.id.rawValue), "number": .string(order.number),
                "total": .number(Double(order.totals.total)), "currency": .string(cart.currency.code),
            ]), at: now)
            try await EventRecorder.stockChanged(variants: taken.map { reservation in
                (current.lines.first { $0.variantId == reservation.variantId }?.productId ?? "", reservation.variantId)
            }.filter { !$0.0.isEmpty }, in: tx)
            let before = current.version
            current.status = .completed
            current.orderId = order.id.rawValue
            current.version += 1
            current.updatedAt = now
            guard try await tx.carts.replaceCart(current, expectedVersion: before) else {
                throw DomainError(.conflict, code: "checkout_in_progress", detail: "The cart changed while it was being completed.")
            }
            try await EventRecorder.cart(EventType.cartCompleted, current, order: (order.id.rawValue, order.number), in: tx)
            return order
        }
    }

    /// What step 1 found: a cart claimed for completion, or the order placed before.
    enum Claim: Sendable {
        case claimed(Cart)
        case placed(Order)
    }

    /// Returns a cart whose payment failed (or whose order could not be placed) to `open`, and
    /// lets its holds go: a declined card keeps no stock from other buyers.
    func reopen(_ cart: Cart) async throws {
        try await store.transaction { tx in
            guard var current = try await tx.carts.cart(cart.id.rawValue, forUpdate: true), current.status == .completing else { return }
            let before = current.version
            current.status = .open
            current.completingSince = nil
            current.version += 1
            _ = try await tx.carts.replaceCart(current, expectedVersion: before)
            let released = try await tx.reservations.replaceReservations(holder: cart.id.rawValue, with: [])
            try await EventRecorder.holdsChanged(variants: Set(released), in: tx)
        }
    }
}

/// Marks payment identifiers (`pay_…`).
public enum PaymentEntity: IdentifiedEntity { public static let idPrefix = "pay" }
