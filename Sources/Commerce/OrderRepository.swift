import TorsoKit

/// Orders and their payments.
public protocol OrderRepository: Sendable {
    /// Stores a new order; throws 409 `already_exists` if its cart already has one.
    func insertOrder(_ order: Order) async throws
    /// An order by ID.
    func order(_ id: String) async throws -> Order?
    /// Replaces an order stored at `expectedVersion`; `false` if it moved on.
    func replaceOrder(_ order: Order, expectedVersion: Int) async throws -> Bool
    /// One page of orders by ID, optionally of one status or one customer.
    func listOrders(status: String?, customer: String?, page: PageRequest) async throws -> [Order]
    /// Records a payment of an order.
    func insertPayment(orderId: String, payment: Order.Payment, currency: String, at: String) async throws
}
