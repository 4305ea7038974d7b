import Access
import SQLKit
import TorsoKit

/// People of the back office, their sessions, and the audit log.
extension SQLTransaction: AdminUserRepository, AuditRepository {
    private func adminUser(_ row: any SQLRow) throws -> AdminUser {
        try JSONCoding.decode(AdminUser.self, bytes: try row.decode(column: "doc", as: String.self).utf8)
    }

    func insertAdminUser(_ user: AdminUser, passwordHash: String) async throws {
        if try await db.raw("SELECT 1 AS found FROM admin_users WHERE email = \(bind: user.email)").first() != nil {
            throw DomainError(.conflict, code: "email_taken", detail: "A user with this e-mail address exists already.",
                              errors: [FieldError(pointer: "/email", code: "email_taken", detail: "This e-mail address is taken.")])
        }
        try await db.raw("""
            INSERT INTO admin_users (id, email, password_hash, doc, created_at)
            VALUES (\(bind: user.id.rawValue), \(bind: user.email), \(bind: passwordHash),
                    \(bind: String(decoding: try JSONCoding.encode(user), as: UTF8.self)), \(bind: user.createdAt))
            """).run()
    }

    func adminCredentials(email: String) async throws -> (user: AdminUser, passwordHash: String)? {
        guard let row = try await db.raw("SELECT doc, password_hash FROM admin_users WHERE email = \(bind: email)").first() else { return nil }
        return (try adminUser(row), try row.decode(column: "password_hash", as: String.self))
    }

    func adminUsers() async throws -> [AdminUser] {
        try await db.raw("SELECT doc FROM admin_users ORDER BY id").all().map(adminUser)
    }

    func insertAdminSession(_ session: AdminSession, now: String) async throws {
        try await db.raw("DELETE FROM admin_sessions WHERE user_id = \(bind: session.userId.rawValue) AND expires_at <= \(bind: now)").run()
        try await db.raw("""
            INSERT INTO admin_sessions (token_hash, user_id, csrf, expires_at)
            VALUES (\(bind: session.tokenHash), \(bind: session.userId.rawValue), \(bind: session.csrf), \(bind: session.expiresAt))
            """).run()
    }

    func adminSession(tokenHash: String) async throws -> (session: AdminSession, user: AdminUser)? {
        guard let row = try await db.raw("""
            SELECT s.user_id, s.csrf, s.expires_at, u.doc FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id
            WHERE s.token_hash = \(bind: tokenHash)
            """).first() else { return nil }
        let session = AdminSession(tokenHash: tokenHash, userId: ID(rawValue: try row.decode(column: "user_id", as: String.self)),
                                   csrf: try row.decode(column: "csrf", as: String.self),
                                   expiresAt: try row.decode(column: "expires_at", as: String.self))
        return (session, try adminUser(row))
    }

    func deleteAdminSession(tokenHash: String) async throws {
        try await db.raw("DELETE FROM admin_sessions WHERE token_hash = \(bind: tokenHash)").run()
    }

    func deleteAdminSessions(userId: String) async throws {
        try await db.raw("DELETE FROM admin_sessions WHERE user_id = \(bind: userId)").run()
    }

    func insertAdminInvitation(tokenHash: String, userId: String, expiresAt: String) async throws {
        try await db.raw("INSERT INTO admin_invitations (token_hash, user_id, expires_at) VALUES (\(bind: tokenHash), \(bind: userId), \(bind: expiresAt))")
            .run()
    }

    func adminInvitationIsOpen(tokenHash: String, now: String) async throws -> Bool {
        try await db.raw("SELECT 1 AS open FROM admin_invitations WHERE token_hash = \(bind: tokenHash) AND expires_at > \(bind: now)").first() != nil
    }

    func takeAdminInvitation(tokenHash: String, now: String) async throws -> AdminUser? {
        // Deleted first: of two uses at once, one finds the row.
        guard let row = try await db.raw("DELETE FROM admin_invitations WHERE token_hash = \(bind: tokenHash) RETURNING user_id, expires_at").first(),
              try row.decode(column: "expires_at", as: String.self) > now else { return nil }
        let id = try row.decode(column: "user_id", as: String.self)
        return try await db.raw("SELECT doc FROM admin_users WHERE id = \(bind: id)").first().map(adminUser)
    }

    func setAdminPassword(userId: String, passwordHash: String) async throws {
        try await db.raw("UPDATE admin_users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: userId)").run()
    }

    func deleteAdminUser(id: String) async throws -> Bool {
        try await db.raw("DELETE FROM admin_sessions WHERE user_id = \(bind: id)").run()
        try await db.raw("DELETE FROM admin_invitations WHERE user_id = \(bind: id)").run()
        return try await db.raw("DELETE FROM admin_users WHERE id = \(bind: id) RETURNING id").first() != nil
    }

    func appendAudit(_ entry: AuditEntry) async throws {
        // The next number from the counter row, whose lock orders concurrent writers until commit.
        guard let row = try await db.raw("UPDATE meta SET value = value + 1 WHERE key = 'audit_seq' RETURNING value").first() else {
            throw DomainError(.conflict, code: "counter_missing", detail: "No counter 'audit_seq'.")
        }
        let seq = try row.decode(column: "value", as: Int.self)
        try await db.raw("""
            INSERT INTO audit_log (seq, at, actor_id, actor_name, action, target, status)
            VALUES (\(bind: seq), \(bind: entry.at), \(bind: entry.actorId), \(bind: entry.actorName), \(bind: entry.action),
                    \(bind: entry.target), \(bind: entry.status))
            """).run()
    }

    func audit(before seq: Int?, actor: String?, limit: Int) async throws -> [AuditEntry] {
        var query: SQLQueryString = "SELECT seq, at, actor_id, actor_name, action, target, status FROM audit_log WHERE 1 = 1"
        if let seq { query += " AND seq < \(bind: seq)" }
        if let actor { query += " AND actor_id = \(bind: actor)" }
        query += " ORDER BY seq DESC LIMIT \(bind: limit)"
        return try await db.raw(query).all().map { row in
            AuditEntry(seq: try row.decode(column: "seq", as: Int.self), at: try row.decode(column: "at", as: String.self),
                       actorId: try row.decode(column: "actor_id", as: String.self), actorName: try row.decode(column: "actor_name", as: String.self),
                       action: try row.decode(column: "action", as: String.self), target: try row.decode(column: "target", as: String.self),
                       status: try row.decode(column: "status", as: Int.self))
        }
    }

    func trimAudit(before cutoff: String) async throws -> Int {
        try await db.raw("DELETE FROM audit_log WHERE at < \(bind: cutoff) RETURNING seq").all().count
    }
}
