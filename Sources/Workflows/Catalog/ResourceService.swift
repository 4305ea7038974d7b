import Access
import Catalog
import Events
import Foundation
import Synchronization
import TorsoKit

/// The one flow every admin resource goes through: decode against the schema, validate
/// against the rest of the store, write with its indexes, history and idempotency record in
/// one transaction, and check versions for optimistic concurrency.
public struct ResourceService<Policy: ResourcePolicy>: Sendable {
    /// The resource kind.
    public typealias Resource = Policy.Resource

    let store: any Store
    let policy: Policy
    let observer: (any ChangeObserver)?

    /// Creates the service; `observer` hears of every committed change.
    public init(store: any Store, policy: Policy, observer: (any ChangeObserver)? = nil) {
        self.store = store
        self.policy = policy
        self.observer = observer
    }

    private func notify(_ key: String) async {
        guard let observer else { return }
        await observer.changed(Resource.self == Product.self ? .product(id: key) : .settings)
    }

    /// One page, ordered by key.
    public func list(_ page: PageRequest) async throws -> Page<Resource> {
        let items = try await store.read { tx in
            try await policy.presented(try await tx.documents.list(Resource.self, page: PageRequest(limit: page.limit + 1, cursor: page.cursor)), in: tx)
        }
        return Page.slice(items, limit: page.limit) { $0.key }
    }

    /// One resource; 404 if missing.
    public func get(_ key: String) async throws -> Resource {
        let found = try await store.read { tx -> Resource? in
            guard let stored = try await tx.documents.fetch(Resource.self, key: key) else { return nil }
            return try await policy.presented([stored], in: tx).first
        }
        guard let resource = found else {
            throw DomainError.notFound(Resource.kind, key)
        }
        return resource
    }

    /// Creates a resource from a request body; answers 201 with the resource, or replays the
    /// first answer for a repeated idempotency key.
    public func create(_ body: JSONValue, context: WriteContext) async throws -> StoredResponse {
        // Everything that needs no database happens before the transaction, so the SQLite
        // writer's lock is held for SQL only: decoding, preparing, the history diff, encoding.
        var resource = try JSONCoding.decode(Resource.self, from: Self.withoutReadOnlyIdentity(body), schema: Resource.schema)
        resource.version = 1
        resource.createdAt = context.timestamp
        resource.updatedAt = context.timestamp
        policy.prepare(&resource, previous: nil)
        let ready = resource
        let prechecked = try policy.precheck(ready, previous: nil)
        let changes = policy.recordsHistory ? try historyChanges(from: nil, to: ready) : []
        let encoded = Data(try JSONCoding.encode(ready))
        let created = Mutex<Bool>(false)
        let response = try await Idempotent.run(store: store, context: context) { tx in
            try await policy.validate(ready, previous: nil, in: tx, prechecked: prechecked)
            try await tx.documents.insert(ready, document: encoded)
            try await didWrite(ready, previous: nil, action: "created", changes: changes, context: context, in: tx)
            created.withLock { $0 = true }
            return StoredResponse(status: 201, body: encoded)
        }
        // A new product has no listing yet, so no projection can show it: only settings notify.
        if created.withLock({ $0 }), Resource.self != Product.self { await notify(ready.key) }
        return response
    }

    /// Creates many resources in one transaction, for imports and generators: all of them or
    /// none. Observers are not told; the caller refreshes what depends on them.
    public func createBatch(_ bodies: [JSONValue], context: WriteContext) async throws -> [Resource] {
        try await store.transaction { tx in
            var created: [Resource] = []
            created.reserveCapacity(bodies.count)
            for (index, body) in bodies.enumerated() {
                do {
                    var resource = try JSONCoding.decode(Resource.self, from: Self.withoutReadOnlyIdentity(body), schema: Resource.schema)
                    resource.version = 1
                    resource.createdAt = context.timestamp
                    resource.updatedAt = context.timestamp
                    policy.prepare(&resource, previous: nil)
                    try await policy.validate(resource, previous: nil, in: tx)
                    try await tx.documents.insert(resource, document: Data(try JSONCoding.encode(resource)))
                    let changes = policy.recordsHistory ? try historyChanges(from: nil, to: resource) : []
                    try await didWrite(resource, previous: nil, action: "created", changes: changes, context: context, in: tx)
                    created.append(resource)
                } catch var error as DomainError {
                    error.errors = error.errors.map { FieldError(pointer: "/\(index)" + $0.pointer, code: $0.code, detail: $0.detail) }
                    throw error
                }
            }
            return created
        }
    }

    /// The body without an `id` the schema marks read-only: the server assigns identities.
    static func withoutReadOnlyIdentity(_ body: JSONValue) -> JSONValue {
        guard case .object(_, _, let readOnly) = Resource.schema, readOnly.contains("id"), case .object(var members) = body else { return body }
        members.removeValue(forKey: "id")
        return .object(members)
    }

    /// Applies a JSON merge patch. `expectedVersion`, from `If-Match` or the body's `version`,
    /// must match the stored version when given.
    public func update(_ key: String, patch: JSONValue, expectedVersion: Int?, context: WriteContext) async throws -> Resource {
        try await updateAll([(key, patch, expectedVersion)], context: context)[0]
    }

    /// Applies several patches in one transaction, each at its expected version: all of them, or
    /// none when one is refused (a category tree reordered by the back office).
    public func updateAll(_ changes: [(key: String, patch: JSONValue, expectedVersion: Int?)], context: WriteContext) async throws -> [Resource] {
        let patches = try changes.map { change -> (key: String, body: JSONValue, expected: Int?) in
            var (members, expected) = try VersionedPatch.split(change.patch, expectedVersion: change.expectedVersion)
            for field in ["version", "created_at", "updated_at"] { members.removeValue(forKey: field) }
            return (change.key, .object(members), expected)
        }
        let updated = try await store.transaction { tx in
            var done: [Resource] = []
            for patch in patches { done.append(try await self.update(patch.key, patchBody: patch.body, expected: patch.expected, context: context, in: tx)) }
            return done
        }
        for change in changes { await notify(change.key) }
        return updated
    }

    /// One patch inside `tx`.
    private func update(_ key: String, patchBody: JSONValue, expected: Int?, context: WriteContext, in tx: any Transaction) async throws -> Resource {
        guard let stored = try await tx.documents.fetch(Resource.self, key: key) else {
            throw DomainError.notFound(Resource.kind, key)
        }
        let previous = try await policy.presented([stored], in: tx)[0]
        if let expected, expected != previous.version {
            throw DomainError.versionMismatch(expected: expected, current: previous.version)
        }
        let current = try JSONCoding.tree(previous)
        let merged = current.merging(patch: patchBody)
        for identity in ["code", "id"] where current.objectValue?[identity] != nil && merged.objectValue?[identity] != current.objectValue?[identity] {
            throw DomainError.validation([FieldError(pointer: "/" + identity, code: "immutable_field", detail: "'\(identity)' cannot change.")])
        }
        let patchErrors = Resource.schema.check(patchBody, creating: false)
        if !patchErrors.isEmpty { throw DomainError.validation(patchErrors) }
        var resource = try JSONCoding.decode(Resource.self, from: merged, schema: Resource.schema)
        resource.version = previous.version + 1
        resource.createdAt = previous.createdAt
        resource.updatedAt = context.timestamp
        policy.prepare(&resource, previous: previous)
        try await policy.validate(resource, previous: previous, in: tx)
        if Resource.self == Product.self, try Self.onlyCountsDiffer(resource, previous) {
            // Nothing of the product changed, so no new version, history or staged change:
            // only first counts at new locations, which the policy writes as stock.
            try await policy.didSave(resource, previous: previous, context: context, in: tx)
            return try await policy.presented([previous], in: tx)[0]
        }
        guard try await tx.documents.replace(resource, expectedVersion: previous.version) else {
            let now = try await tx.documents.fetch(Resource.self, key: key)?.version ?? previous.version
            throw DomainError.versionMismatch(expected: previous.version, current: now)
        }
        let changes = policy.recordsHistory ? try historyChanges(from: previous, to: resource) : []
        try await didWrite(resource, previous: previous, action: "updated", changes: changes, context: context, in: tx)
        // The answer shows what a read shows (a product's counts on hand now, not the body's).
        return try await policy.presented([resource], in: tx)[0]
    }

    /// Deletes a resource unless something still depends on it.
    public func delete(_ key: String, expectedVersion: Int?, context: WriteContext) async throws {
        try await store.transaction { tx in
            guard let resource = try await tx.documents.fetch(Resource.self, key: key) else {
                throw DomainError.notFound(Resource.kind, key)
            }
            if let expectedVersion, expectedVersion != resource.version {
                throw DomainError.versionMismatch(expected: expectedVersion, current: resource.version)
            }
            try await policy.willDelete(resource, in: tx)
            try await tx.documents.delete(Resource.self, key: key)
            if policy.isSetting { try await tx.documents.bumpSettingsVersion() }
            try await recordEvent(key: key, version: resource.version + 1, action: "deleted", context: context, in: tx)
            if policy.recordsHistory {
                try await tx.history.appendHistory(HistoryEntry(
                    resource: key, version: resource.version + 1, action: "deleted", at: context.timestamp,
                    actor: context.actor, changes: []))
            }
        }
        await notify(key)
    }

    /// The history of one resource, oldest first.
    public func history(_ key: String, page: PageRequest) async throws -> Page<HistoryEntry> {
        let entries = try await store.read { tx in
            // A deleted resource keeps its history, ending with the `deleted` entry.
            let entries = try await tx.history.history(of: key, page: PageRequest(limit: page.limit + 1, cursor: page.cursor))
            if entries.isEmpty, page.cursor == nil, try await tx.documents.fetch(Resource.self, key: key) == nil {
                throw DomainError.notFound(Resource.kind, key)
            }
            return entries
        }
        return Page.slice(entries, limit: page.limit) { String(format: "%012d", $0.version) }
    }

    func didWrite(_ resource: Resource, previous: Resource?, action: String, changes: [FieldChange],
                          context: WriteContext, in tx: any Transaction) async throws {
        try await recordEvent(key: resource.key, version: resource.version, action: action, context: context, in: tx)
        try await policy.didSave(resource, previous: previous, context: context, in: tx)
        if policy.isSetting { try await tx.documents.bumpSettingsVersion() }
        if policy.recordsHistory {
            try await tx.history.appendHistory(HistoryEntry(
                resource: resource.key, version: resource.version, action: action, at: context.timestamp,
                actor: context.actor, changes: changes))
        }
    }

    /// The field-level differences between two versions, without the bookkeeping fields.
    /// `product.created|updated|deleted` for products, `settings.changed` for everything else
    /// (settings and categories: what every projection may depend on).
    private func recordEvent(key: String, version: Int, action: String, context: WriteContext, in tx: any Transaction) async throws {
        if Resource.self == Product.self {
            let type = action == "created" ? EventType.productCreated : action == "deleted" ? EventType.productDeleted : EventType.productUpdated
            try await tx.outbox.appendEvent(type: type, channel: nil, subject: key, data: .object([
                "product_id": .string(key), "version": .number(Double(version)),
            ]), at: context.timestamp)
        } else {
            try await tx.outbox.appendEvent(type: EventType.settingsChanged, channel: nil, subject: key, data: .object([
                "kind": .string(Resource.kind), "key": .string(key), "action": .string(action), "version": .number(Double(version)),
            ]), at: context.timestamp)
        }
    }

    func historyChanges(from previous: Resource?, to resource: Resource) throws -> [FieldChange] {
        try historyChanges(from: previous, toTree: try JSONCoding.tree(resource))
    }

    /// ``historyChanges(from:to:)`` for a resource already turned into JSON.
    func historyChanges(from previous: Resource?, toTree tree: JSONValue) throws -> [FieldChange] {
        let ignored: Set<String> = ["version", "created_at", "updated_at"]
        func strip(_ value: JSONValue) -> JSONValue {
            .object((value.objectValue ?? [:]).filter { !ignored.contains($0.key) })
        }
        // Counts on hand are the inventory's, not the product's: no change of the product.
        let before = try previous.map { strip(Self.withoutCounts(try JSONCoding.tree($0))) } ?? .object([:])
        return before.changes(to: strip(Self.withoutCounts(tree)))
    }
}

extension Page {
    /// Cuts a list read with one extra item into a page: the extra item only tells that
    /// another page exists.
    public static func slice(_ items: [Item], limit: Int, key: (Item) -> String) -> Page {
        guard items.count > limit else { return Page(data: items, nextCursor: nil) }
        let data = Array(items.prefix(limit))
        return Page(data: data, nextCursor: Cursor(after: key(data[data.count - 1])).encoded)
    }
}
