import Access
import Catalog
import Foundation
import Hummingbird
import NIOCore
import TorsoKit
import Workflows

extension BackOfficeController {
    /// The most products one bulk action takes (a page of the list holds 50).
    static let maxBulk = 200

    @Sendable func productList(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogRead)
        let query = request.uri.queryParameters
        let filters = ProductListPage.Filters { name in query[Substring(name)].map(String.init) }
        let cursor = request.uri.queryParameters["after"].flatMap { Cursor(encoded: String($0)) }
        return BackOfficeResponse.page(try await listPage(filters, cursor: cursor, person: person).render())
    }

    /// The list as the filters and the cursor ask.
    func listPage(_ filters: ProductListPage.Filters, cursor: Cursor?, person: BackOfficePerson) async throws -> ProductListPage {
        var filters = filters
        let catalog = try await queries.catalogContext()
        let categories = try await self.categories.list(PageRequest(limit: 1_000)).data
        // A filter naming what does not exist shows everything rather than failing the page.
        if let type = filters.productType, catalog.productTypes[type] == nil { filters.productType = nil }
        if let category = filters.category, !categories.contains(where: { $0.key == category }) { filters.category = nil }
        let page: Page<Product>
        if let cell = filters.incompleteCell {
            page = try await incompletePage(cell, after: cursor?.after)
        } else {
            page = try await queries.products(query: filters.query, productType: filters.productType, category: filters.category,
                                              page: PageRequest(limit: 50, cursor: cursor), publication: filters.publicationFilter,
                                              stocked: filters.stocked)
        }
        return ProductListPage(filters: filters, page: page, completeness: try await queries.completeness(of: page.data), context: catalog,
                               categories: categories, person: person)
    }

    /// One page of the products not complete on a channel in a locale, as of the heat map's last
    /// reading (empty while the first is being read): keys in order, a page read by key.
    func incompletePage(_ cell: (channel: String, locale: String), after: String?) async throws -> Page<Product> {
        let keys = (await figures.completeness() ?? []).first { $0.channel == cell.channel && $0.locale == cell.locale }?.incomplete ?? []
        // The first key after the cursor, by binary search (the keys are in order).
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] <= (after ?? "") { low = middle + 1 } else { high = middle }
        }
        let slice = Array(keys[low..<min(keys.count, low + 50)])
        let next = low + 50 < keys.count ? slice.last.map { Cursor(after: $0).encoded } : nil
        return Page(data: try await queries.products(keys: slice), nextCursor: next)
    }

    /// Publishes (now or at a time) or unpublishes the products ticked on the channels ticked,
    /// each product on its own: one that is incomplete is refused and named, the others go.
    @Sendable func bulk(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogWrite)
        let text = BackOfficeText(person.language)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 256 * 1_024))
        let ids = Array(Set(form.all("ids").filter { !$0.isEmpty })).sorted()
        let channels = Array(Set(form.all("channels"))).sorted()
        let action = form["action"] ?? ""
        // The list is shown again as it was filtered.
        let back = FormFields(ByteBuffer(string: form["back"] ?? ""))
        let filters = ProductListPage.Filters { back[$0] }
        func answer(notice: Markup?, problem: Markup?, status: HTTPResponse.Status, changed: Bool) async throws -> Response {
            var response = BackOfficeResponse.page(try await listPage(filters, cursor: nil, person: person).render(notice: notice, problem: problem),
                                                   status: status)
            if !changed { response.headers[AuditMiddleware.noChange] = "1" }
            return response
        }
        var at: String?
        if let typed = form["at"], !typed.isEmpty {
            // A datetime-local field: a minute, read as UTC.
            guard action == "publish", FormFields.utcMinute(typed) != nil else {
                return try await answer(notice: nil, problem: "\(text["at_time"]): '\(typed)'?", status: .unprocessableContent, changed: false)
            }
            // A minute already past publishes now.
            at = FormFields.futureMinute(typed)
        }
        guard ["publish", "unpublish"].contains(action), !ids.isEmpty, !channels.isEmpty, ids.count <= Self.maxBulk else {
            let why = ids.isEmpty ? text["tick_products"] : channels.isEmpty ? text["tick_channels"] : ids.count > Self.maxBulk ? "≤ \(Self.maxBulk)" : action
            return try await answer(notice: nil, problem: "\(why)", status: .unprocessableContent, changed: false)
        }
        let refusedChannels = channels.filter { !person.user.mayPublish(to: $0) }
        guard refusedChannels.isEmpty else {
            return try await answer(notice: nil, problem: "\(text["not_yours_channels"]) \(refusedChannels.joined(separator: ", "))", status: .forbidden,
                                    changed: false)
        }
        var done = 0
        var refused: [Markup] = []
        let write = WriteContext(principal: person.user.principal)
        var body: [String: JSONValue] = ["channels": .array(channels.map(JSONValue.string))]
        if let at { body["at"] = .string(at) }
        for id in ids {
            do {
                if action == "publish" {
                    _ = try await publishing.publish(id, body: .object(body), context: write)
                } else {
                    _ = try await publishing.unpublish(id, body: .object(["channels": body["channels"]!]), context: write)
                }
                done += 1
            } catch let error as DomainError {
                refused.append("<li><a href=\"/admin/products/\(id)\">\(id)</a>: \(error.pageMessage)</li>")
            }
        }
        let verb = action == "publish" ? (at == nil ? text["bulk_published"] : text["bulk_scheduled"]) : text["bulk_unpublished"]
        let notice: Markup? = done > 0 ? "\(done) \(verb) \(channels.joined(separator: ", "))\(at.map { " · \($0)" } ?? "")." : nil
        let problem: Markup? = refused.isEmpty ? nil : "\(refused.count) \(text["bulk_refused"])<ul>\(Markup.join(refused))</ul>"
        return try await answer(notice: notice, problem: problem, status: done == 0 ? .unprocessableContent : .ok, changed: done > 0)
    }
}
