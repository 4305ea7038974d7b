import TorsoKit

/// One committed change, as kept in the outbox (`events`). Sequence numbers are global,
/// gapless and given in commit order, so a reader that has seen `n` has seen everything
/// before it and resumes with "after `n`".
public struct OutboxEvent: Sendable, Equatable {
    /// The position in the outbox, from 1.
    public var seq: Int
    /// What happened (`product.published`; see ``EventType``).
    public var type: String
    /// The channel the event belongs to; `nil` for events of every channel or of none.
    public var channel: String?
    /// The ID of what it is about (a product, an order, a webhook).
    public var subject: String
    /// The event's details.
    public var data: JSONValue
    /// When it was committed (RFC 3339).
    public var at: String
    /// The node that committed it; nodes skip their own events when they follow the outbox.
    public var origin: String?

    /// Creates an event.
    public init(seq: Int, type: String, channel: String? = nil, subject: String, data: JSONValue, at: String, origin: String? = nil) {
        self.seq = seq
        self.type = type
        self.channel = channel
        self.subject = subject
        self.data = data
        self.at = at
        self.origin = origin
    }

    /// The stable message ID receivers deduplicate by (`evt_42`): the same on every retry.
    public var messageId: String { "evt_\(seq)" }

    /// The JSON body webhooks, the live feed and the admin feed carry.
    public var payload: JSONValue {
        .object([
            "id": .string(messageId), "seq": .number(Double(seq)), "type": .string(type),
            "channel": channel.map(JSONValue.string) ?? .null, "subject": .string(subject),
            "timestamp": .string(at), "data": data,
        ])
    }
}
