import Foundation

// Dates are encoded as the project's RFC 3339 timestamps (`2026-11-27T07:21:21.123Z`).

extension KeyedDecodingContainer {
    /// Reads an RFC 3339 timestamp.
    public func decodeTimestampIfPresent(forKey key: Key) throws -> Date? {
        guard let string = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = Timestamp.parse(string) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an RFC 3339 timestamp")
        }
        return date
    }

    /// Reads an RFC 3339 timestamp.
    public func decodeTimestamp(forKey key: Key) throws -> Date {
        guard let date = try decodeTimestampIfPresent(forKey: key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required"))
        }
        return date
    }
}

extension KeyedEncodingContainer {
    /// Writes an RFC 3339 timestamp.
    public mutating func encodeTimestamp(_ date: Date?, forKey key: Key) throws {
        try encode(date.map(Timestamp.string), forKey: key)
    }
}
