import Commerce
import Events
import Foundation
import TorsoKit

/// Orders after they are placed: lists, reads, and moves through ``OrderStateMachine`` with the
/// side effects each move has. `confirm` captures the payment; `cancel` voids it (or refunds
/// it, once captured) and puts the lines back into stock; `refund` and `refund_partially` refund through the provider (the
/// whole captured amount, or `amount`); the fulfilment moves take a note (a tracking number).
/// Each move is one transaction on the order's version, with an `order.status_changed` event.
public struct OrderService: Sendable {
    let store: any Store
    let providers: [String: any PaymentProvider]
    let observer: (any ChangeObserver)?

    /// Creates the service with the payment providers by code.
    public init(store: any Store, providers: [any PaymentProvider], observer: (any ChangeObserver)? = nil) {
        self.store = store
        self.providers = Dictionary(providers.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.observer = observer
    }

    /// One order; 404 if there is none.
    public func get(_ id: String) async throws -> Order {
        guard let order = try await store.read({ try await $0.orders.order(id) }) else { throw DomainError.notFound("order", id) }
        return order
    }

    /// One page of orders by ID (the newest first if asked), optionally of one status or one customer.
    public func list(status: String?, customer: String?, page: PageRequest, newestFirst: Bool = false) async throws -> Page<Order> {
        if let status, OrderStatus(rawValue: status) == nil {
            throw DomainError.validation([FieldError(pointer: "/query/status", code: "invalid_value",
                                                     detail: "status is one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")).")])
        }
        let orders = try await store.read { try await $0.orders.listOrders(status: status, customer: customer, page: PageRequest(limit: page.limit + 1, cursor: page.cursor),
                                                                  newestFirst: newestFirst) }
        return Page.slice(orders, limit: page.limit) { $0.id.rawValue }
    }

    /// Applies an event to an order; 409 `illegal_transition` when its status does not allow it.
    public func apply(_ id: String, event name: String, note: String?, amount: Int64?, expectedVersion: Int?) async throws -> Order {
        guard let event = OrderEvent(rawValue: name) else {
            throw DomainError.validation([FieldError(pointer: "/event", code: "invalid_value",
                                                     detail: "event is one of \(OrderEvent.allCases.map(\.rawValue).joined(separator: ", ")).")])
        }
        let order = try await get(id)
        try Self.refuseWhileClaimed(order)
        if let expectedVersion, expectedVersion != order.version {
            throw DomainError(.versionMismatch, code: "version_mismatch", detail: "The order is at version \(order.version).", currentVersion: order.version)
        }
        let next: OrderStatus
        do {
            next = try OrderStateMachine().transition(from: order.status, via: event)
        } catch let error as CommerceError {
            throw error.domainError
        }
        // Collection moves are for click-and-collect orders; shipping moves for the others.
        let pickupMoves: Set<OrderEvent> = [.readyForPickup, .pickUp]
        let shippingMoves: Set<OrderEvent> = [.fulfillPartially, .fulfill, .ship, .deliver]
        if (order.pickupStore == nil && pickupMoves.contains(event)) || (order.pickupStore != nil && shippingMoves.contains(event)) {
            throw CommerceError.illegalTransition(from: order.status, event: event).domainError
        }
        // A move that asks the provider claims the order first (one transaction on its version):
        // a second move of the same order meanwhile — a double click, another tab, another node —
        // is refused before the provider is asked, so money moves once for one recorded move.
        let provider = providers[order.payment.provider]
        let refundable = order.payment.captured - order.payment.refunded
        if event == .refundPartially || event == .refund {
            let wanted = event == .refund ? refundable : (amount ?? 0)
            guard wanted > 0, wanted <= refundable, event == .refund || wanted < refundable else {
                throw DomainError.validation([FieldError(pointer: "/amount", code: "invalid_amount",
                                                         detail: "A partial refund is between 1 and \(max(0, refundable - 1)); \(refundable) is refundable.")])
            }
        }
        let asksProvider = provider != nil && [.confirm, .cancel, .refund, .refundPartially].contains(event)
        let base = asksProvider ? try await claim(order, for: event) : order
        var updated = base
        updated.moveInProgress = nil
        do {
            if let provider, asksProvider {
                switch event {
                case .confirm:
                    let result = try await paid { try await provider.capture(reference: order.payment.reference, amount: order.payment.amount) }
                    updated.payment.status = result.status
                    updated.payment.captured = order.payment.amount
                case .cancel:
                    // A captured payment is refunded; an authorization is voided.
                    if refundable > 0 {
                        let result = try await paid { try await provider.refund(reference: order.payment.reference, amount: refundable) }
                        updated.payment.status = result.status
                        updated.payment.refunded += refundable
                    } else {
                        let result = try await paid { try await provider.cancel(reference: order.payment.reference) }
                        updated.payment.status = result.status
                    }
                default:
                    let wanted = event == .refund ? refundable : (amount ?? 0)
                    let result = try await paid { try await provider.refund(reference: order.payment.reference, amount: wanted) }
                    updated.payment.status = result.status
                    updated.payment.refunded += wanted
                }
            }
        } catch {
            // The provider refused: the claim goes, the order stays as it was.
            if asksProvider { try? await release(base) }
            throw error
        }
        let now = Timestamp.string(Date())
        // The units go back once: on a cancel, a return, or a full refund of goods not returned.
        let restocks = updated.restockedAt == nil && [.cancel, .returnGoods, .refund].contains(event)
        if restocks { updated.restockedAt = now }
        updated.status = next
        updated.history.append(.init(from: order.status, to: next, event: event.rawValue, at: now, note: note))
        updated.version += 1
        updated.updatedAt = now
        let saved = updated
        try await store.transaction { tx in
            guard try await tx.orders.replaceOrder(saved, expectedVersion: base.version) else {
                throw DomainError(.versionMismatch, code: "version_mismatch", detail: "The order changed meanwhile; read it again.")
            }
            if restocks { try await Self.restock(saved, in: tx) }
            try await tx.outbox.appendEvent(type: EventType.orderStatusChanged, channel: saved.channel, subject: saved.id.rawValue, data: .object([
                "order_id": .string(saved.id.rawValue), "number": .string(saved.number),
                "from": .string(order.status.rawValue), "to": .string(next.rawValue), "event": .string(event.rawValue),
            ]), at: now)
            if let type = [OrderEvent.readyForPickup: EventType.orderReadyForPickup, .pickUp: EventType.orderPickedUp][event] {
                try await tx.outbox.appendEvent(type: type, channel: saved.channel, subject: saved.id.rawValue, data: .object([
                    "order_id": .string(saved.id.rawValue), "number": .string(saved.number), "pickup_store": .string(saved.pickupStore ?? ""),
                ]), at: now)
            }
        }
        if restocks {
            await observer?.changed(.stock(productIds: Array(Set(saved.lines.map { $0.productId })).sorted()))
        }
        return saved
    }

    /// Claims `order` for a move that asks the provider: its version goes up by one with the claim;
    /// 409 when another move holds it (for less than a minute) or the version moved on.
    func claim(_ order: Order, for event: OrderEvent) async throws -> Order {
        let now = Date()
        var claimed = order
        claimed.moveInProgress = .init(event: event.rawValue, since: Timestamp.string(now))
        claimed.version += 1
        let taken = claimed
        guard try await store.transaction({ try await $0.orders.replaceOrder(taken, expectedVersion: order.version) }) else {
            throw DomainError(.versionMismatch, code: "version_mismatch", detail: "The order changed meanwhile; read it again.")
        }
        return taken
    }

    /// 409 while another move holds the order (a claim younger than a minute; an older one was
    /// left by a process that stopped, and is taken over).
    static func refuseWhileClaimed(_ order: Order, now: Date = Date()) throws {
        if let held = order.moveInProgress, let since = Timestamp.parse(held.since), now.timeIntervalSince(since) < 60 {
            throw DomainError(.versionMismatch, code: "version_mismatch",
                              detail: "Another change of this order (\(held.event)) is under way; read it again.", currentVersion: order.version)
        }
    }

    /// Lets go of a claim whose provider call failed (the order is as it was, one version on).
    func release(_ claimed: Order) async throws {
        var released = claimed
        released.moveInProgress = nil
        released.version += 1
        let next = released
        _ = try await store.transaction { try await $0.orders.replaceOrder(next, expectedVersion: claimed.version) }
    }

    /// Puts an order's units back where they were taken from; orders placed before that was
    /// recorded go back to the variant's first location.
    static func restock(_ order: Order, in tx: any Transaction) async throws {
        let products = Dictionary(order.lines.map { ($0.variantId, $0.productId) }, uniquingKeysWith: { first, _ in first })
        var takes = order.stockTaken ?? []
        if order.stockTaken == nil {
            let levels = try await tx.stock.levels(products: Array(Set(products.values)), asOf: order.updatedAt)
            takes = order.lines.compactMap { line in
                levels[line.variantId]?.first.map { StockTake(variantId: line.variantId, location: $0.locationId, quantity: line.quantity) }
            }
        }
        for take in takes where take.quantity > 0 {
            try await tx.stock.restock(variant: take.variantId, productId: products[take.variantId] ?? "", location: take.location, quantity: take.quantity)
        }
        try await EventRecorder.stockChanged(variants: order.lines.map { ($0.productId, $0.variantId) }, in: tx)
    }

    private func paid(_ operation: () async throws -> PaymentResult) async throws -> PaymentResult {
        do {
            return try await operation()
        } catch let error as CommerceError {
            throw error.domainError
        }
    }
}
