import Catalog
import Channels
import Inventory
import Synchronization
import TorsoKit

/// Holds the settings every catalog write validates against (attributes, product types,
/// channels, locales, stock locations), reloaded only when the settings counter moved.
/// The counter lives in the database, so every node of a cluster sees every change.
public final class CatalogContextCache: Sendable {
    private let cached = Mutex<(version: Int, context: CatalogContext)?>(nil)

    /// Creates an empty cache.
    public init() {}

    /// The context as of the transaction's view of the settings.
    public func context(in tx: any Transaction) async throws -> CatalogContext {
        try await versionedContext(in: tx).context
    }

    /// The context and the settings version it belongs to.
    public func versionedContext(in tx: any Transaction) async throws -> (version: Int, context: CatalogContext) {
        let version = try await tx.documents.settingsVersion()
        if let hit = cached.withLock({ $0 }), hit.version == version { return hit }
        let context = try await Self.load(in: tx)
        cached.withLock { current in
            if current == nil || current!.version < version { current = (version, context) }
        }
        return (version, context)
    }

    /// The last context loaded, without asking the store; it may be stale.
    public var latest: (version: Int, context: CatalogContext)? { cached.withLock { $0 } }

    /// Reads every setting from the transaction.
    public static func load(in tx: any Transaction) async throws -> CatalogContext {
        let attributes = try await tx.documents.fetchAll(AttributeDefinition.self)
        let types = try await tx.documents.fetchAll(ProductType.self)
        let channels = try await tx.documents.fetchAll(Channel.self)
        let locales = try await tx.documents.fetchAll(ContentLocale.self)
        let locations = try await tx.documents.fetchAll(StockLocation.self)
        return CatalogContext(
            attributes: Dictionary(uniqueKeysWithValues: attributes.map { ($0.code, $0) }),
            productTypes: Dictionary(uniqueKeysWithValues: types.map { ($0.code, $0) }),
            channels: Dictionary(uniqueKeysWithValues: channels.map {
                ($0.code, CatalogContext.ChannelFacts(locales: $0.locales.map(\.rawValue), currencies: Set($0.currencies.map(\.code))))
            }),
            locales: Set(locales.map(\.code.rawValue)),
            locations: Set(locations.map(\.code)))
    }
}
