/// The shape of a JSON body a resource accepts. One declaration serves three purposes:
/// rejecting unknown fields with a pointer, checking JSON types before decoding, and
/// describing the resource in the OpenAPI document.
public indirect enum FieldSchema: Sendable {
    case string(format: String? = nil, enumeration: [String]? = nil)
    case integer
    case number
    case boolean
    /// Any JSON value (attribute data, checked later against the attribute's type).
    case any
    /// An object with known members; `required` lists those that must be present on create.
    case object([String: FieldSchema], required: [String] = [], readOnly: [String] = [])
    /// An object with free keys (locale codes, attribute codes) mapping to one shape.
    case map(FieldSchema)
    case array(FieldSchema)
    /// The value may also be JSON `null`.
    case nullable(FieldSchema)

    /// A string in one of the given values.
    public static func oneOf(_ values: [String]) -> FieldSchema { .string(enumeration: values) }
    /// Localized text: `{"en-US": "…"}`.
    public static let localizedText: FieldSchema = .map(.string())
    /// Money in minor units.
    public static let money: FieldSchema = .object(["amount": .integer, "currency": .string()], required: ["amount", "currency"])

    /// Checks `value` against this schema and returns every mismatch, located by pointer.
    /// `creating` enforces `required` members; updates (merge patches) may omit them, and may set
    /// an object member or map entry to `null` to remove it (RFC 7396). A removal that leaves the
    /// merged document invalid is caught when the merged document is checked.
    public func check(_ value: JSONValue, at pointer: String = "", creating: Bool = true) -> [FieldError] {
        switch (self, value) {
        case (.nullable, .null), (.any, _):
            return []
        case (.nullable(let inner), _):
            return inner.check(value, at: pointer, creating: creating)
        case (.string(_, let enumeration?), .string(let string)):
            return enumeration.contains(string) ? [] : [FieldError(
                pointer: pointer, code: "invalid_value",
                detail: "Expected one of \(enumeration.joined(separator: ", ")), got '\(string)'.")]
        case (.string, .string), (.boolean, .bool), (.number, .number):
            return []
        case (.integer, .number(let number)):
            return number.rounded() == number && abs(number) < 9_007_199_254_740_992 ? [] : [FieldError(
                pointer: pointer, code: "invalid_type", detail: "Expected an integer.")]
        case (.object(let members, let required, let readOnly), .object(let object)):
            var errors: [FieldError] = []
            for key in object.keys.sorted() {
                let child = pointer + "/" + JSONValue.escapePointer(key)
                if let schema = members[key] {
                    if readOnly.contains(key) || (!creating && object[key] == .null) { continue }
                    // A required member sent as null is reported once, as `required`, below.
                    if creating, object[key] == .null, required.contains(key) { continue }
                    errors += schema.check(object[key]!, at: child, creating: creating)
                } else {
                    errors.append(FieldError(pointer: child, code: "unknown_field", detail: "'\(key)' is not a field here."))
                }
            }
            if creating {
                for key in required where object[key] == nil || object[key] == .null {
                    errors.append(FieldError(pointer: pointer + "/" + key, code: "required", detail: "'\(key)' is required."))
                }
            }
            return errors
        case (.map(let inner), .object(let object)):
            return object.keys.sorted().filter { creating || object[$0] != .null }.flatMap {
                inner.check(object[$0]!, at: pointer + "/" + JSONValue.escapePointer($0), creating: creating)
            }
        case (.array(let inner), .array(let elements)):
            return elements.enumerated().flatMap { inner.check($1, at: pointer + "/\($0)", creating: true) }
        default:
            return [FieldError(pointer: pointer.isEmpty ? "/" : pointer, code: "invalid_type",
                               detail: "Expected \(expectedName), got \(value.typeName).")]
        }
    }

    /// The JSON type this schema expects, for messages.
    public var expectedName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean"
        case .any: "any value"
        case .object, .map: "an object"
        case .array: "an array"
        case .nullable(let inner): inner.expectedName + " or null"
        }
    }
}

extension JSONValue {
    /// Applies a JSON merge patch (RFC 7396): members set to `null` are removed, objects merge,
    /// everything else replaces.
    public func merging(patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = objectValue ?? [:]
        for (key, value) in patchMembers {
            if value == .null {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).merging(patch: value)
            }
        }
        return .object(result)
    }
}
