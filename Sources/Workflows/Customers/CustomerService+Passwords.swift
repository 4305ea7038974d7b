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

    /// Runs CPU-bound work on a Dispatch thread, so bcrypt does not hold a cooperative thread.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    func hashPassword(_ password: String) async -> String {
        let cost = passwordCost
        return await Self.offPool { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a hash; without one, against a hash of nothing anyone knows, so
    /// that an unknown e-mail takes as long as a wrong password.
    func verifyPassword(_ password: String, hash: String?) async -> Bool {
        let target: String
        if let hash {
            target = hash
        } else if let dummy = dummyHash.withLock({ $0 }) {
            target = dummy
        } else {
            let made = await hashPassword(Self.newToken())
            dummyHash.withLock { $0 = $0 ?? made }
            target = made
        }
        let matches = await Self.offPool { Bcrypt.verify(password, hash: target) }
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
