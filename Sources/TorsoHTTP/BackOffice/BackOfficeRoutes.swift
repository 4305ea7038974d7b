import Hummingbird
import Workflows

/// The back office at `/admin`: its assets and sign-in page, and behind a session cookie its
/// pages; every change made through them lands in the audit log.
public enum BackOfficeRoutes {
    /// Adds the back office's routes to `router`.
    public static func add(to router: Router<TorsoRequestContext>, products: ResourceService<ProductPolicy>,
                           categories: ResourceService<CategoryPolicy>, queries: CatalogQueries,
                           publishing: PublishingService, stock: StockService, orders: OrderService, imports: ImportService, importer: ImportController,
                           keys: KeyService, webhooks: WebhookService, locations: ResourceService<StockLocationPolicy>,
                           settings: [SettingsKind], backOffice: BackOfficeService) {
        let root = router.group("admin")
        root.get("assets/:name") { _, context in
            guard let response = BackOfficeAssets.response(try context.parameters.require("name")) else { throw HTTPError(.notFound) }
            return response
        }
        let signIn = SignInController(backOffice: backOffice)
        signIn.addRoutes(to: root)
        InvitationController(backOffice: backOffice).addRoutes(to: root)
        let pages = root.group("").add(middleware: BackOfficeSessionMiddleware(backOffice: backOffice))
            .add(middleware: AuditMiddleware(backOffice: backOffice))
        signIn.addSignedInRoutes(to: pages)
        BackOfficeController(products: products, categories: categories, queries: queries, publishing: publishing, stock: stock, backOffice: backOffice,
                             figures: DashboardFigures(queries: queries), orderFigures: OrderFigures(orders: orders)).addRoutes(to: pages)
        OrderPages(orders: orders).addRoutes(to: pages)
        PeoplePages(backOffice: backOffice, queries: queries).addRoutes(to: pages)
        KeyPages(keys: keys, queries: queries).addRoutes(to: pages)
        WebhookPages(webhooks: webhooks).addRoutes(to: pages)
        StockPages(stock: stock, locations: locations).addRoutes(to: pages)
        CategoryPages(categories: categories).addRoutes(to: pages)
        SettingsPages(kinds: settings).addRoutes(to: pages)
        ImportPages(imports: imports, api: importer, channels: { try await queries.catalogContext().channels.keys.sorted() }).addRoutes(to: pages)
    }
}
