import Foundation

/// When a failed delivery is tried again: exponential backoff with jitter inside a window.
///
/// After the n-th failed attempt the next one waits `base × 2^(n−1)`, at most `maxInterval`,
/// scaled by a random factor in `1 ± jitter`. A delivery gives up (`failed`) when its next
/// attempt would start more than `window` after the delivery was made. The defaults — 5 s
/// doubling up to an hour, ±20 %, a 26-hour window — make about 35 attempts: the first ten in
/// the first 1.5 hours, then one an hour.
public struct RetrySchedule: Sendable, Equatable {
    /// The first wait, in seconds.
    public var base: TimeInterval
    /// The longest wait between two attempts, in seconds (before jitter).
    public var maxInterval: TimeInterval
    /// How long after the delivery was made attempts may start, in seconds.
    public var window: TimeInterval
    /// The relative jitter: 0.2 spreads each wait over ±20 %.
    public var jitter: Double

    /// Creates a schedule; the defaults are 5 s, 1 h, 26 h and ±20 %.
    public init(base: TimeInterval = 5, maxInterval: TimeInterval = 3_600, window: TimeInterval = 26 * 3_600, jitter: Double = 0.2) {
        self.base = base
        self.maxInterval = maxInterval
        self.window = window
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The wait after the `failures`-th failure in a row (from 1), without jitter.
    public func nominalDelay(after failures: Int) -> TimeInterval {
        let exponent = Double(min(max(failures, 1) - 1, 60))
        return min(maxInterval, base * pow(2, exponent))
    }

    /// The wait after the `failures`-th failure in a row, with jitter.
    public func delay(after failures: Int, using generator: inout some RandomNumberGenerator) -> TimeInterval {
        let nominal = nominalDelay(after: failures)
        guard jitter > 0 else { return nominal }
        return nominal * Double.random(in: (1 - jitter)...(1 + jitter), using: &generator)
    }

    /// The wait after the `failures`-th failure in a row, with jitter from the system's generator.
    public func delay(after failures: Int) -> TimeInterval {
        var generator = SystemRandomNumberGenerator()
        return delay(after: failures, using: &generator)
    }

    /// When to try a delivery made at `created` again after its `attempt`-th attempt failed at
    /// `now`; `nil` when that would be past the window, and the delivery has failed.
    public func nextAttempt(after attempt: Int, failedAt now: Date, created: Date,
                            using generator: inout some RandomNumberGenerator) -> Date? {
        let next = now.addingTimeInterval(delay(after: attempt, using: &generator))
        return next.timeIntervalSince(created) > window ? nil : next
    }

    /// ``nextAttempt(after:failedAt:created:using:)`` with the system's generator.
    public func nextAttempt(after attempt: Int, failedAt now: Date, created: Date) -> Date? {
        var generator = SystemRandomNumberGenerator()
        return nextAttempt(after: attempt, failedAt: now, created: created, using: &generator)
    }
}
