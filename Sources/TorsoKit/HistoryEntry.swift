/// One change to a resource: who, when, which version, and what changed field by field.
public struct HistoryEntry: Codable, Sendable, Equatable {
    /// Who made the change.
    public struct Actor: Codable, Sendable, Equatable {
        /// The API key's ID, or `cli` / `system`.
        public var keyId: String
        /// The key's name.
        public var name: String

        /// Creates an actor.
        public init(keyId: String, name: String) {
            self.keyId = keyId
            self.name = name
        }

        enum CodingKeys: String, CodingKey {
            case name
            case keyId = "key_id"
        }
    }

    /// The resource's key.
    public var resource: String
    /// The version the change produced.
    public var version: Int
    /// `created`, `updated` or `deleted`.
    public var action: String
    /// When (RFC 3339).
    public var at: String
    /// Who.
    public var actor: Actor
    /// The fields that changed.
    public var changes: [FieldChange]

    /// Creates an entry.
    public init(resource: String, version: Int, action: String, at: String, actor: Actor, changes: [FieldChange]) {
        self.resource = resource
        self.version = version
        self.action = action
        self.at = at
        self.actor = actor
        self.changes = changes
    }
}

/// A history entry written out for the database (its actor and changes as JSON), for writes
/// of many at once: an import writes them out while the batch before is being committed.
public struct EncodedHistoryEntry: Sendable {
    /// The resource's key.
    public var resource: String
    /// The version the change produced.
    public var version: Int
    /// `created`, `updated` or `deleted`.
    public var action: String
    /// When (RFC 3339).
    public var at: String
    /// Who, as JSON.
    public var actor: String
    /// The fields that changed, as JSON.
    public var changes: String

    /// Writes an entry out.
    public init(_ entry: HistoryEntry) {
        resource = entry.resource
        version = entry.version
        action = entry.action
        at = entry.at
        actor = String(decoding: JSONValue.object(["key_id": .string(entry.actor.keyId), "name": .string(entry.actor.name)]).jsonBytes(),
                       as: UTF8.self)
        changes = FieldChange.json(entry.changes)
    }
}

extension FieldChange {
    /// Changes as the history stores them: a JSON array of `{path, from, to}`, written directly
    /// (what `JSONEncoder` would give, in a fraction of the time).
    public static func json(_ changes: [FieldChange]) -> String {
        let value = JSONValue.array(changes.map { change in
            var members: [String: JSONValue] = ["path": .string(change.path)]
            if let from = change.from { members["from"] = from }
            if let to = change.to { members["to"] = to }
            return .object(members)
        })
        return String(decoding: value.jsonBytes(), as: UTF8.self)
    }
}
