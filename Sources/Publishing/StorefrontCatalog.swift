import Catalog
import Synchronization
import TorsoKit

/// The current snapshot of every channel. Reads take the reference under a lock held for
/// nanoseconds; writers build a new snapshot aside and swap it in.
public final class StorefrontCatalog: Sendable {
    private let snapshots = Mutex<[String: ChannelSnapshot]>([:])
    private let source = Mutex<(any DocumentSource)?>(nil)

    /// Creates an empty catalog.
    public init() {}

    /// The channel's current snapshot.
    public func snapshot(for channel: String) -> ChannelSnapshot? {
        snapshots.withLock { $0[channel] }
    }

    /// The channel's current snapshot; 404 `channel_not_found` when the channel is gone (a
    /// publishable key whose channel was deleted).
    public func requireSnapshot(for channel: String) throws -> ChannelSnapshot {
        guard let snapshot = snapshot(for: channel) else {
            throw DomainError(.notFound, code: "channel_not_found", detail: "The key's channel does not exist any more.")
        }
        return snapshot
    }

    /// Every current snapshot.
    public var all: [ChannelSnapshot] { snapshots.withLock { Array($0.values) } }

    /// Replaces every snapshot.
    public func replaceAll(_ new: [ChannelSnapshot]) {
        let table = Dictionary(uniqueKeysWithValues: new.map { ($0.channel.code, $0) })
        snapshots.withLock { $0 = table }
    }

    /// Sets where published documents that snapshots do not hold are read from.
    public func setDocumentSource(_ documents: any DocumentSource) {
        source.withLock { $0 = documents }
    }

    /// The published product of a snapshot, decoded once.
    public func published(_ product: ProjectedProduct, in snapshot: ChannelSnapshot) async throws -> Product {
        try await snapshot.published(product, source: source.withLock { $0 })
    }

    /// The detail body of a product of a snapshot in a locale, priced for a customer group
    /// (`nil` for guests).
    public func detail(_ product: ProjectedProduct, in snapshot: ChannelSnapshot, locale: LocaleCode,
                       customerGroup: String? = nil) async throws -> EncodedBody {
        try await snapshot.detail(product, locale: locale, source: source.withLock { $0 }, customerGroup: customerGroup)
    }

    /// Swaps in one channel's snapshot.
    public func replace(_ snapshot: ChannelSnapshot) {
        snapshots.withLock { $0[snapshot.channel.code] = snapshot }
    }
}
