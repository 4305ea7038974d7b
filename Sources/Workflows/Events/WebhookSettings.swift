import Events
import Foundation

/// How webhooks are checked and sent. `torso serve` sets these from its `--webhook-…` flags.
public struct WebhookSettings: Sendable {
    /// Whether URLs may point at loopback, private, link-local and other non-public addresses
    /// (`--allow-private-webhooks`; off by default, so the API cannot be used to reach the
    /// operator's internal network).
    public var allowPrivateTargets: Bool
    /// When failed deliveries are tried again (`--webhook-retry-base`, `--webhook-retry-window`).
    public var retry: RetrySchedule
    /// A subscription is disabled after this many failed attempts in a row, with a
    /// `webhook.disabled` event (`--webhook-disable-after`, default 50). While a subscription
    /// fails it is probed with one delivery at a time on the retry schedule, so the count grows
    /// about once per backoff step: 50 takes roughly 40 hours of unbroken failure.
    public var disableAfter: Int
    /// How long one attempt may take, DNS lookup to end of answer, in seconds (`--webhook-timeout`).
    public var timeout: TimeInterval
    /// Attempts in flight at once, per node.
    public var maxInFlight: Int
    /// How often an idle sender looks for work, in seconds (it is also woken when events commit).
    public var pollInterval: TimeInterval
    /// How long the previous secret keeps signing after a rotation when the request does not say, in seconds.
    public var keepPreviousSecret: TimeInterval

    /// Creates settings; the defaults are those of `torso serve`.
    public init(allowPrivateTargets: Bool = false, retry: RetrySchedule = RetrySchedule(), disableAfter: Int = 50,
                timeout: TimeInterval = 10, maxInFlight: Int = 32, pollInterval: TimeInterval = 0.2,
                keepPreviousSecret: TimeInterval = 24 * 3_600) {
        self.allowPrivateTargets = allowPrivateTargets
        self.retry = retry
        self.disableAfter = max(1, disableAfter)
        self.timeout = timeout
        self.maxInFlight = max(1, maxInFlight)
        self.pollInterval = pollInterval
        self.keepPreviousSecret = keepPreviousSecret
    }

    /// How long a claimed delivery is held by its sender: longer than any attempt can take, so
    /// only a sender that died (or was killed) loses it, and then it is sent again.
    public var lease: TimeInterval { timeout * 2 + 5 }
}
