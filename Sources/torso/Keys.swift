import Access
import ArgumentParser
import Foundation
import TorsoApp
import TorsoKit

/// `torso keys …`: create, list and revoke API keys directly in the database. A server on the
/// same database sees the change within half a second.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API keys.",
        subcommands: [Create.self, CreatePublishable.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a secret admin key; prints it as the only line on stdout.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "What the key is for.") var name: String
        @Option(help: "Comma-separated scopes, or 'all': \(Scope.allCases.map(\.rawValue).joined(separator: ", ")).") var scopes: String

        func run() async throws {
            let parsed: Set<Scope>
            do { parsed = try Scope.parseList(scopes) } catch { throw ValidationError(error.description) }
            let services = try await TorsoServices.open(try database.url())
            let created = try await services.keys.create(name: name, kind: .secret, scopes: parsed, channel: nil)
            await services.store.close()
            print(created.secret)
        }
    }

    struct CreatePublishable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-publishable",
            abstract: "Create a publishable key bound to a channel; prints it as the only line on stdout.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The channel the key reads.") var channel: String
        @Option(help: "What the key is for.") var name: String?

        func run() async throws {
            let services = try await TorsoServices.open(try database.url())
            do {
                let created = try await services.keys.create(name: name ?? "\(channel) head", kind: .publishable, scopes: [], channel: channel)
                await services.store.close()
                print(created.secret)
            } catch let error as DomainError {
                await services.store.close()
                throw ValidationError(error.errors.first?.detail ?? error.detail)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let services = try await TorsoServices.open(try database.url())
            var page = PageRequest(limit: PageRequest.maxLimit)
            while true {
                let result = try await services.keys.list(page)
                for key in result.data {
                    let scopes = key.kind == .secret ? key.scopes.map(\.rawValue).joined(separator: ",") : "channel=\(key.channel ?? "")"
                    print([key.id.rawValue, key.hint, key.name, scopes, key.revokedAt.map { "revoked \($0)" } ?? "active"].joined(separator: "\t"))
                }
                guard let next = result.nextCursor else { break }
                page.cursor = Cursor(encoded: next)
            }
            await services.store.close()
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its ID (key_…).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key's ID.") var id: String

        func run() async throws {
            let services = try await TorsoServices.open(try database.url())
            do {
                try await services.keys.revoke(id)
                await services.store.close()
                print("revoked \(id)")
            } catch let error as DomainError {
                await services.store.close()
                throw ValidationError(error.detail)
            }
        }
    }
}
