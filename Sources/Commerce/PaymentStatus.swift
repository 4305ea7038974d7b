/// Where a payment is.
public enum PaymentStatus: String, Sendable, Codable, Hashable, CaseIterable {
    /// Awaiting money outside the provider (invoice, cash on delivery).
    case pending
    /// Reserved on the customer's card, not yet taken.
    case authorized
    /// Taken.
    case captured
    /// Part of the captured money went back.
    case partiallyRefunded = "partially_refunded"
    /// All captured money went back.
    case refunded
    /// The authorization was released before capture.
    case canceled
    /// The provider or bank said no (see ``PaymentResult/failureCode``).
    case declined
    /// The provider failed; retrying may work (see ``PaymentResult/failureCode``).
    case failed

    /// Whether the payment was refused or failed.
    public var isFailure: Bool { self == .declined || self == .failed }
}
