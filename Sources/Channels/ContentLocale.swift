import Foundation
import TorsoKit

/// A locale the catalog is written in (`en-US`). Channels choose among them.
public struct ContentLocale: StoredResource, Equatable {
    public static let kind = "locale"
    public static let collection = "locales"
    public static let schema: FieldSchema = .object(
        ["code": .string(), "name": .string()].merging(metadataFields) { $1 },
        required: ["code", "name"], readOnly: Array(metadataFields.keys))

    /// The locale code, e.g. `de-DE`.
    public var code: LocaleCode
    /// A name for people, e.g. `German (Germany)`.
    public var name: String
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { code.rawValue }

    /// Creates a locale.
    public init(code: LocaleCode, name: String, version: Int = 1, createdAt: String = "", updatedAt: String = "") {
        self.code = code
        self.name = name
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case code, name, version
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(LocaleCode.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// Checks the fields that the schema cannot.
    public func validate() throws {
        var errors = ValidationErrors()
        if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("/name", "required", "A name is required.") }
        try errors.throwIfAny()
    }
}
