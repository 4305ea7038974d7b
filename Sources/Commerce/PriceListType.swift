/// How a price list's prices combine with a variant's base price.
public enum PriceListType: String, Sendable, Codable, Hashable, CaseIterable {
    /// A promotional price: shown with the regular price as `compare_at`, used only when lower.
    case sale
    /// A replacement price (B2B, a market, a wholesale tier): replaces the base price outright.
    case override
}
