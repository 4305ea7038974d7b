extension APIComponents {
    /// The outbox's events and webhooks with their delivery logs.
    /// The audit log.
    static let audit: [String: APISchema] = [
        "AuditEntry": .object([
            "seq": .integer, "at": .time, "actor_id": .string(), "actor_name": .string(), "action": .string(), "target": .string(),
            "status": .integer,
        ], required: ["seq", "at", "actor_id", "actor_name", "action", "target", "status"]),
        "AuditPage": page(of: .ref("AuditEntry")),
    ]

    static let events: [String: APISchema] = [
        "Event": .object([
            "id": .string(), "seq": .integer, "type": .string(), "channel": .nullable(.string()), "subject": .string(),
            "timestamp": .time, "data": .any,
        ], required: ["id", "seq", "type", "channel", "subject", "timestamp", "data"]),
        "EventPage": .object(["data": .array(.ref("Event")), "next_after": .integer, "has_more": .boolean],
                             required: ["data", "next_after", "has_more"]),
        "Webhook": .object(webhook, required: webhookRequired),
        "WebhookWithSecret": .object(webhook.merging(["secret": .string(), "previous_secret_expires_at": .nullable(.time)]) { $1 },
                                     required: webhookRequired + ["secret"]),
        "WebhookPage": page(of: .ref("Webhook")),
        "WebhookDelivery": .object(delivery, required: deliveryRequired),
        "WebhookDeliveryPage": page(of: .ref("WebhookDelivery")),
        "WebhookDeliveryDetail": .object(delivery.merging([
            "attempts": .array(.object([
                "attempt": .integer, "at": .time, "status_code": .nullable(.integer), "latency_ms": .integer, "succeeded": .boolean,
                "error": .nullable(.string()), "error_detail": .nullable(.string()), "response": .nullable(.string()),
            ], required: ["attempt", "at", "status_code", "latency_ms", "succeeded", "error", "error_detail", "response"])),
            "payload": .nullable(.ref("Event")),
        ]) { $1 }, required: deliveryRequired + ["attempts", "payload"]),
    ]

    static let webhook: [String: APISchema] = [
        "id": .string(), "url": .string(), "events": .array(.string()), "channels": .nullable(.array(.string())),
        "description": .nullable(.string()), "enabled": .boolean, "disabled_reason": .nullable(.string()),
        "consecutive_failures": .integer, "version": .integer, "created_at": .time, "updated_at": .time,
    ]
    static let webhookRequired = ["id", "url", "events", "channels", "description", "enabled", "disabled_reason",
                                  "consecutive_failures", "version", "created_at", "updated_at"]

    static let delivery: [String: APISchema] = [
        "id": .string(), "webhook_id": .string(), "event_id": .string(), "event_seq": .integer, "event_type": .nullable(.string()),
        "status": .string(enumeration: ["pending", "succeeded", "failed"]), "attempt_count": .integer,
        "next_attempt_at": .nullable(.time), "last_status_code": .nullable(.integer), "created_at": .time, "updated_at": .time,
    ]
    static let deliveryRequired = ["id", "webhook_id", "event_id", "event_seq", "event_type", "status", "attempt_count",
                                   "next_attempt_at", "last_status_code", "created_at", "updated_at"]
}
