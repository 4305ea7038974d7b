import Catalog
import Exchange
import TorsoKit

/// What each head would show of the staged product: per channel and its first locale, the
/// values its product type requires there, resolved as the channel reads them (a value for the
/// channel before one for all channels) — a web card with its image, the voice channel's spoken
/// text, a billboard's fields — with the first variant's price in the channel's currency.
struct ProductPreview {
    let product: Product
    let context: CatalogContext
    let language: BackOfficeLanguage

    func render() -> Markup {
        let text = BackOfficeText(language)
        let type = context.productTypes[product.productType]
        let cards = Markup.join(context.channels.sorted { $0.key < $1.key }.map { code, channel -> Markup in
            let locale = channel.locales.first ?? "en-US"
            let required = type?.requirements[code] ?? ["name"]
            var image: Markup = ""
            var lines: [Markup] = []
            for attribute in required {
                guard let data = value(attribute, locale: locale, channel: code) else {
                    lines.append("<p class=\"missing\">\(label(attribute, locale)): \(text["missing"])</p>")
                    continue
                }
                if context.attributes[attribute]?.type == .media, let url = data.objectValue?["url"]?.stringValue ?? data.stringValue,
                   url.hasPrefix("https://") || url.hasPrefix("http://") {
                    image = "<img src=\"\(url)\" alt=\"\" loading=\"lazy\">"
                } else if attribute != "name" {
                    lines.append("<p><span class=\"scope\">\(label(attribute, locale))</span><br>\(shown(attribute, data, locale))</p>")
                }
            }
            let name = value("name", locale: locale, channel: code).map { shown("name", $0, locale) } ?? product.key
            let price = channel.currencies.sorted().lazy.compactMap { currency in
                self.product.variants.first?.prices.first { $0.currency.code == currency && ($0.channel == nil || $0.channel == code) }
            }.first.map { "\(MinorUnits.text($0.amount, currency: $0.currency.code)) \($0.currency.code)" } ?? ""
            return """
                <article class="card preview" id="preview-\(code)"><h3>\(code) <span class="scope">\(locale)</span></h3>
                \(image)<strong class="preview-name">\(name)</strong>\(price.isEmpty ? "" : Markup("<p>\(price)</p>"))\(Markup.join(lines))</article>
                """
        })
        return "<p class=\"scope\">\(text["preview_note"])</p><div class=\"cards\">\(cards)</div>"
    }

    /// The value of an attribute as `channel` reads it in `locale`.
    func value(_ attribute: String, locale: String, channel: String) -> JSONValue? {
        let entries = (product.values[attribute] ?? []).filter(\.isFilled)
        let wanted = context.attributes[attribute]?.localizable == true ? locale : nil
        return (entries.first { $0.locale == wanted && $0.channel == channel } ?? entries.first { $0.locale == wanted && $0.channel == nil })?.data
    }

    func label(_ attribute: String, _ locale: String) -> String {
        context.attributes[attribute]?.labels[locale] ?? attribute
    }

    /// A value as a person reads it: a select's option by its label.
    func shown(_ attribute: String, _ data: JSONValue, _ locale: String) -> String {
        guard let definition = context.attributes[attribute], !definition.options.isEmpty else { return CellValue.text(data) }
        let codes = data.arrayValue?.compactMap(\.stringValue) ?? [data.stringValue ?? ""]
        return codes.map { code in definition.options.first { $0.code == code }?.labels[locale] ?? code }.joined(separator: ", ")
    }
}
