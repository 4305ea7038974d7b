import Synchronization

/// Token buckets keyed by a string (a client address, a key, a cart): each holds up to
/// `capacity` tokens and gains `perSecond` of them a second; a request takes one, or is told
/// how long to wait for it.
public final class RateLimiter: Sendable {
    /// How big a bucket is and how fast it fills.
    public struct Rule: Sendable, Hashable {
        /// The burst: tokens a full bucket holds.
        public var capacity: Double
        /// Tokens added a second.
        public var perSecond: Double

        /// `count` requests per `seconds`, all of them at once if the bucket is full.
        public init(_ count: Double, per seconds: Double) {
            capacity = count
            perSecond = count / seconds
        }
    }

    private struct Bucket {
        var tokens: Double
        var at: ContinuousClock.Instant
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    /// Beyond this many buckets, full ones are dropped (a full bucket is as good as none).
    private let pruneAbove: Int

    /// Creates a limiter.
    public init(pruneAbove: Int = 100_000) { self.pruneAbove = pruneAbove }

    /// Takes a token from `key`'s bucket; `nil` when there was one, else how long until there is.
    public func take(_ key: String, rule: Rule, now: ContinuousClock.Instant = .now) -> Duration? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: rule.capacity, at: now)
            let elapsed = bucket.at.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(rule.capacity, bucket.tokens + max(0, seconds) * rule.perSecond)
            bucket.at = now
            defer {
                buckets[key] = bucket
                if buckets.count > pruneAbove { prune(&buckets, now: now, rule: rule) }
            }
            guard bucket.tokens >= 1 else {
                return .milliseconds(Int(((1 - bucket.tokens) / rule.perSecond * 1_000).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    private func prune(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant, rule: Rule) {
        let full = rule.capacity / max(rule.perSecond, .leastNonzeroMagnitude)
        buckets = buckets.filter { $0.value.at.duration(to: now) < .seconds(full) }
    }
}
