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
        let (versioned, categories, channels, stock) = try await store.read { tx in
            (try await contexts.versionedContext(in: tx), try await tx.fetchAll(Category.self), try await tx.fetchAll(Channel.self),
             try await tx.stockOnHand(products: nil))
        }
        let (settingsVersion, context) = versioned
        let byID = Dictionary(uniqueKeysWithValues: categories.map { ($0.key, $0) })
        var records: [ListingRecord] = []
        var after = ""
        while true {
            let page = try await store.read { [after] in try await $0.listingRecords(afterProduct: after, limit: 2_000) }
            records += page
            guard let last = page.last else { break }
            after = last.productId
        }
        // Restore stored facts where they are current; else decode and project, product by
        // product over every channel so that channels showing a product alike share its
        // document and facts. The products are split between the cores; then each channel is
        // indexed.
        let byProduct = Dictionary(grouping: records, by: \.productId).values.map { $0 }
        records = []
        let projectors = Dictionary(uniqueKeysWithValues: channels.map { ($0.code, Projector(channel: $0, context: context, categories: byID)) })
        let workers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        var projected: [String: [ProjectedProduct]] = [:]
        var computed: [(productId: String, channel: String, facts: ListingRecord.Facts)] = []
        try await withThrowingTaskGroup(of: ([String: [ProjectedProduct]], [(productId: String, channel: String, facts: ListingRecord.Facts)]).self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var result: [String: [ProjectedProduct]] = [:]
                    var fresh: [(productId: String, channel: String, facts: ListingRecord.Facts)] = []
                    for index in stride(from: worker, to: byProduct.count, by: workers) {
                        var projection = Self.Projection()
                        for record in byProduct[index] {
                            guard let projector = projectors[record.channel], let current = record.current(asOf: now) else { continue }
                            if let facts = record.facts, facts.version == current.version, facts.at == current.at,
                               facts.settingsVersion == settingsVersion,
                               let product = ProjectedProduct.restore(facts: facts.text, document: projection.document(record.productId, current),
                                                                      visible: record.visibleInListings, stock: stock) {
                                result[record.channel, default: []].append(product)
                                continue
                            }
                            guard let product = try? projection.project(record.productId, current, visible: record.visibleInListings,
                                                                        with: projector, stock: stock) else { continue }
                            result[record.channel, default: []].append(product)
                            fresh.append((record.productId, record.channel, .init(version: current.version, at: current.at,
                                                                                   settingsVersion: settingsVersion, text: product.storedFacts)))
                        }
                    }
                    return (result, fresh)
                }
            }
            for try await (part, fresh) in group {
                projected.merge(part) { $0 + $1 }
                computed += fresh
            }
        }
        let finished = projected
        var snapshots: [ChannelSnapshot] = []
        try await withThrowingTaskGroup(of: ChannelSnapshot.self) { group in
            for channel in channels {
                group.addTask {
                    ChannelSnapshot.build(projector: projectors[channel.code]!, products: finished[channel.code] ?? [])
                }
            }
            for try await snapshot in group { snapshots.append(snapshot) }
        }
        catalog.replaceAll(snapshots)
        #if os(Linux)
        // Decoding left a lot of freed memory behind; give it back rather than keep it resident.
        _ = glibcMallocTrim(0)
        #endif
        save(computed)
    }

    /// Stores freshly projected facts in the background, in batches, so the next start-up can
    /// skip projecting them. Losing them costs only time: they are made again when missing.
    private func save(_ facts: [(productId: String, channel: String, facts: ListingRecord.Facts)]) {
        guard !facts.isEmpty else { return }
        let store = self.store
        Task.detached(priority: .background) {
            for start in stride(from: 0, to: facts.count, by: 1_000) {
                let batch = Array(facts[start..<min(facts.count, start + 1_000)])
                do {
                    try await store.transaction { try await $0.saveListingFacts(batch) }
                } catch {
                    Logger(label: "torso.projections").warning("could not store projected facts", metadata: ["error": "\(error)"])
                    return
                }
            }
        }
    }

    /// Projects one product's listings channel by channel, decoding each published version once
    /// and sharing its document and equal facts between channels.
    struct Projection {
        var documents: [String: PublishedDocument] = [:]
        var products: [String: Product] = [:]
        var twin: ProjectedProduct?

        /// The shared document of a stored copy.
        mutating func document(_ productId: String, _ stored: ListingRecord.Document) -> PublishedDocument {
            let key = "\(stored.version)#\(stored.at)"
            if let known = documents[key] { return known }
            let document = PublishedDocument(productId: productId, version: stored.version, at: stored.at, text: stored.text)
            documents[key] = document
            return document
        }

        mutating func project(_ productId: String, _ stored: ListingRecord.Document, visible: Bool, with projector: Projector,
                              stock: [String: Int], decoded: Product? = nil) throws -> ProjectedProduct {
            let document = document(productId, stored)
            let key = "\(stored.version)#\(stored.at)"
            let product: Product
            if let known = products[key] ?? decoded { product = known } else {
                product = try JSONCoding.decode(Product.self, bytes: stored.text.utf8)
            }
            products[key] = product
            let projected = projector.facts(of: document, product: product, visible: visible, stock: stock, twin: twin)
            twin = projected
            return projected
        }

        mutating func project(_ listing: ChannelListing, asOf now: String, with projector: Projector, stock: [String: Int]) throws -> ProjectedProduct? {
            let current = listing.promoting(asOf: now)
            guard let live = current.live else { return nil }
            var text = live.text ?? ""
            if live.text == nil { text = String(decoding: try JSONCoding.encode(live.product), as: UTF8.self) }
            return try project(listing.productId, .init(version: live.version, at: live.at, text: text), visible: current.visibleInListings,
                               with: projector, stock: stock, decoded: live.product)
        }
    }

    /// Re-projects some products on every channel; call with the mutex held.
    private func refresh(_ ids: [String]) async throws {
        let now = Timestamp.string(Date())
        let (listings, stock) = try await store.read { tx in
            (try await tx.listings(ofProducts: ids), try await tx.stockOnHand(products: ids))
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
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
