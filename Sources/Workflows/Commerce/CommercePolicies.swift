import Catalog
import Channels
import Commerce
import Events
import Foundation
import TorsoKit

/// Shipping methods: codes, zones of ISO countries, rates that are not negative.
public struct ShippingMethodPolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func prepare(_ resource: inout ShippingMethod, previous: ShippingMethod?) {
        resource.id = previous?.id ?? resource.code
    }

    public func validate(_ resource: ShippingMethod, previous: ShippingMethod?, in tx: any Transaction) async throws {
        try resource.validate()
    }

    public func willDelete(_ resource: ShippingMethod, in tx: any Transaction) async throws {}
}

/// Tax rates: a country, a class and a rate between 0 and 100 %; one rate per country, region
/// and class.
public struct TaxRatePolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func validate(_ resource: TaxRate, previous: TaxRate?, in tx: any Transaction) async throws {
        try resource.validate()
        let twin = try await tx.documents.fetchAll(TaxRate.self).first {
            $0.code != resource.code && $0.country == resource.country && $0.region == resource.region && $0.taxClass == resource.taxClass
        }
        if let twin {
            throw DomainError.validation([FieldError(pointer: "/tax_class", code: "duplicate",
                                                     detail: "Rate '\(twin.code)' already taxes this class in this country and region.")])
        }
    }

    public func willDelete(_ resource: TaxRate, in tx: any Transaction) async throws {}
}

/// Promotions: a code-like ID, a discount that makes sense, limits of at least one, and promotion
/// codes unique among promotions (case-insensitive).
public struct PromotionPolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func prepare(_ resource: inout Promotion, previous: Promotion?) {
        resource.timesUsed = previous?.timesUsed ?? 0
    }

    public func validate(_ resource: Promotion, previous: Promotion?, in tx: any Transaction) async throws {
        try resource.validate()
        if let code = resource.code?.lowercased(),
           let twin = try await tx.documents.fetchAll(Promotion.self).first(where: { $0.id != resource.id && $0.code?.lowercased() == code }) {
            throw DomainError.validation([FieldError(pointer: "/code", code: "duplicate", detail: "Promotion '\(twin.id)' already uses this code.")])
        }
    }

    public func willDelete(_ resource: Promotion, in tx: any Transaction) async throws {}
}

/// Price lists: a channel that exists and sells the list's currency, a unique code, and prices
/// for variants and SKUs that exist (checked for prices new to the list, so a list whose
/// product was deleted since can still be edited).
public struct PriceListPolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func prepare(_ resource: inout PriceList, previous: PriceList?) {
        if let previous { resource.id = previous.id }
    }

    public func validate(_ resource: PriceList, previous: PriceList?, in tx: any Transaction) async throws {
        var errors = ValidationErrors()
        resource.check(into: &errors)
        if let code = resource.channel {
            if let channel = try await tx.documents.fetch(Channel.self, key: code) {
                if !channel.currencies.contains(resource.currency) {
                    errors.add("/currency", "currency_not_in_channel",
                               "Channel '\(code)' sells in \(channel.currencies.map(\.code).joined(separator: ", ")).")
                }
            } else {
                errors.add("/channel", "unknown_channel", "Channel '\(code)' does not exist.")
            }
        }
        if let twin = try await tx.documents.fetchAll(PriceList.self).first(where: { $0.id != resource.id && $0.code == resource.code }) {
            errors.add("/code", "duplicate", "Price list '\(twin.id)' already has code '\(resource.code)'.")
        }
        let known = Set((previous?.prices ?? []).flatMap { [$0.variantId.map { "variant:" + $0 }, $0.sku.map { "sku:" + $0 }] }.compactMap { $0 })
        var checked: [(pointer: String, claim: UniqueClaim)] = []
        for (index, entry) in resource.prices.enumerated() {
            if let variantId = entry.variantId, !known.contains("variant:" + variantId), ID<VariantEntity>(parsing: variantId) != nil {
                checked.append(("/prices/\(index)/variant_id", UniqueClaim(namespace: "variant", value: variantId)))
            }
            if let sku = entry.sku, !known.contains("sku:" + sku), !sku.isEmpty {
                checked.append(("/prices/\(index)/sku", UniqueClaim(namespace: "sku", value: sku)))
            }
        }
        if !checked.isEmpty {
            let existing = try await tx.claims.conflictingClaims(Array(Set(checked.map(\.claim))), excluding: "")
            for (pointer, claim) in checked where existing[claim] == nil {
                errors.add(pointer, claim.namespace == "sku" ? "unknown_sku" : "unknown_variant",
                           "No product has \(claim.namespace == "sku" ? "SKU" : "variant") '\(claim.value)'.")
            }
        }
        try errors.throwIfAny()
    }

    public func didSave(_ resource: PriceList, previous: PriceList?, in tx: any Transaction) async throws {
        try await Self.announce([resource] + (previous.map { [$0] } ?? []), in: tx)
    }

    public func willDelete(_ resource: PriceList, in tx: any Transaction) async throws {
        try await Self.announce([resource], in: tx)
    }

    /// Appends `price.changed` for every product the lists price, when one of them is active
    /// now (a list that starts later changes nothing yet): on the list's channel, or on every
    /// channel (`nil`) when the lists name none or several.
    static func announce(_ lists: [PriceList], in tx: any Transaction) async throws {
        let now = Date()
        let active = lists.filter { $0.isActive(at: now) }
        guard let first = active.first else { return }
        var claims = Set<UniqueClaim>()
        for entry in active.flatMap(\.prices) {
            if let variantId = entry.variantId { claims.insert(UniqueClaim(namespace: "variant", value: variantId)) }
            if let sku = entry.sku { claims.insert(UniqueClaim(namespace: "sku", value: sku)) }
        }
        guard !claims.isEmpty else { return }
        let products = Set(try await tx.claims.conflictingClaims(Array(claims), excluding: "").values).sorted()
        let channels = Set(active.map(\.channel))
        let channel = channels.count == 1 ? first.channel : nil
        let at = Timestamp.string(now)
        for product in products {
            try await tx.outbox.appendEvent(type: EventType.priceChanged, channel: channel, subject: product, data: .object([
                "product_id": .string(product), "price_list": .string(first.code), "reason": .string("price_list"),
            ]), at: at)
        }
    }
}
