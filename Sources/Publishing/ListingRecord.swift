import Catalog
import TorsoKit

/// A channel listing as stored, with the projected facts stored for it but without its
/// documents: start-up reads these in bulk and restores products from their facts.
public struct ListingRecord: Sendable {
    /// A stored publication: version, time and document.
    public struct Document: Sendable {
        /// The product version.
        public var version: Int
        /// When it went (or goes) live, RFC 3339.
        public var at: String
        /// The product document, JSON, when it was read.
        public var text: String?

        /// Creates a stored publication.
        public init(version: Int, at: String, text: String?) {
            self.version = version
            self.at = at
            self.text = text
        }
    }

    /// Projected facts stored for one published copy under one settings version.
    public struct Facts: Sendable {
        /// The product version they were projected from.
        public var version: Int
        /// The publication time of that copy.
        public var at: String
        /// The settings version they were projected under.
        public var settingsVersion: Int
        /// ``ProjectedProduct/storedFacts``.
        public var text: String

        /// Creates stored facts.
        public init(version: Int, at: String, settingsVersion: Int, text: String) {
            self.version = version
            self.at = at
            self.settingsVersion = settingsVersion
            self.text = text
        }
    }

    /// The product's ID.
    public var productId: String
    /// The channel's code.
    public var channel: String
    /// Whether the product shows in lists and search.
    public var visibleInListings: Bool
    /// What heads see now.
    public var live: Document?
    /// What goes live at its time.
    public var scheduled: Document?
    /// Facts stored for one of the copies, if any.
    public var facts: Facts?

    /// Creates a record.
    public init(productId: String, channel: String, visibleInListings: Bool, live: Document?, scheduled: Document?, facts: Facts? = nil) {
        self.facts = facts
        self.productId = productId
        self.channel = channel
        self.visibleInListings = visibleInListings
        self.live = live
        self.scheduled = scheduled
    }

    /// The copy heads see at `now`: the scheduled one once it is due, else the live one.
    public func current(asOf now: String) -> Document? {
        if let scheduled, scheduled.at <= now { return scheduled }
        return live
    }
}
