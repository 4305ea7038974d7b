import Access
import Customers
import Foundation
import HummingbirdBcrypt
import TorsoKit

extension BackOfficeService {
    /// How long an invitation link works.
    public static let invitationLifetime: TimeInterval = 7 * 86_400

    /// Invites a person: the user exists at once, with a password nobody knows, and the link's
    /// token (answered once, stored as a hash) lets them set their own within seven days.
    /// The same refusals as ``createUser(email:name:role:password:locales:channels:)``.
    public func invite(email: String, name: String, role: AdminRole, locales: [String]? = nil,
                       channels: [String]? = nil) async throws -> (user: AdminUser, token: String) {
        let token = Self.newToken()
        let expires = Timestamp.string(Date().addingTimeInterval(Self.invitationLifetime))
        let user = try await createUser(email: email, name: name, role: role, password: Self.newToken(), locales: locales, channels: channels,
                                        invitation: (Digest.sha256(Data(token.utf8)), expires))
        return (user, token)
    }

    /// Sets the password of an invited person and signs them in; `nil` when the link is unknown,
    /// used or expired. 422 for a password out of 8–128 characters (the link stays good).
    public func acceptInvitation(token: String, password: String) async throws -> (token: String, session: AdminSession, user: AdminUser)? {
        var errors = ValidationErrors()
        CustomerRules.checkPassword(password, at: "/password", into: &errors)
        try errors.throwIfAny()
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count <= 100 else { return nil }
        let cost = passwordCost
        let hash = try await CustomerService.offPool { Bcrypt.hash(password, cost: cost) }
        let tokenHash = Digest.sha256(Data(token.utf8))
        guard let user = try await store.transaction({ tx -> AdminUser? in
            guard let user = try await tx.adminUsers.takeAdminInvitation(tokenHash: tokenHash, now: Timestamp.string(Date())) else { return nil }
            try await tx.adminUsers.setAdminPassword(userId: user.id.rawValue, passwordHash: hash)
            return user
        }) else { return nil }
        let (session, opened) = try await openSession(for: user)
        return (session, opened, user)
    }

    /// Whether an invitation link still works (unused, not expired).
    public func invitationIsOpen(token: String) async throws -> Bool {
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count <= 100 else { return false }
        let hash = Digest.sha256(Data(token.utf8))
        return try await store.read { try await $0.adminUsers.adminInvitationIsOpen(tokenHash: hash, now: Timestamp.string(Date())) }
    }

    /// Removes a person, their sessions and invitations; 404 when there is none, 422 for oneself.
    public func removeUser(_ id: String, by person: String) async throws {
        guard id != person else {
            throw DomainError.validation([FieldError(pointer: "/id", code: "invalid_value", detail: "You cannot remove yourself.")])
        }
        guard try await store.transaction({ try await $0.adminUsers.deleteAdminUser(id: id) }) else { throw DomainError.notFound("user", id) }
    }
}
