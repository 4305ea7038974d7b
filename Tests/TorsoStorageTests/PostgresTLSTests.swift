import Foundation
import Testing
import TorsoStorage
import TorsoTestSupport

/// PostgreSQL URLs take libpq's `sslmode` and `sslrootcert`; anything else in the query is a
/// mistake worth refusing at start-up rather than ignoring.
@Suite struct PostgresTLSTests {
    @Test func urlsCarryTheTLSModeLibpqWould() throws {
        let plain = try DatabaseURL(parsing: "postgres://torso:secret@db.internal:5433/shop")
        #expect(plain == .postgres(host: "db.internal", port: 5433, username: "torso", password: "secret", database: "shop",
                                   tls: PostgresTLS(mode: .prefer)))
        let verified = try DatabaseURL(parsing: "postgresql://torso@db/shop?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem")
        #expect(verified == .postgres(host: "db", port: 5432, username: "torso", password: nil, database: "shop",
                                      tls: PostgresTLS(mode: .verifyFull, rootCertificate: "/etc/ssl/ca.pem")))
        for mode in ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] {
            #expect(throws: Never.self) { try DatabaseURL(parsing: "postgres://db/shop?sslmode=\(mode)") }
        }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "postgres://db/shop?sslmode=always") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "postgres://db/shop?ssl=true") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "postgres://db/shop?sslrootcert=") }
        // Logs show the mode, never the password
        #expect(verified.description.hasSuffix("?sslmode=verify-full"))
        #expect(!plain.description.contains("secret"))
    }

    /// Against the test server (which has no certificate): `prefer` and `disable` connect,
    /// `require` refuses to go on in plain text.
    @Test(.enabled(if: TestDatabase.postgresServer != nil)) func requireRefusesAServerWithoutTLS() async throws {
        guard case .postgres(let host, let port, let username, let password, _, _)? = TestDatabase.postgresServer else { return }
        for mode in [PostgresTLS.Mode.disable, .prefer] {
            let store = try await SQLStore.open(.postgres(host: host, port: port, username: username, password: password, database: "postgres",
                                                          tls: PostgresTLS(mode: mode)))
            await store.close()
        }
        await #expect(throws: (any Error).self) {
            let store = try await SQLStore.open(.postgres(host: host, port: port, username: username, password: password, database: "postgres",
                                                          tls: PostgresTLS(mode: .require)))
            await store.close()
        }
    }
}
