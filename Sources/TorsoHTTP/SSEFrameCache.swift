import Events
import Hummingbird
import Synchronization

/// The `text/event-stream` frames of recent events, encoded once however many feeds carry
/// them.
final class SSEFrameCache: Sendable {
    private struct State {
        var frames: [Int: ByteBuffer] = [:]
        var order: [Int] = []
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 1_024) { self.capacity = capacity }

    /// `id:`, `event:` and `data:` lines of an event, then a blank line.
    func frame(_ event: OutboxEvent) -> ByteBuffer {
        if let frame = state.withLock({ $0.frames[event.seq] }) { return frame }
        var buffer = ByteBuffer()
        buffer.writeString("id: \(event.seq)\nevent: \(event.type)\ndata: ")
        buffer.writeBytes(event.payload.jsonBytes())
        buffer.writeString("\n\n")
        let frame = buffer
        state.withLock { state in
            guard state.frames.updateValue(frame, forKey: event.seq) == nil else { return }
            state.order.append(event.seq)
            if state.order.count > capacity * 2 {
                for seq in state.order.prefix(state.order.count - capacity) { state.frames.removeValue(forKey: seq) }
                state.order.removeFirst(state.order.count - capacity)
            }
        }
        return frame
    }
}
