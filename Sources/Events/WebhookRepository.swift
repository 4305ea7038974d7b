import TorsoKit

/// Webhook subscriptions with their signing secrets and health.
public protocol WebhookRepository: Sendable {
    /// Stores a new webhook subscription with its signing secrets.
    func insertWebhook(_ webhook: WebhookSubscription, secrets: WebhookSecrets) async throws
    /// A subscription and its secrets, locked until the transaction ends when `forUpdate` (PostgreSQL row lock).
    func webhook(_ id: String, forUpdate: Bool) async throws -> (webhook: WebhookSubscription, secrets: WebhookSecrets)?
    /// Some subscriptions by ID, locked in ID order when `forUpdate`.
    func webhooks(_ ids: [String], forUpdate: Bool) async throws -> [WebhookSubscription]
    /// One page of subscriptions ordered by ID.
    func listWebhooks(page: PageRequest) async throws -> [WebhookSubscription]
    /// Every enabled subscription.
    func enabledWebhooks() async throws -> [WebhookSubscription]
    /// Replaces a subscription stored at `expectedVersion` (document, flag, failure count and
    /// pause); `false` if it moved on.
    func replaceWebhook(_ webhook: WebhookSubscription, expectedVersion: Int) async throws -> Bool
    /// Replaces a subscription's secrets.
    func replaceWebhookSecrets(_ id: String, secrets: WebhookSecrets) async throws
    /// Sets the failure count and pause of subscriptions without a new version (the sender's bookkeeping).
    func updateWebhookHealth(_ updates: [(id: String, consecutiveFailures: Int, pausedUntil: String?)]) async throws
    /// Pauses a subscription until `until` if it is not paused at `now`; `false` if it is (another sender probes it).
    func pauseWebhook(_ id: String, until: String, ifUnpausedAt now: String) async throws -> Bool
    /// Deletes a subscription with its deliveries and their attempts.
    func deleteWebhook(_ id: String) async throws
}
