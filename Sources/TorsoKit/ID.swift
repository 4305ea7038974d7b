import Foundation

/// A kind of entity that has prefixed identifiers, such as `prod_…` for products.
public protocol IdentifiedEntity {
    /// The prefix that every identifier of this entity starts with, without the underscore.
    static var idPrefix: String { get }
}

/// An opaque, prefixed, time-sortable identifier (`prod_01JD…`).
///
/// The part after the prefix is a ULID: 48 bits of milliseconds and 80 random bits in
/// Crockford base32, so identifiers sort by creation time, which cursor pagination relies on.
public struct ID<Entity: IdentifiedEntity>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The full identifier, prefix included.
    public let rawValue: String

    /// Wraps an existing identifier string without checking it; use ``init(parsing:)`` for input.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Parses an identifier from untrusted input; `nil` when the prefix or shape is wrong.
    public init?(parsing string: String) {
        let prefix = Entity.idPrefix + "_"
        guard string.hasPrefix(prefix), string.count == prefix.count + 26,
              string.dropFirst(prefix.count).allSatisfy({ ULID.alphabetSet.contains($0) })
        else { return nil }
        self.rawValue = string
    }

    /// A new identifier for the current time.
    public static func generate(at date: Date = Date()) -> ID {
        ID(rawValue: Entity.idPrefix + "_" + ULID.make(at: date))
    }

    public var description: String { rawValue }
    public static func < (lhs: ID, rhs: ID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let id = ID(parsing: string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a \(Entity.idPrefix)_ identifier"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// ULID text generation (Crockford base32, 26 characters).
enum ULID {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let alphabetSet = Set(alphabet)

    static func make(at date: Date) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var chars = [Character](repeating: "0", count: 26)
        var time = millis
        for index in stride(from: 9, through: 0, by: -1) {
            chars[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        // 80 random bits from two draws (one syscall each), five bits a character.
        var rng = SystemRandomNumberGenerator()
        var high: UInt64 = rng.next()
        var low: UInt64 = rng.next()
        for index in 10..<18 {
            chars[index] = alphabet[Int(high & 31)]
            high >>= 5
        }
        for index in 18..<26 {
            chars[index] = alphabet[Int(low & 31)]
            low >>= 5
        }
        return String(chars)
    }
}
