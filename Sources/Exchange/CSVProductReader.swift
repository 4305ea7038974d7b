import Foundation
import TorsoKit

/// Groups the records of Torso's product CSV into products: one row per variant; a row whose
/// `id` and slugs are empty or the same as the row before continues that row's product. A file
/// with neither an `id` nor a slug column (a price or stock list by SKU) has one product per
/// row, found by its SKU.
public struct CSVProductReader: Sendable {
    /// The columns, from the header.
    public let columns: [CSVColumn]
    let headers: [String]
    let grouped: Bool
    private var current: ProductDraft?

    /// Reads the header; 422-style errors for a file Torso cannot read at all (no `sku`
    /// column, a name twice).
    public init(header: CSVReader.Record, locales: Set<String>, channels: Set<String>) throws {
        headers = header.fields.map { $0.trimmingWhitespace() }
        columns = headers.map { CSVColumn.parse($0, locales: locales, channels: channels) }
        guard columns.contains(.sku) else {
            throw ExchangeError(code: "missing_column", line: header.line, column: "sku",
                                detail: "Torso's product CSV needs a 'sku' column (one row per variant); is this Shopify's format (--format shopify)?")
        }
        grouped = columns.contains { column in
            switch column {
            case .id, .slug: true
            default: false
            }
        }
        var seen = Set<String>()
        for name in headers where !name.isEmpty && !seen.insert(name).inserted {
            throw ExchangeError(code: "duplicate_column", line: header.line, column: name, detail: "Column '\(name)' appears twice.")
        }
    }

    /// The columns Torso does not read (reported, not imported).
    public var ignoredColumns: [String] { zip(headers, columns).filter { $0.1 == .ignored && !$0.0.isEmpty }.map(\.0) }

    /// Reads a record; answers the product it completes, if this record starts another.
    public mutating func read(_ record: CSVReader.Record) -> ProductDraft? {
        var row = ProductDraft.Row(line: record.line, sku: "", cells: [], prices: [])
        var id: String?, productType: String?, categories: String?, media: String?, mediaAlt: [String: String] = [:]
        var slugs: [String: String] = [:], stock: [(String, String, String)] = [], errors: [ExchangeError] = []
        if record.fields.count > columns.count {
            errors.append(ExchangeError(code: "too_many_fields", line: record.line,
                                        detail: "The row has \(record.fields.count) fields; the header names \(columns.count)."))
        }
        for (index, raw) in record.fields.prefix(columns.count).enumerated() {
            let text = raw.trimmingWhitespace()
            guard !text.isEmpty else { continue }
            switch columns[index] {
            case .id: id = text
            case .productType: productType = text
            case .categories: categories = text
            case .mediaURL: media = text
            case .mediaAlt(let locale): mediaAlt[locale] = text
            case .sku: row.sku = text
            case .slug(let locale): slugs[locale] = text
            case .price(let currency, let channel):
                row.prices.append(.init(currency: currency, channel: channel, text: text, column: headers[index]))
            case .stock(let location): stock.append((location, text, headers[index]))
            case .attribute(let code, let locale, let channel):
                row.cells.append(.init(code: code, locale: locale, channel: channel, text: text, column: headers[index]))
            case .ignored: break
            }
        }
        if row.sku.isEmpty { errors.append(ExchangeError(code: "required", line: record.line, column: "sku", detail: "Every row is a variant and needs a SKU.")) }
        let key = id ?? slugs.sorted { $0.key < $1.key }.first.map { "\($0.key):\($0.value)" }
        var finished: ProductDraft?
        if current == nil || !grouped || (key != nil && key != Self.key(of: current!)) {
            finished = current
            var draft = ProductDraft(line: record.line)
            draft.id = id
            draft.productType = productType
            draft.slugs = slugs
            draft.categories = categories.map { $0.split(separator: "|").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty } }
            draft.media = media.map(MediaTexts.split)
            draft.mediaAlt = mediaAlt.mapValues(MediaTexts.split)
            current = draft
        }
        for (location, text, column) in stock {
            // Below zero is what a backordered variant exports; only counts that change are checked
            // for their range (0 to 1,000,000,000) when the product is imported.
            if let units = Int(text) {
                current!.stock.append(.init(sku: row.sku, location: location, onHand: units, line: record.line))
            } else {
                errors.append(ExchangeError(code: "invalid_value", line: record.line, column: column, detail: "Stock is a whole number of units."))
            }
        }
        if current!.rows.contains(where: { $0.sku == row.sku }), !row.sku.isEmpty {
            errors.append(ExchangeError(code: "duplicate_sku", line: record.line, column: "sku", detail: "SKU '\(row.sku)' appears twice in this product."))
        }
        current!.rows.append(row)
        current!.errors += errors
        return finished
    }

    /// Ends the file: the last product.
    public mutating func finish() -> ProductDraft? {
        defer { current = nil }
        return current
    }

    static func key(of draft: ProductDraft) -> String? {
        draft.id ?? draft.slugs.sorted { $0.key < $1.key }.first.map { "\($0.key):\($0.value)" }
    }
}
