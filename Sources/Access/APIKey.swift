import Crypto
import Foundation
import TorsoKit

/// Marks API key identifiers (`key_…`).
public enum APIKeyEntity: IdentifiedEntity { public static let idPrefix = "key" }

/// An API key as stored: never the secret itself, only its SHA-256 hash.
public struct APIKey: Codable, Sendable, Equatable {
    /// Secret keys reach the admin API; publishable keys are bound to a channel for the store API.
    public enum Kind: String, Codable, Sendable {
        case secret, publishable
    }

    /// The key's ID, shown in lists and history.
    public var id: ID<APIKeyEntity>
    /// What the key is for, for people.
    public var name: String
    /// Secret or publishable.
    public var kind: Kind
    /// The first characters of the secret, so people can recognise it (`sk_4f9a…`).
    public var hint: String
    /// Permissions, for secret keys.
    public var scopes: [Scope]
    /// The channel a publishable key reads.
    public var channel: String?
    /// When it was created.
    public var createdAt: String
    /// When it was revoked; a revoked key authenticates nothing.
    public var revokedAt: String?

    /// Creates a key record.
    public init(id: ID<APIKeyEntity> = .generate(), name: String, kind: Kind, hint: String, scopes: [Scope],
                channel: String? = nil, createdAt: String, revokedAt: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.hint = hint
        self.scopes = scopes
        self.channel = channel
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, kind, hint, scopes, channel
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(hint, forKey: .hint)
        try container.encode(scopes, forKey: .scopes)
        try container.encode(channel, forKey: .channel)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(revokedAt, forKey: .revokedAt)
    }
}

/// Makes secrets and hashes them. Secrets carry 256 random bits, so one unsalted SHA-256 is
/// the right hash: it cannot be brute-forced and lets a request find its key by index.
public enum KeySecret {
    /// A new secret: `sk_` or `pk_` and 43 base62 characters.
    public static func generate(kind: APIKey.Kind) -> String {
        generate(prefix: kind == .secret ? "sk_" : "pk_")
    }

    /// A new secret of another kind (cart tokens: `ct_`): `prefix` and 43 base62 characters
    /// (256 bits).
    public static func generate(prefix: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var rng = SystemRandomNumberGenerator()
        var body: [Character] = []
        body.reserveCapacity(43)
        // Eight bytes per draw (one system call), each below 248 (four times 62) kept: unbiased.
        while body.count < 43 {
            var word = rng.next()
            for _ in 0..<8 where body.count < 43 {
                let byte = UInt8(truncatingIfNeeded: word)
                word >>= 8
                if byte < 248 { body.append(alphabet[Int(byte % 62)]) }
            }
        }
        return prefix + String(body)
    }

    /// The hex SHA-256 of a secret, as stored.
    public static func hash(_ secret: String) -> String {
        Digest.sha256(Data(secret.utf8))
    }

    /// The hint shown for a secret.
    public static func hint(_ secret: String) -> String { String(secret.prefix(7)) + "…" }
}

/// Who made a request: the key, its name and what it may do.
public struct Principal: Sendable, Equatable {
    /// The key's ID.
    public var keyId: ID<APIKeyEntity>
    /// The key's name.
    public var name: String
    /// Secret or publishable.
    public var kind: APIKey.Kind
    /// Every scope the key may use, implied ones included.
    public var scopes: Set<Scope>
    /// The channel of a publishable key.
    public var channel: String?

    /// The principal a key authenticates.
    public init(key: APIKey) {
        self.keyId = key.id
        self.name = key.name
        self.kind = key.kind
        self.scopes = key.scopes.reduce(into: Set<Scope>()) { $0.formUnion($1.implied) }
        self.channel = key.channel
    }

    /// The principal a person of the back office acts as: `id` (`usr_…`) stands where a key's ID
    /// would, so that history and the audit log name them.
    public init(person id: String, name: String, scopes: Set<Scope>) {
        self.keyId = ID(rawValue: id)
        self.name = name
        self.kind = .secret
        self.scopes = scopes
        self.channel = nil
    }

    /// Throws 403 `missing_scope` unless the principal holds `scope`.
    public func require(_ scope: Scope) throws {
        guard kind == .secret else {
            throw DomainError(.forbidden, code: "secret_key_required", detail: "A publishable key cannot use the admin API.")
        }
        guard scopes.contains(scope) else {
            throw DomainError(.forbidden, code: "missing_scope", detail: "This key lacks the '\(scope.rawValue)' scope.")
        }
    }
}

/// SHA-256 digests as lower-case hex, for request fingerprints.
public enum Digest {
    /// The hex SHA-256 of `data`.
    public static func sha256(_ data: some DataProtocol) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
