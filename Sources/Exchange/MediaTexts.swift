import Foundation
import TorsoKit

/// The alternative texts of a product's media in one CSV cell: `|` between them, `\|` for a
/// bar within a text and `\\` for a backslash; an empty text keeps its place (`Front||Back`)
/// and changes nothing, like an empty cell.
public enum MediaTexts {
    /// The texts of a cell.
    public static func split(_ cell: String) -> [String] {
        var texts: [String] = []
        var current = ""
        var escaped = false
        for character in cell {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                texts.append(current.trimmingWhitespace())
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        texts.append(current.trimmingWhitespace())
        return texts
    }

    /// The cell of `texts`.
    public static func join(_ texts: [String]) -> String {
        texts.map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|") }.joined(separator: "|")
    }
}
