import TorsoKit

/// Orders and their payments.
public protocol OrderRepository: Sendable {
    /// Stores a new order; throws 409 `already_exists` if its cart already has one.
    func insertOrder(_ order: Order) async throws
    /// An order by ID.
    func order(_ id: String) async throws -> Order?
    /// Replaces an order stored at `expectedVersion`; `false` if it moved on.
    func replaceOrder(_ order: Order, expectedVersion: Int) async throws -> Bool
    /// One page of orders by ID after the page's cursor (oldest or newest first), optionally of
    /// one status or one customer.
    func listOrders(status: String?, customer: String?, page: PageRequest, newestFirst: Bool) async throws -> [Order]
    /// Records a payment of an order.
    func insertPayment(orderId: String, payment: Order.Payment, currency: String, at: String) async throws
}

extension OrderRepository {
    /// Orders by ID, oldest first, after the page's cursor.
    public func listOrders(status: String?, customer: String?, page: PageRequest) async throws -> [Order] {
        try await listOrders(status: status, customer: customer, page: page, newestFirst: false)
    }
}
