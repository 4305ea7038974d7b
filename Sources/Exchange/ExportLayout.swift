import Catalog
import TorsoKit

/// The columns of a product CSV export, from the catalog's settings, and a product's rows
/// under them: one per variant, the product's own fields on its first row only. Importing
/// the file gives the same products (the round trip).
public struct ExportLayout: Sendable {
    /// The columns, in order.
    public let columns: [CSVColumn]
    let axes: [String: Set<String>]

    /// The layout for the catalog; `channel` and `locale` narrow the values to theirs.
    public init(attributes: [AttributeDefinition], productTypes: [ProductType], locales: [String], channels: [String],
                currencies: [String], locations: [String], channel: String?, locale: String?) {
        let locales = locale.map { [$0] } ?? locales.sorted()
        let channels = channel.map { [$0] } ?? channels.sorted()
        var columns: [CSVColumn] = [.id, .productType, .categories, .mediaURL]
        columns += locales.map { CSVColumn.mediaAlt(locale: $0) }
        columns += locales.map { CSVColumn.slug(locale: $0) }
        columns.append(.sku)
        for attribute in attributes.sorted(by: { $0.code < $1.code }) {
            let inLocales: [String?] = attribute.localizable ? locales : [nil]
            let inChannels: [String?] = attribute.scopable ? channels : [nil]
            for place in inLocales { for scope in inChannels { columns.append(.attribute(code: attribute.code, locale: place, channel: scope)) } }
        }
        for currency in currencies.sorted() {
            columns.append(.price(currency: currency, channel: nil))
            for scope in channels { columns.append(.price(currency: currency, channel: scope)) }
        }
        columns += locations.sorted().map { CSVColumn.stock(location: $0) }
        self.columns = columns
        axes = Dictionary(productTypes.map { ($0.code, Set($0.variantAxes)) }, uniquingKeysWith: { first, _ in first })
    }

    /// Products as the export writes them: NDJSON lines, or with a layout, its CSV rows.
    public static func encode(_ products: [JSONValue], layout: ExportLayout?) -> [UInt8] {
        var bytes: [UInt8] = []
        for product in products {
            if let layout {
                for row in layout.rows(product) { bytes += CSVWriter.row(row).utf8 }
            } else {
                bytes += product.jsonBytes()
                bytes.append(0x0A)
            }
        }
        return bytes
    }

    /// The header row.
    public var header: [String] { columns.map(\.header) }

    /// A product's rows (the product as the admin API shows it, with its stock).
    public func rows(_ product: JSONValue) -> [[String]] {
        let variants = product["variants"]?.arrayValue ?? []
        let type = product["product_type"]?.stringValue ?? ""
        return variants.enumerated().map { index, variant in
            columns.map { column in
                switch column {
                // On every row: continuation rows then name their product even when sorted apart.
                case .id: product["id"]?.stringValue ?? ""
                case .productType: index == 0 ? type : ""
                case .categories: index == 0 ? (product["categories"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "|") : ""
                case .mediaURL: index == 0 ? MediaTexts.join((product["media"]?.arrayValue ?? []).compactMap { $0["url"]?.stringValue }) : ""
                case .mediaAlt(let locale): index == 0 ? Self.mediaTexts(product, locale) : ""
                case .slug(let locale): index == 0 ? product["slug"]?[locale]?.stringValue ?? "" : ""
                case .sku: variant["sku"]?.stringValue ?? ""
                case .attribute(let code, let locale, let channel):
                    if axes[type]?.contains(code) == true, locale == nil, channel == nil { variant["axes"]?[code].map(CellValue.text) ?? "" }
                    else { value(variant["values"]?[code], locale, channel) ?? (index == 0 ? value(product["values"]?[code], locale, channel) ?? "" : "") }
                case .price(let currency, let channel):
                    (variant["prices"]?.arrayValue ?? []).first { $0["currency"]?.stringValue == currency && $0["channel"]?.stringValue == channel }?["amount"]?
                        .numberValue.map { MinorUnits.text(Int64($0), currency: currency) } ?? ""
                case .stock(let location):
                    (variant["stock"]?.arrayValue ?? []).first { $0["location"]?.stringValue == location }?["on_hand"]?.numberValue.map { String(Int($0)) } ?? ""
                case .ignored: ""
                }
            }
        }
    }

    /// The media's alternative texts in `locale`, in their order; empty when none has one.
    static func mediaTexts(_ product: JSONValue, _ locale: String) -> String {
        let texts = (product["media"]?.arrayValue ?? []).map { $0["alt"]?[locale]?.stringValue ?? "" }
        return texts.allSatisfy(\.isEmpty) ? "" : MediaTexts.join(texts)
    }

    func value(_ entries: JSONValue?, _ locale: String?, _ channel: String?) -> String? {
        (entries?.arrayValue ?? []).first { $0["locale"]?.stringValue == locale && $0["channel"]?.stringValue == channel }?["data"].map(CellValue.text)
    }
}
