import TorsoKit

/// What a provider answered to one operation. Declines and failures are results, not errors;
/// errors are reserved for operations that make no sense (unknown payment, refunding more than
/// was captured).
public struct PaymentResult: Sendable, Hashable, Codable {
    /// The provider's reference for the payment, for later capture, refund or cancel.
    public var reference: String
    /// The payment's status after the operation.
    public var status: PaymentStatus
    /// The amount this operation covered, in minor units.
    public var amount: Int64
    /// The currency.
    public var currency: Currency
    /// A stable code when declined or failed (`card_declined`, `insufficient_funds`,
    /// `processing_error`, `invalid_card`).
    public var failureCode: String?

    /// Creates a result.
    public init(reference: String, status: PaymentStatus, amount: Int64, currency: Currency, failureCode: String? = nil) {
        self.reference = reference
        self.status = status
        self.amount = amount
        self.currency = currency
        self.failureCode = failureCode
    }

    enum CodingKeys: String, CodingKey {
        case reference, status, amount, currency
        case failureCode = "failure_code"
    }
}
