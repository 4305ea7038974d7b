import TorsoKit

/// A JSON Schema for the OpenAPI document: request bodies (most made from a resource's
/// ``FieldSchema``, the same declaration that validates them) and answers, named as components
/// so that a client generator gets one type per shape.
public indirect enum APISchema: Sendable {
    /// A named component (`#/components/schemas/NAME`).
    case ref(String)
    case string(format: String? = nil, enumeration: [String]? = nil)
    case integer
    /// An integer within bounds (what a ``FieldSchema`` cannot say, and the server checks).
    case boundedInteger(ClosedRange<Int>)
    case number
    case boolean
    /// A header's value: visible ASCII and spaces (RFC 9110 field values; the HTTP layer refuses
    /// control characters before any handler runs).
    case headerValue
    /// Any JSON value.
    case any
    /// An object with known members. `closed` forbids members not listed (request bodies); an
    /// answer stays open, so that adding a member is not a breaking change.
    case object([String: APISchema], required: [String] = [], closed: Bool = false, readOnly: [String] = [])
    /// An object with free keys (locale codes, attribute codes) mapping to one shape.
    case map(APISchema)
    case array(APISchema)
    /// The value may also be JSON `null`.
    case nullable(APISchema)
    /// One of several shapes.
    case oneOf([APISchema])

    /// Money in minor units: `{"amount": 1999, "currency": "EUR"}`.
    public static let money: APISchema = .object(["amount": .integer, "currency": .string()], required: ["amount", "currency"])
    /// An RFC 3339 time.
    public static let time: APISchema = .string(format: "date-time")
    /// Localized text: `{"en-US": "…"}`.
    public static let localizedText: APISchema = .map(.string())

    /// The schema of a request body, from the declaration that validates it (closed objects).
    public static func request(_ field: FieldSchema) -> APISchema { convert(field, closed: true) }

    /// The schema of an answer with the same members as a request shape (open objects;
    /// `alwaysPresent` lists the members every answer has).
    public static func answer(_ field: FieldSchema, alwaysPresent: [String]) -> APISchema {
        guard case .object(let members, _, let readOnly) = field else { return convert(field, closed: false) }
        return .object(members.mapValues { convert($0, closed: false) }, required: alwaysPresent, readOnly: readOnly)
    }

    private static func convert(_ field: FieldSchema, closed: Bool) -> APISchema {
        switch field {
        case .string(let format, let enumeration): .string(format: format, enumeration: enumeration)
        case .integer: .integer
        case .number: .number
        case .boolean: .boolean
        case .any: .any
        case .object(let members, let required, let readOnly):
            .object(members.mapValues { convert($0, closed: closed) }, required: required, closed: closed, readOnly: readOnly)
        case .map(let inner): .map(convert(inner, closed: closed))
        case .array(let inner): .array(convert(inner, closed: closed))
        case .nullable(let inner): .nullable(convert(inner, closed: closed))
        }
    }

    /// A merge patch of a shape: every member optional; the optional ones nullable (null removes
    /// them), the required ones not (removing one is refused with `required`).
    public var mergePatch: APISchema {
        guard case .object(let members, let required, let closed, let readOnly) = self else { return self }
        var patched: [String: APISchema] = [:]
        for (name, member) in members {
            if case .nullable = member { patched[name] = member } else { patched[name] = required.contains(name) ? member : .nullable(member) }
        }
        return .object(patched, required: [], closed: closed, readOnly: readOnly)
    }

    /// The same shape with an integer member bounded, nullable or not as it was.
    public func bounding(_ member: String, _ range: ClosedRange<Int>) -> APISchema {
        guard case .object(var members, let required, let closed, let readOnly) = self, let current = members[member] else { return self }
        if case .nullable = current { members[member] = .nullable(.boundedInteger(range)) } else { members[member] = .boundedInteger(range) }
        return .object(members, required: required, closed: closed, readOnly: readOnly)
    }

    /// The schema as JSON.
    public var json: JSONValue {
        switch self {
        case .ref(let name):
            return .object(["$ref": .string("#/components/schemas/" + name)])
        case .string(let format, let enumeration):
            var members: [String: JSONValue] = ["type": .string("string")]
            if let format { members["format"] = .string(format) }
            if let enumeration { members["enum"] = .array(enumeration.map { .string($0) }) }
            return .object(members)
        case .integer: return .object(["type": .string("integer")])
        case .boundedInteger(let range):
            return .object(["type": .string("integer"), "minimum": .number(Double(range.lowerBound)), "maximum": .number(Double(range.upperBound))])
        case .number: return .object(["type": .string("number")])
        case .headerValue: return .object(["type": .string("string"), "pattern": .string("^[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?$")])
        case .boolean: return .object(["type": .string("boolean")])
        case .any: return .object([:])
        case .object(let members, let required, let closed, let readOnly):
            var properties: [String: JSONValue] = [:]
            for (name, member) in members {
                var property = member.json.objectValue ?? [:]
                if readOnly.contains(name), property["$ref"] == nil { property["readOnly"] = .bool(true) }
                properties[name] = .object(property)
            }
            var object: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
            if !required.isEmpty { object["required"] = .array(required.sorted().map { .string($0) }) }
            if closed { object["additionalProperties"] = .bool(false) }
            return .object(object)
        case .map(let inner): return .object(["type": .string("object"), "additionalProperties": inner.json])
        case .array(let inner): return .object(["type": .string("array"), "items": inner.json])
        case .nullable(.nullable(let inner)):
            return APISchema.nullable(inner).json
        case .nullable(let inner):
            var members = inner.json.objectValue ?? [:]
            switch members["type"] {
            case .string(let type)?:
                members["type"] = .array([.string(type), .string("null")])
                if case .array(let values)? = members["enum"] { members["enum"] = .array(values + [.null]) }
                return .object(members)
            case nil where members.isEmpty:
                return .object([:])
            default:
                return .object(["anyOf": .array([.object(members), .object(["type": .string("null")])])])
            }
        case .oneOf(let choices):
            return .object(["oneOf": .array(choices.map(\.json))])
        }
    }
}
