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
