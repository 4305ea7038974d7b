import Foundation
import TorsoKit

/// A family of products (Akeneo's family): which attributes they carry, which select
/// attributes tell their variants apart, and which attributes each channel requires.
public struct ProductType: StoredResource, Equatable {
    public static let kind = "product type"
    public static let collection = "product-types"
    public static let schema: FieldSchema = .object(
        [
            "code": .string(), "labels": .localizedText,
            "attributes": .array(.string()), "variant_attributes": .array(.string()),
            "variant_axes": .array(.string()), "requirements": .map(.array(.string())),
        ].merging(metadataFields) { $1 },
        required: ["code"], readOnly: Array(metadataFields.keys))

    /// The type's code, e.g. `tshirt`.
    public var code: String
    /// Labels per locale.
    public var labels: LocalizedText
    /// Attributes whose values belong to the product.
    public var attributes: [String]
    /// Attributes whose values belong to each variant.
    public var variantAttributes: [String]
    /// Select attributes whose options tell variants apart (`size`, `color`).
    public var variantAxes: [String]
    /// Required attribute codes per channel code; drives completeness.
    public var requirements: [String: [String]]
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { code }

    /// Creates a product type.
    public init(code: String, labels: LocalizedText = [:], attributes: [String] = [], variantAttributes: [String] = [],
                variantAxes: [String] = [], requirements: [String: [String]] = [:]) {
        self.code = code
        self.labels = labels
        self.attributes = attributes
        self.variantAttributes = variantAttributes
        self.variantAxes = variantAxes
        self.requirements = requirements
        self.version = 1
        self.createdAt = ""
        self.updatedAt = ""
    }

    enum CodingKeys: String, CodingKey {
        case code, labels, attributes, requirements, version
        case variantAttributes = "variant_attributes"
        case variantAxes = "variant_axes"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        labels = try container.decodeIfPresent(LocalizedText.self, forKey: .labels) ?? [:]
        attributes = try container.decodeIfPresent([String].self, forKey: .attributes) ?? []
        variantAttributes = try container.decodeIfPresent([String].self, forKey: .variantAttributes) ?? []
        variantAxes = try container.decodeIfPresent([String].self, forKey: .variantAxes) ?? []
        requirements = try container.decodeIfPresent([String: [String]].self, forKey: .requirements) ?? [:]
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// Every attribute a product of this type may carry, at either level.
    public var allAttributes: Set<String> { Set(attributes).union(variantAttributes) }

    /// Checks the type against the attributes and channels that exist.
    public func validate(attributes known: [String: AttributeDefinition], channels: Set<String>) throws {
        var errors = ValidationErrors()
        Code.check(code, at: "/code", into: &errors)
        for (field, codes) in [("attributes", attributes), ("variant_attributes", variantAttributes)] {
            var seen = Set<String>()
            for (index, code) in codes.enumerated() {
                if known[code] == nil {
                    errors.add("/\(field)/\(index)", "unknown_attribute", "Attribute '\(code)' does not exist.")
                }
                if !seen.insert(code).inserted {
                    errors.add("/\(field)/\(index)", "duplicate", "Attribute '\(code)' appears twice.")
                }
            }
        }
        for (index, code) in variantAttributes.enumerated() where attributes.contains(code) {
            errors.add("/variant_attributes/\(index)", "duplicate",
                       "Attribute '\(code)' is already a product attribute; an attribute belongs to one level.")
        }
        for (index, axis) in variantAxes.enumerated() {
            guard let definition = known[axis] else {
                errors.add("/variant_axes/\(index)", "unknown_attribute", "Attribute '\(axis)' does not exist.")
                continue
            }
            if definition.type != .select || definition.localizable || definition.scopable {
                errors.add("/variant_axes/\(index)", "invalid_axis", "A variant axis must be a select attribute that is neither localizable nor scopable.")
            }
            if allAttributes.contains(axis) {
                errors.add("/variant_axes/\(index)", "invalid_axis", "An axis is set on each variant's `axes`; do not also list it as an attribute.")
            }
        }
        if Set(variantAxes).count != variantAxes.count {
            errors.add("/variant_axes", "duplicate", "Each axis may appear once.")
        }
        for channel in requirements.keys.sorted() {
            let pointer = "/requirements/" + JSONValue.escapePointer(channel)
            if !channels.contains(channel) {
                errors.add(pointer, "unknown_channel", "Channel '\(channel)' does not exist.")
            }
            for (index, code) in requirements[channel]!.enumerated() where !allAttributes.contains(code) {
                errors.add("\(pointer)/\(index)", "attribute_not_in_product_type",
                           "Required attribute '\(code)' is not one of this type's attributes.")
            }
        }
        try errors.throwIfAny()
    }
}
