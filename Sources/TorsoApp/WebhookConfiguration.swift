import Events
import Foundation
import Workflows

extension AppConfiguration {
    /// Sets how webhooks are sent from `torso serve`'s flags.
    /// - Parameters:
    ///   - allowPrivate: `--allow-private-webhooks`: URLs may reach loopback and private networks.
    ///   - timeout: `--webhook-timeout`, seconds one attempt may take.
    ///   - retryBase: `--webhook-retry-base`, seconds before the first retry (then doubling, at most an hour).
    ///   - retryWindowHours: `--webhook-retry-window`, hours a delivery is retried before it fails.
    ///   - disableAfter: `--webhook-disable-after`, failed attempts in a row that disable a subscription.
    public mutating func configureWebhooks(allowPrivate: Bool, timeout: TimeInterval, retryBase: TimeInterval,
                                           retryWindowHours: Double, disableAfter: Int) {
        webhooks.allowPrivateTargets = allowPrivate
        webhooks.timeout = timeout
        webhooks.retry = RetrySchedule(base: retryBase, maxInterval: webhooks.retry.maxInterval, window: retryWindowHours * 3_600,
                                       jitter: webhooks.retry.jitter)
        webhooks.disableAfter = max(1, disableAfter)
    }
}
