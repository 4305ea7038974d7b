import AsyncHTTPClient
import Events
import Foundation
import Logging
import Metrics
import NIOPosix
import ServiceLifecycle
import Synchronization
import TorsoKit
import Workflows

/// Sends webhooks: fans committed events out to subscriptions, claims due deliveries and sends
/// them — up to ``WebhookSettings/maxInFlight`` at once, on one HTTP client it owns — and
/// records every attempt. It wakes when ``wake()`` is called (an event committed, a delivery
/// was queued), when a retry falls due, and every ``WebhookSettings/pollInterval`` to see other
/// nodes' work. On graceful shutdown it stops at once: attempts that ended are recorded, those
/// cut short are released and sent again by the next sender (after a crash, once their lease
/// runs out).
public struct WebhookDispatcher: Service {
    let webhooks: WebhookService
    let logger: Logger

    /// Creates the dispatcher of a service.
    public init(webhooks: WebhookService, logger: Logger) {
        self.webhooks = webhooks
        self.logger = logger
    }

    /// Makes it look for work now.
    public func wake() { webhooks.wake() }

    public func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: WebhookSender.configuration(webhooks.settings))
        let resolver = NIOThreadPool(numberOfThreads: min(webhooks.settings.maxInFlight, 8))
        resolver.start()
        let state = State()
        let wakeUps = webhooks.wakeUps()
        webhooks.wake()  // work left by the last run (or another node) starts at once
        let sender = WebhookSender(client: client, resolver: resolver, settings: webhooks.settings)
        await cancelWhenGracefulShutdown { await self.loop(sender, state, wakeUps) }
        // Not a child of the cancelled task: the last records and releases still reach the store.
        await Task { await self.finish(state) }.value
        try? await client.shutdown()
        // Not awaited: a lookup stuck in getaddrinfo must not hold up the shutdown.
        resolver.shutdownGracefully { _ in }
    }

    /// What the loop, the senders and the recorder share.
    final class State: Sendable {
        struct Values {
            var inFlight: Set<ID<WebhookDelivery>> = []
            var outcomes: [WebhookAttemptOutcome] = []
            /// When a retry or a pause ends, if sooner than the next poll.
            var nextDue: Date?
        }

        let values = Mutex(Values())
        let recorded: AsyncStream<Void>
        let recordable: AsyncStream<Void>.Continuation
        /// `torso_webhook_attempts_total{result="succeeded"|"failed"}` in `/metrics`.
        let succeeded = Counter(label: "torso_webhook_attempts_total", dimensions: [("result", "succeeded")])
        let failed = Counter(label: "torso_webhook_attempts_total", dimensions: [("result", "failed")])

        init() { (recorded, recordable) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1)) }

        var inFlightCount: Int { values.withLock { $0.inFlight.count } }
    }

    private func loop(_ sender: WebhookSender, _ state: State, _ wakeUps: AsyncStream<Void>) async {
        let settings = webhooks.settings
        await withDiscardingTaskGroup { group in
            group.addTask { await self.tick(state) }
            group.addTask { await self.recordOutcomes(state) }
            for await _ in wakeUps {
                var more = true
                while more, !Task.isCancelled {
                    more = false
                    do {
                        let backlog = try await webhooks.backlog()
                        var queued = 0
                        if backlog.eventsBehind {
                            let fanned = try await webhooks.fanOut(limit: 1_000)
                            queued = fanned.deliveries
                            more = fanned.events == 1_000
                        }
                        let capacity = settings.maxInFlight - state.inFlightCount
                        guard capacity > 0, backlog.deliveriesDue || queued > 0 else { continue }
                        let claimed = try await webhooks.claimDue(limit: capacity)
                        state.values.withLock { $0.inFlight.formUnion(claimed.map(\.deliveryId)) }
                        for dispatch in claimed {
                            group.addTask {
                                guard let outcome = await sender.send(dispatch) else { return }
                                state.values.withLock { $0.outcomes.append(outcome) }
                                state.recordable.yield()
                            }
                        }
                        // A full claim may leave more due; the recorder wakes the loop as sends end.
                        more = more || claimed.count == capacity
                    } catch {
                        if Task.isCancelled { break }
                        logger.error("webhook dispatcher failed", metadata: ["error": "\(error)"])
                        try? await Task.sleep(for: .seconds(max(settings.pollInterval, 0.5)))
                    }
                }
                if Task.isCancelled { break }
            }
            group.cancelAll()
        }
    }

    /// Wakes the loop every poll interval, or sooner when a retry falls due sooner.
    private func tick(_ state: State) async {
        let poll = webhooks.settings.pollInterval
        while !Task.isCancelled {
            let nextDue = state.values.withLock { $0.nextDue }
            let wait = min(poll, max(0.005, nextDue.map { $0.timeIntervalSinceNow } ?? poll))
            do { try await Task.sleep(for: .milliseconds(Int64(wait * 1_000))) } catch { return }
            if let nextDue, nextDue <= Date() { state.values.withLock { if $0.nextDue == nextDue { $0.nextDue = nil } } }
            webhooks.wake()
        }
    }

    /// Records finished attempts in batches: whatever ended while the previous batch was being written.
    private func recordOutcomes(_ state: State) async {
        for await _ in state.recorded {
            await record(state)
        }
    }

    /// Records what is waiting; a store that fails keeps the outcomes for the next try, three
    /// times, then lets their leases run out (they are sent again: at least once).
    private func record(_ state: State) async {
        let batch = state.values.withLock { values in
            let batch = values.outcomes
            values.outcomes.removeAll()
            return batch
        }
        guard !batch.isEmpty else { return }
        var failures = 0
        while true {
            do {
                let nextDue = try await webhooks.record(batch)
                let successes = batch.filter(\.succeeded).count
                state.succeeded.increment(by: successes)
                state.failed.increment(by: batch.count - successes)
                state.values.withLock { values in
                    values.inFlight.subtract(batch.map(\.deliveryId))
                    if let nextDue, nextDue < values.nextDue ?? .distantFuture { values.nextDue = nextDue }
                }
                break
            } catch {
                if Task.isCancelled {
                    // Shutting down: the final record, outside the cancelled task, tries again.
                    state.values.withLock { $0.outcomes.insert(contentsOf: batch, at: 0) }
                    return
                }
                failures += 1
                logger.error("recording webhook attempts failed", metadata: ["error": "\(error)", "attempts": "\(batch.count)"])
                if failures >= 3 {
                    state.values.withLock { $0.inFlight.subtract(batch.map(\.deliveryId)) }
                    break
                }
                try? await Task.sleep(for: .milliseconds(100 * failures))
            }
        }
        webhooks.wake()
    }

    /// After the loop stopped: records the attempts that ended and releases the rest.
    private func finish(_ state: State) async {
        await record(state)
        let interrupted = state.values.withLock { values in
            let ids = Array(values.inFlight)
            values.inFlight.removeAll()
            return ids
        }
        do {
            try await webhooks.release(interrupted)
        } catch {
            logger.warning("could not release interrupted webhook deliveries; they are sent again when their lease ends",
                           metadata: ["deliveries": "\(interrupted.count)", "error": "\(error)"])
        }
    }
}
