import Foundation

/// Turns text into search tokens: lower-cased, accents folded, split on anything that is not a
/// letter or digit. "Größe Café-Crème" → ["grosse", "cafe", "creme"].
public enum TextNormalizer {
    /// The tokens of `text`.
    public static func tokens(_ text: String) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiTokens(text) }
        if let tokens = latinTokens(text) { return tokens }
        return foldedTokens(text)
    }

    /// The general path: Foundation's case, diacritic and width folding, then letters and digits.
    static func foldedTokens(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: "ß", with: "ss")
        var result: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// The fast path for ASCII text: no folding tables, one pass over the bytes.
    static func asciiTokens(_ text: String) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 48...57, 97...122: current.append(byte)
            case 65...90: current.append(byte + 32)
            default:
                if !current.isEmpty {
                    result.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)) }
        return result
    }

    /// What each Latin-1 letter with a diacritic (U+00C0 to U+00FF, the second UTF-8 byte after
    /// 0xC3) folds to, as Foundation's diacritic folding does; `nil` where folding keeps the letter
    /// (Æ, Ø, Þ, ð…) or it is not a letter, so that text goes the slow way.
    static let latinFolds: [[UInt8]?] = {
        let table = "aaaaaa\u{0}ceeeeiiii\u{0}nooooo\u{0}\u{0}uuuuy\u{0}\u{1}aaaaaa\u{0}ceeeeiiii\u{0}nooooo\u{0}\u{0}uuuuy\u{0}y"
        return table.utf8.map { byte in byte == 0 ? nil : byte == 1 ? [115, 115] : [byte] }
    }()

    /// The fast path for Western European text: ASCII plus the Latin-1 letters with diacritics;
    /// `nil` for anything else.
    static func latinTokens(_ text: String) -> [String]? {
        var result: [String] = []
        var current: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case 48...57, 97...122: current.append(byte)
            case 65...90: current.append(byte + 32)
            case 0xC3:
                guard let next = bytes.next(), (0x80...0xBF).contains(next), let folded = latinFolds[Int(next - 0x80)] else { return nil }
                current.append(contentsOf: folded)
            case 0x80...: return nil
            default:
                if !current.isEmpty {
                    result.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)) }
        return result
    }

    /// Whether `a` and `b` are at most one edit (insert, delete, substitute, swap) apart.
    public static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > 1 { return false }
        if x.count == y.count {
            let differences = zip(x, y).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            if differences.count <= 1 { return true }
            if differences.count == 2, differences[1] == differences[0] + 1 {
                return x[differences[0]] == y[differences[1]] && x[differences[1]] == y[differences[0]]
            }
            return false
        }
        let (short, long) = x.count < y.count ? (x, y) : (y, x)
        var i = 0, j = 0, skipped = false
        while i < short.count, j < long.count {
            if short[i] == long[j] {
                i += 1
                j += 1
            } else {
                if skipped { return false }
                skipped = true
                j += 1
            }
        }
        return true
    }

    /// Every string made by deleting one character of `token`.
    static func deletions(_ token: String) -> [String] {
        let characters = Array(token)
        return characters.indices.map { index in
            var copy = characters
            copy.remove(at: index)
            return String(copy)
        }
    }
}
