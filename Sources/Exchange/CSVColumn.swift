import Foundation
import TorsoKit

/// What a column of Torso's product CSV holds, read from its header. Reserved names: `id`,
/// `product_type`, `categories` (IDs or slugs, `|` between), `media_url` (the product's
/// images and videos, `|` between), `media_alt-LOCALE` (their alternative texts in the same
/// order, `|` between; in both, `\|` for a bar within one), `sku`, `slug-LOCALE`,
/// `price-CURRENCY` or `price-CURRENCY-CHANNEL` (major units, `19.99`),
/// `stock-LOCATION` (units on hand). Any other name is an attribute: `code`, `code-LOCALE`,
/// `code-CHANNEL` or `code-LOCALE-CHANNEL` (`description-de-DE-web`).
public enum CSVColumn: Sendable, Equatable {
    /// The product's ID (`prod_…`), to update it.
    case id
    /// The product type's code.
    case productType
    /// Categories by ID or slug, `|` between.
    case categories
    /// The product's media URLs, `|` between.
    case mediaURL
    /// The alternative texts of the product's media in a locale, `|` between.
    case mediaAlt(locale: String)
    /// The variant's SKU.
    case sku
    /// The product's slug in a locale.
    case slug(locale: String)
    /// A price in major units in a currency, for every channel or one.
    case price(currency: String, channel: String?)
    /// Units on hand at a stock location.
    case stock(location: String)
    /// An attribute's value, in a locale and a channel or neither.
    case attribute(code: String, locale: String?, channel: String?)
    /// A column the file may carry that Torso does not read (left out of the import, reported).
    case ignored

    /// The role of a header name; `locales` are the known locale codes (to tell `de-DE` from a
    /// channel), `channels` the known channel codes.
    public static func parse(_ header: String, locales: Set<String>, channels: Set<String>) -> CSVColumn {
        let name = header.trimmingWhitespace()
        switch name {
        case "id": return .id
        case "product_type": return .productType
        case "categories": return .categories
        case "media_url": return .mediaURL
        case "sku": return .sku
        default: break
        }
        let parts = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let head = parts.first, !head.isEmpty else { return .ignored }
        let rest = Array(parts.dropFirst())
        switch head {
        case "slug":
            let locale = rest.joined(separator: "-")
            return locales.contains(locale) ? .slug(locale: locale) : .ignored
        case "media_alt":
            let locale = rest.joined(separator: "-")
            return locales.contains(locale) ? .mediaAlt(locale: locale) : .ignored
        case "price":
            guard let currency = rest.first, currency.count == 3 else { return .ignored }
            let channel = rest.dropFirst().joined(separator: "-")
            if channel.isEmpty { return .price(currency: currency, channel: nil) }
            return channels.contains(channel) ? .price(currency: currency, channel: channel) : .ignored
        case "stock":
            let location = rest.joined(separator: "-")
            return location.isEmpty ? .ignored : .stock(location: location)
        default:
            // code[-LL-RR][-channel]: a locale is two parts that name a known locale.
            var locale: String?
            var remainder = rest
            if remainder.count >= 2, locales.contains(remainder[0] + "-" + remainder[1]) {
                locale = remainder[0] + "-" + remainder[1]
                remainder.removeFirst(2)
            }
            let channel = remainder.joined(separator: "-")
            if !channel.isEmpty, !channels.contains(channel) { return .ignored }
            return .attribute(code: head, locale: locale, channel: channel.isEmpty ? nil : channel)
        }
    }

    /// The header name of this column (for export).
    public var header: String {
        switch self {
        case .id: "id"
        case .productType: "product_type"
        case .categories: "categories"
        case .mediaURL: "media_url"
        case .mediaAlt(let locale): "media_alt-" + locale
        case .sku: "sku"
        case .slug(let locale): "slug-" + locale
        case .price(let currency, let channel): "price-" + currency + (channel.map { "-" + $0 } ?? "")
        case .stock(let location): "stock-" + location
        case .attribute(let code, let locale, let channel): [code, locale, channel].compactMap { $0 }.joined(separator: "-")
        case .ignored: ""
        }
    }
}
