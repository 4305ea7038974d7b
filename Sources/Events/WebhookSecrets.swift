import TorsoKit

/// A subscription's signing secrets. After a rotation the previous secret keeps signing, next
/// to the new one, until `previousExpiresAt`, so receivers can switch without losing events.
public struct WebhookSecrets: Sendable, Equatable {
    /// The secret (`whsec_…`).
    public var current: String
    /// The secret before the last rotation, while it still signs.
    public var previous: String?
    /// When the previous secret stops signing (RFC 3339).
    public var previousExpiresAt: String?

    /// Creates the secrets.
    public init(current: String, previous: String? = nil, previousExpiresAt: String? = nil) {
        self.current = current
        self.previous = previous
        self.previousExpiresAt = previousExpiresAt
    }

    /// The secrets that sign at `now` (RFC 3339): the current one first.
    public func signing(at now: String) -> [String] {
        guard let previous, let expires = previousExpiresAt, expires > now else { return [current] }
        return [current, previous]
    }
}
