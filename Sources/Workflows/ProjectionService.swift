import Catalog
import Channels
import Foundation
import Logging
import Publishing
import TorsoKit

/// Keeps the in-memory storefront snapshots in step with the store: builds them all at start
/// and after settings change, and re-projects single products after a publish, an unpublish, a
/// scheduled publication going live, or a stock change. Updates run one at a time.
public final class ProjectionService: ChangeObserver {
    let store: any Store
    let contexts: CatalogContextCache
    /// What the storefront reads.
    public let catalog: StorefrontCatalog
    private let serial = AsyncMutex()

    /// Creates the service over an empty catalog.
    public init(store: any Store, contexts: CatalogContextCache, catalog: StorefrontCatalog = StorefrontCatalog()) {
        self.store = store
        self.contexts = contexts
        self.catalog = catalog
    }

    public func changed(_ change: CatalogChange) async {
        do {
            // One update at a time, in order: an older read never lands after a newer one.
            try await serial.withLock {
                switch change {
                case .product(let id), .publication(let id): try await refresh([id])
                case .settings: try await rebuildAllNow()
                }
            }
        } catch {
            Logger(label: "torso.projections").error("projection update failed", metadata: ["error": "\(error)"])
        }
    }

    /// Builds every channel's snapshot from the store.
    public func rebuildAll() async throws {
        try await serial.withLock { try await rebuildAllNow() }
    }

    private func rebuildAllNow() async throws {
        let now = Timestamp.string(Date())
        let (context, categories, channels, stock) = try await store.read { tx in
            (try await contexts.context(in: tx), try await tx.fetchAll(Category.self), try await tx.fetchAll(Channel.self),
             try await tx.stockOnHand(products: nil))
        }
        let byID = Dictionary(uniqueKeysWithValues: categories.map { ($0.key, $0) })
        var listings: [ChannelListing] = []
        var after = ""
        while true {
            let page = try await store.read { [after] in try await $0.listings(afterProduct: after, limit: 2_000) }
            listings += page
            guard let last = page.last else { break }
            after = last.productId
        }
        // Project the channels side by side: each core takes its share.
        let published = listings
        var snapshots: [ChannelSnapshot] = []
        try await withThrowingTaskGroup(of: ChannelSnapshot.self) { group in
            for channel in channels {
                group.addTask {
                    let projector = Projector(channel: channel, context: context, categories: byID)
                    var products: [ProjectedProduct] = []
                    for listing in published where listing.channel == channel.code {
                        let current = listing.promoting(asOf: now)
                        if let live = current.live { products.append(projector.project(live, visible: current.visibleInListings, stock: stock)) }
                    }
                    return ChannelSnapshot.build(channel: channel, context: context, categories: byID, products: products)
                }
            }
            for try await snapshot in group { snapshots.append(snapshot) }
        }
        catalog.replaceAll(snapshots)
    }

    /// Re-projects some products on every channel; call with the mutex held.
    private func refresh(_ ids: [String]) async throws {
        let now = Timestamp.string(Date())
        let (context, listings, stock) = try await store.read { tx in
            (try await contexts.context(in: tx), try await tx.listings(ofProducts: ids), try await tx.stockOnHand(products: ids))
        }
        for snapshot in catalog.all {
            let projector = Projector(channel: snapshot.channel, context: context, categories: snapshot.categories)
            var changed: [String: ProjectedProduct] = [:]
            var removed: Set<String> = Set(ids)
            for listing in listings where listing.channel == snapshot.channel.code {
                let current = listing.promoting(asOf: now)
                if let live = current.live {
                    changed[listing.productId] = projector.project(live, visible: current.visibleInListings, stock: stock)
                    removed.remove(listing.productId)
                }
            }
            catalog.replace(snapshot.updating(changed, removing: removed))
        }
    }
}
