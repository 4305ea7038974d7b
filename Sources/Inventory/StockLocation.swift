import Foundation
import TorsoKit

/// A place that holds stock: a warehouse, a store's back room, a supplier.
public struct StockLocation: StoredResource, Equatable {
    public static let kind = "stock location"
    public static let collection = "stock-locations"
    public static let schema: FieldSchema = .object(
        ["code": .string(), "name": .string()].merging(metadataFields) { $1 },
        required: ["code", "name"], readOnly: Array(metadataFields.keys))

    /// The location's code, e.g. `berlin`.
    public var code: String
    /// A name for people.
    public var name: String
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { code }

    /// Creates a stock location.
    public init(code: String, name: String, version: Int = 1, createdAt: String = "", updatedAt: String = "") {
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
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// Checks the fields that the schema cannot.
    public func validate() throws {
        var errors = ValidationErrors()
        Code.check(code, at: "/code", into: &errors)
        if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("/name", "required", "A name is required.") }
        try errors.throwIfAny()
    }
}
