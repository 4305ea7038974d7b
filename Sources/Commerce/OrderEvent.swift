/// Something that happens to an order and may move its ``OrderStatus``.
public enum OrderEvent: String, Sendable, Codable, Hashable, CaseIterable {
    /// The merchant accepts the order.
    case confirm
    /// Some lines are fulfilled (may repeat).
    case fulfillPartially = "fulfill_partially"
    /// All remaining lines are fulfilled.
    case fulfill
    /// The parcel is handed to the carrier.
    case ship
    /// The parcel reaches the customer.
    case deliver
    /// A click-and-collect order is waiting at its store.
    case readyForPickup = "ready_for_pickup"
    /// The customer collected it.
    case pickUp = "pick_up"
    /// The order is called off before fulfillment.
    case cancel
    /// The customer sends the goods back.
    case returnGoods = "return"
    /// Part of the money is refunded (may repeat).
    case refundPartially = "refund_partially"
    /// The rest of the money is refunded.
    case refund
}
