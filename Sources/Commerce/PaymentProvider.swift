import TorsoKit

/// A way to take money. Operations are asynchronous because real providers are remote.
public protocol PaymentProvider: Sendable {
    /// A stable code naming the provider (`manual`, `test`).
    var code: String { get }
    /// Reserves (or, for manual methods, registers) `amount` with the customer's method.
    func authorize(amount: Int64, currency: Currency, method: PaymentMethodDetails) async throws -> PaymentResult
    /// Takes `amount` (at most what was authorized) of an authorized payment.
    func capture(reference: String, amount: Int64) async throws -> PaymentResult
    /// Gives back `amount` (at most what is captured and not yet refunded).
    func refund(reference: String, amount: Int64) async throws -> PaymentResult
    /// Releases an authorization that was not captured.
    func cancel(reference: String) async throws -> PaymentResult
}
