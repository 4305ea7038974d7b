extension APIComponents {
    /// A localized attribute value as heads read it.
    static let attributeValue: APISchema = .object(["label": .string(), "type": .string(), "value": .any], required: ["label", "type", "value"])
    /// A category in a breadcrumb.
    static let crumb: APISchema = .object(["id": .string(), "name": .string(), "slug": .string()], required: ["id", "name", "slug"])

    /// What the store API answers: lists with facets, the product detail and the category tree.
    static let storefront: [String: APISchema] = [
        "StoreProductSummary": .object([
            "id": .string(), "slug": .string(), "name": .string(), "price": .nullable(.money), "compare_at": .nullable(.money),
            "in_stock": .boolean, "image": .nullable(.string()),
        ], required: ["id", "slug", "name", "price", "compare_at", "in_stock", "image"]),
        "Facet": .object([
            "attribute": .string(), "type": .string(), "label": .string(),
            "values": .array(.object(["code": .string(), "label": .string(), "count": .integer], required: ["code", "label", "count"])),
        ], required: ["attribute", "type", "label", "values"]),
        "StoreProductList": .object([
            "data": .array(.ref("StoreProductSummary")), "facets": .array(.ref("Facet")), "total": .integer, "locale": .string(),
            "next_cursor": .nullable(.string()),
        ], required: ["data", "facets", "total", "locale", "next_cursor"]),
        "StoreVariant": .object([
            "id": .string(), "sku": .string(),
            "axes": .map(.object(["code": .string(), "label": .string()], required: ["code", "label"])),
            "attributes": .map(attributeValue), "price": .nullable(.money), "compare_at": .nullable(.money),
            "tiers": .array(.object(["min_quantity": .integer, "amount": .integer], required: ["min_quantity", "amount"])),
            "prices": .array(.object([
                "amount": .integer, "currency": .string(), "compare_at_amount": .nullable(.integer),
                "tiers": .array(.object(["min_quantity": .integer, "amount": .integer], required: ["min_quantity", "amount"])),
            ], required: ["amount", "currency", "compare_at_amount", "tiers"])),
            "in_stock": .boolean, "available_quantity": .integer,
            "availability": .string(enumeration: ["in_stock", "low", "out"]),
        ], required: ["id", "sku", "axes", "attributes", "price", "compare_at", "tiers", "prices", "in_stock", "availability"]),
        "StoreProduct": .object([
            "id": .string(), "slug": .string(), "locale": .string(), "product_type": .string(), "name": .string(),
            "attributes": .map(attributeValue), "variants": .array(.ref("StoreVariant")),
            "media": .array(.object(["url": .string(), "alt": .nullable(.string())], required: ["url", "alt"])),
            "price": .nullable(.money), "compare_at": .nullable(.money), "in_stock": .boolean, "available_quantity": .integer,
            "availability": .string(enumeration: ["in_stock", "low", "out"]),
            "categories": .array(.array(crumb)), "published_at": .time, "version": .integer, "customer_group": .string(),
        ], required: ["id", "slug", "locale", "product_type", "name", "attributes", "variants", "media", "price", "compare_at",
                      "in_stock", "availability", "categories", "published_at", "version"]),
        "CategoryNode": .object([
            "id": .string(), "name": .string(), "slug": .string(), "position": .integer, "product_count": .integer,
            "children": .array(.ref("CategoryNode")),
        ], required: ["id", "name", "slug", "position", "product_count", "children"]),
        "CategoryTree": .object(["data": .array(.ref("CategoryNode"))], required: ["data"]),
    ]
}
