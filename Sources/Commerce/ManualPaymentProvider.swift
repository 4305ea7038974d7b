import TorsoKit

/// Payments settled outside Torso: invoice, bank transfer, cash on delivery. Authorizing records
/// the payment as `pending`; the merchant captures it when the money arrives, and may refund it
/// afterwards or cancel it before.
public actor ManualPaymentProvider: PaymentProvider {
    /// `manual`.
    public nonisolated let code = "manual"
    private var ledger = PaymentLedger(prefix: "manual_pay")

    /// Creates a provider with no payments.
    public init() {}

    /// Records the payment as `pending`; never declines. A non-positive amount is refused.
    public func authorize(amount: Int64, currency: Currency, method: PaymentMethodDetails) async throws -> PaymentResult {
        guard amount > 0 else { throw CommerceError.invalidAmount(pointer: "/amount", amount: amount) }
        let reference = ledger.nextReference()
        ledger.record(reference, status: .pending, amount: amount, currency: currency)
        return PaymentResult(reference: reference, status: .pending, amount: amount, currency: currency)
    }

    /// Marks the money as received.
    public func capture(reference: String, amount: Int64) async throws -> PaymentResult {
        try ledger.capture(reference, amount: amount, from: [.pending])
    }

    /// Records money given back.
    public func refund(reference: String, amount: Int64) async throws -> PaymentResult {
        try ledger.refund(reference, amount: amount)
    }

    /// Calls off a payment whose money has not arrived.
    public func cancel(reference: String) async throws -> PaymentResult {
        try ledger.cancel(reference, from: [.pending])
    }
}
