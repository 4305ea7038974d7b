import Events
import Hummingbird
import Synchronization

/// The `text/event-stream` frames of recent events, encoded once however many feeds carry
/// them.
final class SSEFrameCache: Sendable {
    private struct State {
        var frames: [Key: ByteBuffer] = [:]
        var order: [Key] = []
    }

    /// An event as one view (a channel, or `""` for the event as stored) shows it.
    private struct Key: Hashable {
        var seq: Int
        var view: String
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 1_024) { self.capacity = capacity }

    /// `id:`, `event:` and `data:` lines of an event, then a blank line.
    func frame(_ event: OutboxEvent, view: String = "") -> ByteBuffer {
        let key = Key(seq: event.seq, view: view)
        if let frame = state.withLock({ $0.frames[key] }) { return frame }
        var buffer = ByteBuffer()
        buffer.writeString("id: \(event.seq)\nevent: \(event.type)\ndata: ")
        buffer.writeBytes(event.payload.jsonBytes())
        buffer.writeString("\n\n")
        let frame = buffer
        state.withLock { state in
            guard state.frames.updateValue(frame, forKey: key) == nil else { return }
            state.order.append(key)
            if state.order.count > capacity * 2 {
                for old in state.order.prefix(state.order.count - capacity) { state.frames.removeValue(forKey: old) }
                state.order.removeFirst(state.order.count - capacity)
            }
        }
        return frame
    }
}
