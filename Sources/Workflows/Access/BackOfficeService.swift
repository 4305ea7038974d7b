import Access
import Customers
import Foundation
import HummingbirdBcrypt
import Synchronization
import TorsoKit

/// The people of the back office: users with roles, their sign-in and sessions (a cookie's
/// token, stored only as its SHA-256, with a CSRF token per session), and the audit log of
/// every change by a person or a key.
public struct BackOfficeService: Sendable {
    /// How long a session lasts from sign-in.
    public static let sessionLifetime: TimeInterval = 12 * 3_600
    /// The prefix of session tokens.
    public static let tokenPrefix = "bo_"
    /// How long the audit log keeps an entry, unless configured otherwise.
    public static let defaultAuditDays = 90

    let store: any Store
    let passwordCost: UInt8
    /// Days the audit log keeps an entry.
    public let auditDays: Int

    /// Creates the service; `passwordCost` is bcrypt's cost (tests use 4).
    public init(store: any Store, passwordCost: UInt8 = CustomerService.defaultPasswordCost, auditDays: Int = Self.defaultAuditDays) {
        self.store = store
        self.passwordCost = passwordCost
        self.auditDays = auditDays
    }

    /// Creates a user; 422 for an e-mail that is none, a password out of 8–128 characters or a
    /// locale or channel code that is none; 409 `email_taken`.
    public func createUser(email: String, name: String, role: AdminRole, password: String, locales: [String]? = nil,
                           channels: [String]? = nil) async throws -> AdminUser {
        try await createUser(email: email, name: name, role: role, password: password, locales: locales, channels: channels, invitation: nil)
    }

    /// ``createUser(email:name:role:password:locales:channels:)``, with an invitation stored in
    /// the same transaction.
    func createUser(email: String, name: String, role: AdminRole, password: String, locales: [String]?, channels: [String]?,
                    invitation: (hash: String, expires: String)?) async throws -> AdminUser {
        var errors = ValidationErrors()
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        EmailAddress.check(address, at: "/email", into: &errors)
        if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("/name", "required", "Give the user a name; the audit log shows it.") }
        if name.count > 200 || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            errors.add("/name", "invalid_value", "A name has at most 200 characters and no control or direction characters.")
        }
        CustomerRules.checkPassword(password, at: "/password", into: &errors)
        for code in (locales ?? []) + (channels ?? []) where code.isEmpty || code.count > 64 {
            errors.add("/locales", "invalid_value", "'\(code)' is not a locale or channel code.")
        }
        try errors.throwIfAny()
        let cost = passwordCost
        let hash = try await CustomerService.offPool { Bcrypt.hash(password, cost: cost) }
        let user = AdminUser(email: address, name: name.trimmingCharacters(in: .whitespaces), role: role, locales: locales, channels: channels,
                             createdAt: Timestamp.string(Date()))
        try await store.transaction { tx in
            try await tx.adminUsers.insertAdminUser(user, passwordHash: hash)
            if let invitation { try await tx.adminUsers.insertAdminInvitation(tokenHash: invitation.hash, userId: user.id.rawValue, expiresAt: invitation.expires) }
        }
        return user
    }

    /// Every user.
    public func users() async throws -> [AdminUser] {
        try await store.read { try await $0.adminUsers.adminUsers() }
    }

    /// Signs a user in: a new session and its cookie token; `nil` for a wrong e-mail or
    /// password (which take the same time).
    public func signIn(email: String, password: String) async throws -> (token: String, session: AdminSession, user: AdminUser)? {
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        let found = try await store.read { try await $0.adminUsers.adminCredentials(email: address) }
        let cost = passwordCost
        let matches = try await CustomerService.offPool {
            // An unknown e-mail is checked against a hash of nothing anyone knows, made once: one
            // bcrypt, as long as a real check takes.
            Bcrypt.verify(password, hash: found?.passwordHash ?? Self.dummyHash(cost: cost))
        }
        guard let found, matches else { return nil }
        let (token, session) = try await openSession(for: found.user)
        return (token, session, found.user)
    }

    /// A new session of `user` and its cookie token.
    func openSession(for user: AdminUser) async throws -> (token: String, session: AdminSession) {
        let token = Self.newToken()
        let session = AdminSession(tokenHash: Digest.sha256(Data(token.utf8)), userId: user.id, csrf: Self.newToken(),
                                   expiresAt: Timestamp.string(Date().addingTimeInterval(Self.sessionLifetime)))
        try await store.transaction { tx in try await tx.adminUsers.insertAdminSession(session, now: Timestamp.string(Date())) }
        return (token, session)
    }

    /// The live session of a cookie's token and its user; `nil` when there is none or it expired.
    public func session(token: String) async throws -> (session: AdminSession, user: AdminUser)? {
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count <= 100 else { return nil }
        guard let found = try await store.read({ try await $0.adminUsers.adminSession(tokenHash: Digest.sha256(Data(token.utf8))) }),
              found.session.expiresAt > Timestamp.string(Date()) else { return nil }
        return found
    }

    /// Ends one session.
    public func signOut(token: String) async throws {
        let hash = Digest.sha256(Data(token.utf8))
        try await store.transaction { tx in try await tx.adminUsers.deleteAdminSession(tokenHash: hash) }
    }

    /// Ends every session of a user, on every device.
    public func signOutEverywhere(userId: String) async throws {
        try await store.transaction { tx in try await tx.adminUsers.deleteAdminSessions(userId: userId) }
    }

    /// Records a change in the audit log.
    public func audit(_ entry: AuditEntry) async throws {
        try await store.transaction { tx in try await tx.audit.appendAudit(entry) }
    }

    /// One page of the audit log, newest first.
    public func auditLog(before seq: Int?, actor: String?, limit: Int) async throws -> [AuditEntry] {
        try await store.read { try await $0.audit.audit(before: seq, actor: actor, limit: limit) }
    }

    /// Removes audit entries past the retention; answers how many.
    public func trimAudit(now: Date = Date()) async throws -> Int {
        let cutoff = Timestamp.string(now.addingTimeInterval(-Double(auditDays) * 86_400))
        return try await store.transaction { tx in try await tx.audit.trimAudit(before: cutoff) }
    }

    /// Hashes of a random password per bcrypt cost, for unknown e-mails.
    private static let dummies = Mutex<[UInt8: String]>([:])

    static func dummyHash(cost: UInt8) -> String {
        if let known = dummies.withLock({ $0[cost] }) { return known }
        let made = Bcrypt.hash(UUID().uuidString, cost: cost)
        return dummies.withLock { dummies in
            if let known = dummies[cost] { return known }
            dummies[cost] = made
            return made
        }
    }

    /// A new token: the prefix and 256 random bits (the same secrets as API keys and cart tokens).
    static func newToken() -> String { KeySecret.generate(prefix: tokenPrefix) }
}
