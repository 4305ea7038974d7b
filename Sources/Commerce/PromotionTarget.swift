/// What a promotion applies to. JSON: `{"type": "order"}` or
/// `{"type": "items", "products": ["prod_…"], "categories": ["cat_…"]}`.
public enum PromotionTarget: Sendable, Hashable, Codable {
    /// The whole order (after item-level promotions).
    case order
    /// The lines whose product is listed or which belong to a listed category (or below it).
    case items(products: Set<String>, categories: Set<String>)

    /// Whether a line is targeted: always for ``order``; for ``items`` when its product is listed
    /// or one of its categories (which include ancestors) is.
    public func matches(_ line: CartLineInput) -> Bool {
        switch self {
        case .order: true
        case .items(let products, let categories): products.contains(line.productId) || !categories.isDisjoint(with: line.categories)
        }
    }

    /// Whether this targets items rather than the order.
    public var isItemLevel: Bool {
        if case .items = self { return true }
        return false
    }

    enum CodingKeys: String, CodingKey {
        case type, products, categories
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "order":
            self = .order
        case "items":
            self = .items(products: try container.decodeIfPresent(Set<String>.self, forKey: .products) ?? [],
                          categories: try container.decodeIfPresent(Set<String>.self, forKey: .categories) ?? [])
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "expected order or items")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .order:
            try container.encode("order", forKey: .type)
        case .items(let products, let categories):
            try container.encode("items", forKey: .type)
            try container.encode(products.sorted(), forKey: .products)
            try container.encode(categories.sorted(), forKey: .categories)
        }
    }
}
