/// A claim on a unique value: a SKU, a slug in a locale, a unique attribute's value.
public struct UniqueClaim: Hashable, Sendable {
    /// What kind of value (`sku`, `product_slug:en-US`, `category_slug:de-DE`, `attribute:ean`).
    public var namespace: String
    /// The value.
    public var value: String

    /// Creates a claim.
    public init(namespace: String, value: String) {
        self.namespace = namespace
        self.value = value
    }
}
