import Access
import Commerce
import Exchange
import TorsoKit

/// One order in the back office: what was bought, the money, the addresses, the history, and a
/// form for each move its status allows (for a person who may change orders).
struct OrderDetailPage {
    let order: Order
    let person: BackOfficePerson

    /// The moves shown: the status's legal events, collection moves only for click and collect
    /// and shipping moves only for the rest (as ``OrderService`` enforces).
    var moves: [OrderEvent] {
        let pickup: Set<OrderEvent> = [.readyForPickup, .pickUp], shipping: Set<OrderEvent> = [.fulfillPartially, .fulfill, .ship, .deliver]
        return OrderStateMachine().allowedEvents(from: order.status).filter { event in
            order.pickupStore == nil ? !pickup.contains(event) : !shipping.contains(event)
        }
    }

    func render(notice: String?, problem: String?) -> Markup {
        let text = BackOfficeText(person.language)
        let currency = order.totals.currency
        let lineTotals = Dictionary(order.totals.lines.map { ($0.lineId, $0) }, uniquingKeysWith: { first, _ in first })
        let lines = Markup.join(order.lines.map { line in
            """
            <tr><td>\(line.name)</td><td><code>\(line.sku)</code></td><td class="amount">\(line.quantity)</td>
            <td class="amount">\(OrderWords.money(line.unitAmount, currency))</td>
            <td class="amount">\(OrderWords.money(lineTotals[line.id]?.total ?? line.unitAmount * Int64(line.quantity), currency))</td></tr>
            """
        })
        let sums: [(String, Int64)] = [("subtotal", order.totals.subtotal), ("discount", -order.totals.discountTotal),
                                       ("shipping", order.totals.shippingTotal), (order.totals.taxMode == .inclusive ? "tax_included" : "tax", order.totals.taxTotal)]
        // Tax included in the prices is shown, not added.
        let totals = Markup.join(sums.filter { $0.1 != 0 || $0.0 == "subtotal" }.map { key, amount in
            "<tr><th scope=\"row\" colspan=\"4\">\(text[key])</th><td class=\"amount\">\(OrderWords.money(amount, currency))</td></tr>"
        })
        let history = Markup.join(order.history.reversed().map { step in
            "<tr><td>\(step.at.prefix(19).replacingOccurrences(of: "T", with: " "))</td><td>\(OrderWords.status(step.to, text))</td><td>\(step.event)</td><td>\(step.note)</td></tr>"
        })
        return BackOfficeLayout.page(title: "\(text["order"]) \(order.number)", person: person, current: "/admin/orders", body: """
            <p><a href="/admin/orders">← \(text["orders"])</a></p>
            <h1>\(text["order"]) \(order.number) <span class="badge" id="order-status">\(OrderWords.status(order.status, text))</span></h1>\(BackOfficeLayout.messages(notice: notice.map { "\($0)" }, problem: problem.map { "\($0)" }))
            <p>\(order.createdAt.prefix(16).replacingOccurrences(of: "T", with: " ")) · \(order.channel) · \(order.email) · <code>\(order.id.rawValue)</code> · v\(order.version)</p>
            \(actions(text))
            <h2>\(text["lines"])</h2>
            <table><thead><tr><th>\(text["name"])</th><th>SKU</th><th class="amount">\(text["quantity"])</th><th class="amount">\(text["unit_price"])</th>
            <th class="amount">\(text["total"])</th></tr></thead><tbody>\(lines)</tbody>
            <tfoot>\(totals)<tr><th scope="row" colspan="4">\(text["total"])</th><td class="amount"><strong>\(OrderWords.money(order.totals.total, currency))</strong></td></tr></tfoot></table>
            <div class="cards">
            <div class="card"><h2>\(text["payment"])</h2><p>\(order.payment.provider) · \(order.payment.status.rawValue)</p>
            <p id="payment">\(text["captured"]): \(OrderWords.money(order.payment.captured, currency))<br>
            \(text["refunded"]): \(OrderWords.money(order.payment.refunded, currency))</p></div>
            <div class="card"><h2>\(order.pickupStore == nil ? text["shipping_address"] : text["pickup"])</h2>\(address())</div>
            </div>
            <h2>\(text["history"])</h2>
            <table><thead><tr><th>\(text["when"])</th><th>\(text["status"])</th><th>\(text["what"])</th><th>\(text["note"])</th></tr></thead><tbody>\(history)</tbody></table>
            """)
    }

    func address() -> Markup {
        if let store = order.pickupStore { return "<p>\(store)</p>" }
        let address = order.shippingAddress
        let parts = ["\(address.firstName) \(address.lastName)", address.line1, address.line2 ?? "", "\(address.postalCode) \(address.city)",
                     address.region ?? "", address.country].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let method: Markup = order.shippingMethod.map { "<small>\($0)</small>" } ?? ""
        return "<p>\(Markup.join(parts.map { "\($0)<br>" }))\(method)</p>"
    }

    /// A form per move, for a person who may change orders.
    func actions(_ text: BackOfficeText) -> Markup {
        guard person.user.role.scopes.contains(.ordersWrite), !moves.isEmpty else { return "" }
        let forms = Markup.join(moves.map { event -> Markup in
            let danger = [OrderEvent.cancel, .refund].contains(event)
            var extra: Markup = ""
            if event == .refundPartially {
                extra = """
                    <label for="amount">\(text["amount"]) (\(order.totals.currency.code))</label>
                    <input type="text" inputmode="decimal" id="amount" name="amount" required placeholder="\(MinorUnits.text(1_000, currency: order.totals.currency.code))">
                    """
            } else if [OrderEvent.fulfill, .fulfillPartially, .ship].contains(event) {
                extra = "<label for=\"note-\(event.rawValue)\">\(text["note"])</label><input type=\"text\" id=\"note-\(event.rawValue)\" name=\"note\" maxlength=\"500\">"
            }
            return """
                <form method="post" action="/admin/orders/\(order.id.rawValue)/\(event.rawValue)" class="move">
                <input type="hidden" name="csrf" value="\(person.session.csrf)"><input type="hidden" name="version" value="\(order.version)">\(extra)
                <button type="submit" id="move-\(event.rawValue)"\(danger ? Markup(raw: " class=\"danger\"") : "")>\(OrderWords.event(event, text))</button></form>
                """
        })
        return "<section aria-label=\"\(text["moves"])\" class=\"moves\">\(forms)</section>"
    }
}

/// How orders read in the back office: statuses, moves and amounts in the person's language.
enum OrderWords {
    static func status(_ status: OrderStatus, _ text: BackOfficeText) -> String { text["status." + status.rawValue] }

    static func event(_ event: OrderEvent, _ text: BackOfficeText) -> String { text["event." + event.rawValue] }

    /// 1999 EUR as `19.99 EUR`.
    static func money(_ amount: Int64, _ currency: Currency) -> String { money(amount, code: currency.code) }

    /// ``money(_:_:)`` for a currency code.
    static func money(_ amount: Int64, code: String) -> String {
        "\(amount < 0 ? "−" : "")\(MinorUnits.text(abs(amount), currency: code)) \(code)"
    }

    /// `12.50` or `12,50` as minor units of `currency`; `nil` when it is not an amount.
    static func amount(_ text: String, _ currency: Currency) -> Int64? {
        MinorUnits.amount(text.replacingOccurrences(of: ",", with: "."), currency: currency.code)
    }
}
