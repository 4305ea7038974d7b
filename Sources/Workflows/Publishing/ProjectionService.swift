import Catalog
import Channels
import Commerce
import Foundation
import Synchronization
import Logging
import Publishing
import TorsoKit

/// Keeps the in-memory storefront snapshots in step with the store: builds them all at start
/// and after settings change (price lists are settings), re-projects single products after a
/// publish, an unpublish, a scheduled publication going live, or a stock change, and re-prices
/// the products a price list prices when the list starts or ends (``refreshPrices(at:)``).
/// Updates run one at a time. Work that can wait (gathering a burst of stock changes, storing
/// projected facts) is done by ``runDeferredWork()``, which the service group runs.
public final class ProjectionService: ChangeObserver {
    let store: any Store
    let contexts: CatalogContextCache
    /// What the storefront reads.
    public let catalog: StorefrontCatalog
    let serial = AsyncMutex()
    /// Stock changes and facts waiting for ``runDeferredWork()``.
    let deferred = Mutex(DeferredProjectionWork())
    let wakes: AsyncStream<Void>
    let wake: AsyncStream<Void>.Continuation

    /// Creates the service over an empty catalog.
    public init(store: any Store, contexts: CatalogContextCache, catalog: StorefrontCatalog = StorefrontCatalog()) {
        self.store = store
        self.contexts = contexts
        self.catalog = catalog
        (wakes, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        catalog.setDocumentSource(StoredDocuments(store: store))
    }

    public func changed(_ change: CatalogChange) async {
        if case .stock(let ids) = change, deferStock(ids) { return }
        do {
            // One update at a time, in order: an older read never lands after a newer one.
            try await serial.withLock {
                switch change {
                case .product(let id), .publication(let id): try await refresh([id])
                case .settings: try await rebuildAllNow()
                case .stock(let ids), .adjusted(let ids): try await refreshStock(ids)
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

    /// Builds every snapshot and returns only once the projected facts are stored (for tools
    /// that exit right after, such as the catalog generator).
    public func rebuildAllAndStoreFacts() async throws {
        try await serial.withLock { try await rebuildAllNow(waitForFacts: true) }
    }

    /// Replaces the live stock of some products on every channel, keeping everything else;
    /// call with the mutex held.
    func refreshStock(_ ids: [String]) async throws {
        let stock = try await store.read { tx in try await tx.stock.levels(products: ids, asOf: Timestamp.string(Date())) }
        for snapshot in catalog.all {
            var changed: [String: ProjectedProduct] = [:]
            for id in ids {
                guard let product = snapshot.product(id, locale: snapshot.channel.defaultLocale), product.id == id else { continue }
                changed[id] = product.withStock(stock, projector: snapshot.projector)
            }
            if !changed.isEmpty { catalog.replace(snapshot.updating(changed, removing: [])) }
        }
    }

    /// Re-prices what a price list starting or ending changes: for each channel whose active
    /// lists at `instant` differ from those its snapshot was priced with, the products those
    /// lists price are projected again, and the snapshot is priced at `instant` from then on.
    /// Other products keep their facts and detail bodies: no list that prices them changed.
    /// Returns how many products were re-projected (over all channels).
    @discardableResult
    public func refreshPrices(at instant: Date = Date()) async throws -> Int {
        try await serial.withLock {
            var count = 0
            let now = Timestamp.string(instant)
            for snapshot in catalog.all {
                let projector = snapshot.projector.repriced(at: instant)
                let changedLists = projector.activePriceListIDs.symmetricDifference(snapshot.projector.activePriceListIDs)
                guard !changedLists.isEmpty else { continue }
                let ids = snapshot.products.filter { projector.prices($0, withAnyOf: changedLists) }.map(\.id)
                var changed: [String: ProjectedProduct] = [:]
                var removed = Set(ids)
                for start in stride(from: 0, to: ids.count, by: 500) {
                    let chunk = Array(ids[start..<min(ids.count, start + 500)])
                    let (listings, stock) = try await store.read { tx in
                        (try await tx.listings.listings(ofProducts: chunk), try await tx.stock.levels(products: chunk, asOf: now))
                    }
                    var projections: [String: Projection] = [:]
                    for listing in listings where listing.channel == snapshot.channel.code {
                        if let product = try projections[listing.productId, default: Projection()]
                            .project(listing, asOf: now, with: projector, stock: stock) {
                            changed[listing.productId] = product
                            removed.remove(listing.productId)
                        }
                    }
                }
                count += changed.count
                catalog.replace(snapshot.updating(changed, removing: removed, projector: projector))
            }
            return count
        }
    }

    /// The first instant after `now` at which a price list of some channel starts or ends.
    public func nextPriceBoundary(after now: Date = Date()) -> Date? {
        catalog.all.compactMap { $0.projector.nextPriceBoundary(after: now) }.min()
    }

    /// Re-projects some products on every channel; call with the mutex held.
    private func refresh(_ ids: [String]) async throws {
        let now = Timestamp.string(Date())
        let (listings, stock) = try await store.read { tx in
            (try await tx.listings.listings(ofProducts: ids), try await tx.stock.levels(products: ids, asOf: now))
        }
        var projections: [String: Projection] = [:]
        for snapshot in catalog.all {
            // The snapshot's own projector: facet codes and locales stay those of its settings.
            var changed: [String: ProjectedProduct] = [:]
            var removed: Set<String> = Set(ids)
            for listing in listings where listing.channel == snapshot.channel.code {
                if let product = try projections[listing.productId, default: Projection()].project(listing, asOf: now, with: snapshot.projector, stock: stock) {
                    changed[listing.productId] = product
                    removed.remove(listing.productId)
                }
            }
            catalog.replace(snapshot.updating(changed, removing: removed))
        }
    }
}

#if os(Linux)
/// glibc's `malloc_trim`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// Reads published documents from the store for details rendered on first request.
struct StoredDocuments: DocumentSource {
    let store: any Store

    func text(of document: PublishedDocument, channel: String) async throws -> String {
        let (productId, version) = (document.productId, document.version)
        guard let text = try await store.read({ try await $0.listings.publishedDocument(productId: productId, channel: channel, version: version) }) else {
            throw DomainError(.notFound, code: "not_found", detail: "Product '\(productId)' is not published on this channel any more.")
        }
        return text
    }
}
