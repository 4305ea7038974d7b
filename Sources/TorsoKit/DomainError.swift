/// A problem with one field of a request, located by a JSON pointer.
public struct FieldError: Hashable, Sendable, Codable {
    /// A JSON pointer into the request body (`/variants/2/sku`).
    public var pointer: String
    /// A stable snake_case code (`duplicate_sku`).
    public var code: String
    /// A sentence for people.
    public var detail: String

    /// Creates a field error.
    public init(pointer: String, code: String, detail: String) {
        self.pointer = pointer
        self.code = code
        self.detail = detail
    }
}

/// The error every module throws for a request that cannot be carried out. The HTTP layer
/// maps ``Kind`` to a status in one place; ``code`` is stable and documented.
public struct DomainError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, which decides the HTTP status.
    public enum Kind: Sendable {
        /// 422: the input is invalid.
        case invalid
        /// 404: the resource does not exist.
        case notFound
        /// 409: the resource is in a state that refuses the change.
        case conflict
        /// 409: the expected version is stale.
        case versionMismatch
        /// 401: no or an unknown credential.
        case unauthenticated
        /// 403: the credential lacks a permission.
        case forbidden
        /// 400: the request is malformed.
        case badRequest
        /// 402: a payment was declined or failed.
        case paymentRequired
        /// 410: the thing existed but is gone for good (a used or expired code).
        case gone
        /// 503: the server is too busy for this right now; try again in a second.
        case unavailable
    }

    /// Decides the HTTP status.
    public var kind: Kind
    /// A stable snake_case code.
    public var code: String
    /// A sentence for people.
    public var detail: String
    /// Field-level errors for validation failures.
    public var errors: [FieldError]
    /// The current version, for ``Kind/versionMismatch``.
    public var currentVersion: Int?

    /// Creates an error.
    public init(_ kind: Kind, code: String, detail: String, errors: [FieldError] = [], currentVersion: Int? = nil) {
        self.kind = kind
        self.code = code
        self.detail = detail
        self.errors = errors
        self.currentVersion = currentVersion
    }

    public var description: String { "\(code): \(detail)" }

    /// A validation failure listing the offending fields.
    public static func validation(_ errors: [FieldError]) -> DomainError {
        DomainError(.invalid, code: "validation_failed",
                    detail: errors.count == 1 ? errors[0].detail : "\(errors.count) fields are invalid.",
                    errors: errors)
    }

    /// A missing resource.
    public static func notFound(_ what: String, _ key: String) -> DomainError {
        DomainError(.notFound, code: "not_found", detail: "No \(what) '\(key)' exists.")
    }

    /// A stale version.
    public static func versionMismatch(expected: Int, current: Int) -> DomainError {
        DomainError(.versionMismatch, code: "version_mismatch",
                    detail: "Expected version \(expected), but the current version is \(current).",
                    currentVersion: current)
    }
}

/// Collects field errors while validating, then throws them all at once.
public struct ValidationErrors: Sendable {
    /// The errors found so far.
    public private(set) var errors: [FieldError] = []

    /// Starts empty.
    public init() {}

    /// Records one error.
    public mutating func add(_ pointer: String, _ code: String, _ detail: String) {
        errors.append(FieldError(pointer: pointer, code: code, detail: detail))
    }

    /// Records several errors.
    public mutating func add(contentsOf other: [FieldError]) { errors += other }

    /// Whether nothing has been recorded.
    public var isEmpty: Bool { errors.isEmpty }

    /// Throws ``DomainError/validation(_:)`` if anything was recorded.
    public func throwIfAny() throws {
        if !errors.isEmpty { throw DomainError.validation(errors) }
    }
}
