/// A type that converts to and from ``JSONValue`` directly.
///
/// `Codable` goes through keyed containers, dynamic casts and a second tree; for the documents
/// read and written on every request (products above all) converting by hand is several times
/// faster. ``JSONCoding`` uses this conformance wherever a type has it, so both paths give the
/// same JSON.
public protocol JSONConvertible {
    /// Reads a value; throws ``JSONShapeError`` with a pointer when the shape is wrong.
    init(json: JSONValue) throws(JSONShapeError)
    /// The value as JSON.
    var json: JSONValue { get }
}

/// Where and how a JSON document did not have the expected shape.
public struct JSONShapeError: Error, Sendable {
    /// A JSON pointer to the offending member.
    public var pointer: String
    /// `required`, `invalid_type` or `invalid_value`.
    public var code: String
    /// For people.
    public var detail: String

    /// Creates an error.
    public init(pointer: String, code: String, detail: String) {
        self.pointer = pointer
        self.code = code
        self.detail = detail
    }

    /// As a field error of a validation problem.
    public var fieldError: FieldError { FieldError(pointer: pointer.isEmpty ? "/" : pointer, code: code, detail: detail) }
}

/// Reads the members of a JSON object, keeping the pointer for errors.
public struct JSONObjectReader {
    /// The members.
    public let members: [String: JSONValue]
    /// Where the object is.
    public let pointer: String

    /// Reads `value` as an object.
    public init(_ value: JSONValue, at pointer: String = "") throws(JSONShapeError) {
        guard case .object(let members) = value else {
            throw JSONShapeError(pointer: pointer, code: "invalid_type", detail: "Expected an object, found \(value.typeName).")
        }
        self.members = members
        self.pointer = pointer
    }

    /// The pointer of a member.
    public func path(_ key: String) -> String { pointer + "/" + JSONValue.escapePointer(key) }

    func mismatch(_ key: String, _ expected: String, _ found: JSONValue) -> JSONShapeError {
        JSONShapeError(pointer: path(key), code: "invalid_type", detail: "Expected \(expected), found \(found.typeName).")
    }

    /// A member that must be present (and not null).
    public func required(_ key: String) throws(JSONShapeError) -> JSONValue {
        guard let value = members[key], value != .null else {
            throw JSONShapeError(pointer: path(key), code: "required", detail: "'\(key)' is required.")
        }
        return value
    }

    /// A required string.
    public func string(_ key: String) throws(JSONShapeError) -> String {
        let value = try required(key)
        guard case .string(let text) = value else { throw mismatch(key, "a string", value) }
        return text
    }

    /// A string, or `nil` when absent or null.
    public func optionalString(_ key: String) throws(JSONShapeError) -> String? {
        guard let value = members[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw mismatch(key, "a string", value) }
        return text
    }

    /// An integer, or `nil` when absent or null.
    public func optionalInteger(_ key: String) throws(JSONShapeError) -> Int64? {
        guard let value = members[key], value != .null else { return nil }
        guard case .number(let number) = value, let integer = Int64(exactly: number) else { throw mismatch(key, "an integer", value) }
        return integer
    }

    /// A required integer.
    public func integer(_ key: String) throws(JSONShapeError) -> Int64 {
        guard let integer = try optionalInteger(key) else {
            throw JSONShapeError(pointer: path(key), code: "required", detail: "'\(key)' is required.")
        }
        return integer
    }

    /// A boolean, or `nil` when absent or null.
    public func optionalBool(_ key: String) throws(JSONShapeError) -> Bool? {
        guard let value = members[key], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw mismatch(key, "a boolean", value) }
        return flag
    }

    /// An array's elements (empty when absent or null), each converted.
    public func array<T: JSONConvertible>(_ key: String, of type: T.Type = T.self) throws(JSONShapeError) -> [T] {
        guard let value = members[key], value != .null else { return [] }
        guard case .array(let elements) = value else { throw mismatch(key, "an array", value) }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do {
                result.append(try T(json: element))
            } catch {
                throw JSONShapeError(pointer: path(key) + "/\(index)" + error.pointer, code: error.code, detail: error.detail)
            }
        }
        return result
    }

    /// An array of strings (empty when absent or null).
    public func strings(_ key: String) throws(JSONShapeError) -> [String] {
        guard let value = members[key], value != .null else { return [] }
        guard case .array(let elements) = value else { throw mismatch(key, "an array", value) }
        var result: [String] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw JSONShapeError(pointer: path(key) + "/\(index)", code: "invalid_type", detail: "Expected a string, found \(element.typeName).")
            }
            result.append(text)
        }
        return result
    }

    /// An object of strings (empty when absent or null).
    public func stringMap(_ key: String) throws(JSONShapeError) -> [String: String] {
        guard let value = members[key], value != .null else { return [:] }
        guard case .object(let object) = value else { throw mismatch(key, "an object", value) }
        var result: [String: String] = [:]
        result.reserveCapacity(object.count)
        for (name, element) in object {
            guard case .string(let text) = element else {
                throw JSONShapeError(pointer: path(key) + "/" + JSONValue.escapePointer(name), code: "invalid_type",
                                     detail: "Expected a string, found \(element.typeName).")
            }
            result[name] = text
        }
        return result
    }
}

extension LocalizedText: JSONConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        guard case .object(let object) = json else {
            throw JSONShapeError(pointer: "", code: "invalid_type", detail: "Expected an object, found \(json.typeName).")
        }
        var values: [String: String] = [:]
        values.reserveCapacity(object.count)
        for (locale, element) in object {
            guard case .string(let text) = element else {
                throw JSONShapeError(pointer: "/" + JSONValue.escapePointer(locale), code: "invalid_type", detail: "Expected a string, found \(element.typeName).")
            }
            values[locale] = text
        }
        self.init(values)
    }

    public var json: JSONValue { .object(values.mapValues { .string($0) }) }
}

extension JSONObjectReader {
    /// A member converted, or `nil` when absent or null.
    public func optional<T: JSONConvertible>(_ key: String, as type: T.Type = T.self) throws(JSONShapeError) -> T? {
        guard let value = members[key], value != .null else { return nil }
        do {
            return try T(json: value)
        } catch {
            throw JSONShapeError(pointer: path(key) + error.pointer, code: error.code, detail: error.detail)
        }
    }

    /// An object of arrays (empty when absent or null), each element converted: attribute values
    /// keyed by attribute code.
    public func arrayMap<T: JSONConvertible>(_ key: String, of type: T.Type = T.self) throws(JSONShapeError) -> [String: [T]] {
        guard let value = members[key], value != .null else { return [:] }
        let object = try JSONObjectReader(value, at: path(key))
        var result: [String: [T]] = [:]
        result.reserveCapacity(object.members.count)
        for name in object.members.keys { result[name] = try object.array(name, of: T.self) }
        return result
    }

    /// A prefixed identifier.
    public func id<Entity: IdentifiedEntity>(_ key: String, of entity: Entity.Type = Entity.self) throws(JSONShapeError) -> ID<Entity>? {
        guard let text = try optionalString(key) else { return nil }
        guard let id = ID<Entity>(parsing: text) else {
            throw JSONShapeError(pointer: path(key), code: "invalid_value", detail: "'\(text)' is not a \(Entity.idPrefix)_ identifier.")
        }
        return id
    }

    /// A currency code.
    public func currency(_ key: String) throws(JSONShapeError) -> Currency {
        let text = try string(key)
        guard let currency = Currency(text) else {
            throw JSONShapeError(pointer: path(key), code: "invalid_value", detail: "'\(text)' is not an ISO 4217 currency code.")
        }
        return currency
    }
}

extension JSONValue {
    /// Attribute-value-like maps: `{"code": [x, y]}`.
    public static func arrayMap<T: JSONConvertible>(_ map: [String: [T]]) -> JSONValue {
        .object(map.mapValues { .array($0.map(\.json)) })
    }
}
