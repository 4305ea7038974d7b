import Foundation
import TorsoKit

/// A sales channel: one kind of head (web shop, app, voice assistant, billboard) with the
/// locales and currencies it serves.
public struct Channel: StoredResource, Equatable {
    public static let kind = "channel"
    public static let collection = "channels"
    public static let schema: FieldSchema = .object(
        [
            "code": .string(), "name": .string(),
            "locales": .array(.string()), "default_locale": .string(),
            "currencies": .array(.string()),
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
    /// The currencies prices are shown in.
    public var currencies: [Currency]
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
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case code, name, locales, currencies, version
        case defaultLocale = "default_locale"
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
        if Set(currencies).count != currencies.count { errors.add("/currencies", "duplicate", "Each currency may appear once.") }
        try errors.throwIfAny()
    }
}
