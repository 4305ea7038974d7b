import Foundation
import TorsoApp
import TorsoKit
import TorsoStorage
import Workflows
import Access

/// Databases for tests. By default every test gets a private in-memory SQLite database; with
/// `TORSO_TEST_DATABASE=postgres://user@host:port/db` every test gets a fresh PostgreSQL
/// database created next to that one and dropped afterwards, so the same suites run on both.
public enum TestDatabase {
    /// The PostgreSQL server to test against, if any.
    public static var postgresServer: DatabaseURL? {
        guard let text = ProcessInfo.processInfo.environment["TORSO_TEST_DATABASE"], !text.isEmpty,
              let url = try? DatabaseURL(parsing: text), case .postgres = url else { return nil }
        return url
    }

    /// A short name of the backend, for test names and messages.
    public static var backend: String { postgresServer == nil ? "sqlite" : "postgres" }

    /// A new, empty database URL and a function that removes it.
    public static func make() async throws -> (url: DatabaseURL, cleanup: @Sendable () async -> Void) {
        guard case .postgres(let host, let port, let username, let password, _, let tls)? = postgresServer else {
            return (.sqliteMemory, {})
        }
        let name = "torso_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try await SQLStore.open(.postgres(host: host, port: port, username: username, password: password, database: "postgres", tls: tls))
        try await admin.execute("CREATE DATABASE \(name)")
        await admin.close()
        let url = DatabaseURL.postgres(host: host, port: port, username: username, password: password, database: String(name), tls: tls)
        return (url, {
            guard let admin = try? await SQLStore.open(.postgres(host: host, port: port, username: username, password: password, database: "postgres", tls: tls)) else { return }
            try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.close()
        })
    }

    /// A temporary SQLite file path (for restart and durability tests).
    public static func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("torso-\(UUID().uuidString).sqlite").path
    }

    /// Runs `body` with migrated services on a fresh database, then closes and removes it.
    public static func withServices<T: Sendable>(heartbeat: Duration = .seconds(15), webhooks: WebhookSettings = WebhookSettings(),
                                                 _ body: (TorsoServices) async throws -> T) async throws -> T {
        let database = try await make()
        // bcrypt's lowest cost: registrations and logins in tests take a millisecond, not 50.
        let services = try await TorsoServices.open(database.url, passwordCost: 4, heartbeat: heartbeat, webhooks: webhooks)
        do {
            let result = try await body(services)
            await services.store.close()
            await database.cleanup()
            return result
        } catch {
            await services.store.close()
            await database.cleanup()
            throw error
        }
    }
}

/// A small catalog to test against: locales en-US and de-DE, channels web (both locales) and
/// voice (en-US only), a stock location, attributes and a `tshirt` type with size and color axes.
public enum Fixtures {
    /// Creates an admin key with the given scopes and returns its secret.
    public static func key(_ services: TorsoServices, scopes: Set<Scope> = Set(Scope.allCases), name: String = "test") async throws -> String {
        try await services.keys.create(name: name, kind: .secret, scopes: scopes, channel: nil).secret
    }

    static let context = WriteContext(actor: .init(keyId: "test", name: "fixtures"))

    /// Loads the settings.
    public static func loadSettings(_ services: TorsoServices) async throws {
        func json(_ text: String) throws -> JSONValue { try JSONCoding.parse(Data(text.utf8)) }
        for body in [#"{"code":"en-US","name":"English"}"#, #"{"code":"de-DE","name":"Deutsch"}"#] {
            _ = try await services.locales.create(try json(body), context: context)
        }
        _ = try await services.channels.create(try json(#"{"code":"web","name":"Web","locales":["en-US","de-DE"],"default_locale":"en-US","currencies":["EUR","USD"],"payment_providers":["test","manual"],"test_mode":true}"#), context: context)
        _ = try await services.channels.create(try json(#"{"code":"voice","name":"Voice","locales":["en-US"],"default_locale":"en-US","currencies":["USD"],"payment_providers":["test","manual"],"test_mode":true}"#), context: context)
        _ = try await services.stockLocations.create(try json(#"{"code":"berlin","name":"Berlin"}"#), context: context)
        for attribute in [
            #"{"code":"name","type":"text","localizable":true,"validation":{"max_length":50}}"#,
            #"{"code":"description","type":"textarea","localizable":true}"#,
            #"{"code":"tagline","type":"text","localizable":true,"scopable":true}"#,
            #"{"code":"ean","type":"text","unique":true,"validation":{"pattern":"[0-9]{13}"}}"#,
            #"{"code":"rating","type":"number","validation":{"min":0,"max":5}}"#,
            #"{"code":"weight","type":"metric","units":["GRAM","KILOGRAM"]}"#,
            #"{"code":"color","type":"select","options":[{"code":"red"},{"code":"blue"}]}"#,
            #"{"code":"size","type":"select","options":[{"code":"s"},{"code":"m"},{"code":"l"}]}"#,
        ] {
            _ = try await services.attributes.create(try json(attribute), context: context)
        }
        _ = try await services.productTypes.create(try json("""
            {"code":"tshirt","attributes":["name","description","tagline","ean","rating"],"variant_attributes":["weight"],
             "variant_axes":["size","color"],"requirements":{"web":["name","description"],"voice":["name","tagline"]}}
            """), context: context)
    }

    /// A valid product body with `variants` variants; `suffix` keeps slugs and SKUs unique.
    public static func productBody(_ suffix: String, variants: Int = 3) -> String {
        let sizes = ["s", "m", "l"]
        let colors = ["red", "blue"]
        let list = (0..<variants).map { index in
            """
            {"sku":"SKU-\(suffix)-\(index)","axes":{"size":"\(sizes[index % 3])","color":"\(colors[(index / 3) % 2])"},
             "prices":[{"amount":\(1999 + index),"currency":"EUR"}],"stock":[{"location":"berlin","on_hand":\(index + 5)}]}
            """
        }.joined(separator: ",")
        return """
            {"product_type":"tshirt","slug":{"en-US":"shirt-\(suffix)"},
             "values":{"name":[{"locale":"en-US","data":"Shirt \(suffix)"}]},
             "variants":[\(list)]}
            """
    }
}
