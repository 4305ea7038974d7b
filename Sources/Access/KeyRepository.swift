import TorsoKit

/// API keys, stored by the hash of their secret.
public protocol KeyRepository: Sendable {
    /// Stores a new API key by its hash.
    func insertKey(_ key: APIKey, hash: String) async throws
    /// The key with this hash, revoked or not.
    func findKey(hash: String) async throws -> APIKey?
    /// The key with an ID, revoked or not.
    func key(id: String) async throws -> APIKey?
    /// One page of keys ordered by ID.
    func listKeys(page: PageRequest) async throws -> [APIKey]
    /// Marks a key revoked; `false` if there is no such key.
    func revokeKey(_ id: String, at: String) async throws -> Bool
}
