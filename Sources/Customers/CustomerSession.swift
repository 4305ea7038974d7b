import TorsoKit

/// A logged-in customer's session as stored: only the SHA-256 of its token, never the token.
/// A session is bound to the channel of the publishable key it was opened with.
public struct CustomerSession: Sendable, Equatable {
    /// The hex SHA-256 of the token.
    public var tokenHash: String
    /// Whose session it is.
    public var customerId: ID<CustomerEntity>
    /// The channel it was opened on; it authenticates nowhere else.
    public var channel: String
    /// When it stops authenticating (RFC 3339).
    public var expiresAt: String

    /// Creates a session record.
    public init(tokenHash: String, customerId: ID<CustomerEntity>, channel: String, expiresAt: String) {
        self.tokenHash = tokenHash
        self.customerId = customerId
        self.channel = channel
        self.expiresAt = expiresAt
    }
}
