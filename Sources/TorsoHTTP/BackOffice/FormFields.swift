import Foundation
import NIOCore
import TorsoKit

/// The fields of a form post (`application/x-www-form-urlencoded`), in order; a name may come
/// more than once (checkboxes).
struct FormFields: Sendable {
    /// The fields as sent.
    let pairs: [(name: String, value: String)]

    /// Reads a body.
    init(_ body: ByteBuffer) {
        pairs = String(buffer: body).split(separator: "&", omittingEmptySubsequences: true).map { part in
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(halves[0]), halves.count > 1 ? Self.decode(halves[1]) : "")
        }
    }

    /// The first value of `name`.
    subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// A `datetime-local` field's minute (`2030-01-01T10:00`, seconds allowed), read as UTC, in
    /// RFC 3339; `nil` when it is not one — a 30th of February or a 24:00 included (found from
    /// outside: they rolled over into the next month or day).
    static func utcMinute(_ typed: String) -> String? {
        guard typed.count == 16 || typed.count == 19, let date = Timestamp.parse(typed + (typed.count == 16 ? ":00Z" : "Z")) else { return nil }
        let written = Timestamp.string(date)
        return written.hasPrefix(typed) ? written : nil
    }

    /// ``utcMinute(_:)`` when it is still to come; `nil` for a minute now or past (publish now).
    static func futureMinute(_ typed: String, now: Date = Date()) -> String? {
        guard let minute = utcMinute(typed), let date = Timestamp.parse(minute), date > now else { return nil }
        return minute
    }

    static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
    }
}
