import TorsoKit

/// A claimed delivery with everything a sender needs: where to, what, and the secrets to sign with.
public struct WebhookDispatch: Sendable {
    /// The delivery.
    public var deliveryId: ID<WebhookDelivery>
    /// Its subscription.
    public var webhookId: ID<WebhookSubscription>
    /// The receiver's URL.
    public var url: String
    /// The subscription's secrets.
    public var secrets: WebhookSecrets
    /// The event; its ``OutboxEvent/payload`` is the body.
    public var event: OutboxEvent

    /// Creates a dispatch.
    public init(deliveryId: ID<WebhookDelivery>, webhookId: ID<WebhookSubscription>, url: String, secrets: WebhookSecrets, event: OutboxEvent) {
        self.deliveryId = deliveryId
        self.webhookId = webhookId
        self.url = url
        self.secrets = secrets
        self.event = event
    }
}
