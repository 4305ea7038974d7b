/// Text in several locales, encoded as a JSON object: `{"en-US": "Shirt", "de-DE": "Hemd"}`.
public struct LocalizedText: Hashable, Sendable, Codable, ExpressibleByDictionaryLiteral {
    /// The text per locale code.
    public var values: [String: String]

    /// Creates localized text from locale code → text.
    public init(_ values: [String: String] = [:]) { self.values = values }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.values = Dictionary(elements, uniquingKeysWith: { $1 })
    }

    /// The text for a locale, if any.
    public subscript(locale: String) -> String? {
        get { values[locale] }
        set { values[locale] = newValue }
    }

    /// The locale codes present, sorted.
    public var locales: [String] { values.keys.sorted() }

    /// Whether no locale has text.
    public var isEmpty: Bool { values.isEmpty }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: String].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}
