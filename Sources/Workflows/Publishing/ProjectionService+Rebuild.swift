import Catalog
import Channels
import Commerce
import Foundation
import Inventory
import Publishing
import TorsoKit

/// Building every snapshot: restoring products from their stored facts, then projecting the
/// rest afresh, split between the cores.
extension ProjectionService {
    /// The stock a channel sells from (its stock locations, or every one) and the stores it
    /// shows (stores that name it), by code.
    static func stockScope(of channel: Channel, locations: [StockLocation]) -> StockScope {
        StockScope(locations: channel.stockLocations.isEmpty ? nil : Set(channel.stockLocations),
                   stores: locations.filter { $0.isShown(on: channel.code) }.sorted { $0.code < $1.code }, lowBelow: channel.lowStockBelow)
    }

    func rebuildAllNow(waitForFacts: Bool = false) async throws {
        let instant = Date()
        let now = Timestamp.string(instant)
        let (versioned, categories, channels, priceLists, locations, stock) = try await store.read { tx in
            (try await contexts.versionedContext(in: tx), try await tx.documents.fetchAll(Category.self), try await tx.documents.fetchAll(Channel.self),
             try await tx.documents.fetchAll(PriceList.self), try await tx.documents.fetchAll(StockLocation.self),
             try await tx.stock.levels(products: nil, asOf: now))
        }
        let (settingsVersion, context) = versioned
        let byID = Dictionary(uniqueKeysWithValues: categories.map { ($0.key, $0) })
        let projectors = Dictionary(uniqueKeysWithValues: channels.map {
            ($0.code, Projector(channel: $0, context: context, categories: byID, priceLists: priceLists,
                                stockScope: Self.stockScope(of: $0, locations: locations), pricedAt: instant))
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
                         stock: [String: [StockLevel]]) async throws -> ([String: [ProjectedProduct]], [String]) {
        var projected: [String: [ProjectedProduct]] = [:]
        var stale: [String] = []
        let store = self.store
        try await withThrowingTaskGroup(of: RestoredPage.self) { group in
            var after = ""
            while true {
                let from = after
                let page = try await store.read { try await $0.listings.listingRecords(afterProduct: from, limit: 2_000) }
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
                                stock: [String: [StockLevel]]) -> RestoredPage {
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
                         stock: [String: [StockLevel]]) async throws -> ProjectedPart {
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
                        let listings = try await store.read { try await $0.listings.listings(ofProducts: chunk) }
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
                              stock: [String: [StockLevel]], decoded: Product? = nil, keepText: Bool = true) throws -> ProjectedProduct {
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

        mutating func project(_ listing: ChannelListing, asOf now: String, with projector: Projector, stock: [String: [StockLevel]],
                              keepText: Bool = true) throws -> ProjectedProduct? {
            let current = listing.promoting(asOf: now)
            guard let live = current.live else { return nil }
            var text = live.text ?? ""
            if live.text == nil { text = String(decoding: try JSONCoding.encode(live.product), as: UTF8.self) }
            return try project(listing.productId, .init(version: live.version, at: live.at, text: text), visible: current.visibleInListings,
                               with: projector, stock: stock, decoded: live.product, keepText: keepText)
        }
    }
}
