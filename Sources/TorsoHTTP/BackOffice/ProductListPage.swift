import Access
import Catalog
import Foundation
import Hummingbird
import TorsoKit
import Workflows

/// The back office's product list: search and filters (type, category, publication, stock),
/// each product's completeness per channel and locale, and a box per row for the bulk actions
/// (publish now or at a time, unpublish) on the channels ticked.
struct ProductListPage {
    /// The filters as the query string gave them.
    struct Filters {
        var query: String?
        var productType: String?
        var category: String?
        /// `live:web`, `not_live:web`, `staged` or `scheduled`.
        var publication: String?
        /// `in` or `out`.
        var stock: String?
        /// `incomplete:CHANNEL:LOCALE`: the products not complete there, as of the heat map's last
        /// reading (at most two minutes old); the other filters do not apply with it.
        var completeness: String?

        /// Reads the filters with `lookup` (a query string's or a form's fields).
        init(_ lookup: (String) -> String?) {
            func value(_ name: String) -> String? {
                lookup(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            query = value("q")
            productType = value("type")
            category = value("category")
            publication = value("publication")
            stock = value("stock")
            completeness = value("completeness")
        }

        /// The channel and locale of the completeness filter.
        var incompleteCell: (channel: String, locale: String)? {
            let parts = (completeness ?? "").split(separator: ":").map(String.init)
            return parts.count == 3 && parts[0] == "incomplete" ? (parts[1], parts[2]) : nil
        }

        /// The publication filter, or `nil` (an unknown one is `nil` too, and shows all).
        var publicationFilter: ProductFilter.Publication? {
            guard let publication else { return nil }
            if publication == "staged" { return .staged }
            if publication == "scheduled" { return .scheduled }
            if publication.hasPrefix("live:") { return .live(channel: String(publication.dropFirst(5))) }
            if publication.hasPrefix("not_live:") { return .notLive(channel: String(publication.dropFirst(9))) }
            return nil
        }

        var stocked: Bool? { stock == "in" ? true : stock == "out" ? false : nil }

        /// The query string of these filters, for the next page's link.
        var queryString: String {
            [("q", query), ("type", productType), ("category", category), ("publication", publication), ("stock", stock), ("completeness", completeness)]
                .compactMap { name, value in value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
                .joined(separator: "&")
        }
    }

    let filters: Filters
    let page: Page<Product>
    let completeness: [String: [Completeness]]
    let context: CatalogContext
    let categories: [Catalog.Category]
    let person: BackOfficePerson

    func render(notice: Markup? = nil, problem: Markup? = nil) -> Markup {
        let text = BackOfficeText(person.language)
        let locale = person.language == .de ? "de-DE" : "en-US"
        // One column per channel and locale, so that a glance down a column finds the gaps.
        let places = Array(Set(completeness.values.flatMap { $0.map { $0.channel + "\u{0}" + $0.locale } })).sorted()
            .map { $0.split(separator: "\u{0}", maxSplits: 1).map(String.init) }
        let heads = Markup.join(places.map { "<th scope=\"col\" class=\"place\">\($0[0])<br>\($0.count > 1 ? $0[1] : "")</th>" })
        let writes = person.user.role.scopes.contains(.catalogWrite)
        let rows = Markup.join(page.data.map { product in
            let name = ProductEditorPage.text(product, .init(attribute: "name", locale: locale, channel: nil))
            let entries = Dictionary((completeness[product.key] ?? []).map { ($0.channel + "|" + $0.locale, $0) }, uniquingKeysWith: { first, _ in first })
            let meters = Markup.join(places.map { place -> Markup in
                guard place.count > 1, let entry = entries[place[0] + "|" + place[1]] else { return "<td>–</td>" }
                let (percent, tone) = BackOfficeLayout.percent(entry.ratio)
                return "<td><span class=\"meter \(tone)\" title=\"\(entry.channel) · \(entry.locale)\">\(percent)</span></td>"
            })
            let box: Markup = writes ? "<td><input type=\"checkbox\" name=\"ids\" value=\"\(product.key)\" form=\"bulk\" aria-label=\"\(name.isEmpty ? product.key : name)\"></td>" : ""
            return "<tr>\(box)<td><a href=\"/admin/products/\(product.key)\">\(name.isEmpty ? product.key : name)</a></td><td>\(product.productType)</td>\(meters)</tr>"
        })
        let more: Markup = page.nextCursor.map { "<p><a href=\"/admin/products?\(filters.queryString)&amp;after=\($0)\" id=\"next-page\">\(page.data.count < 50 ? text["search_further"] : text["next_page"]) →</a></p>" } ?? ""
        return BackOfficeLayout.page(title: text["products"], person: person, current: "/admin/products", body: """
            <h1>\(text["products"])</h1>\(BackOfficeLayout.messages(notice: notice.map { "\($0)" }, problem: problem.map { "\($0)" }))
            \(filterForm(text))
            \(writes ? bulkForm(text) : "")
            <div class="scroll"><table class="products"><caption>\(text["completeness"])</caption><thead><tr>
            \(writes ? Markup("<th><input type=\"checkbox\" id=\"select-all\" aria-label=\"\(text["select_all"])\"></th>") : "")
            <th>\(text["name"])</th><th>\(text["type"])</th>\(heads)</tr></thead>
            <tbody>\(rows)</tbody></table></div>\(page.data.isEmpty ? Markup("<p>\(text["none"])</p>") : "")\(more)
            """)
    }

    func filterForm(_ text: BackOfficeText) -> Markup {
        func options(_ pairs: [(String, String)], selected: String?) -> Markup {
            Markup.join([("", text["all"])].map { Markup("<option value=\"\($0.0)\">\($0.1)</option>") }
                + pairs.map { "<option value=\"\($0.0)\"\($0.0 == selected ? Markup(raw: " selected") : "")>\($0.1)</option>" })
        }
        let locale = person.language == .de ? "de-DE" : "en-US"
        let types = context.productTypes.values.sorted { $0.code < $1.code }.map { ($0.code, $0.labels[locale] ?? $0.code) }
        let categoryOptions = categories.sorted { ($0.names[locale] ?? $0.key) < ($1.names[locale] ?? $1.key) }.map { ($0.key, $0.names[locale] ?? $0.key) }
        let channels = context.channels.keys.sorted()
        let publication = channels.flatMap { [("live:\($0)", "\(text["live_on"]) \($0)"), ("not_live:\($0)", "\(text["not_live_on"]) \($0)")] }
            + [("staged", text["staged"]), ("scheduled", text["scheduled"])]
        return """
            <form method="get" action="/admin/products" role="search" class="filters">
            <div><label for="q">\(text["search"])</label><input type="search" id="q" name="q" value="\(filters.query)"></div>
            <div><label for="type">\(text["type"])</label><select id="type" name="type">\(options(types, selected: filters.productType))</select></div>
            <div><label for="category">\(text["category"])</label><select id="category" name="category">\(options(categoryOptions, selected: filters.category))</select></div>
            <div><label for="publication">\(text["publication"])</label><select id="publication" name="publication">\(options(publication, selected: filters.publication))</select></div>
            <div><label for="completeness-filter">\(text["completeness"])</label><select id="completeness-filter" name="completeness">\(options(completenessOptions(text), selected: filters.completeness))</select></div>
            <div><label for="stock-filter">\(text["stock_filter"])</label><select id="stock-filter" name="stock">\(options([("in", text["in_stock"]), ("out", text["out_of_stock"])], selected: filters.stock))</select></div>
            <div><button type="submit" id="filter">\(text["show"])</button></div></form>
            """
    }

    /// "Incomplete on web · de-DE" for each channel and its locales.
    func completenessOptions(_ text: BackOfficeText) -> [(String, String)] {
        context.channels.sorted { $0.key < $1.key }.flatMap { channel, facts in
            facts.locales.sorted().map { ("incomplete:\(channel):\($0)", "\(text["incomplete_on"]) \(channel) · \($0)") }
        }
    }

    func bulkForm(_ text: BackOfficeText) -> Markup {
        let boxes = Markup.join(context.channels.keys.sorted().filter(person.user.mayPublish(to:)).map { channel in
            "<label class=\"check\"><input type=\"checkbox\" name=\"channels\" value=\"\(channel)\" id=\"bulk-\(channel)\"> \(channel)</label>"
        })
        return """
            <form method="post" action="/admin/products/bulk" id="bulk" class="panel bulk"><input type="hidden" name="csrf" value="\(person.session.csrf)">
            <input type="hidden" name="back" value="\(filters.queryString)">
            <fieldset><legend>\(text["selected_products"])</legend>\(boxes)
            <label for="bulk-at" class="inline">\(text["at_time"])</label> <input type="datetime-local" id="bulk-at" name="at">
            <button type="submit" name="action" value="publish" id="bulk-publish">\(text["publish"])</button>
            <button type="submit" name="action" value="unpublish" class="quiet" id="bulk-unpublish">\(text["unpublish"])</button></fieldset></form>
            """
    }
}
