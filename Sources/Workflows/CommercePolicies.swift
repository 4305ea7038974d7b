import Commerce
import TorsoKit

/// Shipping methods: codes, zones of ISO countries, rates that are not negative.
public struct ShippingMethodPolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func prepare(_ resource: inout ShippingMethod, previous: ShippingMethod?) {
        resource.id = previous?.id ?? resource.code
    }

    public func validate(_ resource: ShippingMethod, previous: ShippingMethod?, in tx: any StoreTransaction) async throws {
        try resource.validate()
    }

    public func willDelete(_ resource: ShippingMethod, in tx: any StoreTransaction) async throws {}
}

/// Tax rates: a country, a class and a rate between 0 and 100 %; one rate per country, region
/// and class.
public struct TaxRatePolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func validate(_ resource: TaxRate, previous: TaxRate?, in tx: any StoreTransaction) async throws {
        try resource.validate()
        let twin = try await tx.fetchAll(TaxRate.self).first {
            $0.code != resource.code && $0.country == resource.country && $0.region == resource.region && $0.taxClass == resource.taxClass
        }
        if let twin {
            throw DomainError.validation([FieldError(pointer: "/tax_class", code: "duplicate",
                                                     detail: "Rate '\(twin.code)' already taxes this class in this country and region.")])
        }
    }

    public func willDelete(_ resource: TaxRate, in tx: any StoreTransaction) async throws {}
}

/// Promotions: a code-like ID, a discount that makes sense, limits of at least one, and promotion
/// codes unique among promotions (case-insensitive).
public struct PromotionPolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func prepare(_ resource: inout Promotion, previous: Promotion?) {
        resource.timesUsed = previous?.timesUsed ?? 0
    }

    public func validate(_ resource: Promotion, previous: Promotion?, in tx: any StoreTransaction) async throws {
        try resource.validate()
        if let code = resource.code?.lowercased(),
           let twin = try await tx.fetchAll(Promotion.self).first(where: { $0.id != resource.id && $0.code?.lowercased() == code }) {
            throw DomainError.validation([FieldError(pointer: "/code", code: "duplicate", detail: "Promotion '\(twin.id)' already uses this code.")])
        }
    }

    public func willDelete(_ resource: Promotion, in tx: any StoreTransaction) async throws {}
}
