import TorsoKit

/// A commerce rule refused an operation. Every case has a stable snake_case ``code`` and
/// converts to the project-wide ``DomainError`` (which the HTTP layer maps to a status).
public enum CommerceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An order cannot take `event` in status `from`.
    case illegalTransition(from: OrderStatus, event: OrderEvent)
    /// A quantity is zero or negative where a positive one is required.
    case invalidQuantity(pointer: String, quantity: Int)
    /// An amount is negative where it must not be.
    case invalidAmount(pointer: String, amount: Int64)
    /// An amount does not fit in 64-bit minor units.
    case amountOverflow(pointer: String)
    /// A payment provider does not know the payment reference.
    case paymentNotFound(reference: String)
    /// A payment cannot take the operation in its current state (capturing twice, refunding
    /// more than was captured, a different currency).
    case invalidPaymentOperation(reference: String, detail: String)

    /// The stable snake_case code.
    public var code: String {
        switch self {
        case .illegalTransition: "illegal_transition"
        case .invalidQuantity: "invalid_quantity"
        case .invalidAmount: "invalid_amount"
        case .amountOverflow: "amount_overflow"
        case .paymentNotFound: "payment_not_found"
        case .invalidPaymentOperation: "invalid_payment_operation"
        }
    }

    /// A sentence for people.
    public var detail: String {
        switch self {
        case .illegalTransition(let from, let event):
            "An order in status '\(from.rawValue)' cannot take the event '\(event.rawValue)'."
        case .invalidQuantity(_, let quantity):
            "The quantity must be positive, not \(quantity)."
        case .invalidAmount(_, let amount):
            "The amount must not be negative, not \(amount)."
        case .amountOverflow:
            "The amount is too large."
        case .paymentNotFound(let reference):
            "No payment '\(reference)' exists."
        case .invalidPaymentOperation(_, let detail):
            detail
        }
    }

    public var description: String { "\(code): \(detail)" }

    /// The same error as a ``DomainError``: state conflicts are `conflict` (409), bad input is
    /// `invalid` (422) with a field error, unknown payments are `notFound` (404).
    public var domainError: DomainError {
        switch self {
        case .illegalTransition, .invalidPaymentOperation:
            return DomainError(.conflict, code: code, detail: detail)
        case .invalidQuantity(let pointer, _), .invalidAmount(let pointer, _), .amountOverflow(let pointer):
            return DomainError(.invalid, code: code, detail: detail,
                               errors: [FieldError(pointer: pointer, code: code, detail: detail)])
        case .paymentNotFound:
            return DomainError(.notFound, code: code, detail: detail)
        }
    }
}
