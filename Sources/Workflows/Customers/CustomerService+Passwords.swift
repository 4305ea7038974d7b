import Access
import Customers
import Dispatch
import Events
import Foundation
import HummingbirdBcrypt
import Synchronization
import TorsoKit

/// Password hashing off the cooperative pool, and session tokens.
extension CustomerService {
    // MARK: Passwords and tokens

    /// Runs CPU-bound work on a Dispatch thread, so bcrypt does not hold a cooperative thread,
    /// and at most one per core at a time: beyond a short queue the caller gets 503 `busy`
    /// (with `Retry-After`) instead of every core hashing an attacker's passwords.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        try await passwordGate.enter()
        defer { passwordGate.leave() }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    /// The bound on password work: one bcrypt per core, 32 more waiting.
    static let passwordGate = WorkGate(width: max(1, ProcessInfo.processInfo.activeProcessorCount), queue: 32)

    func hashPassword(_ password: String) async throws -> String {
        let cost = passwordCost
        return try await Self.offPool { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a hash; without one, against a hash of nothing anyone knows, so
    /// that an unknown e-mail takes as long as a wrong password.
    func verifyPassword(_ password: String, hash: String?) async throws -> Bool {
        let target: String
        if let hash {
            target = hash
        } else if let dummy = dummyHash.withLock({ $0 }) {
            target = dummy
        } else {
            let made = try await hashPassword(Self.newToken())
            dummyHash.withLock { $0 = $0 ?? made }
            target = made
        }
        let matches = try await Self.offPool { Bcrypt.verify(password, hash: target) }
        return matches && hash != nil
    }

    /// A new session token: `cs_` and 32 random bytes in base64url.
    static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return tokenPrefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a token.
    static func tokenHash(_ token: String) -> String { Digest.sha256(Data(token.utf8)) }
}
