import TorsoKit

/// What the admin side looks products up by: category memberships, types and search text.
public protocol ProductIndexRepository: Sendable {
    /// Replaces a product's category memberships; `fresh` when the product is new.
    func indexProduct(_ product: Product, fresh: Bool) async throws
    /// Indexes many products at once (an import's batch); `fresh` names the new ones.
    func indexProducts(_ products: [Product], fresh: Set<String>) async throws
    /// Removes a product's index rows.
    func unindexProduct(_ id: String) async throws
    /// One page of products matching `filter`, ordered by ID.
    func listProducts(_ filter: ProductFilter, page: PageRequest) async throws -> [Product]
    /// The key `offset` products after `key` in key order (0: the next one); `nil` past the end.
    func productKey(after key: String, offset: Int) async throws -> String?
    /// How many products use a product type.
    func countProducts(productType: String) async throws -> Int
    /// How many products are in a category.
    func countProducts(category: String) async throws -> Int
    /// Which of the given category IDs exist.
    func existingCategories(_ ids: [String]) async throws -> Set<String>
}
