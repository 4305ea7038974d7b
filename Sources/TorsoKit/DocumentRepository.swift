import Foundation

/// Versioned JSON documents: every ``StoredResource`` (settings and catalog entries) in the
/// table named after its collection. Handed out by a transaction; every method runs in it.
public protocol DocumentRepository: Sendable {
    /// One resource by key.
    func fetch<R: StoredResource>(_ type: R.Type, key: String) async throws -> R?
    /// The resources with these keys that exist, in no particular order.
    func fetchMany<R: StoredResource>(_ type: R.Type, keys: [String]) async throws -> [R]
    /// The versions of the resources with these keys that exist, without reading them.
    func versions<R: StoredResource>(_ type: R.Type, keys: [String]) async throws -> [String: Int]
    /// Every resource of a kind, ordered by key (settings are small).
    func fetchAll<R: StoredResource>(_ type: R.Type) async throws -> [R]
    /// One page of resources ordered by key.
    func list<R: StoredResource>(_ type: R.Type, page: PageRequest) async throws -> [R]
    /// Inserts a resource with its encoded document; throws 409 `already_exists` if its key is taken.
    func insert<R: StoredResource>(_ resource: R, document: Data) async throws
    /// Inserts many new resources with server-made keys (products of an import) in few
    /// statements; a taken key fails the whole call.
    func insertMany<R: StoredResource>(_ resources: [(resource: R, document: Data)]) async throws
    /// Replaces a resource whose stored version is `expectedVersion`; `false` if it moved on.
    func replace<R: StoredResource>(_ resource: R, expectedVersion: Int) async throws -> Bool
    /// Deletes a resource.
    func delete<R: StoredResource>(_ type: R.Type, key: String) async throws
    /// A counter that every settings change increases, so caches of settings know when to reload.
    func settingsVersion() async throws -> Int
    /// Increases the settings counter.
    func bumpSettingsVersion() async throws
}
