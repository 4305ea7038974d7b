import Catalog
import TorsoKit

/// A product's publication on one channel (commercetools' staged/current, Saleor's channel
/// listing): the live copy heads see, and a copy scheduled to go live at a later time.
public struct ChannelListing: Sendable, Equatable {
    /// A copy of the product taken when it was published.
    public struct Publication: Sendable, Equatable {
        /// The product version that was published.
        public var version: Int
        /// When it went (or goes) live, RFC 3339.
        public var at: String
        /// The product as it was at that version.
        public var product: Product
        /// The product as stored, JSON, when read from storage.
        public var text: String?

        /// Creates a publication.
        public init(version: Int, at: String, product: Product, text: String? = nil) {
            self.version = version
            self.at = at
            self.product = product
            self.text = text
        }

        public static func == (lhs: Publication, rhs: Publication) -> Bool {
            lhs.version == rhs.version && lhs.at == rhs.at && lhs.product == rhs.product
        }
    }

    /// The product's ID.
    public var productId: String
    /// The channel's code.
    public var channel: String
    /// Whether the product shows in lists and search, or only by its slug or ID.
    public var visibleInListings: Bool
    /// What heads see now.
    public var live: Publication?
    /// What goes live at its time.
    public var scheduled: Publication?

    /// Creates a listing.
    public init(productId: String, channel: String, visibleInListings: Bool = true, live: Publication? = nil, scheduled: Publication? = nil) {
        self.productId = productId
        self.channel = channel
        self.visibleInListings = visibleInListings
        self.live = live
        self.scheduled = scheduled
    }

    /// The listing with a due scheduled publication promoted to live.
    public func promoting(asOf now: String) -> ChannelListing {
        guard let scheduled, scheduled.at <= now else { return self }
        var copy = self
        copy.live = scheduled
        copy.scheduled = nil
        return copy
    }

    /// What the admin API shows of the listing.
    public var view: View {
        View(channel: channel, publishedAt: live?.at, publishedVersion: live?.version, scheduledAt: scheduled?.at,
             scheduledVersion: scheduled?.version, visibleInListings: visibleInListings)
    }

    /// The admin API's view of a listing.
    public struct View: Codable, Sendable, Equatable {
        /// The channel's code.
        public var channel: String
        /// When the live copy went live.
        public var publishedAt: String?
        /// The product version that is live.
        public var publishedVersion: Int?
        /// When the scheduled copy goes live.
        public var scheduledAt: String?
        /// The product version that is scheduled.
        public var scheduledVersion: Int?
        /// Whether the product shows in lists and search.
        public var visibleInListings: Bool

        enum CodingKeys: String, CodingKey {
            case channel
            case publishedAt = "published_at"
            case publishedVersion = "published_version"
            case scheduledAt = "scheduled_at"
            case scheduledVersion = "scheduled_version"
            case visibleInListings = "visible_in_listings"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(channel, forKey: .channel)
            try container.encode(publishedAt, forKey: .publishedAt)
            try container.encode(publishedVersion, forKey: .publishedVersion)
            try container.encode(scheduledAt, forKey: .scheduledAt)
            try container.encode(scheduledVersion, forKey: .scheduledVersion)
            try container.encode(visibleInListings, forKey: .visibleInListings)
        }
    }
}

/// A product's publication state across channels, as the admin API shows it.
public struct PublicationStatus: Encodable, Sendable {
    /// The product's ID.
    public var productId: String
    /// The product's current (staged) version.
    public var version: Int
    /// Whether the staged product differs from what some channel has live or scheduled.
    public var hasStagedChanges: Bool
    /// One entry per channel the product is published or scheduled on.
    public var channels: [ChannelListing.View]

    /// The status of a product with its listings.
    public init(product: Product, listings: [ChannelListing]) {
        self.productId = product.key
        self.version = product.version
        self.channels = listings.sorted { $0.channel < $1.channel }.map(\.view)
        self.hasStagedChanges = listings.isEmpty || listings.contains { listing in
            (listing.scheduled?.version ?? listing.live?.version) != product.version
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, channels
        case productId = "product_id"
        case hasStagedChanges = "has_staged_changes"
    }
}
