import Access
import ArgumentParser
import Foundation
import TorsoApp
import TorsoKit

/// `torso users …`: people who sign in to the back office at `/admin`.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage the people of the back office.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user. The password is read from standard input (one line), or made up and printed when --generate-password is given.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The e-mail they sign in with.") var email: String
        @Option(help: "Their name, as history and the audit log show it.") var name: String?
        @Option(help: "One of: \(AdminRole.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "Comma-separated locales whose values they may change (all when left out), e.g. de-DE.") var locales: String?
        @Option(help: "Comma-separated channels they may change and publish to (all when left out).") var channels: String?
        @Flag(help: "Make up a password and print it (instead of reading one from standard input).") var generatePassword = false

        func run() async throws {
            guard let role = AdminRole(rawValue: role) else {
                throw ValidationError("--role is one of \(AdminRole.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let password: String
            if generatePassword {
                password = String((0..<20).map { _ in Array("abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789").randomElement()! })
            } else {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("Send the password on standard input (echo … | torso users create …), or pass --generate-password.")
                }
                password = line
            }
            func list(_ text: String?) -> [String]? { text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } }
            let services = try await TorsoServices.open(try database.url())
            // Limits name locales and channels that exist, or they would lock the user out of everything.
            let catalog = try await services.queries.catalogContext()
            let strange = (list(locales) ?? []).filter { !catalog.locales.contains($0) } + (list(channels) ?? []).filter { catalog.channels[$0] == nil }
            if !strange.isEmpty {
                await services.store.close()
                throw ValidationError("No such locale or channel: \(strange.joined(separator: ", ")).")
            }
            do {
                let user = try await services.backOffice.createUser(email: email, name: name ?? email, role: role, password: password,
                                                                    locales: list(locales), channels: list(channels))
                await services.store.close()
                print(user.id.rawValue)
                if generatePassword { print("password: \(password)") }
            } catch let error as DomainError {
                await services.store.close()
                throw ValidationError(error.errors.map(\.detail).joined(separator: " ").isEmpty ? error.detail : error.errors.map(\.detail).joined(separator: " "))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users (never their passwords).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let services = try await TorsoServices.open(try database.url())
            for user in try await services.backOffice.users() {
                print([user.id.rawValue, user.email, user.name, user.role.rawValue, user.locales?.joined(separator: ",") ?? "all locales",
                       user.channels?.joined(separator: ",") ?? "all channels"].joined(separator: "\t"))
            }
            await services.store.close()
        }
    }
}
