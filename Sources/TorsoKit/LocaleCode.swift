/// A locale code in the `language-REGION` form, such as `en-US` or `de-DE`.
public struct LocaleCode: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The code as written, e.g. `en-US`.
    public let rawValue: String

    /// Parses a code: two or three lower-case letters, optionally `-` and two upper-case letters or three digits.
    public init?(_ string: String) {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              (2...3).contains(parts[0].count), parts[0].utf8.allSatisfy({ $0 >= 97 && $0 <= 122 })
        else { return nil }
        if parts.count == 2 {
            let region = parts[1].utf8
            let letters = region.count == 2 && region.allSatisfy { $0 >= 65 && $0 <= 90 }
            let digits = region.count == 3 && region.allSatisfy { $0 >= 48 && $0 <= 57 }
            guard letters || digits else { return nil }
        }
        self.rawValue = string
    }

    /// The language part, `en` for `en-US`.
    public var language: Substring { rawValue.split(separator: "-")[0] }

    public var description: String { rawValue }
    public static func < (lhs: LocaleCode, rhs: LocaleCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let code = LocaleCode(string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a locale code like en-US"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
