import Testing
import TorsoKit
@testable import Access

/// Scopes and key secrets.
@Suite struct ScopeTests {
    @Test func listsParseAndUnknownScopesAreNamed() throws {
        // Given / When
        let scopes = try Scope.parseList("catalog:read, orders:write")
        // Then
        #expect(scopes == [.catalogRead, .ordersWrite])
        #expect(throws: ScopeError.self) { try Scope.parseList("catalog:read,root") }
        do {
            _ = try Scope.parseList("catalog:read,root")
        } catch {
            #expect(error.unknown == "root")
        }
    }

    @Test func settingsWriteImpliesReadingTheCatalog() {
        #expect(Scope.settingsWrite.implied.contains(.catalogRead))
        #expect(!Scope.catalogRead.implied.contains(.settingsWrite))
    }

    @Test func secretsAreStoredAsHashesAndShownAsHints() {
        // Given two secrets of each kind
        let secret = KeySecret.generate(kind: .secret)
        let publishable = KeySecret.generate(kind: .publishable)
        // Then they carry their kind, differ, hash the same way every time, and hint at their start only
        #expect(secret.hasPrefix("sk_") && publishable.hasPrefix("pk_"))
        #expect(secret != KeySecret.generate(kind: .secret))
        #expect(KeySecret.hash(secret) == KeySecret.hash(secret) && KeySecret.hash(secret) != secret)
        #expect(KeySecret.hint(secret) == String(secret.prefix(7)) + "…")
    }
}
