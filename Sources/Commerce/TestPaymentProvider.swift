import TorsoKit

/// A card provider for development and tests whose outcome depends on the card number:
///
/// | Card number | Outcome | `failure_code` |
/// |---|---|---|
/// | `4242424242424242` | `authorized` | – |
/// | `4000000000000002` | `declined` | `card_declined` |
/// | `4000000000009995` | `declined` | `insufficient_funds` |
/// | `4000000000000119` | `failed` after ``delay`` | `processing_error` |
/// | anything else | `declined` | `invalid_card` |
///
/// Spaces and hyphens in the number are ignored. Captures, refunds and cancels of authorized
/// payments always succeed within their limits. References are `test_pay_1`, `test_pay_2`, ….
public actor TestPaymentProvider: PaymentProvider {
    /// The card that is authorized.
    public static let successCard = "4242424242424242"
    /// The card that is declined with `card_declined`.
    public static let declinedCard = "4000000000000002"
    /// The card that is declined with `insufficient_funds`.
    public static let insufficientFundsCard = "4000000000009995"
    /// The card that fails with `processing_error` after the delay.
    public static let processingErrorCard = "4000000000000119"

    /// `test`.
    public nonisolated let code = "test"
    /// How long the processing-error card takes to fail.
    public nonisolated let delay: Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    private var ledger = PaymentLedger(prefix: "test_pay")

    /// Creates a provider; `sleep` waits for the processing-error delay (tests pass a no-op or a
    /// recorder).
    public init(delay: Duration = .milliseconds(200),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.delay = delay
        self.sleep = sleep
    }

    /// Authorizes, declines or fails according to the card number (see the table above).
    public func authorize(amount: Int64, currency: Currency, method: PaymentMethodDetails) async throws -> PaymentResult {
        guard amount > 0 else { throw CommerceError.invalidAmount(pointer: "/amount", amount: amount) }
        let number = (method.cardNumber ?? "").filter { $0 != " " && $0 != "-" }
        let outcome: (PaymentStatus, String?)
        switch number {
        case Self.successCard: outcome = (.authorized, nil)
        case Self.declinedCard: outcome = (.declined, "card_declined")
        case Self.insufficientFundsCard: outcome = (.declined, "insufficient_funds")
        case Self.processingErrorCard:
            try await sleep(delay)
            outcome = (.failed, "processing_error")
        default: outcome = (.declined, "invalid_card")
        }
        let reference = ledger.nextReference()
        ledger.record(reference, status: outcome.0, amount: amount, currency: currency)
        return PaymentResult(reference: reference, status: outcome.0, amount: amount, currency: currency, failureCode: outcome.1)
    }

    /// Captures up to the authorized amount of an authorized payment.
    public func capture(reference: String, amount: Int64) async throws -> PaymentResult {
        try ledger.capture(reference, amount: amount, from: [.authorized])
    }

    /// Refunds up to the captured amount not yet refunded.
    public func refund(reference: String, amount: Int64) async throws -> PaymentResult {
        try ledger.refund(reference, amount: amount)
    }

    /// Releases an authorized, uncaptured payment.
    public func cancel(reference: String) async throws -> PaymentResult {
        try ledger.cancel(reference, from: [.authorized])
    }
}
