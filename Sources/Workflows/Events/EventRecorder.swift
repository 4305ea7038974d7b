import Catalog
import Events
import Foundation
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

    /// Units on hand changed: one `stock.changed` per product with the changed variants' units
    /// on hand (summed over locations), read in the transaction after the change.
    static func stockChanged(variants: [(productId: String, variantId: String)], in tx: any Transaction) async throws {
        guard !variants.isEmpty else { return }
        let products = Array(Set(variants.map(\.productId))).sorted()
        let units = try await tx.stock.stockOnHand(products: products)
        let at = Timestamp.string(Date())
        for product in products {
            let changed = Set(variants.filter { $0.productId == product }.map(\.variantId)).sorted()
            try await tx.outbox.appendEvent(type: EventType.stockChanged, channel: nil, subject: product, data: .object([
                "product_id": .string(product),
                "variants": .array(changed.map { .object(["id": .string($0), "available_quantity": .number(Double(max(0, units[$0] ?? 0)))]) }),
            ]), at: at)
        }
    }

    /// The variants whose stock differs between two copies of a product; none for a new product,
    /// which no channel shows yet.
    static func stockDifference(_ product: Product, previous: Product?) -> [(productId: String, variantId: String)] {
        guard let previous else { return [] }
        let before = Dictionary(previous.variants.map { ($0.id.rawValue, $0.stock.reduce(0) { $0 + $1.onHand }) },
                                uniquingKeysWith: { first, _ in first })
        return product.variants.compactMap { variant in
            let units = variant.stock.reduce(0) { $0 + $1.onHand }
            return before[variant.id.rawValue] == units ? nil : (product.key, variant.id.rawValue)
        }
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
