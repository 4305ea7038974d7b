import TorsoKit

/// An endpoint that receives the outbox's events over HTTP, signed per Standard Webhooks.
///
/// The JSON view (`json`) never carries the signing secret: it is shown once, in the answer to
/// the create and rotate-secret requests (see ``WebhookSecrets``).
public struct WebhookSubscription: Sendable, Equatable, IdentifiedEntity {
    public static let idPrefix = "wh"

    /// Subscribes to every event type.
    public static let allTypes = "*"
    /// The `disabled_reason` of a subscription Torso turned off after too many failed attempts.
    public static let disabledForFailures = "consecutive_failures"

    /// The identifier (`wh_…`).
    public var id: ID<WebhookSubscription>
    /// Where events are POSTed (http or https).
    public var url: String
    /// The event types it receives (see ``EventType``), or `["*"]` for all; sorted, no duplicates.
    public var events: [String]
    /// The channel codes whose events it receives; `nil` for every channel. Events without a
    /// channel (orders of no channel, settings, customers…) always match.
    public var channels: [String]?
    /// A note for people.
    public var description: String?
    /// Whether events are fanned out to it and its deliveries are sent.
    public var enabled: Bool
    /// Why Torso disabled it (``disabledForFailures``); `nil` when enabled or turned off by hand.
    public var disabledReason: String?
    /// Failed attempts in a row across its deliveries; a success resets it.
    public var consecutiveFailures: Int
    /// While failing: no delivery is sent before this time (RFC 3339), then one probe at a time.
    public var pausedUntil: String?
    /// It receives events with a sequence number above this one: those committed after it was created.
    public var afterSeq: Int
    /// Increases by one with every change, starting at 1.
    public var version: Int
    /// When it was created (RFC 3339).
    public var createdAt: String
    /// When it last changed (RFC 3339).
    public var updatedAt: String

    /// Creates a subscription.
    public init(id: ID<WebhookSubscription> = .generate(), url: String, events: [String], channels: [String]? = nil,
                description: String? = nil, enabled: Bool = true, disabledReason: String? = nil, consecutiveFailures: Int = 0,
                pausedUntil: String? = nil, afterSeq: Int = 0, version: Int = 1, createdAt: String, updatedAt: String) {
        self.id = id
        self.url = url
        self.events = events
        self.channels = channels
        self.description = description
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.consecutiveFailures = consecutiveFailures
        self.pausedUntil = pausedUntil
        self.afterSeq = afterSeq
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether an event goes to this subscription: committed after it was created, of a type it
    /// takes, and of a channel it takes (or of none).
    public func matches(_ event: OutboxEvent) -> Bool {
        guard event.seq > afterSeq else { return false }
        guard events.contains(Self.allTypes) || events.contains(event.type) else { return false }
        guard let channels, let channel = event.channel else { return true }
        return channels.contains(channel)
    }
}

extension WebhookSubscription: JSONConvertible, Encodable {
    /// Reads the stored document (the view); the bookkeeping columns are set by the caller.
    public init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObjectReader(json)
        guard let id = try object.id("id", of: WebhookSubscription.self) else {
            throw JSONShapeError(pointer: "/id", code: "required", detail: "'id' is required.")
        }
        let channels: [String]? = (object.members["channels"] ?? .null) == .null ? nil : try object.strings("channels")
        self.init(id: id, url: try object.string("url"), events: try object.strings("events"), channels: channels,
                  description: try object.optionalString("description"), enabled: try object.optionalBool("enabled") ?? true,
                  disabledReason: try object.optionalString("disabled_reason"),
                  consecutiveFailures: Int(try object.optionalInteger("consecutive_failures") ?? 0),
                  version: Int(try object.integer("version")), createdAt: try object.string("created_at"),
                  updatedAt: try object.string("updated_at"))
    }

    /// The admin view: no secret, no internal bookkeeping (`after_seq`, `paused_until`).
    public var json: JSONValue {
        .object([
            "id": .string(id.rawValue), "url": .string(url), "events": .array(events.map(JSONValue.string)),
            "channels": channels.map { .array($0.map(JSONValue.string)) } ?? .null,
            "description": description.map(JSONValue.string) ?? .null, "enabled": .bool(enabled),
            "disabled_reason": disabledReason.map(JSONValue.string) ?? .null,
            "consecutive_failures": .number(Double(consecutiveFailures)), "version": .number(Double(version)),
            "created_at": .string(createdAt), "updated_at": .string(updatedAt),
        ])
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}
