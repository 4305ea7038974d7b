import Events
import Synchronization

/// What one live-feed subscriber has not read yet. The feed posts whole pages of events; the
/// subscriber takes everything pending at once, so a connection that fell behind catches up
/// in one write instead of one per event. A subscriber more than `capacity` deliveries behind
/// is cut off (it resumes from its last sequence number).
final class FeedMailbox: Sendable {
    private struct State {
        var pending: [EventFeed.Delivery] = []
        var waiter: CheckedContinuation<Void, Never>?
        var finished = false
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Adds deliveries; `false` (and the mailbox is finished) when that would exceed the capacity.
    @discardableResult
    func post(_ deliveries: [EventFeed.Delivery]) -> Bool {
        let (waiter, accepted): (CheckedContinuation<Void, Never>?, Bool) = state.withLock { state in
            guard !state.finished else { return (nil, false) }
            if state.pending.count + deliveries.count > capacity {
                state.finished = true
                state.pending.removeAll()
            } else {
                state.pending.append(contentsOf: deliveries)
            }
            defer { state.waiter = nil }
            return (state.waiter, !state.finished)
        }
        waiter?.resume()
        return accepted
    }

    /// Ends the mailbox: a waiting `take` returns what is left, then `nil`.
    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Everything pending, waiting for something if nothing is; `nil` once finished and empty
    /// (or when the task is cancelled).
    func take() async -> [EventFeed.Delivery]? {
        while true {
            if Task.isCancelled { return nil }
            let ready: [EventFeed.Delivery]?? = state.withLock { state in
                if !state.pending.isEmpty {
                    defer { state.pending.removeAll(keepingCapacity: true) }
                    return .some(state.pending)
                }
                return state.finished ? .some(nil) : .none
            }
            if let ready { return ready }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state in
                        if !state.pending.isEmpty || state.finished || Task.isCancelled { return true }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { state in
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
        }
    }
}
