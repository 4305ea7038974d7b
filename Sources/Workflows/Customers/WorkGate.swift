import Synchronization
import TorsoKit

/// Lets `width` callers in at a time and up to `queue` more wait their turn; anyone beyond that
/// is refused at once with 503 `busy` rather than queued without bound.
final class WorkGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let width: Int
    let queue: Int

    init(width: Int, queue: Int) {
        self.width = width
        self.queue = queue
    }

    /// Waits for a place; throws `busy` when the queue is full.
    func enter() async throws {
        enum Outcome { case enter, wait, refuse }
        let outcome: Outcome = state.withLock { state in
            if state.running < width {
                state.running += 1
                return .enter
            }
            return state.waiting.count < queue ? .wait : .refuse
        }
        switch outcome {
        case .enter: return
        case .refuse: throw DomainError(.unavailable, code: "busy", detail: "Too many password checks at once; try again in a second.")
        case .wait:
            await withCheckedContinuation { continuation in
                let admitted = state.withLock { state -> Bool in
                    // A place may have come free meanwhile.
                    if state.running < width {
                        state.running += 1
                        return true
                    }
                    state.waiting.append(continuation)
                    return false
                }
                if admitted { continuation.resume() }
            }
        }
    }

    /// Gives the place to the next waiter, or frees it.
    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
