import Synchronization

/// Wakes webhook senders: an event committed, a delivery was queued, a subscription was
/// enabled. Wake-ups coalesce; a sender looks for all the work there is when it wakes.
final class WebhookSignal: Sendable {
    private struct State {
        var listeners: [Int: AsyncStream<Void>.Continuation] = [:]
        var next = 0
    }

    private let state = Mutex(State())

    /// A stream of wake-ups for one sender, ending when the sender stops listening.
    func listen() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.next += 1
            state.listeners[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    /// Wakes every sender.
    func wake() {
        for continuation in state.withLock({ Array($0.listeners.values) }) { continuation.yield() }
    }
}
