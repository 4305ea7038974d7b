import Access
import Catalog
import Exchange
import Publishing
import TorsoKit

/// The product editor: the product's own values per locale and channel with an input fitting
/// each attribute type, a completeness meter per channel and locale that follows the inputs,
/// publication state (staged against live), a publish form, and the product's recent history.
struct ProductEditorPage {
    let product: Product
    let context: CatalogContext
    let completeness: [Completeness]
    let status: PublicationStatus
    let history: [HistoryEntry]
    let person: BackOfficePerson
    /// What a refused form sent, by field: shown instead of the stored values.
    var submitted: [String: String] = [:]
    /// Per channel whose live copy is older than the staged product: that version and what differs.
    var staged: [String: (liveVersion: Int, changes: [FieldChange])] = [:]

    /// A value's place: an attribute, a locale (localizable ones) and a channel (scopable ones).
    struct Slot: Hashable {
        var attribute: String
        var locale: String?
        var channel: String?

        /// The form field's name and the input's ID.
        var field: String { ["v", attribute, locale ?? "", channel ?? ""].joined(separator: "|") }
        var id: String { ["v", attribute, locale ?? "-", channel ?? "-"].joined(separator: "-") }
    }

    /// The product-level slots of the product's type, in display order.
    static func slots(_ product: Product, _ context: CatalogContext) -> [Slot] {
        guard let type = context.productTypes[product.productType] else { return [] }
        let locales = context.locales.sorted(), channels = context.channels.keys.sorted()
        return type.attributes.filter { !type.variantAttributes.contains($0) }.flatMap { code -> [Slot] in
            guard let definition = context.attributes[code] else { return [] }
            let inLocales: [String?] = definition.localizable ? locales : [nil]
            let inChannels: [String?] = definition.scopable ? channels : [nil]
            return inLocales.flatMap { locale in inChannels.map { Slot(attribute: code, locale: locale, channel: $0) } }
        }
    }

    /// The text of a slot's value as the form shows it.
    static func text(_ product: Product, _ slot: Slot) -> String {
        (product.values[slot.attribute] ?? []).first { $0.locale == slot.locale && $0.channel == slot.channel }.map { CellValue.text($0.data) } ?? ""
    }

    func render(notice: String?, problem: Markup?) -> Markup {
        let text = BackOfficeText(person.language)
        let name = Self.text(product, Slot(attribute: "name", locale: person.language == .de ? "de-DE" : "en-US", channel: nil))
        let title = name.isEmpty ? product.key : name
        return BackOfficeLayout.page(title: title, person: person, current: "/admin/products", body: """
            <h1>\(title)</h1>\(BackOfficeLayout.messages(notice: notice.map { "\($0)" }, problem: problem.map { "\($0)" }))
            <p>\(product.productType) · <code>\(product.key)</code> · v\(product.version)\(status.hasStagedChanges ? Markup(" · <strong>\(text["staged"])</strong>") : "")</p>
            <h2>\(text["completeness"])</h2><p class="meters">\(meters())</p>
            <form method="post" action="/admin/products/\(product.key)" id="editor">
            <input type="hidden" name="csrf" value="\(person.session.csrf)"><input type="hidden" name="version" value="\(product.version)">
            <fieldset><legend>\(text["values"])</legend><div class="values">\(fields())</div></fieldset>
            \(person.user.role.scopes.contains(.catalogWrite) ? Markup("<p><button type=\"submit\" id=\"save\">\(text["save"])</button></p>") : "")</form>
            \(stagedDifferences())
            \(person.user.role.scopes.contains(.catalogWrite) ? Markup("<h2>\(text["publish"])</h2>\(publication())") : "")
            <h2>\(text["preview"])</h2>\(ProductPreview(product: product, context: context, language: person.language).render())
            <h2>\(text["variants"])</h2>\(variants())
            <h2>\(text["history"])</h2>\(historyTable())
            """)
    }

    func meters() -> Markup {
        guard let type = context.productTypes[product.productType] else { return "" }
        let slots = Set(Self.slots(product, context))
        return Markup.join(completeness.map { entry in
            let required = Array(Set(type.requirements[entry.channel] ?? []))
            let editable = required.compactMap { code -> String? in
                guard let definition = context.attributes[code], !type.variantAttributes.contains(code) else { return nil }
                let slot = Slot(attribute: code, locale: definition.localizable ? entry.locale : nil, channel: definition.scopable ? entry.channel : nil)
                return slots.contains(slot) ? slot.id : nil
            }
            let fixed = required.count - editable.count - entry.missing.filter { code in !editable.contains { $0.hasPrefix("v-\(code)-") } }.count
            let (percent, tone) = BackOfficeLayout.percent(entry.ratio)
            return """
                <span class="meter-row">\(entry.channel) · \(entry.locale) <span class="meter \(tone)" id="meter-\(entry.channel)-\(entry.locale)" \
                data-requires="\(editable.joined(separator: " "))" data-fixed="\(max(0, fixed))" data-total="\(required.count)">\(percent)</span></span> 
                """
        })
    }

    func fields() -> Markup {
        Markup.join(Self.slots(product, context).map { slot in
            let definition = context.attributes[slot.attribute]!
            let label = definition.labels[person.language == .de ? "de-DE" : "en-US"] ?? definition.labels.locales.first.flatMap { definition.labels[$0] } ?? slot.attribute
            let scope = [slot.locale, slot.channel].compactMap { $0 }.joined(separator: " · ")
            let value = submitted[slot.field] ?? Self.text(product, slot)
            let locked = !person.user.mayEdit(locale: slot.locale, channel: slot.channel)
            let disabled: Markup = locked || !person.user.role.scopes.contains(.catalogWrite) ? " readonly aria-readonly=\"true\"" : ""
            let input: Markup
            switch definition.type {
            case .textarea, .richText:
                input = "<textarea id=\"\(slot.id)\" name=\"\(slot.field)\"\(disabled)>\(value)</textarea>"
            case .select:
                // Labels in the person's language; the code where an option has none.
                let language = person.language == .de ? "de-DE" : "en-US"
                let options = Markup.join([Markup("<option value=\"\"></option>")] + definition.options.map { option in
                    "<option value=\"\(option.code)\"\(option.code == value ? Markup(raw: " selected") : "")>\(option.labels[language] ?? option.code)</option>"
                })
                let fixed = locked || !person.user.role.scopes.contains(.catalogWrite)
                input = "<select id=\"\(slot.id)\" name=\"\(slot.field)\"\(fixed ? Markup(raw: " disabled") : "")>\(options)</select>"
            case .number:
                input = "<input type=\"number\" step=\"any\" id=\"\(slot.id)\" name=\"\(slot.field)\" value=\"\(value)\"\(disabled)>"
            case .media:
                let preview: Markup = value.hasPrefix("https://") ? "<img src=\"\(value)\" alt=\"\" height=\"48\">" : ""
                input = "<input type=\"text\" inputmode=\"url\" id=\"\(slot.id)\" name=\"\(slot.field)\" value=\"\(value)\"\(disabled)>\(preview)"
            default:
                input = "<input type=\"text\" id=\"\(slot.id)\" name=\"\(slot.field)\" value=\"\(value)\"\(disabled)>"
            }
            return "<label for=\"\(slot.id)\">\(label) <span class=\"scope\">\(scope)</span></label><div>\(input)</div>"
        })
    }

    func publication() -> Markup {
        let text = BackOfficeText(person.language)
        let live = Dictionary(status.channels.map { ($0.channel, $0) }, uniquingKeysWith: { first, _ in first })
        let boxes = Markup.join(context.channels.keys.sorted().filter(person.user.mayPublish(to:)).map { channel in
            let state = live[channel].map { view in
                [view.publishedVersion.map { "\(text["live"]) v\($0)" }, view.scheduledAt.map { "\(text["scheduled"]) \($0.prefix(16))" }]
                    .compactMap { $0 }.joined(separator: " · ")
            } ?? "–"
            return "<label><input type=\"checkbox\" name=\"channels\" value=\"\(channel)\" id=\"publish-\(channel)\"> \(channel) <span class=\"scope\">(\(state))</span></label>"
        })
        return """
            <form method="post" action="/admin/products/\(product.key)/publish"><input type="hidden" name="csrf" value="\(person.session.csrf)">
            \(boxes)<p><label for="publish-at" class="inline">\(text["at_time"])</label> <input type="datetime-local" id="publish-at" name="at">
            <button type="submit" id="publish">\(text["publish"])</button></p></form>
            """
    }

    func variants() -> Markup {
        let rows = Markup.join(product.variants.map { variant in
            let axes = variant.axes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            let prices = variant.prices.map { "\(MinorUnits.text($0.amount, currency: $0.currency.code)) \($0.currency.code)\($0.channel.map { " (\($0))" } ?? "")" }
                .joined(separator: ", ")
            let stock = variant.stock.map { "\($0.location): \($0.onHand)" }.joined(separator: ", ")
            return "<tr><td>\(variant.sku)</td><td>\(axes)</td><td>\(prices)</td><td>\(stock)</td></tr>"
        })
        return "<table><thead><tr><th>SKU</th><th>Axes</th><th>Prices</th><th>Stock</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    func historyTable() -> Markup {
        let text = BackOfficeText(person.language)
        let rows = Markup.join(history.reversed().map { entry in
            "<tr><td>\(entry.at)</td><td>\(entry.actor.name)</td><td>v\(entry.version) \(entry.action): \(entry.changes.map(\.path).prefix(6).joined(separator: ", "))</td></tr>"
        })
        return "<table><thead><tr><th>\(text["when"])</th><th>\(text["who"])</th><th>\(text["what"])</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    /// Staged against published: per channel, the fields that differ from its live copy.
    func stagedDifferences() -> Markup {
        guard !staged.isEmpty else { return "" }
        let text = BackOfficeText(person.language)
        func short(_ value: JSONValue?) -> String {
            guard let value else { return "–" }
            let written = String(decoding: value.jsonBytes(), as: UTF8.self)
            return written.count > 80 ? String(written.prefix(79)) + "…" : written
        }
        let channels = Markup.join(staged.sorted { $0.key < $1.key }.map { channel, diff in
            let rows = Markup.join(diff.changes.prefix(12).map { "<tr><td><code>\($0.path)</code></td><td>\(short($0.from))</td><td>\(short($0.to))</td></tr>" })
            return """
                <h3>\(channel) <span class="scope">v\(diff.liveVersion) → v\(product.version)</span></h3>
                <table class="diff"><thead><tr><th></th><th>\(text["live"])</th><th>\(text["staged"])</th></tr></thead><tbody>\(rows)</tbody></table>
                """
        })
        return "<h2>\(text["staged_vs_published"])</h2><div id=\"staged-diff\">\(channels)</div>"
    }
}
