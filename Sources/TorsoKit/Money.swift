/// An ISO 4217 currency code such as `EUR`.
public struct Currency: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The three upper-case letters.
    public let code: String

    /// Parses a currency code; `nil` unless it is three upper-case ASCII letters.
    public init?(_ code: String) {
        guard code.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
        self.code = code
    }

    public var description: String { code }
    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let currency = Currency(string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 4217 currency code"))
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// An amount of money in minor units (cents) of a currency: `{"amount": 1999, "currency": "EUR"}`.
public struct Money: Hashable, Sendable, Codable {
    /// The amount in minor units.
    public var amount: Int64
    /// The currency of the amount.
    public var currency: Currency

    /// Creates an amount in minor units.
    public init(amount: Int64, currency: Currency) {
        self.amount = amount
        self.currency = currency
    }
}
