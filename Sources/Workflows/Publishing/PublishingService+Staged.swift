import Catalog
import Foundation
import Publishing
import TorsoKit

extension PublishingService {
    /// What changed in the staged product since it went live, per channel whose live copy is
    /// older than the staged version: the fields that differ (counts on hand aside, which are the
    /// inventory's), from the published copy to the staged product.
    public func stagedChanges(of id: String) async throws -> [String: (liveVersion: Int, changes: [FieldChange])] {
        try await store.read { tx in
            guard let product = try await tx.documents.fetch(Product.self, key: id) else { throw DomainError.notFound("product", id) }
            let staged = Self.comparable(try JSONCoding.tree(product))
            var result: [String: (liveVersion: Int, changes: [FieldChange])] = [:]
            for listing in try await tx.listings.listings(ofProducts: [id]) {
                guard let live = listing.live, live.version < product.version,
                      let document = try await tx.listings.publishedDocument(productId: id, channel: listing.channel, version: live.version),
                      let published = try? JSONCoding.parse(Data(document.utf8)) else { continue }
                result[listing.channel] = (live.version, Self.comparable(published).changes(to: staged))
            }
            return result
        }
    }

    /// A product's JSON without what every save changes (version, times) or the inventory owns.
    static func comparable(_ value: JSONValue) -> JSONValue {
        guard case .object(var members) = ResourceService<ProductPolicy>.withoutCounts(value) else { return value }
        for field in ["version", "created_at", "updated_at"] { members[field] = nil }
        return .object(members)
    }
}
