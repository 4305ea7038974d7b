import Catalog
import Channels
import TorsoKit

/// Categories: the parent must exist and no cycle may form; slugs are unique per locale;
/// a category with children or products cannot be deleted.
public struct CategoryPolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public var isSetting: Bool { false }

    public func validate(_ resource: Category, previous: Category?, in tx: any Transaction) async throws {
        let locales = Set(try await tx.documents.fetchAll(ContentLocale.self).map(\.code.rawValue))
        var ancestors: [ID<CategoryEntity>] = []
        if let parentId = resource.parentId {
            let all = Dictionary(uniqueKeysWithValues: try await tx.documents.fetchAll(Category.self).map { ($0.id, $0) })
            guard all[parentId] != nil else {
                throw DomainError.validation([FieldError(pointer: "/parent_id", code: "unknown_category", detail: "Category '\(parentId)' does not exist.")])
            }
            var next: ID<CategoryEntity>? = parentId
            while let current = next, !ancestors.contains(current) {
                ancestors.append(current)
                next = all[current]?.parentId
            }
        }
        try resource.validate(locales: locales, ancestors: ancestors)
        let conflicts = try await tx.claims.conflictingClaims(claims(resource), excluding: resource.key)
        var errors = ValidationErrors()
        for locale in resource.slug.locales where conflicts[slugClaim(resource, locale)] != nil {
            errors.add("/slug/\(locale)", "duplicate_slug", "Another category already has slug '\(resource.slug[locale]!)' in \(locale).")
        }
        try errors.throwIfAny()
    }

    public func didSave(_ resource: Category, previous: Category?, in tx: any Transaction) async throws {
        try await tx.claims.replaceClaims(claims(resource), owner: resource.key, fresh: previous == nil)
    }

    public func willDelete(_ resource: Category, in tx: any Transaction) async throws {
        if try await tx.documents.fetchAll(Category.self).contains(where: { $0.parentId == resource.id }) {
            throw DomainError(.conflict, code: "has_children", detail: "Move or delete the category's children first.")
        }
        let count = try await tx.products.countProducts(category: resource.key)
        if count > 0 { throw DomainError.inUse("\(count) products are in this category.") }
        try await tx.claims.replaceClaims([], owner: resource.key, fresh: false)
    }

    private func slugClaim(_ category: Category, _ locale: String) -> UniqueClaim {
        UniqueClaim(namespace: "category_slug:" + locale, value: category.slug[locale]!)
    }

    private func claims(_ category: Category) -> [UniqueClaim] {
        category.slug.locales.map { slugClaim(category, $0) }
    }
}
