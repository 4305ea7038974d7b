import Catalog
import Channels
import Commerce
import Events
import Inventory
import Publishing
import TorsoStorage
import Workflows

/// Every service of one running Torso, over one store.
public struct TorsoServices: Sendable {
    /// The store the use cases run their transactions in (its `sql` is the database).
    public let store: SQLWorkflowStore
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
    /// Publishing to channels.
    public let publishing: PublishingService
    /// The in-memory storefront snapshots and what keeps them current.
    public let projections: ProjectionService
    /// Stock reservations for carts.
    public let inventory: InventoryService
    /// The inventory API: levels, adjustments and their log.
    public let stock: StockService
    /// Customers: registration, sessions, profiles, addresses, groups.
    public let customers: CustomerService
    /// Shipping methods.
    public let shippingMethods: ResourceService<ShippingMethodPolicy>
    /// Tax rates.
    public let taxRates: ResourceService<TaxRatePolicy>
    /// Promotions.
    public let promotions: ResourceService<PromotionPolicy>
    /// Price lists: sales, overrides, tiers and customer-group prices (a setting: the
    /// projections rebuild when one changes).
    public let priceLists: ResourceService<PriceListPolicy>
    /// Carts.
    public let carts: CartService
    /// Checkout: holding stock, payment, placing orders.
    public let checkout: CheckoutService
    /// Carts handed from screens to phones.
    public let handoffs: CartHandoffService
    /// Catalog imports (jobs).
    public let imports: ImportService
    /// Catalog exports.
    public let exports: ExportService
    /// Orders after they are placed.
    public let orders: OrderService
    /// This node's reading of the outbox: follows other nodes' changes and feeds live streams.
    public let feed: EventFeed
    /// Webhook subscriptions, their delivery logs, and the sender's bookkeeping.
    public let webhooks: WebhookService
    /// People of the back office, their sessions, and the audit log.
    public let backOffice: BackOfficeService

    /// Wires the services to a store; `passwordCost` is bcrypt's cost for customer passwords,
    /// `auditDays` how long the audit log keeps an entry.
    public init(store sql: SQLStore, passwordCost: UInt8 = CustomerService.defaultPasswordCost,
                heartbeat: Duration = .seconds(15), webhooks: WebhookSettings = WebhookSettings(), auditDays: Int = BackOfficeService.defaultAuditDays) {
        let store = SQLWorkflowStore(sql)
        self.store = store
        let contexts = CatalogContextCache()
        self.contexts = contexts
        let projections = ProjectionService(store: store, contexts: contexts)
        self.projections = projections
        keys = KeyService(store: store)
        locales = ResourceService(store: store, policy: LocalePolicy(), observer: projections)
        channels = ResourceService(store: store, policy: ChannelPolicy(), observer: projections)
        stockLocations = ResourceService(store: store, policy: StockLocationPolicy(), observer: projections)
        attributes = ResourceService(store: store, policy: AttributePolicy(), observer: projections)
        productTypes = ResourceService(store: store, policy: ProductTypePolicy(), observer: projections)
        categories = ResourceService(store: store, policy: CategoryPolicy(), observer: projections)
        products = ResourceService(store: store, policy: ProductPolicy(contexts: contexts), observer: projections)
        queries = CatalogQueries(store: store, contexts: contexts)
        publishing = PublishingService(store: store, contexts: contexts, observer: projections)
        inventory = InventoryService(store: store)
        exports = ExportService(store: store, products: products, contexts: contexts)
        stock = StockService(store: store, observer: projections)
        customers = CustomerService(store: store, passwordCost: passwordCost)
        backOffice = BackOfficeService(store: store, passwordCost: passwordCost, auditDays: auditDays)
        shippingMethods = ResourceService(store: store, policy: ShippingMethodPolicy())
        taxRates = ResourceService(store: store, policy: TaxRatePolicy())
        promotions = ResourceService(store: store, policy: PromotionPolicy())
        priceLists = ResourceService(store: store, policy: PriceListPolicy(), observer: projections)
        imports = ImportService(store: store, products: products, publishing: publishing, contexts: contexts, observer: projections,
                                shopify: ShopifySetup(attributes: attributes, productTypes: productTypes, priceLists: priceLists))
        let carts = CartService(store: store, catalog: projections.catalog)
        self.carts = carts
        handoffs = CartHandoffService(store: store, carts: carts)
        let providers: [any PaymentProvider] = [TestPaymentProvider(), ManualPaymentProvider()]
        checkout = CheckoutService(store: store, carts: carts, providers: providers, observer: projections)
        orders = OrderService(store: store, providers: providers, observer: projections)
        feed = EventFeed(store: store, node: sql.node, after: 0, follower: projections, heartbeatInterval: heartbeat)
        self.webhooks = WebhookService(store: store, settings: webhooks)
        feed.whenEventsArrive { [webhooks = self.webhooks] in webhooks.wake() }
    }

    /// Opens and migrates the database at `url`.
    public static func open(_ url: DatabaseURL, passwordCost: UInt8 = CustomerService.defaultPasswordCost,
                            heartbeat: Duration = .seconds(15), webhooks: WebhookSettings = WebhookSettings(),
                            auditDays: Int = BackOfficeService.defaultAuditDays) async throws -> TorsoServices {
        let store = try await SQLStore.open(url)
        try await Migrator(store: store).migrate()
        let services = TorsoServices(store: store, passwordCost: passwordCost, heartbeat: heartbeat, webhooks: webhooks, auditDays: auditDays)
        // Where the outbox stands before the projections are built: the feed replays anything
        // another node commits while they build.
        services.feed.prime(after: try await store.read { try await $0.outbox.lastEventSeq() })
        try await services.projections.rebuildAll()
        return services
    }
}
