import Access
import Foundation
import TorsoKit

/// The facts of one write request: who, when, and the idempotency key it carries.
public struct WriteContext: Sendable {
    /// Who writes; history records them.
    public var actor: HistoryEntry.Actor
    /// The time of the write.
    public var now: Date { didSet { timestamp = Timestamp.string(now) } }
    /// The time as stored (formatted once: a batch of an import reads it thousands of times).
    public private(set) var timestamp: String
    /// The idempotency key and the fingerprint of the request it came with.
    public var idempotency: (key: String, fingerprint: String)?

    /// Creates a context.
    public init(actor: HistoryEntry.Actor, now: Date = Date(), idempotency: (key: String, fingerprint: String)? = nil) {
        self.actor = actor
        self.now = now
        self.timestamp = Timestamp.string(now)
        self.idempotency = idempotency
    }

    /// A context for a request made with an API key.
    public init(principal: Principal, now: Date = Date(), idempotency: (key: String, fingerprint: String)? = nil) {
        self.init(actor: .init(keyId: principal.keyId.rawValue, name: principal.name), now: now, idempotency: idempotency)
    }
}
