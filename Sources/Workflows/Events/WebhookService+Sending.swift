import Events
import Foundation
import TorsoKit

/// The sender's side: fan committed events out to subscriptions, claim due deliveries, and
/// record what each attempt got. Delivery is at least once: a delivery is claimed with a lease,
/// and one whose sender died before recording is sent again when the lease runs out.
extension WebhookService {
    /// What is waiting for a sender.
    public struct Backlog: Sendable, Equatable {
        /// Events are committed that have not been fanned out yet.
        public var eventsBehind: Bool
        /// A delivery is due and free to claim.
        public var deliveriesDue: Bool
    }

    /// Cheaply tells whether there is anything to do: two counters and one index probe per
    /// enabled subscription.
    public func backlog(now: Date = Date()) async throws -> Backlog {
        let instant = Timestamp.string(now)
        return try await store.read { tx in
            let counters = try await tx.counters.counters(["webhook_cursor", "event_seq"])
            let due = try await tx.deliveries.webhooksWithDueDeliveries(asOf: instant)
            return Backlog(eventsBehind: (counters["event_seq"] ?? 0) > (counters["webhook_cursor"] ?? 0), deliveriesDue: !due.isEmpty)
        }
    }

    /// Turns up to `limit` events after the fan-out cursor into pending deliveries, one per
    /// matching enabled subscription, and moves the cursor past them — all in one transaction
    /// that holds the cursor's lock, so every committed event is fanned out exactly once, however
    /// many nodes run and whenever one is killed. Returns how many events and deliveries it made.
    @discardableResult
    public func fanOut(limit: Int = 1_000, now: Date = Date()) async throws -> (events: Int, deliveries: Int) {
        let instant = Timestamp.string(now)
        return try await store.transaction { tx in
            // Lost in a crash, a fan-out is redone from the cursor it moved: no event is missed.
            try await tx.relaxDurability()
            let cursor = try await tx.deliveries.lockWebhookCursor()
            let subscriptions = try await tx.webhooks.enabledWebhooks()
            if subscriptions.isEmpty {
                // Nobody to deliver to: the cursor moves past every event without reading them
                // (an import appends thousands a second).
                let last = try await tx.outbox.lastEventSeq()
                if last > cursor { try await tx.deliveries.setWebhookCursor(last) }
                return (max(0, last - cursor), 0)
            }
            let events = try await tx.outbox.events(after: cursor, limit: limit, types: nil)
            guard let last = events.last else { return (0, 0) }
            var deliveries: [WebhookDelivery] = []
            for event in events {
                for subscription in subscriptions where subscription.matches(event) {
                    deliveries.append(WebhookDelivery(webhookId: subscription.id, eventSeq: event.seq, nextAttemptAt: instant,
                                                      createdAt: instant, updatedAt: instant))
                }
            }
            try await tx.deliveries.insertWebhookDeliveries(deliveries)
            try await tx.deliveries.setWebhookCursor(last.seq)
            return (events.count, deliveries.count)
        }
    }

    /// Leases up to `limit` due deliveries for ``WebhookSettings/lease`` and returns them with
    /// what to send. A subscription that is failing gets one delivery at a time — a probe —
    /// once its pause is over; the others wait until it answers again. Healthy subscriptions
    /// share the rest fairly.
    public func claimDue(now: Date = Date(), limit: Int) async throws -> [WebhookDispatch] {
        guard limit > 0 else { return [] }
        let instant = Timestamp.string(now)
        let leaseUntil = Timestamp.string(now.addingTimeInterval(settings.lease))
        return try await store.transaction { tx in
            // Lost in a crash, a claim only means the deliveries are due again.
            try await tx.relaxDurability()
            let candidates = try await tx.deliveries.webhooksWithDueDeliveries(asOf: instant)
            guard !candidates.isEmpty else { return [] }
            var dispatches: [WebhookDispatch] = []
            let failing = candidates.filter { $0.webhook.consecutiveFailures > 0 }
            var healthy = candidates.filter { $0.webhook.consecutiveFailures == 0 }[...]
            func take(_ candidate: (webhook: WebhookSubscription, secrets: WebhookSecrets), _ count: Int) async throws -> Int {
                let due = try await tx.deliveries.dueWebhookDeliveries(webhook: candidate.webhook.id.rawValue, asOf: instant, limit: count)
                dispatches += due.map { delivery, event in
                    WebhookDispatch(deliveryId: delivery.id, webhookId: delivery.webhookId, url: candidate.webhook.url,
                                    secrets: candidate.secrets, event: event)
                }
                return due.count
            }
            // Locks are taken subscription first, then deliveries, as `record` and `delete` take them.
            // The pause is set before the probe is taken, and only if no other sender set it
            // meanwhile: one probe at a time across nodes; its outcome sets the next pause.
            for candidate in failing where dispatches.count < limit {
                let id = candidate.webhook.id.rawValue
                guard try await tx.webhooks.pauseWebhook(id, until: leaseUntil, ifUnpausedAt: instant) else { continue }
                if try await take(candidate, 1) == 0 {
                    try await tx.webhooks.updateWebhookHealth([(id, candidate.webhook.consecutiveFailures, candidate.webhook.pausedUntil)])
                }
            }
            while dispatches.count < limit, let candidate = healthy.popFirst() {
                _ = try await take(candidate, max(1, (limit - dispatches.count) / (healthy.count + 1)))
            }
            guard !dispatches.isEmpty else { return [] }
            try await tx.deliveries.leaseWebhookDeliveries(dispatches.map(\.deliveryId.rawValue), until: leaseUntil)
            return dispatches
        }
    }

    /// Logs attempts and moves their deliveries on, in one transaction: a 2xx marks a delivery
    /// succeeded and resets its subscription's failure count; anything else schedules the next
    /// attempt on the retry schedule (or marks it `failed` once the window is over), counts a
    /// failure, and pauses the subscription for a backoff step. A subscription that reaches
    /// ``WebhookSettings/disableAfter`` failures in a row is disabled, and a `webhook.disabled`
    /// event is appended in the same transaction. Outcomes of deliveries that no longer exist
    /// (their subscription was deleted) are dropped. Returns the earliest time something
    /// recorded here becomes due again.
    @discardableResult
    public func record(_ outcomes: [WebhookAttemptOutcome], now: Date = Date()) async throws -> Date? {
        guard !outcomes.isEmpty else { return nil }
        let instant = Timestamp.string(now)
        let schedule = settings.retry
        let disableAfter = settings.disableAfter
        return try await store.transaction { tx in
            // Lost in a crash, the attempts are made again: at least once still holds.
            try await tx.relaxDurability()
            // Subscriptions, then deliveries, each in ID order — the order `claimDue` and `delete` lock
            // in — so that concurrent transactions never deadlock.
            let original = Dictionary(try await tx.webhooks.webhooks(outcomes.map(\.webhookId.rawValue), forUpdate: true).map { ($0.id, $0) },
                                      uniquingKeysWith: { first, _ in first })
            let stored = try await tx.deliveries.webhookDeliveries(outcomes.map(\.deliveryId.rawValue), forUpdate: true)
            var deliveries = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var webhooks = original
            var attempts: [WebhookAttempt] = []
            var changed: Set<ID<WebhookDelivery>> = []
            var earliest: Date?
            func due(_ text: String?) {
                guard let text, let date = Timestamp.parse(text) else { return }
                earliest = min(earliest ?? date, date)
            }
            for outcome in outcomes {
                guard var delivery = deliveries[outcome.deliveryId] else { continue }
                delivery.attempts += 1
                delivery.lastStatusCode = outcome.statusCode
                delivery.leaseUntil = nil
                delivery.updatedAt = instant
                attempts.append(WebhookAttempt(deliveryId: delivery.id.rawValue, attempt: delivery.attempts, at: outcome.at,
                                               statusCode: outcome.statusCode, latencyMs: outcome.latencyMs, error: outcome.error,
                                               errorDetail: outcome.errorDetail, response: outcome.response))
                if delivery.status == .pending {
                    if outcome.succeeded {
                        delivery.status = .succeeded
                        delivery.nextAttemptAt = nil
                    } else if let next = schedule.nextAttempt(after: delivery.attempts, failedAt: now,
                                                              created: Timestamp.parse(delivery.createdAt) ?? now) {
                        delivery.nextAttemptAt = Timestamp.string(next)
                        due(delivery.nextAttemptAt)
                    } else {
                        delivery.status = .failed
                        delivery.nextAttemptAt = nil
                    }
                }
                deliveries[delivery.id] = delivery
                changed.insert(delivery.id)
                guard var webhook = webhooks[outcome.webhookId] else { continue }
                if outcome.succeeded {
                    webhook.consecutiveFailures = 0
                    webhook.pausedUntil = nil
                } else {
                    webhook.consecutiveFailures += 1
                    webhook.pausedUntil = Timestamp.string(now.addingTimeInterval(schedule.delay(after: webhook.consecutiveFailures)))
                }
                webhooks[webhook.id] = webhook
            }
            try await tx.deliveries.insertWebhookAttempts(attempts)
            try await tx.deliveries.updateWebhookDeliveries(changed.sorted().compactMap { deliveries[$0] })
            var health: [(id: String, consecutiveFailures: Int, pausedUntil: String?)] = []
            for (id, webhook) in webhooks.sorted(by: { $0.key < $1.key }) {
                guard let before = original[id], before != webhook else { continue }
                if webhook.enabled, webhook.consecutiveFailures >= disableAfter {
                    var disabled = webhook
                    disabled.enabled = false
                    disabled.disabledReason = WebhookSubscription.disabledForFailures
                    disabled.pausedUntil = nil
                    disabled.version = before.version + 1
                    disabled.updatedAt = instant
                    guard try await tx.webhooks.replaceWebhook(disabled, expectedVersion: before.version) else { continue }
                    try await tx.outbox.appendEvent(type: EventType.webhookDisabled, channel: nil, subject: id.rawValue, data: .object([
                        "webhook_id": .string(id.rawValue), "url": .string(webhook.url),
                        "consecutive_failures": .number(Double(webhook.consecutiveFailures)),
                        "reason": .string(WebhookSubscription.disabledForFailures),
                    ]), at: instant)
                } else {
                    health.append((id.rawValue, webhook.consecutiveFailures, webhook.pausedUntil))
                    if webhook.enabled { due(webhook.pausedUntil) }
                }
            }
            try await tx.webhooks.updateWebhookHealth(health)
            return earliest
        }
    }

    /// Gives up the lease of deliveries a sender will not finish (it is shutting down), so that
    /// any sender may take them again at once.
    public func release(_ deliveryIds: [ID<WebhookDelivery>]) async throws {
        guard !deliveryIds.isEmpty else { return }
        try await store.transaction { tx in try await tx.deliveries.leaseWebhookDeliveries(deliveryIds.map(\.rawValue), until: nil) }
    }
}
