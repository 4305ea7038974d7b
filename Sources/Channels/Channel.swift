import Foundation
import TorsoKit

/// A sales channel: one kind of head (web shop, app, voice assistant, billboard) with the
/// locales and currencies it serves, the attributes its heads receive, and the browser origins
/// allowed to call its storefront API.
public struct Channel: StoredResource, Equatable {
    public static let kind = "channel"
    public static let collection = "channels"
    public static let schema: FieldSchema = .object(
        [
            "code": .string(), "name": .string(),
            "locales": .array(.string()), "default_locale": .string(),
            "currencies": .array(.string()),
            "exposed_attributes": .array(.string()),
            "fallbacks": .map(.array(.string())),
            "cors_origins": .array(.string()),
            "prices_include_tax": .boolean, "stock_locations": .array(.string()), "default_country": .nullable(.string()),
            "stock_display": .oneOf(StockDisplay.allCases.map(\.rawValue)), "low_stock_below": .integer,
            "payment_providers": .array(.string()), "test_mode": .boolean, "handoff_url": .nullable(.string()),
        ].merging(metadataFields) { $1 },
        required: ["code", "name", "locales", "default_locale", "currencies"],
        readOnly: Array(metadataFields.keys))

    /// The channel's code, e.g. `web`.
    public var code: String
    /// A name for people.
    public var name: String
    /// The locales the channel's heads are served in.
    public var locales: [LocaleCode]
    /// The locale used when a head asks for none; one of ``locales``.
    public var defaultLocale: LocaleCode
    /// The currencies prices are shown in; the first is the default.
    public var currencies: [Currency]
    /// The attributes the channel's heads receive; empty means every attribute.
    public var exposedAttributes: [String]
    /// Per locale, the locales to try when a value is missing, before ``defaultLocale``.
    public var fallbacks: [String: [LocaleCode]]
    /// Browser origins (`https://shop.example.com`) allowed to call the storefront API; `*` allows any.
    public var corsOrigins: [String]
    /// Whether prices shown and charged include tax (tax-inclusive) or tax is added at checkout.
    public var pricesIncludeTax: Bool
    /// The stock locations the channel sells from, in the order they are drawn on; empty for all.
    public var stockLocations: [String]
    /// The country taxed when a cart has no shipping address yet (ISO 3166-1 alpha-2).
    public var defaultCountry: String?
    /// Whether heads see exact counts of available units or only a band (`in_stock`, `low`, `out`).
    public var stockDisplay: StockDisplay
    /// Below this many units available, the band is `low` (default 3).
    public var lowStockBelow: Int
    /// The payment providers its heads may use (`test`, `manual`…); none by default, so a new
    /// channel takes no orders until the merchant says how it is paid.
    public var paymentProviders: [String]
    /// A test channel: the `test` provider (which approves made-up cards) works only here.
    public var testMode: Bool
    /// Where a phone claims a cart handed off by one of the channel's screens: an http(s) URL
    /// with `{code}` where the code goes (`https://shop.example/claim?code={code}`).
    public var handoffURL: String?
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { code }

    /// Creates a channel.
    public init(code: String, name: String, locales: [LocaleCode], defaultLocale: LocaleCode, currencies: [Currency],
                version: Int = 1, createdAt: String = "", updatedAt: String = "") {
        self.code = code
        self.name = name
        self.locales = locales
        self.defaultLocale = defaultLocale
        self.currencies = currencies
        self.exposedAttributes = []
        self.fallbacks = [:]
        self.corsOrigins = []
        self.pricesIncludeTax = true
        self.stockLocations = []
        self.defaultCountry = nil
        self.stockDisplay = .quantity
        self.lowStockBelow = 3
        self.paymentProviders = []
        self.testMode = false
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case code, name, locales, currencies, version
        case defaultLocale = "default_locale"
        case exposedAttributes = "exposed_attributes"
        case fallbacks
        case corsOrigins = "cors_origins"
        case pricesIncludeTax = "prices_include_tax"
        case stockLocations = "stock_locations"
        case defaultCountry = "default_country"
        case stockDisplay = "stock_display"
        case lowStockBelow = "low_stock_below"
        case paymentProviders = "payment_providers"
        case testMode = "test_mode"
        case handoffURL = "handoff_url"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        locales = try container.decode([LocaleCode].self, forKey: .locales)
        defaultLocale = try container.decode(LocaleCode.self, forKey: .defaultLocale)
        currencies = try container.decode([Currency].self, forKey: .currencies)
        exposedAttributes = try container.decodeIfPresent([String].self, forKey: .exposedAttributes) ?? []
        fallbacks = try container.decodeIfPresent([String: [LocaleCode]].self, forKey: .fallbacks) ?? [:]
        corsOrigins = try container.decodeIfPresent([String].self, forKey: .corsOrigins) ?? []
        pricesIncludeTax = try container.decodeIfPresent(Bool.self, forKey: .pricesIncludeTax) ?? true
        stockLocations = try container.decodeIfPresent([String].self, forKey: .stockLocations) ?? []
        defaultCountry = try container.decodeIfPresent(String.self, forKey: .defaultCountry)
        stockDisplay = try container.decodeIfPresent(StockDisplay.self, forKey: .stockDisplay) ?? .quantity
        lowStockBelow = try container.decodeIfPresent(Int.self, forKey: .lowStockBelow) ?? 3
        paymentProviders = try container.decodeIfPresent([String].self, forKey: .paymentProviders) ?? []
        testMode = try container.decodeIfPresent(Bool.self, forKey: .testMode) ?? false
        handoffURL = try container.decodeIfPresent(String.self, forKey: .handoffURL)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// Checks the channel against the locales that exist.
    public func validate(knownLocales: Set<String>) throws {
        var errors = ValidationErrors()
        Code.check(code, at: "/code", into: &errors)
        if locales.isEmpty { errors.add("/locales", "required", "A channel needs at least one locale.") }
        for (index, locale) in locales.enumerated() where !knownLocales.contains(locale.rawValue) {
            errors.add("/locales/\(index)", "unknown_locale", "Locale '\(locale)' does not exist; create it first.")
        }
        if Set(locales).count != locales.count { errors.add("/locales", "duplicate", "Each locale may appear once.") }
        if !locales.contains(defaultLocale) {
            errors.add("/default_locale", "locale_not_in_channel", "The default locale must be one of the channel's locales.")
        }
        if currencies.isEmpty { errors.add("/currencies", "required", "A channel needs at least one currency.") }
        if !(1...1_000_000).contains(lowStockBelow) {
            errors.add("/low_stock_below", "out_of_range", "low_stock_below is between 1 and 1000000.")
        }
        if Set(currencies).count != currencies.count { errors.add("/currencies", "duplicate", "Each currency may appear once.") }
        for locale in fallbacks.keys.sorted() {
            let pointer = "/fallbacks/" + JSONValue.escapePointer(locale)
            if LocaleCode(locale).map({ !locales.contains($0) }) ?? true {
                errors.add(pointer, "locale_not_in_channel", "Fallbacks are set for the channel's own locales.")
            }
            for (index, fallback) in fallbacks[locale]!.enumerated() where !locales.contains(fallback) {
                errors.add("\(pointer)/\(index)", "locale_not_in_channel", "A fallback must be one of the channel's locales.")
            }
        }
        if let handoffURL, !Self.isHandoffURL(handoffURL) {
            errors.add("/handoff_url", "invalid_url", "handoff_url is an http(s) URL of at most 500 characters with {code} where the code goes.")
        }
        for (index, origin) in corsOrigins.enumerated() where !Self.isOrigin(origin) {
            errors.add("/cors_origins/\(index)", "invalid_origin", "An origin is '*' or scheme://host[:port], without a path.")
        }
        try errors.throwIfAny()
    }

    /// The locales to read a value in, most preferred first: the locale, its fallbacks, the default.
    public func lookupOrder(for locale: LocaleCode) -> [String] {
        var order = [locale.rawValue]
        for fallback in fallbacks[locale.rawValue] ?? [] where !order.contains(fallback.rawValue) { order.append(fallback.rawValue) }
        if !order.contains(defaultLocale.rawValue) { order.append(defaultLocale.rawValue) }
        return order
    }

    /// Whether `origin` may call the storefront API from a browser.
    public func allowsOrigin(_ origin: String) -> Bool {
        corsOrigins.contains("*") || corsOrigins.contains(origin)
    }

    /// The URL a screen shows (as a QR code) for a handoff code, if the channel has one.
    public func handoffURL(code: String) -> String? {
        handoffURL?.replacingOccurrences(of: "{code}", with: code)
    }

    static func isHandoffURL(_ text: String) -> Bool {
        guard text.utf8.count <= 500, text.contains("{code}"),
              let url = URL(string: text.replacingOccurrences(of: "{code}", with: "CODE")), let scheme = url.scheme,
              ["http", "https"].contains(scheme), url.host?.isEmpty == false else { return false }
        return true
    }

    static func isOrigin(_ text: String) -> Bool {
        if text == "*" { return true }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host != nil, url.path.isEmpty, url.query == nil else { return false }
        return true
    }
}

/// How a channel's heads see stock.
public enum StockDisplay: String, Codable, Sendable, CaseIterable {
    /// Exact counts of available units.
    case quantity
    /// Only a band: `in_stock`, `low` or `out` (a voice assistant, a mirror in a shop).
    case band
}
