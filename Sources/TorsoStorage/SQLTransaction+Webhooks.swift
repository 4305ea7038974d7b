import Events
import Foundation
import SQLKit
import TorsoKit

/// Webhook subscriptions, deliveries and attempts (migration `0010_webhooks`).
extension SQLTransaction: WebhookRepository, WebhookDeliveryRepository {
    private static let webhookColumns: SQLQueryString = """
        w.id, w.version, w.doc, w.secret, w.previous_secret, w.previous_secret_expires_at, w.enabled,
        w.consecutive_failures, w.paused_until, w.after_seq
        """
    private static let deliveryColumns: SQLQueryString = """
        d.id, d.webhook_id, d.event_seq, d.status, d.attempts, d.next_attempt_at, d.lease_until, d.last_status_code,
        d.created_at, d.updated_at
        """

    private var lockClause: SQLQueryString { dialect == .postgres ? " FOR UPDATE" : "" }

    private func webhookRow(_ row: any SQLRow) throws -> (webhook: WebhookSubscription, secrets: WebhookSecrets) {
        var webhook = try WebhookSubscription(json: JSONValue.parse(bytes: try row.decode(column: "doc", as: String.self).utf8))
        webhook.enabled = try row.decode(column: "enabled", as: Int.self) != 0
        webhook.consecutiveFailures = try row.decode(column: "consecutive_failures", as: Int.self)
        webhook.pausedUntil = try row.decode(column: "paused_until", as: String?.self)
        webhook.afterSeq = try row.decode(column: "after_seq", as: Int.self)
        let secrets = WebhookSecrets(current: try row.decode(column: "secret", as: String.self),
                                     previous: try row.decode(column: "previous_secret", as: String?.self),
                                     previousExpiresAt: try row.decode(column: "previous_secret_expires_at", as: String?.self))
        return (webhook, secrets)
    }

    private func deliveryRow(_ row: any SQLRow, withType: Bool) throws -> WebhookDelivery {
        WebhookDelivery(
            id: ID(rawValue: try row.decode(column: "id", as: String.self)),
            webhookId: ID(rawValue: try row.decode(column: "webhook_id", as: String.self)),
            eventSeq: try row.decode(column: "event_seq", as: Int.self),
            eventType: withType ? try row.decode(column: "event_type", as: String?.self) : nil,
            status: WebhookDelivery.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: String?.self),
            leaseUntil: try row.decode(column: "lease_until", as: String?.self),
            lastStatusCode: try row.decode(column: "last_status_code", as: Int?.self),
            createdAt: try row.decode(column: "created_at", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: String.self))
    }

    private func document(_ webhook: WebhookSubscription) -> String {
        String(decoding: webhook.json.jsonBytes(), as: UTF8.self)
    }

    // MARK: Subscriptions

    func insertWebhook(_ webhook: WebhookSubscription, secrets: WebhookSecrets) async throws {
        try await db.raw("""
            INSERT INTO webhooks (id, version, doc, secret, previous_secret, previous_secret_expires_at, enabled,
                consecutive_failures, paused_until, after_seq, created_at, updated_at)
            VALUES (\(bind: webhook.id.rawValue), \(bind: webhook.version), \(bind: document(webhook)), \(bind: secrets.current),
                \(bind: secrets.previous), \(bind: secrets.previousExpiresAt), \(bind: webhook.enabled ? 1 : 0),
                \(bind: webhook.consecutiveFailures), \(bind: webhook.pausedUntil), \(bind: webhook.afterSeq),
                \(bind: webhook.createdAt), \(bind: webhook.updatedAt))
            """).run()
    }

    func webhook(_ id: String, forUpdate: Bool) async throws -> (webhook: WebhookSubscription, secrets: WebhookSecrets)? {
        let lock: SQLQueryString = forUpdate ? lockClause : ""
        return try await db.raw("SELECT \(Self.webhookColumns) FROM webhooks w WHERE w.id = \(bind: id)\(lock)").first().map(webhookRow)
    }

    func webhooks(_ ids: [String], forUpdate: Bool) async throws -> [WebhookSubscription] {
        guard !ids.isEmpty else { return [] }
        let lock: SQLQueryString = forUpdate ? lockClause : ""
        return try await db.raw("""
            SELECT \(Self.webhookColumns) FROM webhooks w WHERE w.id IN (\(binds: Array(Set(ids)).sorted())) ORDER BY w.id\(lock)
            """).all().map { try webhookRow($0).webhook }
    }

    func listWebhooks(page: PageRequest) async throws -> [WebhookSubscription] {
        try await db.raw("""
            SELECT \(Self.webhookColumns) FROM webhooks w WHERE w.id > \(bind: page.cursor?.after ?? "") ORDER BY w.id LIMIT \(bind: page.limit)
            """).all().map { try webhookRow($0).webhook }
    }

    func enabledWebhooks() async throws -> [WebhookSubscription] {
        try await db.raw("SELECT \(Self.webhookColumns) FROM webhooks w WHERE w.enabled = 1 ORDER BY w.id").all().map { try webhookRow($0).webhook }
    }

    func replaceWebhook(_ webhook: WebhookSubscription, expectedVersion: Int) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE webhooks SET version = \(bind: webhook.version), doc = \(bind: document(webhook)), enabled = \(bind: webhook.enabled ? 1 : 0),
                consecutive_failures = \(bind: webhook.consecutiveFailures), paused_until = \(bind: webhook.pausedUntil),
                updated_at = \(bind: webhook.updatedAt)
            WHERE id = \(bind: webhook.id.rawValue) AND version = \(bind: expectedVersion) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func replaceWebhookSecrets(_ id: String, secrets: WebhookSecrets) async throws {
        try await db.raw("""
            UPDATE webhooks SET secret = \(bind: secrets.current), previous_secret = \(bind: secrets.previous),
                previous_secret_expires_at = \(bind: secrets.previousExpiresAt) WHERE id = \(bind: id)
            """).run()
    }

    func updateWebhookHealth(_ updates: [(id: String, consecutiveFailures: Int, pausedUntil: String?)]) async throws {
        for update in updates {
            try await db.raw("""
                UPDATE webhooks SET consecutive_failures = \(bind: update.consecutiveFailures), paused_until = \(bind: update.pausedUntil)
                WHERE id = \(bind: update.id)
                """).run()
        }
    }

    func pauseWebhook(_ id: String, until: String, ifUnpausedAt now: String) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE webhooks SET paused_until = \(bind: until)
            WHERE id = \(bind: id) AND (paused_until IS NULL OR paused_until <= \(bind: now)) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    func relaxDurability() async throws {
        if dialect == .postgres { try await db.raw("SET LOCAL synchronous_commit TO OFF").run() }
    }

    func deleteWebhook(_ id: String) async throws {
        try await db.raw("""
            DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = \(bind: id))
            """).run()
        try await db.raw("DELETE FROM webhook_deliveries WHERE webhook_id = \(bind: id)").run()
        try await db.raw("DELETE FROM webhooks WHERE id = \(bind: id)").run()
    }

    // MARK: Fan-out

    func lockWebhookCursor() async throws -> Int {
        // A no-op update takes the row lock (PostgreSQL) until commit, so fan-outs run one at a time.
        guard let row = try await db.raw("UPDATE meta SET value = value WHERE key = 'webhook_cursor' RETURNING value").first() else {
            throw DomainError(.conflict, code: "counter_missing", detail: "No counter 'webhook_cursor'.")
        }
        return try row.decode(column: "value", as: Int.self)
    }

    func setWebhookCursor(_ seq: Int) async throws {
        try await db.raw("UPDATE meta SET value = \(bind: seq) WHERE key = 'webhook_cursor'").run()
    }

    func insertWebhookDeliveries(_ deliveries: [WebhookDelivery]) async throws {
        for chunk in stride(from: 0, to: deliveries.count, by: 500) {
            let rows = deliveries[chunk..<min(chunk + 500, deliveries.count)].map { delivery -> SQLQueryString in
                """
                (\(bind: delivery.id.rawValue), \(bind: delivery.webhookId.rawValue), \(bind: delivery.eventSeq), \(bind: delivery.status.rawValue),
                 \(bind: delivery.attempts), \(bind: delivery.nextAttemptAt), \(bind: delivery.createdAt), \(bind: delivery.updatedAt))
                """
            }
            try await db.raw("""
                INSERT INTO webhook_deliveries (id, webhook_id, event_seq, status, attempts, next_attempt_at, created_at, updated_at)
                VALUES \(rows.joined(separator: ", "))
                """).run()
        }
    }

    // MARK: Sending

    func webhooksWithDueDeliveries(asOf now: String) async throws -> [(webhook: WebhookSubscription, secrets: WebhookSecrets)] {
        // One index probe per enabled subscription: deliveries of disabled or paused ones are never scanned.
        try await db.raw("""
            SELECT \(Self.webhookColumns) FROM webhooks w
            WHERE w.enabled = 1 AND (w.paused_until IS NULL OR w.paused_until <= \(bind: now))
              AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'pending'
                          AND d.next_attempt_at <= \(bind: now) AND (d.lease_until IS NULL OR d.lease_until <= \(bind: now)))
            ORDER BY w.id
            """).all().map(webhookRow)
    }

    func dueWebhookDeliveries(webhook: String, asOf now: String, limit: Int) async throws -> [(delivery: WebhookDelivery, event: OutboxEvent)] {
        let lock: SQLQueryString = dialect == .postgres ? " FOR UPDATE OF d SKIP LOCKED" : ""
        return try await db.raw("""
            SELECT \(Self.deliveryColumns), e.type AS event_type, e.channel AS event_channel, e.subject AS event_subject,
                   e.data AS event_data, e.at AS event_at, e.origin AS event_origin
            FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
            WHERE d.webhook_id = \(bind: webhook) AND d.status = 'pending' AND d.next_attempt_at <= \(bind: now)
              AND (d.lease_until IS NULL OR d.lease_until <= \(bind: now))
            ORDER BY d.next_attempt_at, d.id LIMIT \(bind: limit)\(lock)
            """).all().map { row in
            let delivery = try deliveryRow(row, withType: true)
            let event = OutboxEvent(
                seq: delivery.eventSeq, type: try row.decode(column: "event_type", as: String.self),
                channel: try row.decode(column: "event_channel", as: String?.self),
                subject: try row.decode(column: "event_subject", as: String.self),
                data: try JSONValue.parse(bytes: try row.decode(column: "event_data", as: String.self).utf8),
                at: try row.decode(column: "event_at", as: String.self), origin: try row.decode(column: "event_origin", as: String?.self))
            return (delivery, event)
        }
    }

    func leaseWebhookDeliveries(_ ids: [String], until: String?) async throws {
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
            try await db.raw("UPDATE webhook_deliveries SET lease_until = \(bind: until) WHERE id IN (\(binds: part))").run()
        }
    }

    func webhookDeliveries(_ ids: [String], forUpdate: Bool) async throws -> [WebhookDelivery] {
        guard !ids.isEmpty else { return [] }
        // PostgreSQL locks only the delivery rows (FOR UPDATE OF d), in ID order.
        let lock: SQLQueryString = forUpdate && dialect == .postgres ? " FOR UPDATE OF d" : ""
        return try await db.raw("""
            SELECT \(Self.deliveryColumns), e.type AS event_type
            FROM webhook_deliveries d LEFT JOIN events e ON e.seq = d.event_seq
            WHERE d.id IN (\(binds: Array(Set(ids)).sorted())) ORDER BY d.id\(lock)
            """).all().map { try deliveryRow($0, withType: true) }
    }

    func updateWebhookDeliveries(_ deliveries: [WebhookDelivery]) async throws {
        // Deliveries that end alike (a batch of first-time successes, say) share one statement.
        struct Change: Hashable {
            var status: String, attempts: Int, nextAttemptAt: String?, leaseUntil: String?, lastStatusCode: Int?, updatedAt: String
        }
        var groups: [Change: [String]] = [:]
        for delivery in deliveries {
            let change = Change(status: delivery.status.rawValue, attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt,
                                leaseUntil: delivery.leaseUntil, lastStatusCode: delivery.lastStatusCode, updatedAt: delivery.updatedAt)
            groups[change, default: []].append(delivery.id.rawValue)
        }
        for (change, ids) in groups {
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
                try await db.raw("""
                    UPDATE webhook_deliveries SET status = \(bind: change.status), attempts = \(bind: change.attempts),
                        next_attempt_at = \(bind: change.nextAttemptAt), lease_until = \(bind: change.leaseUntil),
                        last_status_code = \(bind: change.lastStatusCode), updated_at = \(bind: change.updatedAt)
                    WHERE id IN (\(binds: part))
                    """).run()
            }
        }
    }

    func insertWebhookAttempts(_ attempts: [WebhookAttempt]) async throws {
        for chunk in stride(from: 0, to: attempts.count, by: 400) {
            let rows = attempts[chunk..<min(chunk + 400, attempts.count)].map { attempt -> SQLQueryString in
                """
                (\(bind: attempt.deliveryId), \(bind: attempt.attempt), \(bind: attempt.at), \(bind: attempt.statusCode),
                 \(bind: attempt.latencyMs), \(bind: attempt.error), \(bind: attempt.errorDetail), \(bind: attempt.response))
                """
            }
            try await db.raw("""
                INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, latency_ms, error, error_detail, response)
                VALUES \(rows.joined(separator: ", "))
                """).run()
        }
    }

    // MARK: Delivery log

    func listWebhookDeliveries(webhook: String, status: String?, page: PageRequest) async throws -> [WebhookDelivery] {
        var query: SQLQueryString = """
            SELECT \(Self.deliveryColumns), e.type AS event_type
            FROM webhook_deliveries d LEFT JOIN events e ON e.seq = d.event_seq WHERE d.webhook_id = \(bind: webhook)
            """
        if let after = page.cursor?.after { query += " AND d.id < \(bind: after)" }
        if let status { query += " AND d.status = \(bind: status)" }
        query += " ORDER BY d.id DESC LIMIT \(bind: page.limit)"
        return try await db.raw(query).all().map { try deliveryRow($0, withType: true) }
    }

    func webhookAttempts(delivery: String) async throws -> [WebhookAttempt] {
        try await db.raw("""
            SELECT delivery_id, attempt, at, status_code, latency_ms, error, error_detail, response
            FROM webhook_attempts WHERE delivery_id = \(bind: delivery) ORDER BY attempt
            """).all().map { row in
            WebhookAttempt(deliveryId: try row.decode(column: "delivery_id", as: String.self),
                           attempt: try row.decode(column: "attempt", as: Int.self),
                           at: try row.decode(column: "at", as: String.self),
                           statusCode: try row.decode(column: "status_code", as: Int?.self),
                           latencyMs: try row.decode(column: "latency_ms", as: Int.self),
                           error: try row.decode(column: "error", as: String?.self),
                           errorDetail: try row.decode(column: "error_detail", as: String?.self),
                           response: try row.decode(column: "response", as: String?.self))
        }
    }
}
