import TorsoKit

/// The ID tag of people who sign in to the back office (`usr_…`).
public enum AdminUserEntity: IdentifiedEntity { public static let idPrefix = "usr" }

/// A person who signs in to the back office: their role, and the locales and channels it is
/// limited to (a German translator changes only `de-DE` values). Never carries the password.
public struct AdminUser: Sendable, Equatable, Codable {
    /// The user's ID.
    public var id: ID<AdminUserEntity>
    /// The e-mail they sign in with, lower-cased.
    public var email: String
    /// Their name, as the audit log shows it.
    public var name: String
    /// What they may do.
    public var role: AdminRole
    /// The locales whose values they may change; `nil` for all.
    public var locales: [String]?
    /// The channels whose values and publications they may change; `nil` for all.
    public var channels: [String]?
    /// When the user was created (RFC 3339).
    public var createdAt: String

    /// Creates a user.
    public init(id: ID<AdminUserEntity> = .generate(), email: String, name: String, role: AdminRole, locales: [String]? = nil,
                channels: [String]? = nil, createdAt: String) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.locales = locales
        self.channels = channels
        self.createdAt = createdAt
    }

    /// Whether the user may change a value in `locale` scoped to `channel` (`nil`: a value of no
    /// locale or no channel). A user limited to locales changes only values in those locales (a
    /// German translator changes no brand or EAN); a user limited to channels changes values of
    /// no channel and of theirs.
    public func mayEdit(locale: String?, channel: String?) -> Bool {
        if let locales, !(locale.map(locales.contains) ?? false) { return false }
        if let channels, let channel, !channels.contains(channel) { return false }
        return true
    }

    /// Whether the user may publish to `channel`.
    public func mayPublish(to channel: String) -> Bool { channels?.contains(channel) ?? true }

    /// The principal the user acts as: their role's scopes, named after them in history.
    public var principal: Principal {
        Principal(person: id.rawValue, name: name, scopes: role.scopes)
    }

    enum CodingKeys: String, CodingKey {
        case id, email, name, role, locales, channels
        case createdAt = "created_at"
    }
}

/// A signed-in session as stored: the SHA-256 of its cookie's token, never the token, and the
/// token that forms must carry (CSRF).
public struct AdminSession: Sendable, Equatable {
    /// The hex SHA-256 of the cookie's token.
    public var tokenHash: String
    /// Whose session it is.
    public var userId: ID<AdminUserEntity>
    /// The value every form of the session posts back.
    public var csrf: String
    /// When it stops authenticating (RFC 3339).
    public var expiresAt: String

    /// Creates a session record.
    public init(tokenHash: String, userId: ID<AdminUserEntity>, csrf: String, expiresAt: String) {
        self.tokenHash = tokenHash
        self.userId = userId
        self.csrf = csrf
        self.expiresAt = expiresAt
    }
}
