/// A readable order number such as `T-100042`: a prefix, a hyphen and the sequence number plus
/// an offset (so the first orders do not look like the first orders).
public struct OrderNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The default prefix.
    public static let defaultPrefix = "T"
    /// The default offset added to the sequence number.
    public static let defaultOffset = 100_000

    /// The order's sequence number, from 1.
    public var sequence: Int
    /// The letters before the hyphen.
    public var prefix: String
    /// Added to ``sequence`` for display.
    public var offset: Int

    /// Creates an order number; sequence 42 shows as `T-100042` with the defaults.
    public init(sequence: Int, prefix: String = OrderNumber.defaultPrefix, offset: Int = OrderNumber.defaultOffset) {
        self.sequence = sequence
        self.prefix = prefix
        self.offset = offset
    }

    /// Parses `T-100042` back into sequence 42; `nil` for anything else.
    public init?(parsing string: String, prefix: String = OrderNumber.defaultPrefix, offset: Int = OrderNumber.defaultOffset) {
        guard string.hasPrefix(prefix + "-") else { return nil }
        let digits = string.dropFirst(prefix.count + 1)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let value = Int(digits), value > offset else { return nil }
        self.init(sequence: value - offset, prefix: prefix, offset: offset)
    }

    /// The formatted number.
    public var description: String { "\(prefix)-\(offset + sequence)" }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let number = OrderNumber(parsing: string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an order number"))
        }
        self = number
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
