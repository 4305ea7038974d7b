/// Carts.
public protocol CartRepository: Sendable {
    /// Stores a new cart.
    func insertCart(_ cart: Cart) async throws
    /// A cart, locked until the transaction ends when `forUpdate` (PostgreSQL row lock).
    func cart(_ id: String, forUpdate: Bool) async throws -> Cart?
    /// Replaces a cart stored at `expectedVersion`; `false` if it moved on.
    func replaceCart(_ cart: Cart, expectedVersion: Int) async throws -> Bool
    /// Removes up to `limit` open carts last changed before `instant` (abandoned); returns their IDs.
    func deleteAbandonedCarts(changedBefore instant: String, limit: Int) async throws -> [String]
    /// Stores a handoff code; codes of the same cart not yet claimed stop working.
    func insertHandoff(_ handoff: CartHandoff) async throws
    /// Claims a code at `instant`: exactly one of any number of concurrent callers wins.
    func claimHandoff(codeHash: String, channel: String, at instant: String) async throws -> CartHandoff.Claim
    /// Removes up to `limit` handoffs that expired before `instant`; returns how many.
    func deleteHandoffs(expiredBefore instant: String, limit: Int) async throws -> Int
}
