import Foundation
import TorsoKit

/// Marks category identifiers (`cat_…`).
public enum CategoryEntity: IdentifiedEntity { public static let idPrefix = "cat" }

/// A node of the category tree, with localized names and slugs and a position among its siblings.
public struct Category: StoredResource, Equatable {
    public static let kind = "category"
    public static let collection = "categories"
    public static let schema: FieldSchema = .object(
        [
            "id": .string(), "parent_id": .nullable(.string()), "names": .localizedText,
            "slug": .localizedText, "position": .integer,
        ].merging(metadataFields) { $1 },
        required: ["names", "slug"], readOnly: ["id"] + Array(metadataFields.keys))

    /// The category's ID.
    public var id: ID<CategoryEntity>
    /// The parent category; `nil` at the top.
    public var parentId: ID<CategoryEntity>?
    /// Names per locale.
    public var names: LocalizedText
    /// URL slugs per locale, unique per locale.
    public var slug: LocalizedText
    /// Order among siblings, ascending.
    public var position: Int
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { id.rawValue }

    /// Creates a category.
    public init(id: ID<CategoryEntity> = .generate(), parentId: ID<CategoryEntity>? = nil, names: LocalizedText,
                slug: LocalizedText, position: Int = 0) {
        self.id = id
        self.parentId = parentId
        self.names = names
        self.slug = slug
        self.position = position
        self.version = 1
        self.createdAt = ""
        self.updatedAt = ""
    }

    enum CodingKeys: String, CodingKey {
        case id, names, slug, position, version
        case parentId = "parent_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(ID<CategoryEntity>.self, forKey: .id) ?? .generate()
        parentId = try container.decodeIfPresent(ID<CategoryEntity>.self, forKey: .parentId)
        names = try container.decode(LocalizedText.self, forKey: .names)
        slug = try container.decode(LocalizedText.self, forKey: .slug)
        position = try container.decodeIfPresent(Int.self, forKey: .position) ?? 0
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(parentId, forKey: .parentId)
        try container.encode(names, forKey: .names)
        try container.encode(slug, forKey: .slug)
        try container.encode(position, forKey: .position)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    /// Checks names and slugs; `ancestors` are the parent's chain, to refuse cycles.
    public func validate(locales: Set<String>, ancestors: [ID<CategoryEntity>]) throws {
        var errors = ValidationErrors()
        if names.isEmpty { errors.add("/names", "required", "A category needs a name in at least one locale.") }
        for (field, text) in [("names", names), ("slug", slug)] {
            for locale in text.locales where !locales.contains(locale) {
                errors.add("/\(field)/\(JSONValue.escapePointer(locale))", "unknown_locale", "Locale '\(locale)' does not exist.")
            }
        }
        for locale in slug.locales where !Slug.isValid(slug[locale]!) {
            errors.add("/slug/\(locale)", "invalid_slug", Slug.rule)
        }
        if ancestors.contains(id) || parentId == id {
            errors.add("/parent_id", "cycle", "A category cannot be its own ancestor.")
        }
        try errors.throwIfAny()
    }
}

extension Category {
    /// The category `root` and every category below it in `categories` (cycle-safe).
    public static func descendants(of root: String, in categories: some Sequence<Category>) -> Set<String> {
        var children: [String: [String]] = [:]
        for category in categories {
            if let parent = category.parentId?.rawValue { children[parent, default: []].append(category.key) }
        }
        var result: Set<String> = []
        var queue = [root]
        while let next = queue.popLast() {
            if result.insert(next).inserted { queue += children[next] ?? [] }
        }
        return result
    }
}

/// URL slugs: lower-case letters, digits and single hyphens.
public enum Slug {
    /// The rule, for messages.
    public static let rule = "A slug is 1–200 lower-case letters, digits and hyphens, not starting or ending with a hyphen."

    /// Whether `string` is a valid slug.
    public static func isValid(_ string: String) -> Bool {
        guard (1...200).contains(string.count), !string.hasPrefix("-"), !string.hasSuffix("-") else { return false }
        return string.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" }
    }
}
