import Catalog
import Foundation
import TorsoKit

/// Reads a cell's text as an attribute value of a type: numbers, `12.5 kg` for metrics,
/// `true`/`false` (or yes/no, 1/0), option codes with `|` between for multi-selects; text for
/// the rest (the product's validation checks dates, URLs and options as for the API).
public enum CellValue {
    /// The value, or `nil` when the text cannot be one of the type.
    public static func parse(_ text: String, as type: AttributeType) -> JSONValue? {
        switch type {
        case .number:
            // `nan` and `inf` parse as numbers but are none: JSON has no such value.
            return Double(text).flatMap { $0.isFinite ? JSONValue.number($0) : nil }
        case .metric:
            let parts = text.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = parts.first, let amount = Double(first), amount.isFinite, parts.count <= 2 else { return nil }
            var object: [String: JSONValue] = ["amount": .number(amount)]
            if parts.count == 2 { object["unit"] = .string(String(parts[1])) }
            return .object(object)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1": return .bool(true)
            case "false", "no", "0": return .bool(false)
            default: return nil
            }
        case .multiSelect:
            return .array(text.split(separator: "|").map { .string($0.trimmingWhitespace()) }.filter { $0 != .string("") })
        default:
            return .string(text)
        }
    }

    /// The text a value is exported as (the inverse of ``parse(_:as:)``).
    public static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return Self.number(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let elements): return elements.map(text).joined(separator: "|")
        case .object(let members):
            let amount = members["amount"]?.numberValue.map(Self.number) ?? ""
            return [amount, members["unit"]?.stringValue].compactMap { $0 }.joined(separator: " ")
        case .null: return ""
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// Minor units per currency (ISO 4217): two, except the currencies with none or three.
public enum MinorUnits {
    static let none: Set<String> = ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"]
    static let three: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    /// The decimals of a currency.
    public static func decimals(_ currency: String) -> Int { none.contains(currency) ? 0 : three.contains(currency) ? 3 : 2 }

    /// `19.99` EUR as 1999; `nil` for text that is not an amount with at most the currency's decimals.
    public static func amount(_ text: String, currency: String) -> Int64? {
        let decimals = decimals(currency)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, whole < 1_000_000_000_000 else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard digits.count <= decimals, !digits.isEmpty, digits.allSatisfy(\.isNumber), let value = Int64(digits) else { return nil }
            fraction = value * Int64(pow(10, Double(decimals - digits.count)))
        }
        return whole * Int64(pow(10, Double(decimals))) + fraction
    }

    /// 1999 EUR as `19.99`.
    public static func text(_ amount: Int64, currency: String) -> String {
        let decimals = decimals(currency)
        guard decimals > 0 else { return String(amount) }
        let scale = Int64(pow(10, Double(decimals)))
        let fraction = String(abs(amount) % scale)
        return (amount < 0 ? "-" : "") + String(abs(amount) / scale) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
