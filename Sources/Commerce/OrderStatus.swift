/// Where an order is in its life. One status covers payment, fulfillment and returns, because
/// the storefront and the admin need one answer to "where is my order"; the payment's own state
/// lives in ``PaymentStatus``. See ``OrderStateMachine`` for the allowed moves.
public enum OrderStatus: String, Sendable, Codable, Hashable, CaseIterable {
    /// Placed, awaiting confirmation (payment authorized or pending).
    case pending
    /// Accepted by the merchant; nothing shipped yet.
    case confirmed
    /// Some lines are packed or sent.
    case partiallyFulfilled = "partially_fulfilled"
    /// Every line is packed.
    case fulfilled
    /// Handed to the carrier.
    case shipped
    /// Received by the customer.
    case delivered
    /// Packed and waiting at the pickup store (click and collect).
    case readyForPickup = "ready_for_pickup"
    /// Collected at the store by the customer.
    case pickedUp = "picked_up"
    /// Canceled before fulfillment. Terminal.
    case canceled
    /// The goods came back.
    case returned
    /// Part of the money went back.
    case partiallyRefunded = "partially_refunded"
    /// All of the money went back. Terminal.
    case refunded

    /// Whether no event leaves this status.
    public var isTerminal: Bool { OrderStateMachine.table[self, default: [:]].isEmpty }
}
