import Foundation

/// A response stored for an idempotency key, replayed on a retry.
public struct StoredResponse: Sendable, Equatable {
    /// The HTTP status.
    public var status: Int
    /// The JSON body.
    public var body: Data

    /// Creates a stored response.
    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}
