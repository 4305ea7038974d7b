import Access
import Catalog
import Foundation
import Inventory
import Hummingbird
import TorsoKit
import Workflows

/// The back office's pages behind sign-in: the dashboard, products and their editor, the audit
/// log. Handlers act as the signed-in person (their role's scopes, their name in history).
struct BackOfficeController: Sendable {
    let products: ResourceService<ProductPolicy>
    let categories: ResourceService<CategoryPolicy>
    let queries: CatalogQueries
    let publishing: PublishingService
    let stock: StockService
    let backOffice: BackOfficeService
    let figures: DashboardFigures
    let orderFigures: OrderFigures

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("", use: dashboard)
        router.get("products", use: productList)
        router.post("products/bulk", use: bulk)
        router.get("products/:id", use: editor)
        router.post("products/:id", use: save)
        router.post("products/:id/publish", use: publish)
        router.get("audit", use: audit)
    }

    @Sendable func dashboard(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogRead)
        let text = BackOfficeText(person.language)
        let figured = await figures.completeness()
        let cells = figured ?? []
        let channels = Array(Set(cells.map(\.channel))).sorted(), locales = Array(Set(cells.map(\.locale))).sorted()
        let byKey = Dictionary(cells.map { ($0.channel + "|" + $0.locale, $0) }, uniquingKeysWith: { first, _ in first })
        let head = Markup.join(locales.map { "<th scope=\"col\">\($0)</th>" })
        let rows = Markup.join(channels.map { channel in
            let tds = Markup.join(locales.map { locale -> Markup in
                guard let cell = byKey[channel + "|" + locale] else { return "<td>–</td>" }
                let (percent, tone) = BackOfficeLayout.percent(cell.ratio)
                return "<td class=\"\(tone)\" title=\"\(cell.complete) / \(cell.products)\">\(percent)</td>"
            })
            return "<tr><th scope=\"row\">\(channel)</th>\(tds)</tr>"
        })
        var low: Markup = "<p>\(text["none"])</p>"
        if person.user.role.scopes.contains(.inventoryRead) {
            let levels = try await stock.levels(InventoryFilter(below: 3), page: PageRequest(limit: 10, cursor: nil)).data
            if !levels.isEmpty {
                low = "<table><thead><tr><th>SKU</th><th>\(text["location"])</th><th>\(text["available"])</th></tr></thead><tbody>\(Markup.join(levels.map { "<tr><td>\($0.sku)</td><td>\($0.location)</td><td>\($0.available)</td></tr>" }))</tbody></table>"
            }
        }
        var today: Markup = ""
        if person.user.role.scopes.contains(.ordersRead) {
            let figures = try await orderFigures.today()
            let revenue = figures.revenue.isEmpty ? "–" : figures.revenue.sorted { $0.key < $1.key }
                .map { OrderWords.money($0.value, code: $0.key) }.joined(separator: " · ")
            today = """
                <div class="cards"><a class="card" href="/admin/orders" id="orders-today">\(text["orders_today"])<strong>\(figures.count)\(figures.capped ? "+" : "")</strong></a>
                <div class="card" id="revenue-today">\(text["revenue_today"])<strong>\(revenue)</strong></div></div>
                """
        }
        let upcoming = try await publishing.scheduled(limit: 10)
        let scheduled: Markup = upcoming.isEmpty ? "<p>\(text["none"])</p>" : """
            <table id="scheduled"><thead><tr><th>\(text["when"])</th><th>\(text["channel"])</th><th>\(text["products"])</th></tr></thead><tbody>
            \(Markup.join(upcoming.map { "<tr><td>\(String($0.at.prefix(16)).replacingOccurrences(of: "T", with: " ")) UTC</td><td>\($0.channel)</td><td><a href=\"/admin/products/\($0.productId)\">\($0.productId)</a></td></tr>" }))
            </tbody></table>
            """
        return BackOfficeResponse.page(BackOfficeLayout.page(title: text["dashboard"], person: person, current: "/admin", body: """
            <h1>\(text["dashboard"])</h1>\(today)
            <p><a href="/admin/products?publication=staged" id="staged-link">\(text["staged_changes"]) →</a></p>
            <h2>\(text["scheduled_publications"])</h2>\(scheduled)
            <h2>\(text["completeness_per_channel"])</h2>
            \(figured == nil ? Markup("<p id=\"heat-pending\">\(text["figures_pending"]) <a href=\"/admin\">\(text["refresh"])</a></p>")
                : Markup("<table class=\"heat\"><thead><tr><th></th>\(head)</tr></thead><tbody>\(rows)</tbody></table>"))
            <h2>\(text["low_stock"])</h2>\(low)
            """))
    }

    @Sendable func editor(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogRead)
        let id = try context.parameters.require("id")
        let text = BackOfficeText(person.language)
        let notice = request.uri.queryParameters["done"].map { done in
            ["published": text["published"], "scheduled": text["scheduled_done"], "unchanged": text["unchanged"]][String(done)] ?? text["saved"]
        }
        return BackOfficeResponse.page(try await editorPage(id, person: person).render(notice: notice, problem: nil))
    }

    /// The editor of a product as stored now.
    func editorPage(_ id: String, person: BackOfficePerson) async throws -> ProductEditorPage {
        let product = try await products.get(id)
        var page = ProductEditorPage(product: product, context: try await queries.catalogContext(),
                                     completeness: (try await queries.completeness(of: [product]))[product.key] ?? [],
                                     status: try await publishing.status(of: id),
                                     history: try await products.history(id, page: PageRequest(limit: 200, cursor: nil)).data.suffix(5),
                                     person: person)
        page.staged = try await publishing.stagedChanges(of: id)
        return page
    }

    @Sendable func audit(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.auditRead)
        let text = BackOfficeText(person.language)
        let entries = try await backOffice.auditLog(before: request.uri.queryParameters["before"].flatMap { Int($0) }, actor: nil, limit: 100)
        let rows = Markup.join(entries.map { "<tr><td>\($0.at)</td><td>\($0.actorName) <code>\($0.actorId)</code></td><td>\($0.action)</td><td>\($0.target)</td><td>\($0.status)</td></tr>" })
        return BackOfficeResponse.page(BackOfficeLayout.page(title: text["audit"], person: person, current: "/admin/audit", body: """
            <h1>\(text["audit"])</h1><table><thead><tr><th>\(text["when"])</th><th>\(text["who"])</th><th>\(text["what"])</th><th></th><th></th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """))
    }
}

extension TorsoRequestContext {
    /// The signed-in person, who must hold `scope` and have no limit to locales or channels
    /// (403 otherwise): imports, categories, settings, webhooks, keys and people reach beyond any
    /// locale or channel, so a translator or a one-channel publisher does not change them.
    func signedInWithoutLimits(_ scope: Scope) throws -> BackOfficePerson {
        let person = try signedIn(scope)
        guard person.user.locales == nil, person.user.channels == nil else {
            throw DomainError(.forbidden, code: "missing_scope",
                              detail: "Your role is limited to locales or channels; this changes more than those.")
        }
        return person
    }

    /// The signed-in person, who must hold `scope` (403 otherwise).
    func signedIn(_ scope: Scope) throws -> BackOfficePerson {
        guard let person else { throw DomainError(.unauthenticated, code: "unauthenticated", detail: "Sign in first.") }
        guard person.user.role.scopes.contains(scope) else {
            throw DomainError(.forbidden, code: "missing_scope", detail: "Your role (\(person.user.role.rawValue)) may not do this.")
        }
        return person
    }
}
