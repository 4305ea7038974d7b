import Catalog
import Exchange
import Foundation
import Inventory
import TorsoKit

extension ImportService {
    /// Reads a Shopify file once for the settings it needs, creates what is missing, and
    /// answers the mapping its products are read with, its sale prices and the report.
    func settleShopify(_ job: ImportJob, actor: HistoryEntry.Actor) async throws
        -> (ShopifyMapping, ShopifySurvey, [String]) {
        guard let shopify else { throw ExchangeError(code: "invalid_value", line: 0, detail: "This server does not import Shopify's CSV.") }
        let (catalog, locations) = try await store.read { tx in
            (try await contexts.context(in: tx), try await tx.documents.fetchAll(StockLocation.self))
        }
        // Texts in the default locale and prices in the currency most channels have (or the
        // currency asked for), stock at the first warehouse.
        func common(_ lists: [[String]]) -> String? {
            let counts = Dictionary(lists.flatMap { $0 }.map { ($0, 1) }, uniquingKeysWith: +)
            return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.first?.key
        }
        let channels = catalog.channels.values
        let locale = common(channels.compactMap { $0.locales.first.map { [$0] } }) ?? catalog.locales.sorted().first ?? "en-US"
        let currency = job.currency ?? common(channels.map { Array($0.currencies) }) ?? "EUR"
        let location = (locations.first { $0.kind == .warehouse } ?? locations.first)?.code
        let survey = try ShopifySurvey.read(job.path, currency: currency)
        let start = ShopifyMapping(locale: locale, currency: currency, location: location)
        let (mapping, report): (ShopifyMapping, [String])
        do {
            (mapping, report) = try await shopify.settle(survey, mapping: start, context: WriteContext(actor: actor))
        } catch let error as DomainError where error.code == "already_exists" {
            // Another import created a setting this one was creating: settle again over it.
            (mapping, report) = try await shopify.settle(survey, mapping: start, context: WriteContext(actor: actor))
        }
        let summary = "texts in \(locale), prices in \(currency)" + (location.map { ", stock at \($0)" } ?? ", no stock location: quantities left out")
        return (mapping, survey, [summary] + report)
    }
}
