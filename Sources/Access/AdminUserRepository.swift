import TorsoKit

/// People of the back office, their password hashes and their sessions.
public protocol AdminUserRepository: Sendable {
    /// Stores a new user with their password hash; throws 409 `email_taken` if the e-mail is taken.
    func insertAdminUser(_ user: AdminUser, passwordHash: String) async throws
    /// The user with this (lower-cased) e-mail and their password hash.
    func adminCredentials(email: String) async throws -> (user: AdminUser, passwordHash: String)?
    /// Every user, oldest first.
    func adminUsers() async throws -> [AdminUser]
    /// Stores a session, removing the user's sessions that expired before `now`.
    func insertAdminSession(_ session: AdminSession, now: String) async throws
    /// The session with this token hash and its user, expired or not.
    func adminSession(tokenHash: String) async throws -> (session: AdminSession, user: AdminUser)?
    /// Removes one session.
    func deleteAdminSession(tokenHash: String) async throws
    /// Removes every session of a user (sign out everywhere).
    func deleteAdminSessions(userId: String) async throws
    /// Stores an invitation: the hash of its link's token, whose user sets a password with it.
    func insertAdminInvitation(tokenHash: String, userId: String, expiresAt: String) async throws
    /// Whether an invitation with this token hash is there and has not expired at `now`.
    func adminInvitationIsOpen(tokenHash: String, now: String) async throws -> Bool
    /// Takes an invitation that has not expired at `now` (it is gone afterwards); its user.
    func takeAdminInvitation(tokenHash: String, now: String) async throws -> AdminUser?
    /// Sets a user's password hash.
    func setAdminPassword(userId: String, passwordHash: String) async throws
    /// Removes a user with their sessions and invitations; whether there was one.
    func deleteAdminUser(id: String) async throws -> Bool
}

/// One change by a person or an API key, as the audit log keeps it.
public struct AuditEntry: Sendable, Equatable, Codable {
    /// The entry's place in the log (ascending).
    public var seq: Int
    /// When (RFC 3339).
    public var at: String
    /// Who: a user's ID (`usr_…`) or an API key's (`key_…`), and their name.
    public var actorId: String
    public var actorName: String
    /// What: the method and route (`PATCH /admin/v1/products/{id}`, `POST /admin/products/{id}`).
    public var action: String
    /// The path it was made on, with the resource's ID.
    public var target: String
    /// The answer's status.
    public var status: Int

    /// Creates an entry (`seq` is given by the log).
    public init(seq: Int = 0, at: String, actorId: String, actorName: String, action: String, target: String, status: Int) {
        self.seq = seq
        self.at = at
        self.actorId = actorId
        self.actorName = actorName
        self.action = action
        self.target = target
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case seq, at, action, target, status
        case actorId = "actor_id"
        case actorName = "actor_name"
    }
}

/// The audit log: appended to, read newest first, trimmed to its retention.
public protocol AuditRepository: Sendable {
    /// Appends an entry.
    func appendAudit(_ entry: AuditEntry) async throws
    /// Entries newest first, before `seq` when given, by one actor when given.
    func audit(before seq: Int?, actor: String?, limit: Int) async throws -> [AuditEntry]
    /// Removes entries older than `cutoff` (RFC 3339); answers how many.
    func trimAudit(before cutoff: String) async throws -> Int
}
