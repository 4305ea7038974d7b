import Access
import Foundation
import HTTPTypes
import Hummingbird
import Inventory
import TorsoKit
import Workflows

/// The back office's stores and stock: the locations (warehouses and stores, with pickup), the
/// levels per variant and location filtered by SKU, location or a low count, and — for
/// `inventory:write` — a count set or changed, logged as an inventory adjustment with a reason.
struct StockPages: Sendable {
    let stock: StockService
    let locations: ResourceService<StockLocationPolicy>

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("stock", use: list)
        router.post("stock", use: adjust)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.inventoryRead)
        let query = request.uri.queryParameters
        return BackOfficeResponse.page(try await page(person: person, sku: query["sku"].map(String.init), location: query["location"].map(String.init),
                                                      below: query["below"].flatMap { Int(String($0)) }))
    }

    func page(person: BackOfficePerson, sku: String?, location: String?, below: Int?, notice: Markup? = nil, problem: Markup? = nil) async throws -> Markup {
        let text = BackOfficeText(person.language)
        let places = try await locations.list(PageRequest(limit: 200)).data
        let known = Set(places.map(\.code))
        let filter = InventoryFilter(sku: sku.flatMap { $0.isEmpty ? nil : $0 }, location: location.flatMap { known.contains($0) ? $0 : nil },
                                     below: below.map { max(0, $0) })
        let levels = try await stock.levels(filter, page: PageRequest(limit: 100)).data
        let writes = person.user.role.scopes.contains(.inventoryWrite)
        let stores = Markup.join(places.map { place in
            "<tr><td><code>\(place.code)</code></td><td>\(place.name)</td><td>\(place.kind.rawValue)</td><td>\(place.pickup ? "✓" : "")</td><td>\(place.channels.joined(separator: ", "))</td></tr>"
        })
        let rows = Markup.join(levels.map { level in
            let set: Markup = writes ? """
                <form method="post" action="/admin/stock" class="inline-form"><input type="hidden" name="csrf" value="\(person.session.csrf)">
                <input type="hidden" name="sku" value="\(level.sku)"><input type="hidden" name="location" value="\(level.location)">
                <input type="number" name="set" min="0" step="1" value="\(level.onHand)" aria-label="\(text["on_hand"]) \(level.sku) \(level.location)">
                <button type="submit" class="quiet">\(text["set_count"])</button></form>
                """ : ""
            return """
                <tr><td><a href="/admin/products/\(level.productId)">\(level.sku)</a></td><td>\(level.location)</td><td class="amount">\(level.onHand)</td>
                <td class="amount">\(level.reserved)</td><td class="amount">\(level.available)</td><td>\(set)</td></tr>
                """
        })
        let options = Markup.join([Markup("<option value=\"\">\(text["all"])</option>")] + places.map { place in
            "<option value=\"\(place.code)\"\(place.code == filter.location ? Markup(raw: " selected") : "")>\(place.name)</option>"
        })
        return BackOfficeLayout.page(title: text["stock_page"], person: person, current: "/admin/stock", body: """
            <h1>\(text["stock_page"])</h1>\(BackOfficeLayout.messages(notice: notice, problem: problem))
            <h2>\(text["locations"])</h2>
            <table><thead><tr><th></th><th>\(text["name"])</th><th>\(text["kind"])</th><th>\(text["pickup"])</th><th>\(text["channels"])</th></tr></thead>
            <tbody>\(stores)</tbody></table>
            <h2>\(text["levels"])</h2>
            <form method="get" action="/admin/stock" role="search" class="filters">
            <div><label for="sku">SKU</label><input type="search" id="sku" name="sku" value="\(filter.sku)"></div>
            <div><label for="location">\(text["location"])</label><select id="location" name="location">\(options)</select></div>
            <div><label for="below">\(text["below"])</label><input type="number" id="below" name="below" min="0" value="\(filter.below.map(String.init))"></div>
            <div><button type="submit">\(text["show"])</button></div></form>
            <table id="levels"><thead><tr><th>SKU</th><th>\(text["location"])</th><th class="amount">\(text["on_hand"])</th><th class="amount">\(text["reserved"])</th>
            <th class="amount">\(text["available"])</th><th></th></tr></thead><tbody>\(rows)</tbody></table>\(levels.isEmpty ? Markup("<p>\(text["none"])</p>") : "")
            """)
    }

    /// Sets a variant's count at a location, as an adjustment whose reason is the person's stock take.
    @Sendable func adjust(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.inventoryWrite)
        let text = BackOfficeText(person.language)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 16 * 1_024))
        let sku = form["sku"] ?? "", location = form["location"] ?? ""
        guard let count = form["set"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), count >= 0 else {
            return BackOfficeResponse.page(try await page(person: person, sku: sku, location: nil, below: nil, problem: "\(text["on_hand"]): '\(form["set"] ?? "")'?"),
                                           status: .unprocessableContent)
        }
        do {
            _ = try await stock.adjust(StockService.Batch(rows: [AdjustmentRow(sku: sku, location: location, change: .set(count))], reason: "stock_take",
                                                          reference: "back office"),
                                       context: WriteContext(principal: person.user.principal))
        } catch let error as DomainError {
            return BackOfficeResponse.page(try await page(person: person, sku: sku, location: nil, below: nil, problem: "\(error.pageMessage)"),
                                           status: HTTPResponse.Status(code: Problem(error).status))
        }
        return BackOfficeResponse.page(try await page(person: person, sku: sku, location: nil, below: nil, notice: "\(sku) · \(location): \(count)"))
    }
}
