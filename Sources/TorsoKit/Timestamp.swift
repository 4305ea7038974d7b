import Foundation

/// RFC 3339 UTC timestamps with millisecond precision, the one time format of the API and the
/// database (`2026-11-27T07:21:21.123Z`). Fixed width, so text order is time order.
public enum Timestamp {
    /// Formats a date, rounded to the millisecond (so parsing and formatting round-trip exactly).
    public static func string(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let fraction = millis - seconds * 1000
        var components = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")!
        let parts = components.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                              from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year!, parts.month!, parts.day!,
                      parts.hour!, parts.minute!, parts.second!, Int(fraction))
    }

    /// Parses an RFC 3339 date with or without fractional seconds.
    public static func parse(_ string: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(string) {
            return date
        }
        return try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(string)
    }
}

/// The source of the current time, so tests can fix it.
public protocol TorsoClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: TorsoClock {
    /// Creates the system clock.
    public init() {}
    public func now() -> Date { Date() }
}
