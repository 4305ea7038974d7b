import Events
import Foundation
import SQLKit
import TorsoKit

/// The event outbox.
extension SQLTransaction: OutboxRepository {
    func appendEvent(type: String, channel: String?, subject: String, data: JSONValue, at: String) async throws -> Int {
        // The counter row stays locked until commit, so sequence numbers are given in commit order.
        let seq = try await nextCounter("event_seq")
        try await db.raw("""
            INSERT INTO events (seq, type, channel, subject, data, at, origin) VALUES (
                \(bind: seq), \(bind: type), \(bind: channel), \(bind: subject), \(bind: String(decoding: data.jsonBytes(), as: UTF8.self)),
                \(bind: at), \(bind: origin))
            """).run()
        appended?.set()
        // PostgreSQL delivers the notification at commit (once per transaction), waking every node's feed.
        if dialect == .postgres { try await db.raw("SELECT pg_notify(\(bind: SQLStore.eventChannel), '')").run() }
        return seq
    }

    func appendEvents(_ events: [(type: String, channel: String?, subject: String, data: JSONValue)], at: String) async throws {
        guard !events.isEmpty else { return }
        guard let row = try await db.raw("""
            UPDATE meta SET value = value + \(bind: events.count) WHERE key = 'event_seq' RETURNING value
            """).first() else { throw DomainError(.conflict, code: "counter_missing", detail: "No counter 'event_seq'.") }
        let first = try row.decode(column: "value", as: Int.self) - events.count + 1
        for start in stride(from: 0, to: events.count, by: 500) {
            let rows = (start..<min(events.count, start + 500)).map { index -> SQLQueryString in
                let event = events[index]
                return """
                    (\(bind: first + index), \(bind: event.type), \(bind: event.channel), \(bind: event.subject),
                     \(bind: String(decoding: event.data.jsonBytes(), as: UTF8.self)), \(bind: at), \(bind: origin))
                    """
            }
            try await db.raw("INSERT INTO events (seq, type, channel, subject, data, at, origin) VALUES \(rows.joined(separator: ", "))").run()
        }
        appended?.set()
        if dialect == .postgres { try await db.raw("SELECT pg_notify(\(bind: SQLStore.eventChannel), '')").run() }
    }

    func events(after seq: Int, limit: Int, types: Set<String>?) async throws -> [OutboxEvent] {
        let filter: SQLQueryString = if let types { " AND type IN (\(binds: types.sorted()))" } else { "" }
        return try await db.raw("""
            SELECT seq, type, channel, subject, data, at, origin FROM events WHERE seq > \(bind: seq)\(filter) ORDER BY seq LIMIT \(bind: limit)
            """).all().map { row in
            OutboxEvent(
                seq: try row.decode(column: "seq", as: Int.self), type: try row.decode(column: "type", as: String.self),
                channel: try row.decode(column: "channel", as: String?.self), subject: try row.decode(column: "subject", as: String.self),
                data: try JSONValue.parse(bytes: try row.decode(column: "data", as: String.self).utf8),
                at: try row.decode(column: "at", as: String.self), origin: try row.decode(column: "origin", as: String?.self))
        }
    }

    func lastEventSeq() async throws -> Int {
        try await db.raw("SELECT value FROM meta WHERE key = 'event_seq'").first()?.decode(column: "value", as: Int.self) ?? 0
    }
}
