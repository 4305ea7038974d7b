import Foundation

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The text without white space at either end, as `trimmingCharacters(in: .whitespaces)`
    /// gives it, but without Foundation's work when both ends are visible ASCII (an import's
    /// every cell).
    public func trimmingWhitespace() -> String {
        guard let first = utf8.first, let last = utf8.last else { return "" }
        func plain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        if plain(first) && plain(last) { return String(self) }
        return trimmingCharacters(in: .whitespaces)
    }
}
