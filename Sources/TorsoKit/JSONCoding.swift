import Foundation

/// The API's JSON conventions. Types spell their snake_case keys in `CodingKeys`: no key
/// strategy is used, because strategies also rewrite dictionary keys such as attribute codes.
/// Output is sorted, so equal documents encode to equal bytes.
public enum JSONCoding {
    /// A decoder for API bodies and stored documents.
    public static func decoder() -> JSONDecoder {
        JSONDecoder()
    }

    /// An encoder for API bodies and stored documents.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes a value as compact JSON with sorted keys, directly where the type is
    /// ``JSONConvertible``.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let convertible = value as? any JSONConvertible { return convertible.json.jsonBytes() }
        return Array(try encoder().encode(value))
    }

    /// Decodes a stored document or a response body, directly where the type is ``JSONConvertible``.
    public static func decode<T: Decodable, Bytes: Collection<UInt8>>(_ type: T.Type, bytes: Bytes) throws -> T {
        if let convertible = T.self as? any JSONConvertible.Type {
            return try convertible.init(json: try JSONValue.parse(bytes: bytes)) as! T
        }
        return try decoder().decode(T.self, from: Data(bytes))
    }

    /// A value as a ``JSONValue`` tree.
    public static func tree<T: Encodable>(_ value: T) throws -> JSONValue {
        if let convertible = value as? any JSONConvertible { return convertible.json }
        return try JSONValue.from(value)
    }

    /// Parses a request body; malformed JSON is a 400 `malformed_json`.
    public static func parse(_ data: Data) throws -> JSONValue {
        do {
            return try JSONValue.parse(bytes: data)
        } catch {
            throw DomainError(.badRequest, code: "malformed_json", detail: "The body is not valid JSON (at byte \(error.offset)).")
        }
    }

    /// Checks `value` against `schema`, then decodes it. Every mismatch becomes a field error
    /// with a pointer; nothing reaches the domain unless the shape is right.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, schema: FieldSchema, creating: Bool = true) throws -> T {
        let errors = schema.check(value, creating: creating)
        if !errors.isEmpty { throw DomainError.validation(errors) }
        if let convertible = T.self as? any JSONConvertible.Type {
            do {
                return try convertible.init(json: value) as! T
            } catch {
                throw DomainError.validation([error.fieldError])
            }
        }
        do {
            return try decoder().decode(T.self, from: Data(value.jsonBytes()))
        } catch let error as DecodingError {
            throw DomainError.validation([fieldError(error)])
        }
    }

    /// Turns a `DecodingError` into a field error with a JSON pointer.
    public static func fieldError(_ error: DecodingError) -> FieldError {
        func pointer(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "/" : path.map { key in
                "/" + (key.intValue.map(String.init) ?? JSONValue.escapePointer(snakeCase(key.stringValue)))
            }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return FieldError(pointer: pointer(context.codingPath + [key]), code: "required", detail: "'\(snakeCase(key.stringValue))' is required.")
        case .valueNotFound(_, let context):
            return FieldError(pointer: pointer(context.codingPath), code: "required", detail: "A value is required.")
        case .typeMismatch(_, let context):
            return FieldError(pointer: pointer(context.codingPath), code: "invalid_type", detail: context.debugDescription)
        case .dataCorrupted(let context):
            return FieldError(pointer: pointer(context.codingPath), code: "invalid_value", detail: context.debugDescription)
        @unknown default:
            return FieldError(pointer: "/", code: "invalid_value", detail: "\(error)")
        }
    }

    /// `productType` → `product_type`.
    public static func snakeCase(_ key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}
