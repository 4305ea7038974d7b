import Synchronization

/// Counts the live streams open per client address and per key, so one script cannot hold
/// every connection a node has. A slot is taken before a stream starts and given back when its
/// response is done with (``Slot``'s deinit), however the stream ended.
public final class StreamSlots: Sendable {
    private let open = Mutex<[String: Int]>([:])

    /// Creates an empty count.
    public init() {}

    /// A taken slot; dropping it gives it back.
    final class Slot: Sendable {
        let slots: StreamSlots
        let buckets: [String]

        init(slots: StreamSlots, buckets: [String]) {
            self.slots = slots
            self.buckets = buckets
        }

        deinit { slots.release(buckets) }
    }

    /// A slot in every bucket, each below its cap; `nil` (and nothing taken) if one is full.
    func take(_ buckets: [(name: String, cap: Int)]) -> Slot? {
        let taken = open.withLock { counts -> Bool in
            guard buckets.allSatisfy({ counts[$0.name, default: 0] < $0.cap }) else { return false }
            for bucket in buckets { counts[bucket.name, default: 0] += 1 }
            return true
        }
        return taken ? Slot(slots: self, buckets: buckets.map(\.name)) : nil
    }

    /// Streams open in a bucket.
    func count(_ bucket: String) -> Int { open.withLock { $0[bucket, default: 0] } }

    private func release(_ buckets: [String]) {
        open.withLock { counts in
            for bucket in buckets {
                let left = counts[bucket, default: 1] - 1
                counts[bucket] = left > 0 ? left : nil
            }
        }
    }
}
