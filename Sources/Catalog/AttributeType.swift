/// The type of an attribute's data, as in Akeneo.
public enum AttributeType: String, Codable, Sendable, CaseIterable {
    case text, textarea
    case richText = "rich_text"
    case number, metric, boolean, date, select
    case multiSelect = "multi_select"
    case media, reference

    /// Whether the type picks from the attribute's options.
    public var hasOptions: Bool { self == .select || self == .multiSelect }
    /// Whether the type holds free text.
    public var isText: Bool { self == .text || self == .textarea || self == .richText }
}
