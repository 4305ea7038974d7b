import Foundation
import TorsoKit

/// One value of an attribute, for a locale and a channel where the attribute varies by them:
/// `{"locale": "en-US", "channel": null, "data": "Linen shirt"}`.
public struct AttributeValue: Codable, Sendable, Equatable {
    /// The locale, for localizable attributes; otherwise `nil`.
    public var locale: String?
    /// The channel, for scopable attributes; otherwise `nil`.
    public var channel: String?
    /// The data, shaped by the attribute's type.
    public var data: JSONValue

    /// Creates a value.
    public init(locale: String? = nil, channel: String? = nil, data: JSONValue) {
        self.locale = locale
        self.channel = channel
        self.data = data
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(locale, forKey: .locale)
        try container.encode(channel, forKey: .channel)
        try container.encode(data, forKey: .data)
    }

    /// Whether the data counts as filled in for completeness.
    public var isFilled: Bool {
        switch data {
        case .null: false
        case .string(let text):
            // Any ASCII byte that is not white space settles it without Foundation's character sets.
            text.utf8.contains { $0 < 0x80 && $0 != 0x20 && !(0x09...0x0D).contains($0) }
                || !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        case .array(let elements): !elements.isEmpty
        default: true
        }
    }

    /// The body shape of one value.
    public static let schema: FieldSchema = .object(
        ["locale": .nullable(.string()), "channel": .nullable(.string()), "data": .any], required: ["data"])
}

/// Values keyed by attribute code: `{"name": [{…}, {…}]}`.
public typealias ValueSet = [String: [AttributeValue]]
