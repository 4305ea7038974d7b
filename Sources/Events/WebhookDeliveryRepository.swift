import TorsoKit

/// The fan-out of events to subscriptions, the deliveries it makes and their attempts.
public protocol WebhookDeliveryRepository: Sendable {
    /// The fan-out cursor (the last event given to subscriptions), locked until the transaction ends.
    func lockWebhookCursor() async throws -> Int
    /// Moves the fan-out cursor.
    func setWebhookCursor(_ seq: Int) async throws
    /// Stores new deliveries.
    func insertWebhookDeliveries(_ deliveries: [WebhookDelivery]) async throws
    /// The enabled, unpaused subscriptions with a delivery due at `now` that no sender holds, with their secrets.
    func webhooksWithDueDeliveries(asOf now: String) async throws -> [(webhook: WebhookSubscription, secrets: WebhookSecrets)]
    /// Up to `limit` of a subscription's due, unleased deliveries with their events, oldest due
    /// first, locked until the transaction ends; rows other transactions hold are skipped
    /// (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite has a single writer).
    func dueWebhookDeliveries(webhook: String, asOf now: String, limit: Int) async throws -> [(delivery: WebhookDelivery, event: OutboxEvent)]
    /// Sets the lease of deliveries (`nil` releases them).
    func leaseWebhookDeliveries(_ ids: [String], until: String?) async throws
    /// Deliveries by ID, with their event types, locked in ID order when `forUpdate`.
    func webhookDeliveries(_ ids: [String], forUpdate: Bool) async throws -> [WebhookDelivery]
    /// Writes the status, attempts, next attempt, lease, last status code and update time of deliveries.
    func updateWebhookDeliveries(_ deliveries: [WebhookDelivery]) async throws
    /// Logs attempts.
    func insertWebhookAttempts(_ attempts: [WebhookAttempt]) async throws
    /// One page of a subscription's deliveries with their event types, newest first, optionally of one status.
    func listWebhookDeliveries(webhook: String, status: String?, page: PageRequest) async throws -> [WebhookDelivery]
    /// A delivery's attempts, in order.
    func webhookAttempts(delivery: String) async throws -> [WebhookAttempt]
}
