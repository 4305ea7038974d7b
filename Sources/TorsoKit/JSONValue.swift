import Foundation

/// Any JSON value. Attribute data and change sets are held as `JSONValue` so that every
/// attribute type shares one representation and documents can be compared field by field.
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        // Decodable cannot peek at the type: try the likeliest first (attribute data are mostly
        // text), and parse bulk JSON with ``parse(bytes:)`` instead.
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9_007_199_254_740_992 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// A short name of the JSON type, for error messages: `string`, `number`, `object`…
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    /// The number, if this is a number.
    public var numberValue: Double? { if case .number(let value) = self { value } else { nil } }
    /// The object's members, if this is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }

    /// Converts any `Encodable` value to a `JSONValue` through JSON.
    public static func from<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue.parse(bytes: JSONEncoder().encode(value))
    }
}

/// One field-level difference between two JSON documents.
public struct FieldChange: Hashable, Sendable, Codable {
    /// The JSON pointer of the changed field (`/values/name/0/data`).
    public var path: String
    /// The value before, absent when the field was added.
    public var from: JSONValue?
    /// The value after, absent when the field was removed.
    public var to: JSONValue?

    /// Creates a change record.
    public init(path: String, from: JSONValue?, to: JSONValue?) {
        self.path = path
        self.from = from
        self.to = to
    }
}

extension JSONValue {
    /// The field-level differences from `self` to `other`, as JSON pointers to the leaves
    /// that differ. Objects are compared member by member, arrays element by element.
    public func changes(to other: JSONValue, at path: String = "") -> [FieldChange] {
        switch (self, other) {
        case (.object(let old), .object(let new)):
            var result: [FieldChange] = []
            for key in Set(old.keys).union(new.keys).sorted() {
                let child = path + "/" + JSONValue.escapePointer(key)
                switch (old[key], new[key]) {
                case (let before?, let after?): result += before.changes(to: after, at: child)
                case (let before?, nil): result.append(FieldChange(path: child, from: before, to: nil))
                case (nil, let after?): result.append(FieldChange(path: child, from: nil, to: after))
                case (nil, nil): break
                }
            }
            return result
        case (.array(let old), .array(let new)):
            var result: [FieldChange] = []
            for index in 0..<max(old.count, new.count) {
                let child = path + "/" + String(index)
                switch (index < old.count ? old[index] : nil, index < new.count ? new[index] : nil) {
                case (let before?, let after?): result += before.changes(to: after, at: child)
                case (let before?, nil): result.append(FieldChange(path: child, from: before, to: nil))
                case (nil, let after?): result.append(FieldChange(path: child, from: nil, to: after))
                case (nil, nil): break
                }
            }
            return result
        default:
            return self == other ? [] : [FieldChange(path: path.isEmpty ? "/" : path, from: self, to: other)]
        }
    }

    /// Escapes a member name for use in a JSON pointer (RFC 6901).
    public static func escapePointer(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        return key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
