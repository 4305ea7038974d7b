import Access
import Channels
import Foundation
import Synchronization
import TorsoKit

/// Creates, lists, revokes and checks API keys. Checks are cached for at most
/// ``cacheLifetime``, so a key created or revoked anywhere — the CLI, another node — takes
/// effect within that time without a query on every request.
public final class KeyService: Sendable {
    /// How long a check is trusted.
    public static let cacheLifetime: Duration = .milliseconds(500)

    let store: any Store
    private let cache = Mutex<[String: (principal: Principal?, until: ContinuousClock.Instant)]>([:])

    /// Creates the service.
    public init(store: any Store) { self.store = store }

    /// A new key and its secret, which is shown once and stored only as a hash.
    public func create(name: String, kind: APIKey.Kind, scopes: Set<Scope>, channel: String?, now: Date = Date()) async throws -> (key: APIKey, secret: String) {
        var errors = ValidationErrors()
        if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("/name", "required", "A key needs a name.") }
        if kind == .secret, scopes.isEmpty { errors.add("/scopes", "required", "A secret key needs at least one scope.") }
        if kind == .publishable, channel == nil { errors.add("/channel", "required", "A publishable key is bound to a channel.") }
        try errors.throwIfAny()
        let secret = KeySecret.generate(kind: kind)
        let key = APIKey(name: name, kind: kind, hint: KeySecret.hint(secret), scopes: scopes.sorted(),
                         channel: channel, createdAt: Timestamp.string(now))
        try await store.transaction { tx in
            if let channel, try await tx.documents.fetch(Channel.self, key: channel) == nil {
                throw DomainError.validation([FieldError(pointer: "/channel", code: "unknown_channel", detail: "Channel '\(channel)' does not exist.")])
            }
            try await tx.keys.insertKey(key, hash: KeySecret.hash(secret))
        }
        return (key, secret)
    }

    /// One page of keys (never their secrets).
    public func list(_ page: PageRequest) async throws -> Page<APIKey> {
        let keys = try await store.read { try await $0.keys.listKeys(page: PageRequest(limit: page.limit + 1, cursor: page.cursor)) }
        return Page.slice(keys, limit: page.limit) { $0.id.rawValue }
    }

    /// Revokes a key; 404 if there is none with that ID. With `holder`'s scopes, 403
    /// `missing_scope` for a key that can do more than the holder: a limited key cannot lock
    /// out a broader one (as it cannot mint one).
    public func revoke(_ id: String, by holder: Set<Scope>? = nil, now: Date = Date()) async throws {
        let found = try await store.transaction { tx in
            if let holder, let key = try await tx.keys.key(id: id) {
                let lacking = key.scopes.flatMap(\.implied).filter { !holder.contains($0) }
                if !lacking.isEmpty {
                    throw DomainError(.forbidden, code: "missing_scope",
                                      detail: "This key cannot revoke a key with scopes it does not hold: \(Set(lacking).map(\.rawValue).sorted().joined(separator: ", ")).")
                }
            }
            return try await tx.keys.revokeKey(id, at: Timestamp.string(now))
        }
        if !found { throw DomainError.notFound("key", id) }
        cache.withLock { $0.removeAll() }
    }

    /// The principal a secret authenticates, or `nil` for an unknown or revoked one.
    public func authenticate(_ secret: String) async throws -> Principal? {
        let hash = KeySecret.hash(secret)
        let now = ContinuousClock.now
        if let hit = cache.withLock({ $0[hash] }) {
            if hit.until > now { return hit.principal }
            // Expired: one request refreshes it; the others go on with the answer they have rather
            // than all queueing for the database at once.
            let refresh = cache.withLock { entries in
                guard let entry = entries[hash], entry.until <= now else { return false }
                entries[hash]?.until = now + Self.cacheLifetime
                return true
            }
            if !refresh { return hit.principal }
            do {
                return try await lookUp(hash, now: now)
            } catch {
                cache.withLock { $0[hash]?.until = now }
                throw error
            }
        }
        return try await lookUp(hash, now: now)
    }

    private func lookUp(_ hash: String, now: ContinuousClock.Instant) async throws -> Principal? {
        let key = try await store.read { try await $0.keys.findKey(hash: hash) }
        let principal = key.flatMap { $0.revokedAt == nil ? Principal(key: $0) : nil }
        cache.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[hash] = (principal, now + Self.cacheLifetime)
        }
        return principal
    }
}
