import Catalog
import Events
import Foundation
import Inventory
import Publishing
import TorsoKit

/// Appends the outbox events of catalog and stock changes, always in the transaction that
/// makes the change, so an event exists exactly when its change does.
enum EventRecorder {
    /// A copy went live on a channel; `price.changed` too when the channel's prices moved
    /// against the copy it replaces.
    static func published(_ publication: ChannelListing.Publication, channel: String, visible: Bool,
                          replacing previous: ChannelListing.Publication?, in tx: any Transaction) async throws {
        let id = publication.product.id.rawValue
        try await tx.outbox.appendEvent(type: EventType.productPublished, channel: channel, subject: id, data: .object([
            "product_id": .string(id), "version": .number(Double(publication.version)), "published_at": .string(publication.at),
            "visible_in_listings": .bool(visible),
        ]), at: Timestamp.string(Date()))
        if let previous, prices(of: previous.product, channel: channel) != prices(of: publication.product, channel: channel) {
            try await tx.outbox.appendEvent(type: EventType.priceChanged, channel: channel, subject: id, data: .object([
                "product_id": .string(id), "variants": prices(of: publication.product, channel: channel),
            ]), at: Timestamp.string(Date()))
        }
    }

    /// A publication was scheduled for later.
    static func scheduled(_ publication: ChannelListing.Publication, channel: String, in tx: any Transaction) async throws {
        let id = publication.product.id.rawValue
        try await tx.outbox.appendEvent(type: EventType.productScheduled, channel: channel, subject: id, data: .object([
            "product_id": .string(id), "version": .number(Double(publication.version)), "publish_at": .string(publication.at),
        ]), at: Timestamp.string(Date()))
    }

    /// A product left a channel.
    static func unpublished(productId: String, channel: String, in tx: any Transaction) async throws {
        try await tx.outbox.appendEvent(type: EventType.productUnpublished, channel: channel, subject: productId,
                                 data: .object(["product_id": .string(productId)]), at: Timestamp.string(Date()))
    }

    /// Stock changed (units on hand or held): one `stock.changed` per product with its changed
    /// variants' levels per location — on hand, held, available — read in the transaction after
    /// the change, and their sums. Each channel's live feed narrows it to the channel's
    /// locations and stores.
    static func stockChanged(variants: [(productId: String, variantId: String)], in tx: any Transaction) async throws {
        guard !variants.isEmpty else { return }
        let products = Array(Set(variants.map(\.productId))).sorted()
        let now = Timestamp.string(Date())
        let levels = try await tx.stock.levels(products: products, asOf: now)
        var byProduct: [String: Set<String>] = [:]
        for (product, variant) in variants { byProduct[product, default: []].insert(variant) }
        try await tx.outbox.appendEvents(products.map { product in
            let changed = byProduct[product, default: []].sorted()
            return (type: EventType.stockChanged, channel: nil, subject: product, data: .object([
                "product_id": .string(product),
                "variants": .array(changed.map { variant in
                    let here = levels[variant] ?? []
                    return .object([
                        "id": .string(variant),
                        "on_hand": .number(Double(here.reduce(0) { $0 + $1.onHand })),
                        "available_quantity": .number(Double(here.reduce(0) { $0 + $1.available })),
                        "locations": .array(here.map { level in
                            .object(["location": .string(level.locationId), "on_hand": .number(Double(level.onHand)),
                                     "reserved": .number(Double(level.reserved)), "available": .number(Double(level.available))])
                        }),
                    ])
                }),
            ]))
        }, at: now)
    }

    /// Holds on some variants were taken, released or expired: what is available moved, so
    /// each product with one of them gets a `stock.changed`.
    static func holdsChanged(variants: Set<String>, in tx: any Transaction) async throws {
        guard !variants.isEmpty else { return }
        let known = try await tx.stock.variants(skus: [], ids: Array(variants))
        try await stockChanged(variants: known.map { ($0.productId, $0.id) }, in: tx)
    }

    /// The prices a channel may show per variant: its own and the general ones.
    static func prices(of product: Product, channel: String) -> JSONValue {
        .array(product.variants.map { variant in
            .object([
                "id": .string(variant.id.rawValue), "sku": .string(variant.sku),
                "prices": .array(variant.prices.filter { $0.channel == nil || $0.channel == channel }.map { price in
                    .object(["amount": .number(Double(price.amount)), "currency": .string(price.currency.code),
                             "channel": price.channel.map(JSONValue.string) ?? .null])
                }),
            ])
        })
    }
}
