import Foundation
import TorsoKit

/// Marks product identifiers (`prod_…`).
public enum ProductEntity: IdentifiedEntity { public static let idPrefix = "prod" }

/// A product: its type, localized slug, attribute values, categories, media and variants.
public struct Product: StoredResource, Equatable {
    public static let kind = "product"
    public static let collection = "products"
    public static let schema: FieldSchema = .object(
        [
            "id": .string(), "product_type": .string(), "slug": .localizedText,
            "values": .map(.array(AttributeValue.schema)),
            "categories": .array(.string()),
            "media": .array(Media.schema),
            "variants": .array(Variant.schema),
        ].merging(metadataFields) { $1 },
        required: ["product_type", "slug"], readOnly: ["id"] + Array(metadataFields.keys))

    /// An image or video with localized alternative text.
    public struct Media: Codable, Sendable, Equatable {
        /// Where the file is served (http or https).
        public var url: String
        /// Alternative text per locale.
        public var alt: LocalizedText

        /// Creates a media entry.
        public init(url: String, alt: LocalizedText = [:]) {
            self.url = url
            self.alt = alt
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            url = try container.decode(String.self, forKey: .url)
            alt = try container.decodeIfPresent(LocalizedText.self, forKey: .alt) ?? [:]
        }

        /// The body shape of a media entry.
        public static let schema: FieldSchema = .object(["url": .string(format: "uri"), "alt": .localizedText], required: ["url"])
    }

    /// The product's ID.
    public var id: ID<ProductEntity>
    /// The product type's code.
    public var productType: String
    /// URL slugs per locale, unique per locale.
    public var slug: LocalizedText
    /// Product-level attribute values.
    public var values: ValueSet
    /// The categories the product is in.
    public var categories: [ID<CategoryEntity>]
    /// Images and videos, in display order.
    public var media: [Media]
    /// The sellable variants.
    public var variants: [Variant]
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { id.rawValue }

    /// Creates a product.
    public init(id: ID<ProductEntity> = .generate(), productType: String, slug: LocalizedText, values: ValueSet = [:],
                categories: [ID<CategoryEntity>] = [], media: [Media] = [], variants: [Variant] = []) {
        self.id = id
        self.productType = productType
        self.slug = slug
        self.values = values
        self.categories = categories
        self.media = media
        self.variants = variants
        self.version = 1
        self.createdAt = ""
        self.updatedAt = ""
    }

    enum CodingKeys: String, CodingKey {
        case id, slug, values, categories, media, variants, version
        case productType = "product_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(ID<ProductEntity>.self, forKey: .id) ?? .generate()
        productType = try container.decode(String.self, forKey: .productType)
        slug = try container.decode(LocalizedText.self, forKey: .slug)
        values = try container.decodeIfPresent(ValueSet.self, forKey: .values) ?? [:]
        categories = try container.decodeIfPresent([ID<CategoryEntity>].self, forKey: .categories) ?? []
        media = try container.decodeIfPresent([Media].self, forKey: .media) ?? []
        variants = try container.decodeIfPresent([Variant].self, forKey: .variants) ?? []
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// Lower-cased text the admin list's `q` searches: ID, SKUs, slugs and text values.
    public var searchText: String {
        var parts = [id.rawValue] + variants.map(\.sku) + slug.values.values.sorted()
        for entries in values.values {
            for entry in entries { if case .string(let text) = entry.data { parts.append(text) } }
        }
        return parts.joined(separator: " ").lowercased()
    }

    /// The values of unique attributes, as `(attribute, canonical value)` pairs.
    public func uniqueKeys(attributes: [String: AttributeDefinition]) -> [(attribute: String, value: String)] {
        var keys: [(String, String)] = []
        for code in values.keys.sorted() where attributes[code]?.unique == true {
            for entry in values[code]! {
                switch entry.data {
                case .string(let text): keys.append((code, text))
                case .number(let number): keys.append((code, String(number)))
                default: break
                }
            }
        }
        return keys
    }
}
