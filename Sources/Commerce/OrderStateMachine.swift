/// The legal moves of an order. Every (status, event) pair not in ``table`` is illegal and
/// throws ``CommerceError/illegalTransition(from:event:)`` (`illegal_transition`).
///
/// | From | Event | To |
/// |---|---|---|
/// | pending | confirm | confirmed |
/// | pending | cancel | canceled |
/// | confirmed | fulfill_partially | partially_fulfilled |
/// | confirmed | fulfill | fulfilled |
/// | confirmed | cancel | canceled |
/// | confirmed | ready_for_pickup | ready_for_pickup (click and collect only) |
/// | ready_for_pickup | pick_up | picked_up |
/// | ready_for_pickup | cancel | canceled (never collected) |
/// | picked_up | return, refund_partially, refund | as from delivered |
/// | partially_fulfilled | fulfill_partially | partially_fulfilled |
/// | partially_fulfilled | fulfill | fulfilled |
/// | fulfilled | ship | shipped |
/// | shipped | deliver | delivered |
/// | delivered | return | returned |
/// | delivered | refund_partially | partially_refunded |
/// | delivered | refund | refunded |
/// | returned | refund_partially | partially_refunded |
/// | returned | refund | refunded |
/// | partially_refunded | refund_partially | partially_refunded |
/// | partially_refunded | refund | refunded |
///
/// `canceled` and `refunded` are terminal.
public struct OrderStateMachine: Sendable {
    /// The allowed transitions: status → event → next status.
    public static let table: [OrderStatus: [OrderEvent: OrderStatus]] = [
        .pending: [.confirm: .confirmed, .cancel: .canceled],
        .confirmed: [.fulfillPartially: .partiallyFulfilled, .fulfill: .fulfilled, .cancel: .canceled, .readyForPickup: .readyForPickup],
        .readyForPickup: [.pickUp: .pickedUp, .cancel: .canceled],
        .pickedUp: [.returnGoods: .returned, .refundPartially: .partiallyRefunded, .refund: .refunded],
        .partiallyFulfilled: [.fulfillPartially: .partiallyFulfilled, .fulfill: .fulfilled],
        .fulfilled: [.ship: .shipped],
        .shipped: [.deliver: .delivered],
        .delivered: [.returnGoods: .returned, .refundPartially: .partiallyRefunded, .refund: .refunded],
        .returned: [.refundPartially: .partiallyRefunded, .refund: .refunded],
        .partiallyRefunded: [.refundPartially: .partiallyRefunded, .refund: .refunded],
        .canceled: [:],
        .refunded: [:],
    ]

    /// Creates the state machine.
    public init() {}

    /// The status after `event`, or `illegal_transition` when the table has no such move.
    public func transition(from status: OrderStatus, via event: OrderEvent) throws -> OrderStatus {
        guard let next = Self.table[status]?[event] else {
            throw CommerceError.illegalTransition(from: status, event: event)
        }
        return next
    }

    /// The events `status` accepts, in declaration order.
    public func allowedEvents(from status: OrderStatus) -> [OrderEvent] {
        OrderEvent.allCases.filter { Self.table[status]?[$0] != nil }
    }
}
