import Access
import Channels
import Events
import Foundation
import TorsoKit

/// A delivery with its attempts and the payload it carries.
public struct WebhookDeliveryDetail: Sendable, Encodable {
    /// The delivery.
    public var delivery: WebhookDelivery
    /// Every attempt, in order.
    public var attempts: [WebhookAttempt]
    /// The body each attempt sends (the event's payload).
    public var payload: JSONValue?

    /// The admin view: the delivery's members, `attempts` and `payload`.
    public var json: JSONValue {
        var members = delivery.json.objectValue ?? [:]
        members["attempts"] = .array(attempts.map(\.json))
        members["payload"] = payload ?? .null
        return .object(members)
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}
