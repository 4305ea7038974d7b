import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TorsoHTTP
import TorsoStorage
import Access
import Workflows

/// The process-wide metrics registry behind `/metrics`, bootstrapped once.
public enum Telemetry {
    /// The registry every app of this process reports to.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// The OpenAPI document of the routes ``buildRouter(_:operations:)`` adds.
public func openAPIDocument(_ services: TorsoServices) -> Data {
    let operations = APIRegistry()
    _ = buildRouter(services, operations: operations)
    return OpenAPIDocument.json(operations)
}

/// The router with every route and middleware, over a set of services; each route declares its
/// operation in `operations`, from which `/openapi.json` is made.
public func buildRouter(_ services: TorsoServices, operations: APIRegistry = APIRegistry(),
                        metricsToken: String? = nil, rateLimits: RateLimits = .off, trustForwardedFor: Bool = false,
                        importsDirectory: String = "torso-imports") -> Router<TorsoRequestContext> {
    let router = Router(context: TorsoRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: RequestMetricsMiddleware())
    router.add(middleware: StorePreflightMiddleware(catalog: services.projections.catalog))
    SystemController(registry: Telemetry.registry, operations: operations, metricsToken: metricsToken)
        .addRoutes(to: APIRoutes(router, prefix: "", registry: operations))

    let admin = APIRoutes(router.group("admin/v1").add(middleware: AuthMiddleware(keys: services.keys))
        .add(middleware: AuditMiddleware(backOffice: services.backOffice)), prefix: "/admin/v1", registry: operations)
    AuditController(backOffice: services.backOffice).addRoutes(to: admin)
    KeyController(keys: services.keys).addRoutes(to: admin)
    ResourceController(service: services.locales, readScope: .catalogRead, writeScope: .settingsWrite).addRoutes(to: admin)
    ResourceController(service: services.channels, readScope: .catalogRead, writeScope: .settingsWrite).addRoutes(to: admin)
    ResourceController(service: services.stockLocations, readScope: .catalogRead, writeScope: .settingsWrite).addRoutes(to: admin)
    ResourceController(service: services.attributes, readScope: .catalogRead, writeScope: .settingsWrite).addRoutes(to: admin)
    ResourceController(service: services.productTypes, readScope: .catalogRead, writeScope: .settingsWrite).addRoutes(to: admin)
    ResourceController(service: services.categories, readScope: .catalogRead, writeScope: .catalogWrite).addRoutes(to: admin)
    ProductController(products: services.products, queries: services.queries).addRoutes(to: admin)
    ResourceController(service: services.products, readScope: .catalogRead, writeScope: .catalogWrite).addRoutes(to: admin, withList: false)
    PublishingController(publishing: services.publishing).addRoutes(to: admin)
    CustomerAdminController(customers: services.customers).addRoutes(to: admin)
    ResourceController(service: services.shippingMethods, readScope: .catalogRead, writeScope: .settingsWrite).addRoutes(to: admin)
    ResourceController(service: services.taxRates, readScope: .catalogRead, writeScope: .settingsWrite).addRoutes(to: admin)
    ResourceController(service: services.promotions, readScope: .catalogRead, writeScope: .settingsWrite).addRoutes(to: admin)
    ResourceController(service: services.priceLists, readScope: .catalogRead, writeScope: .settingsWrite).addRoutes(to: admin)
    OrderController(orders: services.orders).addRoutes(to: admin)
    InventoryController(service: services.stock).addRoutes(to: admin)
    let importer = ImportController(imports: services.imports, directory: importsDirectory)
    importer.addRoutes(to: admin)
    ExportController(queries: services.exports).addRoutes(to: admin)
    WebhookController(webhooks: services.webhooks).addRoutes(to: admin)
    let events = EventController(feed: services.feed, catalog: services.projections.catalog)
    events.addAdminRoutes(to: admin)

    // Past the key check, storefront handlers get a context whose principal and channel are not optional.
    let storeGroup = router.group("store/v1").add(middleware: StoreAuthMiddleware(keys: services.keys, catalog: services.projections.catalog))
        .add(middleware: RateLimitMiddleware(limits: rateLimits, trustForwardedFor: trustForwardedFor))
    let store = APIRoutes(storeGroup.group(context: StoreRequestContext.self), prefix: "/store/v1", registry: operations)
    StoreController(catalog: services.projections.catalog, customers: services.customers).addRoutes(to: store)
    StoreLocatorController().addRoutes(to: store)
    CustomerController(customers: services.customers).addRoutes(to: store)
    let carts = CartController(carts: services.carts, checkout: services.checkout, orders: services.orders, customers: services.customers)
    carts.addRoutes(to: store)
    CartHandoffController(handoffs: services.handoffs, carts: carts, events: events).addRoutes(to: store)
    events.addStoreRoutes(to: store)
    BackOfficeRoutes.add(to: router, products: services.products, categories: services.categories, queries: services.queries, publishing: services.publishing,
                         stock: services.stock, orders: services.orders, imports: services.imports,
                         importer: importer, keys: services.keys,
                         webhooks: services.webhooks, locations: services.stockLocations, settings: [
                             SettingsKind("attributes", "word_attributes", services.attributes),
                             SettingsKind("product-types", "word_product_types", services.productTypes),
                             SettingsKind("price-lists", "word_price_lists", services.priceLists),
                             SettingsKind("promotions", "word_promotions", services.promotions),
                             SettingsKind("shipping-methods", "word_shipping", services.shippingMethods),
                             SettingsKind("tax-rates", "word_tax", services.taxRates),
                         ], backOffice: services.backOffice)
    return router
}

/// Closes the store when the application shuts down.
struct StoreCloser: Service {
    let store: SQLStore
    func run() async throws {
        try? await gracefulShutdown()
        await store.close()
    }
}

/// The application for a configuration: opens and migrates the database, loads the demo when
/// asked, and serves. `main` and the tests both call this.
public func buildApplication(_ configuration: AppConfiguration, services: TorsoServices? = nil,
                             onDemoKey: @Sendable (String) -> Void = { print($0) },
                             onDemoUser: @Sendable (_ email: String, _ password: String?) -> Void = { _, _ in }) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "torso")
    logger.logLevel = configuration.logLevel
    let services = if let services { services } else {
        try await TorsoServices.open(configuration.database, heartbeat: configuration.feedHeartbeat, webhooks: configuration.webhooks,
                                     auditDays: configuration.auditDays)
    }
    if configuration.demo {
        let loaded = try await DemoCatalog.loadIfEmpty(services)
        if loaded {
            logger.info("loaded the demo catalog")
            // The projections took the demo in as it was written: the feed starts after it
            // instead of replaying it to the first heads that connect.
            services.feed.prime(after: try await services.store.read { try await $0.outbox.lastEventSeq() })
        }
        let key = try await services.keys.create(name: "demo admin", kind: .secret, scopes: Set(Scope.allCases), channel: nil)
        onDemoKey(key.secret)
        // An owner for the back office, made with the demo; its password is shown once.
        let email = "demo@torso.local"
        if try await services.backOffice.users().contains(where: { $0.email == email }) {
            onDemoUser(email, nil)
        } else {
            let password = String((0..<16).map { _ in Array("abcdefghijkmnpqrstuvwxyz23456789").randomElement()! })
            _ = try await services.backOffice.createUser(email: email, name: "Demo owner", role: .owner, password: password)
            onDemoUser(email, password)
        }
    }
    // Imports a stopped server left unfinished go on from their last committed batch.
    try await services.imports.resumeUnfinished()
    let host = configuration.host
    let startLogger = logger
    return Application(
        router: buildRouter(services, metricsToken: configuration.metricsToken, rateLimits: configuration.rateLimits,
                            trustForwardedFor: configuration.trustForwardedFor, importsDirectory: configuration.importsDirectory),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "torso"),
        services: [StoreCloser(store: services.store.sql), ProjectionWorker(projections: services.projections),
                   EventFeedService(feed: services.feed), PublishScheduler(publishing: services.publishing, logger: logger),
                   Sweeper.reservations(services.inventory, logger: logger),
                   Sweeper.housekeeping(Housekeeping(store: services.store), backOffice: services.backOffice, logger: logger),
                   WebhookDispatcher(webhooks: services.webhooks, logger: logger),
                   PriceListScheduler(projections: services.projections, logger: logger)],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            startLogger.info("Torso listening on http://\(host):\(port) (database \(configuration.database))")
        },
        logger: logger)
}
