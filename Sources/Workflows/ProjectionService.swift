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
/// Updates run one at a time.
public final class ProjectionService: ChangeObserver {
    let store: any Store
    let contexts: CatalogContextCache
    /// What the storefront reads.
    public let catalog: StorefrontCatalog
    private let serial = AsyncMutex()
    private let pendingStock = Mutex<Set<String>>([])

    /// Creates the service over an empty catalog.
    public init(store: any Store, contexts: CatalogContextCache, catalog: StorefrontCatalog = StorefrontCatalog()) {
        self.store = store
        self.contexts = contexts
        self.catalog = catalog
        catalog.setDocumentSource(StoredDocuments(store: store))
    }

    public func changed(_ change: CatalogChange) async {
        if case .stock(let ids) = change {
            // Orders come by the hundred per second: gather their stock changes for a few
            // milliseconds and update the snapshots once.
            let first = pendingStock.withLock { pending in
                let wasEmpty = pending.isEmpty
                pending.formUnion(ids)
                return wasEmpty
            }
            guard first else { return }
            Task {
                try? await Task.sleep(for: .milliseconds(10))
                let ids = self.pendingStock.withLock { pending in
                    defer { pending.removeAll() }
                    return pending
                }
                do {
                    try await self.serial.withLock { try await self.refreshStock(ids.sorted()) }
                } catch {
                    Logger(label: "torso.projections").error("stock update failed", metadata: ["error": "\(error)"])
                }
            }
            return
        }
        do {
            // One update at a time, in order: an older read never lands after a newer one.
            try await serial.withLock {
                switch change {
                case .product(let id), .publication(let id): try await refresh([id])
                case .settings: try await rebuildAllNow()
                case .stock(let ids): try await refreshStock(ids)
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

    private func rebuildAllNow(waitForFacts: Bool = false) async throws {
        let instant = Date()
        let now = Timestamp.string(instant)
        let (versioned, categories, channels, priceLists, stock) = try await store.read { tx in
            (try await contexts.versionedContext(in: tx), try await tx.fetchAll(Category.self), try await tx.fetchAll(Channel.self),
             try await tx.fetchAll(PriceList.self), try await tx.stockOnHand(products: nil))
        }
        let (settingsVersion, context) = versioned
        let byID = Dictionary(uniqueKeysWithValues: categories.map { ($0.key, $0) })
        let projectors = Dictionary(uniqueKeysWithValues: channels.map {
            ($0.code, Projector(channel: $0, context: context, categories: byID, priceLists: priceLists, pricedAt: instant))
        })

        var (projected, stale) = try await restore(asOf: now, projectors: projectors, settingsVersion: settingsVersion, stock: stock)
        let staleSet = Set(stale)
        for channel in Array(projected.keys) { projected[channel]?.removeAll { staleSet.contains($0.id) } }
        let part = try await project(stale, asOf: now, projectors: projectors, settingsVersion: settingsVersion, stock: stock)
        projected.merge(part.products) { $0 + $1 }
        let computed = part.facts
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
        if waitForFacts { try await saveNow(computed) } else { save(computed) }
    }

    /// Pass 1 of a rebuild: reads the listings page by page and, while the next page is read,
    /// restores the products whose stored facts are current. Products with missing or stale
    /// facts (new settings, a new publication) are returned for pass 2.
    private func restore(asOf now: String, projectors: [String: Projector], settingsVersion: Int,
                         stock: [String: Int]) async throws -> ([String: [ProjectedProduct]], [String]) {
        var projected: [String: [ProjectedProduct]] = [:]
        var stale: [String] = []
        let store = self.store
        try await withThrowingTaskGroup(of: RestoredPage.self) { group in
            var after = ""
            while true {
                let from = after
                let page = try await store.read { try await $0.listingRecords(afterProduct: from, limit: 2_000) }
                guard let last = page.last else { break }
                after = last.productId
                group.addTask { Self.restore(page, asOf: now, projectors: projectors, settingsVersion: settingsVersion, stock: stock) }
            }
            for try await part in group {
                projected.merge(part.products) { $0 + $1 }
                stale += part.stale
            }
        }
        return (projected, stale)
    }

    private static func restore(_ page: [ListingRecord], asOf now: String, projectors: [String: Projector], settingsVersion: Int,
                                stock: [String: Int]) -> RestoredPage {
        var part = RestoredPage()
        var documents: [String: PublishedDocument] = [:]
        for record in page {
            guard projectors[record.channel] != nil, let current = record.current(asOf: now) else { continue }
            let key = "\(record.productId)#\(current.version)#\(current.at)"
            let document = documents[key] ?? PublishedDocument(productId: record.productId, version: current.version, at: current.at, text: nil)
            documents[key] = document
            if let facts = record.facts, facts.version == current.version, facts.at == current.at, facts.settingsVersion == settingsVersion,
               let product = ProjectedProduct.restore(facts: facts.text, document: document, visible: record.visibleInListings, stock: stock,
                                                      projector: projectors[record.channel]!) {
                part.products[record.channel, default: []].append(product)
            } else if part.stale.last != record.productId {
                part.stale.append(record.productId)
            }
        }
        return part
    }

    /// Pass 2 of a rebuild: decodes and projects products over every channel, sharing documents
    /// and equal facts between channels, split between the cores.
    private func project(_ ids: [String], asOf now: String, projectors: [String: Projector], settingsVersion: Int,
                         stock: [String: Int]) async throws -> ProjectedPart {
        let chunks = stride(from: 0, to: ids.count, by: 500).map { Array(ids[$0..<min(ids.count, $0 + 500)]) }
        let workers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        let store = self.store
        var total = ProjectedPart(products: [:], facts: [])
        try await withThrowingTaskGroup(of: ProjectedPart.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var part = ProjectedPart(products: [:], facts: [])
                    for index in stride(from: worker, to: chunks.count, by: workers) {
                        let chunk = chunks[index]
                        let listings = try await store.read { try await $0.listings(ofProducts: chunk) }
                        var projections: [String: Projection] = [:]
                        for listing in listings {
                            guard let projector = projectors[listing.channel],
                                  let product = try? projections[listing.productId, default: Projection()]
                                    .project(listing, asOf: now, with: projector, stock: stock, keepText: false) else { continue }
                            part.products[listing.channel, default: []].append(product)
                            part.facts.append((listing.productId, listing.channel, .init(version: product.source.version, at: product.source.at,
                                                                                          settingsVersion: settingsVersion, text: product.storedFacts)))
                        }
                    }
                    return part
                }
            }
            for try await part in group {
                total.products.merge(part.products) { $0 + $1 }
                total.facts += part.facts
            }
        }
        return total
    }

    private func saveNow(_ facts: [(productId: String, channel: String, facts: ListingRecord.Facts)]) async throws {
        for start in stride(from: 0, to: facts.count, by: 1_000) {
            let batch = Array(facts[start..<min(facts.count, start + 1_000)])
            try await store.transaction { try await $0.saveListingFacts(batch) }
        }
    }

    /// Stores freshly projected facts in the background, in batches, so the next start-up can
    /// skip projecting them. Losing them costs only time: they are made again when missing.
    private func save(_ facts: [(productId: String, channel: String, facts: ListingRecord.Facts)]) {
        guard !facts.isEmpty else { return }
        Task.detached(priority: .background) {
            do {
                try await self.saveNow(facts)
            } catch {
                Logger(label: "torso.projections").warning("could not store projected facts", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Products restored from one page of listings, and the products whose facts were stale.
    struct RestoredPage: Sendable {
        var products: [String: [ProjectedProduct]] = [:]
        var stale: [String] = []
    }

    /// Products projected afresh per channel, with their facts to store.
    struct ProjectedPart: Sendable {
        var products: [String: [ProjectedProduct]]
        var facts: [(productId: String, channel: String, facts: ListingRecord.Facts)]
    }

    /// Projects one product's listings channel by channel, decoding each published version once
    /// and sharing its document and equal facts between channels.
    struct Projection {
        var documents: [String: PublishedDocument] = [:]
        var products: [String: Product] = [:]
        var twin: ProjectedProduct?

        /// The shared document of a stored copy.
        mutating func document(_ productId: String, _ stored: ListingRecord.Document, keepText: Bool = true) -> PublishedDocument {
            let key = "\(stored.version)#\(stored.at)"
            if let known = documents[key] { return known }
            let document = PublishedDocument(productId: productId, version: stored.version, at: stored.at, text: keepText ? stored.text : nil)
            documents[key] = document
            return document
        }

        mutating func project(_ productId: String, _ stored: ListingRecord.Document, visible: Bool, with projector: Projector,
                              stock: [String: Int], decoded: Product? = nil, keepText: Bool = true) throws -> ProjectedProduct {
            let document = document(productId, stored, keepText: keepText)
            let key = "\(stored.version)#\(stored.at)"
            let product: Product
            if let known = products[key] ?? decoded { product = known } else {
                product = try JSONCoding.decode(Product.self, bytes: (stored.text ?? "").utf8)
            }
            products[key] = product
            let projected = projector.facts(of: document, product: product, visible: visible, stock: stock, twin: twin)
            twin = projected
            return projected
        }

        mutating func project(_ listing: ChannelListing, asOf now: String, with projector: Projector, stock: [String: Int],
                              keepText: Bool = true) throws -> ProjectedProduct? {
            let current = listing.promoting(asOf: now)
            guard let live = current.live else { return nil }
            var text = live.text ?? ""
            if live.text == nil { text = String(decoding: try JSONCoding.encode(live.product), as: UTF8.self) }
            return try project(listing.productId, .init(version: live.version, at: live.at, text: text), visible: current.visibleInListings,
                               with: projector, stock: stock, decoded: live.product, keepText: keepText)
        }
    }

    /// Replaces the live stock of some products on every channel, keeping everything else;
    /// call with the mutex held.
    private func refreshStock(_ ids: [String]) async throws {
        let stock = try await store.read { tx in try await tx.stockOnHand(products: ids) }
        for snapshot in catalog.all {
            var changed: [String: ProjectedProduct] = [:]
            for id in ids {
                guard let product = snapshot.product(id, locale: snapshot.channel.defaultLocale), product.id == id else { continue }
                changed[id] = product.withStock(stock)
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
                        (try await tx.listings(ofProducts: chunk), try await tx.stockOnHand(products: chunk))
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

/// Reads published documents from the store for details rendered on first request.
struct StoredDocuments: DocumentSource {
    let store: any Store

    func text(of document: PublishedDocument, channel: String) async throws -> String {
        let (productId, version) = (document.productId, document.version)
        guard let text = try await store.read({ try await $0.publishedDocument(productId: productId, channel: channel, version: version) }) else {
            throw DomainError(.notFound, code: "not_found", detail: "Product '\(productId)' is not published on this channel any more.")
        }
        return text
    }
}
