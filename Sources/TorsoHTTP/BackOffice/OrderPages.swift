import Access
import Commerce
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// The back office's orders: a list by status, an order with its lines, payment and history,
/// and a button for each move its status allows (confirm, fulfil, ship, refund …). A move goes
/// to `POST /admin/orders/{id}/{event}` with the version the page showed, so a change made
/// meanwhile is shown, not repeated; the audit log names the move in its path.
struct OrderPages: Sendable {
    let orders: OrderService

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("orders", use: list)
        router.get("orders/:id", use: detail)
        router.post("orders/:id/:event", use: move)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.ordersRead)
        let text = BackOfficeText(person.language)
        let status = request.uri.queryParameters["status"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let cursor = request.uri.queryParameters["after"].flatMap { Cursor(encoded: String($0)) }
        guard status.map({ OrderStatus(rawValue: $0) != nil }) ?? true else {
            return BackOfficeResponse.problem(.unprocessableContent, "\(text["status"]): '\(status ?? "")'?", language: person.language)
        }
        let page = try await orders.list(status: status, customer: nil, page: PageRequest(limit: 50, cursor: cursor), newestFirst: true)
        let options = Markup.join([Markup("<option value=\"\">\(text["all"])</option>")] + OrderStatus.allCases.map { option in
            "<option value=\"\(option.rawValue)\"\(option.rawValue == status ? Markup(raw: " selected") : "")>\(OrderWords.status(option, text))</option>"
        })
        let rows = Markup.join(page.data.map { order in
            """
            <tr><td><a href="/admin/orders/\(order.id.rawValue)">\(order.number)</a></td><td>\(String(order.createdAt.prefix(16)).replacingOccurrences(of: "T", with: " "))</td>
            <td>\(order.email)</td><td>\(order.channel)</td><td><span class="badge">\(OrderWords.status(order.status, text))</span></td>
            <td class="amount">\(OrderWords.money(order.totals.total, order.totals.currency))</td></tr>
            """
        })
        let empty: Markup = page.data.isEmpty ? "<p>\(text["none"])</p>" : ""
        let more: Markup = page.nextCursor.map { "<p><a href=\"/admin/orders?status=\(status ?? "")&amp;after=\($0)\">\(text["next_page"]) →</a></p>" } ?? ""
        return BackOfficeResponse.page(BackOfficeLayout.page(title: text["orders"], person: person, current: "/admin/orders", body: """
            <h1>\(text["orders"])</h1>
            <form method="get" action="/admin/orders" role="search"><label for="status">\(text["status"])</label>
            <select id="status" name="status">\(options)</select> <button type="submit">\(text["show"])</button></form>
            <table><thead><tr><th>\(text["order"])</th><th>\(text["placed"])</th><th>\(text["customer"])</th><th>\(text["channel"])</th>
            <th>\(text["status"])</th><th class="amount">\(text["total"])</th></tr></thead><tbody>\(rows)</tbody></table>\(empty)\(more)
            """))
    }

    @Sendable func detail(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.ordersRead)
        let order = try await orders.get(try context.parameters.require("id"))
        let done = request.uri.queryParameters["done"].map(String.init).flatMap(OrderEvent.init(rawValue:))
        let notice = done.map { "\(BackOfficeText(person.language)["done"]): \(OrderWords.event($0, BackOfficeText(person.language)))." }
        return BackOfficeResponse.page(OrderDetailPage(order: order, person: person).render(notice: notice, problem: nil))
    }

    /// Applies one move to the order: the form's version must still be the order's.
    @Sendable func move(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.ordersWrite)
        let id = try context.parameters.require("id")
        let name = try context.parameters.require("event")
        let text = BackOfficeText(person.language)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 64 * 1_024))
        let order = try await orders.get(id)
        func refused(_ status: HTTPResponse.Status, _ message: String) async throws -> Response {
            // The order as it is now, with why the move did not happen.
            let current = try await orders.get(id)
            return BackOfficeResponse.page(OrderDetailPage(order: current, person: person).render(notice: nil, problem: "\(message)"), status: status)
        }
        guard let event = OrderEvent(rawValue: name) else { return try await refused(.notFound, "\(text["no_such_move"]): \(name)") }
        guard let version = form["version"].flatMap({ Int($0) }) else { return try await refused(.unprocessableContent, text["reload"]) }
        var amount: Int64?
        if event == .refundPartially {
            guard let typed = form["amount"]?.trimmingCharacters(in: .whitespaces), let parsed = OrderWords.amount(typed, order.totals.currency),
                  parsed > 0 else {
                return try await refused(.unprocessableContent, "\(text["amount"]): '\(form["amount"] ?? "")' — \(text["amount_hint"])")
            }
            amount = parsed
        }
        let note = form["note"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            _ = try await orders.apply(id, event: event.rawValue, note: note?.isEmpty == false ? String(note!.prefix(500)) : nil, amount: amount,
                                       expectedVersion: version)
        } catch let error as DomainError where error.code == "version_mismatch" {
            return try await refused(.conflict, text["order_changed"])
        } catch let error as DomainError {
            return try await refused(HTTPResponse.Status(code: Problem(error).status), error.pageMessage)
        }
        return BackOfficeResponse.redirect("/admin/orders/\(id)?done=\(event.rawValue)")
    }
}
