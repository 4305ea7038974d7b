import Foundation
import TorsoKit

extension ImportJob.Format {
    /// The format a file's first bytes show: NDJSON when the first character is `{`, Shopify's
    /// CSV when the header has Handle and Variant SKU, else Torso's CSV.
    public static func detect(_ head: Data) -> ImportJob.Format {
        let text = String(decoding: head.starts(with: [0xEF, 0xBB, 0xBF]) ? head.dropFirst(3) : head, as: UTF8.self)
        if text.drop(while: \.isWhitespace).first == "{" { return .ndjson }
        let header = text.prefix { $0 != "\n" && $0 != "\r" }
        return header.contains("Handle") && header.contains("Variant SKU") ? .shopify : .csv
    }
}

/// Turns a file's bytes, as they arrive, into product drafts, whatever its format.
public struct DraftReader: Sendable {
    let format: ImportJob.Format
    let locales: Set<String>
    let channels: Set<String>
    var csv = CSVReader()
    var lines = LineReader()
    var products: CSVProductReader?
    let shopify: ShopifyMapping?
    var shopifyProducts: ShopifyProductReader?
    /// Columns the file has that Torso does not read.
    public private(set) var ignoredColumns: [String] = []

    /// A reader for a file of `format`; Shopify's CSV needs the mapping its import settled on.
    public init(format: ImportJob.Format, locales: Set<String>, channels: Set<String>, shopify: ShopifyMapping? = nil) {
        self.format = format
        self.locales = locales
        self.channels = channels
        self.shopify = shopify
    }

    /// The drafts `bytes` complete. A problem with the file as a whole (its encoding, its
    /// header) throws; a product's own problems are in its draft.
    public mutating func read(_ bytes: some Sequence<UInt8>) throws -> [ProductDraft] {
        if format == .ndjson { return lines.read(bytes).map(Self.draft) }
        return try records(try csv.read(bytes))
    }

    /// The drafts the end of the file completes.
    public mutating func finish() throws -> [ProductDraft] {
        if format == .ndjson { return lines.finish().map(Self.draft) }
        var drafts = try records(try csv.finish())
        if let last = products?.finish() { drafts.append(last) }
        if let shopify, let last = shopifyProducts?.finish() { drafts.append(shopify.draft(last)) }
        return drafts
    }

    mutating func records(_ records: [CSVReader.Record]) throws -> [ProductDraft] {
        var drafts: [ProductDraft] = []
        if format == .shopify {
            guard let shopify else { throw ExchangeError(code: "invalid_value", line: 0, detail: "Shopify's CSV is read with its mapping.") }
            for record in records {
                if shopifyProducts == nil {
                    shopifyProducts = try ShopifyProductReader(header: record)
                    ignoredColumns = shopifyProducts!.ignoredColumns
                } else if let product = shopifyProducts!.read(record) {
                    drafts.append(shopify.draft(product))
                }
            }
            return drafts
        }
        for record in records {
            if products == nil {
                products = try CSVProductReader(header: record, locales: locales, channels: channels)
                ignoredColumns = products!.ignoredColumns
            } else if let draft = products!.read(record) {
                drafts.append(draft)
            }
        }
        return drafts
    }

    static func draft(_ line: (line: Int, bytes: [UInt8])) -> ProductDraft {
        var draft = ProductDraft(line: line.line)
        do {
            draft.document = try JSONCoding.parse(Data(line.bytes))
            if draft.document?.objectValue == nil {
                draft.errors.append(ExchangeError(code: "invalid_type", line: line.line, detail: "Each line is one product: a JSON object."))
            }
        } catch {
            draft.errors.append(ExchangeError(code: "invalid_json", line: line.line, detail: "Line \(line.line) is not JSON."))
        }
        return draft
    }
}
