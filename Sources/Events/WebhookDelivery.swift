import TorsoKit

/// One event on its way to one subscription. It is `pending` until an attempt succeeds
/// (`succeeded`) or the retry window is over (`failed`); every attempt is logged as a
/// ``WebhookAttempt``.
public struct WebhookDelivery: Sendable, Equatable, IdentifiedEntity {
    public static let idPrefix = "whd"

    /// Where a delivery stands.
    public enum Status: String, Sendable, CaseIterable {
        /// Waiting for its first or next attempt.
        case pending
        /// A receiver answered 2xx.
        case succeeded
        /// Every attempt in the retry window failed.
        case failed
    }

    /// The identifier (`whd_…`).
    public var id: ID<WebhookDelivery>
    /// The subscription it goes to.
    public var webhookId: ID<WebhookSubscription>
    /// The event's sequence number in the outbox.
    public var eventSeq: Int
    /// The event's type, when read with it (lists and reads); not stored with the delivery.
    public var eventType: String?
    /// Where it stands.
    public var status: Status
    /// Attempts made so far.
    public var attempts: Int
    /// When the next attempt is due (RFC 3339); `nil` once it succeeded or failed.
    public var nextAttemptAt: String?
    /// While a sender holds it: no other sender takes it before this time. An interrupted send
    /// (a killed process) is retried once the lease runs out.
    public var leaseUntil: String?
    /// The HTTP status of the last attempt; `nil` if it got no answer.
    public var lastStatusCode: Int?
    /// When it was made (RFC 3339); the retry window counts from here.
    public var createdAt: String
    /// When it last changed (RFC 3339).
    public var updatedAt: String

    /// Creates a delivery; a new one is pending and due at once.
    public init(id: ID<WebhookDelivery> = .generate(), webhookId: ID<WebhookSubscription>, eventSeq: Int, eventType: String? = nil,
                status: Status = .pending, attempts: Int = 0, nextAttemptAt: String?, leaseUntil: String? = nil,
                lastStatusCode: Int? = nil, createdAt: String, updatedAt: String) {
        self.id = id
        self.webhookId = webhookId
        self.eventSeq = eventSeq
        self.eventType = eventType
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.leaseUntil = leaseUntil
        self.lastStatusCode = lastStatusCode
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The message ID receivers see in `webhook-id` and deduplicate by (`evt_42`).
    public var messageId: String { "evt_\(eventSeq)" }
}

extension WebhookDelivery: Encodable {
    /// The admin view.
    public var json: JSONValue {
        .object([
            "id": .string(id.rawValue), "webhook_id": .string(webhookId.rawValue), "event_id": .string(messageId),
            "event_seq": .number(Double(eventSeq)), "event_type": eventType.map(JSONValue.string) ?? .null,
            "status": .string(status.rawValue), "attempt_count": .number(Double(attempts)),
            "next_attempt_at": nextAttemptAt.map(JSONValue.string) ?? .null,
            "last_status_code": lastStatusCode.map { .number(Double($0)) } ?? .null,
            "created_at": .string(createdAt), "updated_at": .string(updatedAt),
        ])
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}
