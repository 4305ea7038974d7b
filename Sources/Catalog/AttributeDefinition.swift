import Foundation
import TorsoKit

/// A typed attribute products and variants carry values for (Akeneo's attribute).
public struct AttributeDefinition: StoredResource, Equatable {
    public static let kind = "attribute"
    public static let collection = "attributes"
    public static let schema: FieldSchema = .object(
        [
            "code": .string(),
            "type": .oneOf(AttributeType.allCases.map(\.rawValue)),
            "labels": .localizedText,
            "localizable": .boolean, "scopable": .boolean, "unique": .boolean,
            "validation": .object([
                "pattern": .nullable(.string()), "min": .nullable(.number), "max": .nullable(.number),
                "max_length": .nullable(.integer), "decimals_allowed": .nullable(.boolean),
            ]),
            "options": .array(.object(["code": .string(), "labels": .localizedText], required: ["code"])),
            "units": .array(.string()),
            "default_unit": .nullable(.string()),
        ].merging(metadataFields) { $1 },
        required: ["code", "type"], readOnly: Array(metadataFields.keys))

    /// Constraints on values beyond their type.
    public struct Validation: Codable, Sendable, Equatable {
        /// A regular expression text values must match entirely.
        public var pattern: String?
        /// The smallest number allowed.
        public var min: Double?
        /// The largest number allowed.
        public var max: Double?
        /// The longest text allowed, in characters.
        public var maxLength: Int?
        /// Whether numbers may have decimals; `nil` means yes.
        public var decimalsAllowed: Bool?

        /// Creates constraints.
        public init(pattern: String? = nil, min: Double? = nil, max: Double? = nil, maxLength: Int? = nil, decimalsAllowed: Bool? = nil) {
            self.pattern = pattern
            self.min = min
            self.max = max
            self.maxLength = maxLength
            self.decimalsAllowed = decimalsAllowed
        }

        enum CodingKeys: String, CodingKey {
            case pattern, min, max
            case maxLength = "max_length"
            case decimalsAllowed = "decimals_allowed"
        }
    }

    /// A choice of a select or multi-select attribute.
    public struct Option: Codable, Sendable, Equatable {
        /// The option's code, stored in values.
        public var code: String
        /// Labels per locale.
        public var labels: LocalizedText

        /// Creates an option.
        public init(code: String, labels: LocalizedText = [:]) {
            self.code = code
            self.labels = labels
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code = try container.decode(String.self, forKey: .code)
            labels = try container.decodeIfPresent(LocalizedText.self, forKey: .labels) ?? [:]
        }
    }

    /// The attribute's code, e.g. `name`.
    public var code: String
    /// The data type.
    public var type: AttributeType
    /// Labels per locale.
    public var labels: LocalizedText
    /// Values differ per locale.
    public var localizable: Bool
    /// Values differ per channel.
    public var scopable: Bool
    /// No two products may share a value.
    public var unique: Bool
    /// Constraints on values.
    public var validation: Validation
    /// Choices, for select and multi-select attributes.
    public var options: [Option]
    /// Allowed units, for metric attributes (`KILOGRAM`, `GRAM`).
    public var units: [String]
    /// The unit assumed when a value gives none.
    public var defaultUnit: String?
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { code }

    /// Creates an attribute.
    public init(code: String, type: AttributeType, labels: LocalizedText = [:], localizable: Bool = false,
                scopable: Bool = false, unique: Bool = false, validation: Validation = .init(),
                options: [Option] = [], units: [String] = [], defaultUnit: String? = nil) {
        self.code = code
        self.type = type
        self.labels = labels
        self.localizable = localizable
        self.scopable = scopable
        self.unique = unique
        self.validation = validation
        self.options = options
        self.units = units
        self.defaultUnit = defaultUnit
        self.version = 1
        self.createdAt = ""
        self.updatedAt = ""
    }

    enum CodingKeys: String, CodingKey {
        case code, type, labels, localizable, scopable, unique, validation, options, units, version
        case defaultUnit = "default_unit"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        type = try container.decode(AttributeType.self, forKey: .type)
        labels = try container.decodeIfPresent(LocalizedText.self, forKey: .labels) ?? [:]
        localizable = try container.decodeIfPresent(Bool.self, forKey: .localizable) ?? false
        scopable = try container.decodeIfPresent(Bool.self, forKey: .scopable) ?? false
        unique = try container.decodeIfPresent(Bool.self, forKey: .unique) ?? false
        validation = try container.decodeIfPresent(Validation.self, forKey: .validation) ?? .init()
        options = try container.decodeIfPresent([Option].self, forKey: .options) ?? []
        units = try container.decodeIfPresent([String].self, forKey: .units) ?? []
        defaultUnit = try container.decodeIfPresent(String.self, forKey: .defaultUnit)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// The option with a code, if any.
    public func option(_ code: String) -> Option? { options.first { $0.code == code } }

    /// Checks the definition itself; `previous` is the stored version on update.
    public func validate(previous: AttributeDefinition? = nil) throws {
        var errors = ValidationErrors()
        Code.check(code, at: "/code", into: &errors)
        if let previous {
            // Values and uniqueness claims were written under these rules; changing them would
            // leave existing values unchecked.
            if previous.type != type { errors.add("/type", "immutable_field", "An attribute's type cannot change once created.") }
            if previous.unique != unique { errors.add("/unique", "immutable_field", "'unique' cannot change once created.") }
            if previous.localizable != localizable {
                errors.add("/localizable", "immutable_field", "'localizable' cannot change once created.")
            }
            if previous.scopable != scopable { errors.add("/scopable", "immutable_field", "'scopable' cannot change once created.") }
        }
        if !type.hasOptions, !options.isEmpty {
            errors.add("/options", "not_allowed", "Only select and multi_select attributes have options.")
        }
        var seen = Set<String>()
        for (index, option) in options.enumerated() {
            Code.check(option.code, at: "/options/\(index)/code", into: &errors)
            if !seen.insert(option.code).inserted {
                errors.add("/options/\(index)/code", "duplicate", "Option '\(option.code)' appears twice.")
            }
        }
        if type == .metric {
            if units.isEmpty { errors.add("/units", "required", "A metric attribute needs at least one unit.") }
            if let defaultUnit, !units.contains(defaultUnit) {
                errors.add("/default_unit", "invalid_unit", "The default unit must be one of the units.")
            }
        } else if !units.isEmpty {
            errors.add("/units", "not_allowed", "Only metric attributes have units.")
        }
        if unique {
            if localizable || scopable {
                errors.add("/unique", "not_allowed", "A unique attribute cannot be localizable or scopable.")
            }
            if ![.text, .number, .date].contains(type) {
                errors.add("/unique", "not_allowed", "Only text, number and date attributes can be unique.")
            }
        }
        if let pattern = validation.pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
            errors.add("/validation/pattern", "invalid_pattern", "The pattern is not a valid regular expression.")
        }
        if let min = validation.min, let max = validation.max, min > max {
            errors.add("/validation/min", "invalid_range", "min must not exceed max.")
        }
        if let maxLength = validation.maxLength, maxLength < 1 {
            errors.add("/validation/max_length", "out_of_range", "max_length must be at least 1.")
        }
        try errors.throwIfAny()
    }
}
