import TorsoKit

/// The outbox: every event, numbered in commit order, written in the transaction of its change.
public protocol OutboxRepository: Sendable {
    /// Appends an event to the outbox with the next sequence number, in the caller's transaction.
    @discardableResult
    func appendEvent(type: String, channel: String?, subject: String, data: JSONValue, at: String) async throws -> Int
    /// Appends several events with consecutive sequence numbers (one counter step, multi-row
    /// inserts): for changes that announce thousands at once, such as an inventory sync.
    func appendEvents(_ events: [(type: String, channel: String?, subject: String, data: JSONValue)], at: String) async throws
    /// Up to `limit` events after `seq`, in order, optionally only of some types.
    func events(after seq: Int, limit: Int, types: Set<String>?) async throws -> [OutboxEvent]
    /// The sequence number of the last committed event (0 when there is none).
    func lastEventSeq() async throws -> Int
}
