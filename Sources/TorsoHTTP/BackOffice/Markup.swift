/// HTML that is safe to send: text interpolated into it is escaped, markup interpolated into it
/// is kept. Pages are Swift functions returning `Markup`, checked by the compiler and shipped in
/// the binary (docs/back-office.md says why not templates).
public struct Markup: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The HTML.
    public private(set) var html: String

    /// Markup from a literal, taken as HTML.
    public init(stringLiteral value: String) { html = value }

    /// Markup from an interpolation.
    public init(stringInterpolation: Interpolation) { html = stringInterpolation.html }

    /// Markup of trusted HTML (a constant of the code, never input).
    public init(raw html: String) { self.html = html }

    public var description: String { html }

    /// Markup of many pieces, one after another.
    public static func join(_ parts: some Sequence<Markup>) -> Markup { Markup(raw: parts.map(\.html).joined()) }

    /// Escapes text for an element's content or an attribute value in double quotes.
    public static func escape(_ text: String) -> String {
        guard text.contains(where: { "&<>\"'".contains($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Builds markup: literals as HTML, `String` and numbers escaped, `Markup` kept.
    public struct Interpolation: StringInterpolationProtocol {
        var html = ""

        public init(literalCapacity: Int, interpolationCount: Int) { html.reserveCapacity(literalCapacity + interpolationCount * 16) }
        public mutating func appendLiteral(_ literal: String) { html += literal }
        public mutating func appendInterpolation(_ text: String) { html += Markup.escape(text) }
        public mutating func appendInterpolation(_ text: String?) { html += Markup.escape(text ?? "") }
        public mutating func appendInterpolation(_ number: Int) { html += String(number) }
        public mutating func appendInterpolation(_ markup: Markup) { html += markup.html }
        public mutating func appendInterpolation(_ parts: [Markup]) { html += parts.map(\.html).joined() }
    }
}
