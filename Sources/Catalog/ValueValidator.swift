import Foundation
import TorsoKit

/// Checks attribute values against their definitions and the channels and locales that exist.
public struct ValueValidator: Sendable {
    /// What the values are checked against.
    public let context: CatalogContext

    /// Creates a validator.
    public init(context: CatalogContext) { self.context = context }

    /// Checks a value set whose attributes must come from `allowed`; errors are located under `pointer`.
    public func validate(_ values: ValueSet, allowed: Set<String>, at pointer: String, into errors: inout ValidationErrors) {
        for code in values.keys.sorted() {
            let base = pointer + "/" + JSONValue.escapePointer(code)
            guard let definition = context.attributes[code] else {
                errors.add(base, "unknown_attribute", "Attribute '\(code)' does not exist.")
                continue
            }
            guard allowed.contains(code) else {
                errors.add(base, "attribute_not_in_product_type", "Attribute '\(code)' is not part of the product type at this level.")
                continue
            }
            var seen = Set<String>()
            for (index, value) in values[code]!.enumerated() {
                let here = "\(base)/\(index)"
                checkScope(value, definition, at: here, into: &errors)
                if !seen.insert("\(value.locale ?? "")|\(value.channel ?? "")").inserted {
                    errors.add(here, "duplicate_value", "Attribute '\(code)' has two values for the same locale and channel.")
                }
                checkData(value.data, definition, at: here + "/data", into: &errors)
            }
        }
    }

    private func checkScope(_ value: AttributeValue, _ definition: AttributeDefinition, at pointer: String, into errors: inout ValidationErrors) {
        if definition.scopable {
            if let channel = value.channel {
                if context.channels[channel] == nil {
                    errors.add(pointer + "/channel", "unknown_channel", "Channel '\(channel)' does not exist.")
                }
            } else {
                errors.add(pointer + "/channel", "channel_required", "Attribute '\(definition.code)' is scopable: give a channel.")
            }
        } else if value.channel != nil {
            errors.add(pointer + "/channel", "channel_not_allowed", "Attribute '\(definition.code)' is not scopable: channel must be null.")
        }
        if definition.localizable {
            guard let locale = value.locale else {
                errors.add(pointer + "/locale", "locale_required", "Attribute '\(definition.code)' is localizable: give a locale.")
                return
            }
            if !context.locales.contains(locale) {
                errors.add(pointer + "/locale", "unknown_locale", "Locale '\(locale)' does not exist.")
            } else if let channel = value.channel, let facts = context.channels[channel], !facts.locales.contains(locale) {
                errors.add(pointer + "/locale", "locale_not_in_channel", "Channel '\(channel)' does not serve locale '\(locale)'.")
            }
        } else if value.locale != nil {
            errors.add(pointer + "/locale", "locale_not_allowed", "Attribute '\(definition.code)' is not localizable: locale must be null.")
        }
    }

    /// Checks one datum against the attribute's type and constraints.
    public func checkData(_ data: JSONValue, _ definition: AttributeDefinition, at pointer: String, into errors: inout ValidationErrors) {
        let rules = definition.validation
        func typeError(_ expected: String) {
            errors.add(pointer, "invalid_type", "Attribute '\(definition.code)' is \(definition.type.rawValue): expected \(expected), got \(data.typeName).")
        }
        func checkNumber(_ number: Double, at pointer: String) {
            if let min = rules.min, number < min { errors.add(pointer, "out_of_range", "The value must be at least \(min).") }
            if let max = rules.max, number > max { errors.add(pointer, "out_of_range", "The value must be at most \(max).") }
            if rules.decimalsAllowed == false, number.rounded() != number {
                errors.add(pointer, "decimals_not_allowed", "Attribute '\(definition.code)' takes whole numbers only.")
            }
        }
        switch definition.type {
        case .text, .textarea, .richText:
            guard let text = data.stringValue else { return typeError("a string") }
            if definition.type == .text, text.contains("\n") {
                errors.add(pointer, "invalid_value", "A text attribute holds one line; use textarea for more.")
            }
            if let maxLength = rules.maxLength, text.count > maxLength {
                errors.add(pointer, "too_long", "The text is \(text.count) characters long; at most \(maxLength) are allowed.")
            }
            if let pattern = rules.pattern, let regex = PatternCache.shared.regex(pattern),
               regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                errors.add(pointer, "pattern_mismatch", "The text does not match the pattern \(pattern).")
            }
        case .number:
            guard let number = data.numberValue else { return typeError("a number") }
            checkNumber(number, at: pointer)
        case .metric:
            guard let object = data.objectValue, let amount = object["amount"]?.numberValue else {
                return typeError(#"{"amount": number, "unit": string}"#)
            }
            for key in object.keys where key != "amount" && key != "unit" {
                errors.add(pointer + "/" + key, "unknown_field", "'\(key)' is not a field here.")
            }
            checkNumber(amount, at: pointer + "/amount")
            switch object["unit"] {
            case nil, .null?:
                if definition.defaultUnit == nil {
                    errors.add(pointer + "/unit", "required", "Give a unit: one of \(definition.units.joined(separator: ", ")).")
                }
            case .string(let unit)? where definition.units.contains(unit): break
            default:
                errors.add(pointer + "/unit", "invalid_unit", "The unit must be one of \(definition.units.joined(separator: ", ")).")
            }
        case .boolean:
            if case .bool = data {} else { typeError("a boolean") }
        case .date:
            guard let text = data.stringValue else { return typeError("a date string") }
            if !DateOnly.isValid(text) { errors.add(pointer, "invalid_date", "Expected a date as YYYY-MM-DD.") }
        case .select:
            guard let code = data.stringValue else { return typeError("an option code") }
            if definition.option(code) == nil {
                errors.add(pointer, "unknown_option", "'\(code)' is not an option of '\(definition.code)'.")
            }
        case .multiSelect:
            guard let elements = data.arrayValue else { return typeError("an array of option codes") }
            for (index, element) in elements.enumerated() {
                guard let code = element.stringValue else {
                    errors.add("\(pointer)/\(index)", "invalid_type", "Expected an option code.")
                    continue
                }
                if definition.option(code) == nil {
                    errors.add("\(pointer)/\(index)", "unknown_option", "'\(code)' is not an option of '\(definition.code)'.")
                }
            }
            if Set(elements).count != elements.count { errors.add(pointer, "duplicate", "Each option may appear once.") }
        case .media:
            guard let url = data.stringValue else { return typeError("a URL string") }
            if !WebURL.isValid(url) { errors.add(pointer, "invalid_url", "Expected an http or https URL.") }
        case .reference:
            guard let id = data.stringValue else { return typeError("a product ID") }
            if ID<ProductEntity>(parsing: id) == nil { errors.add(pointer, "invalid_reference", "Expected a product ID (prod_…).") }
        }
    }
}

/// Compiled attribute patterns, so a pattern is compiled once, not once per value.
final class PatternCache: @unchecked Sendable {
    static let shared = PatternCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    /// The whole-text matcher for `pattern`, or `nil` if it does not compile.
    func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let regex = compiled[pattern] { return regex }
        guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else { return nil }
        if compiled.count > 1_000 { compiled.removeAll() }
        compiled[pattern] = regex
        return regex
    }
}

/// Calendar dates as `YYYY-MM-DD`.
enum DateOnly {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}

/// Absolute http(s) URLs.
public enum WebURL {
    /// Whether `text` is an absolute http or https URL with a host.
    public static func isValid(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { return false }
        return true
    }
}
