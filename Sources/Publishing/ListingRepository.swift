/// Products' listings per channel: their published and scheduled copies and projected facts.
public protocol ListingRepository: Sendable {
    /// The listings of some products on every channel.
    func listings(ofProducts ids: [String]) async throws -> [ChannelListing]
    /// Every listing of the next `limit` products after `productId`, in product order, with its
    /// stored facts but without documents.
    func listingRecords(afterProduct productId: String, limit: Int) async throws -> [ListingRecord]
    /// The text of a product's published copy on a channel: the one of `version` if it is
    /// still live or scheduled, else the live one.
    func publishedDocument(productId: String, channel: String, version: Int) async throws -> String?
    /// Stores projected facts per (product, channel), replacing older ones.
    func saveListingFacts(_ facts: [(productId: String, channel: String, facts: ListingRecord.Facts)]) async throws
    /// Writes a listing, replacing the one for the same product and channel.
    func saveListing(_ listing: ChannelListing) async throws
    /// Removes a product's listing on a channel.
    func deleteListing(productId: String, channel: String) async throws
    /// Listings whose scheduled copy is due at `now`.
    func dueListings(asOf now: String) async throws -> [ChannelListing]
    /// The earliest scheduled time of any listing.
    func nextScheduledTime() async throws -> String?
    /// The next scheduled publications, soonest first.
    func scheduledPublications(limit: Int) async throws -> [(productId: String, channel: String, at: String)]
}
