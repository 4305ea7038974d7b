import Catalog
import Channels
import Inventory
import TorsoStorage
import Workflows

/// Every service of one running Torso, over one store.
public struct TorsoServices: Sendable {
    /// The store.
    public let store: SQLStore
    /// API keys.
    public let keys: KeyService
    /// Settings cache shared by catalog writes.
    public let contexts: CatalogContextCache
    /// Locales.
    public let locales: ResourceService<LocalePolicy>
    /// Channels.
    public let channels: ResourceService<ChannelPolicy>
    /// Stock locations.
    public let stockLocations: ResourceService<StockLocationPolicy>
    /// Attributes.
    public let attributes: ResourceService<AttributePolicy>
    /// Product types.
    public let productTypes: ResourceService<ProductTypePolicy>
    /// Categories.
    public let categories: ResourceService<CategoryPolicy>
    /// Products.
    public let products: ResourceService<ProductPolicy>
    /// Product lists and completeness.
    public let queries: CatalogQueries

    /// Wires the services to a store.
    public init(store: SQLStore) {
        self.store = store
        let contexts = CatalogContextCache()
        self.contexts = contexts
        keys = KeyService(store: store)
        locales = ResourceService(store: store, policy: LocalePolicy())
        channels = ResourceService(store: store, policy: ChannelPolicy())
        stockLocations = ResourceService(store: store, policy: StockLocationPolicy())
        attributes = ResourceService(store: store, policy: AttributePolicy())
        productTypes = ResourceService(store: store, policy: ProductTypePolicy())
        categories = ResourceService(store: store, policy: CategoryPolicy())
        products = ResourceService(store: store, policy: ProductPolicy(contexts: contexts))
        queries = CatalogQueries(store: store, contexts: contexts)
    }

    /// Opens and migrates the database at `url`.
    public static func open(_ url: DatabaseURL) async throws -> TorsoServices {
        let store = try await SQLStore.open(url)
        try await Migrator(store: store).migrate()
        return TorsoServices(store: store)
    }
}
