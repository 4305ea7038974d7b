import TorsoKit

extension APIComponents {
    /// Keys, history, completeness, publication and the system's answers.
    static let catalog: [String: APISchema] = [
        "Health": .object(["status": .string(enumeration: ["ok"])], required: ["status"]),
        "APIKey": .object([
            "id": .string(), "name": .string(), "kind": .string(enumeration: ["secret", "publishable"]), "scopes": .array(.string()),
            "channel": .nullable(.string()), "hint": .string(), "created_at": .time, "revoked_at": .nullable(.time),
        ], required: ["id", "name", "kind", "scopes", "hint", "created_at"]),
        "APIKeyPage": page(of: .ref("APIKey")),
        "APIKeyCreated": .object(["key": .ref("APIKey"), "secret": .string()], required: ["key", "secret"]),
        "HistoryEntry": .object([
            "resource": .string(), "version": .integer, "action": .string(enumeration: ["created", "updated", "deleted"]), "at": .time,
            "actor": .object(["key_id": .string(), "name": .string()], required: ["key_id", "name"]),
            "changes": .array(.object(["path": .string(), "from": .any, "to": .any], required: ["path"])),
        ], required: ["resource", "version", "action", "at", "actor", "changes"]),
        "HistoryPage": page(of: .ref("HistoryEntry")),
        "Completeness": .object([
            "product_id": .string(), "version": .integer,
            "completeness": .array(.object([
                "channel": .string(), "locale": .string(), "required": .integer, "missing": .array(.string()), "ratio": .number,
            ], required: ["channel", "locale", "required", "missing", "ratio"])),
        ], required: ["product_id", "version", "completeness"]),
        "Publication": .object([
            "product_id": .string(), "version": .integer, "has_staged_changes": .boolean,
            "channels": .array(.object([
                "channel": .string(), "visible_in_listings": .boolean,
                "published_version": .nullable(.integer), "published_at": .nullable(.time),
                "scheduled_version": .nullable(.integer), "scheduled_at": .nullable(.time),
            ], required: ["channel", "visible_in_listings"])),
        ], required: ["product_id", "version", "has_staged_changes", "channels"]),
    ]
}
