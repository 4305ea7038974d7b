import Events
import Foundation
import Logging
import Synchronization
import TorsoKit

/// This node's reading of the outbox. It follows the `events` table in sequence order, woken
/// when an event commits (this process's commits, and every node's on PostgreSQL through
/// LISTEN/NOTIFY) and at least once per poll interval; hands catalog events to the
/// projections, so every node serves what any node published; and then passes each event
/// to the live feeds subscribed on this node. Recent events stay in memory so that a feed
/// resuming after a short disconnect catches up without a query.
public final class EventFeed: Sendable {
    /// What a subscriber receives.
    public enum Delivery: Sendable {
        /// The next event, in sequence order.
        case event(OutboxEvent)
        /// Nothing happened for a heartbeat interval; connections should say so to stay open.
        case heartbeat
    }

    /// A live subscription: events after ``head`` arrive through ``next()``, which ends
    /// (`nil`) when the subscriber falls too far behind (it should resume from its last
    /// sequence number) or the node shuts down.
    public struct Subscription: Sendable {
        /// The last sequence number the feed had published when the subscription began.
        public let head: Int
        let id: Int
        let feed: EventFeed
        let mailbox: FeedMailbox

        /// Every delivery waiting, in order, waiting for one if none is; `nil` at the end.
        public func next() async -> [Delivery]? { await mailbox.take() }

        /// Ends the subscription.
        public func cancel() { feed.unsubscribe(id) }
    }

    struct State {
        var last: Int
        var recent: [OutboxEvent] = []
        var subscribers: [Int: FeedMailbox] = [:]
        var nextId = 0
        var closed = false
        var listeners: [@Sendable () -> Void] = []
    }

    let store: any Store
    let node: String
    let follower: (any ChangeObserver)?
    let retained: Int
    let pollInterval: Duration
    let heartbeatInterval: Duration
    let subscriberBuffer: Int
    let logger = Logger(label: "torso.events")
    private let state: Mutex<State>
    private let wakeStream: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    /// Creates a feed that starts after `seq`.
    /// - Parameters:
    ///   - node: this process's origin name; its own settings events are not handed to `follower` (they rebuilt it already).
    ///   - follower: told of catalog changes before they reach subscribers.
    ///   - retained: how many recent events stay in memory for resuming feeds.
    ///   - subscriberBuffer: how many deliveries a slow subscriber may lag before its stream ends.
    public init(store: any Store, node: String, after seq: Int, follower: (any ChangeObserver)?, retained: Int = 10_000,
                pollInterval: Duration = .seconds(1), heartbeatInterval: Duration = .seconds(15), subscriberBuffer: Int = 4_096) {
        self.store = store
        self.node = node
        self.follower = follower
        self.retained = retained
        self.pollInterval = pollInterval
        self.heartbeatInterval = heartbeatInterval
        self.subscriberBuffer = subscriberBuffer
        state = Mutex(State(last: seq))
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The last sequence number handed to subscribers.
    public var last: Int { state.withLock { $0.last } }

    /// How many subscriptions are open.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Calls `action` whenever new events have been read (the webhook sender wakes on it).
    public func whenEventsArrive(_ action: @escaping @Sendable () -> Void) {
        state.withLock { $0.listeners.append(action) }
    }

    /// Asks the feed to read the outbox now (an event may have committed).
    public func wake() { wakeContinuation.yield() }

    /// Follows the outbox until cancelled; run it once per process.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.forwardSignals() }
            group.addTask { await self.tick() }
            group.addTask { await self.follow() }
            await group.next()
            group.cancelAll()
        }
        close()
    }

    /// Ends every subscription (at shutdown).
    public func close() {
        let subscribers = state.withLock { state in
            state.closed = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// Subscribes to the events published after this moment.
    public func subscribe() -> Subscription {
        let mailbox = FeedMailbox(capacity: subscriberBuffer)
        let (id, head, closed) = state.withLock { state in
            state.nextId += 1
            if !state.closed { state.subscribers[state.nextId] = mailbox }
            return (state.nextId, state.last, state.closed)
        }
        if closed { mailbox.finish() }
        return Subscription(head: head, id: id, feed: self, mailbox: mailbox)
    }

    /// The events after `seq` up to and including `through`, in order, at most `limit`: from
    /// memory when the feed still holds them, else from the outbox.
    public func events(after seq: Int, through: Int, limit: Int) async throws -> [OutboxEvent] {
        guard seq < through else { return [] }
        let cached: [OutboxEvent]? = state.withLock { state in
            guard let first = state.recent.first, first.seq <= seq + 1 else { return nil }
            let start = seq + 1 - first.seq
            let end = min(state.recent.count, start + limit, through - first.seq + 1)
            return start < end ? Array(state.recent[start..<end]) : []
        }
        if let cached { return cached }
        return try await store.read { try await $0.outbox.events(after: seq, limit: limit, types: nil) }.filter { $0.seq <= through }
    }

    /// A page of the outbox after `seq`, optionally of some types only, straight from the store.
    public func stored(after seq: Int, limit: Int, types: Set<String>?) async throws -> [OutboxEvent] {
        try await store.read { try await $0.outbox.events(after: seq, limit: limit, types: types) }
    }

    /// Sets where the feed starts, before it runs: the outbox position read before the
    /// projections were built, so nothing committed meanwhile is missed.
    public func prime(after seq: Int) {
        state.withLock { $0.last = max($0.last, seq) }
    }

    func unsubscribe(_ id: Int) {
        let mailbox = state.withLock { $0.subscribers.removeValue(forKey: id) }
        mailbox?.finish()
    }

    private func forwardSignals() async {
        for await _ in store.eventSignals() { wakeContinuation.yield() }
    }

    private func tick() async {
        let step = min(pollInterval, heartbeatInterval)
        var sinceHeartbeat = Duration.zero
        while !Task.isCancelled {
            do { try await Task.sleep(for: step) } catch { return }
            wakeContinuation.yield()
            sinceHeartbeat += step
            if sinceHeartbeat >= heartbeatInterval {
                sinceHeartbeat = .zero
                broadcast(.heartbeat)
            }
        }
    }

    private func follow() async {
        for await _ in wakeStream {
            if Task.isCancelled { return }
            do {
                try await drain()
            } catch {
                logger.error("reading the outbox failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Reads everything after the last event, page by page.
    private func drain() async throws {
        while true {
            let after = last
            let page = try await store.read { try await $0.outbox.events(after: after, limit: 500, types: nil) }
            guard !page.isEmpty else { return }
            await project(page)
            publish(page)
            for listener in state.withLock({ $0.listeners }) { listener() }
            if page.count < 500 { return }
        }
    }

    /// Hands catalog changes to the projections, in order, before subscribers see them. This
    /// node's own product changes are re-projected too (cheap, and it makes sure a head that
    /// reads right after an event sees what the event announced); its own settings changes are
    /// not, since the change already rebuilt every projection.
    private func project(_ events: [OutboxEvent]) async {
        guard let follower else { return }
        if events.contains(where: { ($0.type == EventType.settingsChanged || $0.type == EventType.catalogPublished) && $0.origin != node }) {
            await follower.changed(.settings)
            return
        }
        var stock: [String] = []
        for event in events {
            switch event.type {
            case EventType.productPublished, EventType.productUnpublished: await follower.changed(.publication(productId: event.subject))
            case EventType.productUpdated, EventType.productDeleted, EventType.priceChanged:
                await follower.changed(.product(id: event.subject))
            case EventType.stockChanged: stock.append(event.subject)
            default: break
            }
        }
        if !stock.isEmpty { await follower.changed(.stock(productIds: Array(Set(stock)).sorted())) }
    }

    private func publish(_ events: [OutboxEvent]) {
        let deliveries = events.map(Delivery.event)
        let dropped: [FeedMailbox] = state.withLock { state in
            state.recent.append(contentsOf: events)
            if state.recent.count > retained * 2 { state.recent.removeFirst(state.recent.count - retained) }
            state.last = events[events.count - 1].seq
            let ids = state.subscribers.compactMap { id, mailbox in mailbox.post(deliveries) ? nil : id }
            return ids.compactMap { state.subscribers.removeValue(forKey: $0) }
        }
        for mailbox in dropped { mailbox.finish() }
    }

    private func broadcast(_ delivery: Delivery) {
        let dropped: [FeedMailbox] = state.withLock { state in
            let ids = state.subscribers.compactMap { id, mailbox in mailbox.post([delivery]) ? nil : id }
            return ids.compactMap { state.subscribers.removeValue(forKey: $0) }
        }
        for mailbox in dropped { mailbox.finish() }
    }
}
