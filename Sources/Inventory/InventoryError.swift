import TorsoKit

/// A stock rule refused an operation. Every case has a stable snake_case ``code`` and
/// converts to the project-wide ``DomainError`` (which the HTTP layer maps to a status).
public enum InventoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer units are available than requested, and backorders are not allowed.
    case insufficientStock(variantId: String?, requested: Int, available: Int)
    /// A quantity is zero or negative where a positive one is required.
    case invalidQuantity(pointer: String, quantity: Int)

    /// The stable snake_case code.
    public var code: String {
        switch self {
        case .insufficientStock: "insufficient_stock"
        case .invalidQuantity: "invalid_quantity"
        }
    }

    /// A sentence for people.
    public var detail: String {
        switch self {
        case .insufficientStock(let variantId, let requested, let available):
            "Only \(available) of the \(requested) requested units\(variantId.map { " of '\($0)'" } ?? "") are available."
        case .invalidQuantity(_, let quantity):
            "The quantity must be positive, not \(quantity)."
        }
    }

    public var description: String { "\(code): \(detail)" }

    /// The same error as a ``DomainError``: too little stock is a `conflict` (409), a bad
    /// quantity is `invalid` (422); both with a field error.
    public var domainError: DomainError { domainError(hidingCounts: false) }

    /// ``domainError``, for a channel whose heads may not see counts (`hidingCounts`: the
    /// detail says there are not enough, not how many there are), with the field error at
    /// `pointer` (default `/quantity`).
    public func domainError(hidingCounts: Bool, pointer: String? = nil) -> DomainError {
        switch self {
        case .insufficientStock(let variantId, _, _):
            let detail = hidingCounts ? "Not enough units\(variantId.map { " of '\($0)'" } ?? "") are available." : self.detail
            return DomainError(.conflict, code: code, detail: detail, errors: [FieldError(pointer: pointer ?? "/quantity", code: code, detail: detail)])
        case .invalidQuantity(let at, _):
            return DomainError(.invalid, code: code, detail: detail, errors: [FieldError(pointer: pointer ?? at, code: code, detail: detail)])
        }
    }
}
