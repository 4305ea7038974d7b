import Foundation
import TorsoKit

/// Sweeps what would otherwise grow without end: open carts nobody touched for
/// ``cartLifetime`` (30 days), and stored idempotency answers past ``idempotencyWindow``
/// (24 hours: a retry after that is a new request), and handoff codes a day after they expired
/// (until then a late claim hears "expired", not "unknown"). Completed carts stay: orders name
/// them.
public struct Housekeeping: Sendable {
    /// How long an untouched open cart lives.
    public var cartLifetime: Duration
    /// How long an idempotency key replays its first answer.
    public var idempotencyWindow: Duration
    let store: any Store

    /// Creates the sweeper.
    public init(store: any Store, cartLifetime: Duration = .seconds(30 * 24 * 3_600), idempotencyWindow: Duration = .seconds(24 * 3_600)) {
        self.store = store
        self.cartLifetime = cartLifetime
        self.idempotencyWindow = idempotencyWindow
    }

    /// One sweep as of `now`, in batches of 1,000; returns how many carts, answers and codes went.
    @discardableResult
    public func sweep(now: Date = Date()) async throws -> (carts: Int, idempotency: Int, handoffs: Int) {
        let cartCutoff = Timestamp.string(now.addingTimeInterval(-Self.seconds(cartLifetime)))
        var carts = 0
        while true {
            let removed = try await store.transaction { tx in try await tx.carts.deleteAbandonedCarts(changedBefore: cartCutoff, limit: 1_000) }
            carts += removed.count
            if removed.count < 1_000 { break }
        }
        let answers = try await store.transaction { tx in
            try await tx.idempotency.deleteIdempotentResponses(before: Timestamp.string(now.addingTimeInterval(-Self.seconds(idempotencyWindow))))
        }
        let handoffCutoff = Timestamp.string(now.addingTimeInterval(-24 * 3_600))
        var handoffs = 0
        while true {
            let removed = try await store.transaction { tx in try await tx.carts.deleteHandoffs(expiredBefore: handoffCutoff, limit: 1_000) }
            handoffs += removed
            if removed < 1_000 { break }
        }
        return (carts, answers, handoffs)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}
