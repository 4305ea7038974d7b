import Catalog
import Events
import Foundation
import Publishing
import TorsoKit

/// Publishes products to channels and withdraws them. Publishing copies the staged product to
/// the channel's listing, now or at a later time, and only when the product is complete for every
/// locale of every channel named; a publish to several channels is all or nothing.
public struct PublishingService: Sendable {
    let store: any Store
    let contexts: CatalogContextCache
    let observer: (any ChangeObserver)?

    /// Creates the service.
    public init(store: any Store, contexts: CatalogContextCache, observer: (any ChangeObserver)? = nil) {
        self.store = store
        self.contexts = contexts
        self.observer = observer
    }

    /// The body of a publish or unpublish request.
    public struct Request: Decodable, Sendable {
        /// The channel codes.
        public var channels: [String]
        /// When to go live; now when absent or past.
        public var at: String?
        /// Whether the product shows in lists and search (default true).
        public var visibleInListings: Bool?

        enum CodingKeys: String, CodingKey {
            case channels, at
            case visibleInListings = "visible_in_listings"
        }

        /// The accepted shape.
        public static let schema: FieldSchema = .object(
            ["channels": .array(.string()), "at": .nullable(.string(format: "date-time")), "visible_in_listings": .boolean],
            required: ["channels"])

        /// The shape of an unpublish: it withdraws now, so it takes only the channels (`at` and
        /// `visible_in_listings` are refused with `unknown_field` rather than ignored).
        public static let unpublishSchema: FieldSchema = .object(["channels": .array(.string())], required: ["channels"])
    }

    /// The product's publication state.
    public func status(of id: String) async throws -> PublicationStatus {
        try await store.read { tx in
            guard let product = try await tx.documents.fetch(Product.self, key: id) else { throw DomainError.notFound("product", id) }
            return PublicationStatus(product: product, listings: try await tx.listings.listings(ofProducts: [id]))
        }
    }

    /// Publishes the staged product to the channels, now or at `request.at`.
    public func publish(_ id: String, body: JSONValue, context: WriteContext) async throws -> PublicationStatus {
        let request = try JSONCoding.decode(Request.self, from: body, schema: Request.schema)
        var at = context.timestamp
        if let text = request.at {
            guard let date = Timestamp.parse(text) else {
                throw DomainError.validation([FieldError(pointer: "/at", code: "invalid_value", detail: "Expected an RFC 3339 time.")])
            }
            if date > context.now { at = Timestamp.string(date) }
        }
        let scheduled = at > context.timestamp
        let status = try await store.transaction { [at] tx in
            guard let product = try await tx.documents.fetch(Product.self, key: id) else { throw DomainError.notFound("product", id) }
            let catalog = try await contexts.context(in: tx)
            try Self.checkChannels(request.channels, known: catalog)
            guard let type = catalog.productTypes[product.productType] else { throw DomainError.notFound("product type", product.productType) }
            let completeness = Completeness.compute(for: product, type: type, context: catalog)
            var errors = ValidationErrors()
            for (index, channel) in request.channels.enumerated() {
                for entry in completeness where entry.channel == channel && !entry.missing.isEmpty {
                    errors.add("/channels/\(index)", "incomplete",
                               "Missing in \(channel)/\(entry.locale): \(entry.missing.joined(separator: ", ")).")
                }
            }
            if !errors.isEmpty {
                throw DomainError(.invalid, code: "incomplete", detail: "The product is not complete for every channel and locale named.",
                                  errors: errors.errors)
            }
            let existing = Dictionary(uniqueKeysWithValues: try await tx.listings.listings(ofProducts: [id]).map { ($0.channel, $0) })
            let publication = ChannelListing.Publication(version: product.version, at: at, product: product)
            for channel in Set(request.channels) {
                var listing = existing[channel] ?? ChannelListing(productId: id, channel: channel)
                if let visible = request.visibleInListings { listing.visibleInListings = visible }
                if scheduled {
                    listing.scheduled = publication
                    try await EventRecorder.scheduled(publication, channel: channel, in: tx)
                } else {
                    let previous = listing.live
                    listing.live = publication
                    listing.scheduled = nil
                    try await EventRecorder.published(publication, channel: channel, visible: listing.visibleInListings,
                                                      replacing: previous, in: tx)
                }
                try await tx.listings.saveListing(listing)
            }
            return PublicationStatus(product: product, listings: try await tx.listings.listings(ofProducts: [id]))
        }
        await observer?.changed(.publication(productId: id))
        return status
    }

    /// Publishes many products, each to every channel it is complete for, in one transaction
    /// (imports and generators); returns how many listings went live. Observers are not told.
    public func publishWhereComplete(_ ids: [String], channels only: Set<String>? = nil, context: WriteContext) async throws -> Int {
        try await publishWhereCompleteByChannel(ids, channels: only, context: context).values.reduce(0, +)
    }

    /// Like ``publishWhereComplete(_:channels:context:)``; answers, per channel, the products
    /// complete there, which are live now (those already live at their version stay untouched).
    public func publishWhereCompleteByChannel(_ ids: [String], channels only: Set<String>? = nil,
                                              context: WriteContext) async throws -> [String: Int] {
        try await store.transaction { tx in
            let catalog = try await contexts.context(in: tx)
            var count = 0
            var perChannel: [String: Int] = [:]
            // A listing live at the product's version is left as it is (no new published_at, no event).
            var current: Set<String> = []
            for start in stride(from: 0, to: ids.count, by: 500) {
                for listing in try await tx.listings.listings(ofProducts: Array(ids[start..<min(ids.count, start + 500)]))
                where listing.scheduled == nil {
                    if let live = listing.live { current.insert("\(listing.productId) \(listing.channel) \(live.version)") }
                }
            }
            for id in ids {
                guard let product = try await tx.documents.fetch(Product.self, key: id),
                      let type = catalog.productTypes[product.productType] else { continue }
                let completeness = Completeness.compute(for: product, type: type, context: catalog)
                for channel in Set(completeness.map(\.channel)).sorted()
                where only?.contains(channel) ?? true && completeness.allSatisfy({ $0.channel != channel || $0.missing.isEmpty }) {
                    perChannel[channel, default: 0] += 1
                    if current.contains("\(id) \(channel) \(product.version)") { continue }
                    try await tx.listings.saveListing(ChannelListing(
                        productId: id, channel: channel,
                        live: .init(version: product.version, at: context.timestamp, product: product)))
                    count += 1
                }
            }
            // One event for the batch: followers rebuild rather than re-project product by product.
            if count > 0 {
                try await tx.outbox.appendEvent(type: EventType.catalogPublished, channel: nil, subject: "catalog",
                                         data: .object(["listings": .number(Double(count))]), at: context.timestamp)
            }
            return perChannel
        }
    }

    /// Withdraws the product from the channels: live and scheduled copies both go.
    public func unpublish(_ id: String, body: JSONValue, context: WriteContext) async throws -> PublicationStatus {
        let request = try JSONCoding.decode(Request.self, from: body, schema: Request.unpublishSchema)
        let status = try await store.transaction { tx in
            guard let product = try await tx.documents.fetch(Product.self, key: id) else { throw DomainError.notFound("product", id) }
            try Self.checkChannels(request.channels, known: try await contexts.context(in: tx))
            let listed = Set(try await tx.listings.listings(ofProducts: [id]).map(\.channel))
            for channel in Set(request.channels).sorted() {
                try await tx.listings.deleteListing(productId: id, channel: channel)
                if listed.contains(channel) { try await EventRecorder.unpublished(productId: id, channel: channel, in: tx) }
            }
            return PublicationStatus(product: product, listings: try await tx.listings.listings(ofProducts: [id]))
        }
        await observer?.changed(.publication(productId: id))
        return status
    }

    /// Promotes every scheduled publication that is due; returns the products that changed.
    public func promoteDue(now: Date = Date()) async throws -> [String] {
        let timestamp = Timestamp.string(now)
        let promoted = try await store.transaction { tx in
            // Every node runs a scheduler: the rows are locked (PostgreSQL), so one node promotes
            // each publication and the others find it no longer due.
            let due = try await tx.listings.dueListings(asOf: timestamp)
            for listing in due {
                let promoted = listing.promoting(asOf: timestamp)
                try await tx.listings.saveListing(promoted)
                if let live = promoted.live {
                    try await EventRecorder.published(live, channel: listing.channel, visible: listing.visibleInListings,
                                                      replacing: listing.live, in: tx)
                }
            }
            return due.map(\.productId)
        }
        for id in Set(promoted) { await observer?.changed(.publication(productId: id)) }
        return promoted
    }

    /// When the next scheduled publication is due, if any.
    public func nextScheduledTime() async throws -> Date? {
        try await store.read { try await $0.listings.nextScheduledTime() }.flatMap(Timestamp.parse)
    }

    /// The next scheduled publications, soonest first.
    public func scheduled(limit: Int) async throws -> [(productId: String, channel: String, at: String)] {
        try await store.read { try await $0.listings.scheduledPublications(limit: limit) }
    }

    static func checkChannels(_ channels: [String], known: CatalogContext) throws {
        var errors = ValidationErrors()
        if channels.isEmpty { errors.add("/channels", "required", "Name at least one channel.") }
        for (index, channel) in channels.enumerated() where known.channels[channel] == nil {
            errors.add("/channels/\(index)", "unknown_channel", "Channel '\(channel)' does not exist.")
        }
        try errors.throwIfAny()
    }
}
