import Channels
import Commerce
import Events
import Foundation
import Inventory
import Logging
import TorsoKit

/// Steps 2 and 3 of a completion (pay, place the order), and what undoes step 1 when they fail.
extension CheckoutService {
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

    /// Lets an open cart's holds go.
    func releaseHolds(ofOpenCart id: String) async throws {
        try await store.transaction { tx in
            guard let cart = try await tx.carts.cart(id, forUpdate: true), cart.status == .open else { return }
            let released = try await tx.reservations.replaceReservations(holder: id, with: [])
            try await EventRecorder.holdsChanged(variants: Set(released), in: tx)
        }
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
            let taken = try await InventoryService.consume(holder: id, now: Date(),
                                                           backorder: Set(current.lines.filter(\.allowBackorder).map(\.variantId)), in: tx)
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
}
