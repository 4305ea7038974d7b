import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TorsoApp
import TorsoStorage

/// `torso`: serve the API, migrate the database, manage API keys.
@main
struct TorsoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "torso",
        abstract: "Torso, a headless commerce engine.",
        subcommands: [Serve.self, Migrate.self, Keys.self, Users.self, Demo.self, ImportCommand.self, ExportCommand.self],
        defaultSubcommand: Serve.self)
}

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "sqlite://PATH, sqlite::memory: or postgres://user:password@host:port/database.")
    var database: String = ProcessInfo.processInfo.environment["TORSO_DATABASE_URL"] ?? "sqlite://./torso.sqlite"

    func url() throws -> DatabaseURL {
        do {
            return try DatabaseURL(parsing: database)
        } catch let error as DatabaseURLError {
            throw ValidationError(error.description)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the admin API.")

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Load the demo catalog into an empty database and print a demo admin key.") var demo = false
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String = "info"
    @Option(help: ArgumentHelp("Seconds between heartbeat comments on idle live feeds (/store/v1/events).", valueName: "seconds"))
    var feedHeartbeat: Double = 15
    @OptionGroup(title: "Webhooks") var webhooks: WebhookOptions
    @Option(help: ArgumentHelp("Put /metrics behind this bearer token (also TORSO_METRICS_TOKEN).", valueName: "token"))
    var metricsToken: String?
    @Flag(help: "Turn off the store API's rate limits (benchmarks; docs/security.md).") var noRateLimits = false
    @Flag(help: "Take the client address for rate limits from X-Forwarded-For (behind your own proxy only).") var trustForwardedFor = false
    @Option(help: ArgumentHelp("Where uploaded import files are kept until their job ends.", valueName: "directory"))
    var importsDir = "torso-imports"
    @Option(help: ArgumentHelp("How many days the audit log keeps an entry (1 to 3650).", valueName: "days"))
    var auditDays = 90

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("Unknown log level '\(logLevel)'.") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var settings = AppConfiguration(host: host, port: port, database: try database.url(), demo: demo, logLevel: level)
        webhooks.configure(&settings)
        if noRateLimits { settings.rateLimits = .off }
        settings.trustForwardedFor = trustForwardedFor
        settings.importsDirectory = importsDir
        guard (1...3_650).contains(auditDays) else { throw ValidationError("--audit-days is between 1 and 3650.") }
        settings.auditDays = auditDays
        settings.metricsToken = metricsToken ?? ProcessInfo.processInfo.environment["TORSO_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        guard feedHeartbeat > 0 else { throw ValidationError("--feed-heartbeat must be positive.") }
        settings.feedHeartbeat = .milliseconds(Int(feedHeartbeat * 1_000))
        let configuration = settings
        let app = try await buildApplication(configuration, onDemoKey: { key in
            // Unbuffered, so the key shows at once even when stdout is a pipe.
            FileHandle.standardOutput.write(Data("""
                Demo admin key (all scopes): \(key)
                Try: curl -H 'Authorization: Bearer \(key)' 'http://\(configuration.host):\(configuration.port)/admin/v1/products?limit=2'

                """.utf8))
        }, onDemoUser: { email, password in
            FileHandle.standardOutput.write(Data("""
                Back office: http://\(configuration.host):\(configuration.port)/admin — sign in as \(email) \
                \(password.map { "with the password \($0)" } ?? "(its password was shown when the demo was first loaded; `torso users create` makes another user)")

                """.utf8))
        })
        // A service stuck in shutdown (a database gone away) must not keep the process alive:
        // after 15 s of graceful shutdown everything is cancelled, after 5 s more it exits.
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                                              logger: Logger(label: "torso"))
        group.maximumGracefulShutdownDuration = .seconds(15)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "List the pending migrations without applying them.") var dryRun = false

    func run() async throws {
        let store = try await SQLStore.open(try database.url())
        do {
            let migrator = Migrator(store: store)
            if dryRun {
                let pending = try await migrator.pending()
                print(pending.isEmpty ? "No pending migrations." : pending.map { "pending \($0.id)" }.joined(separator: "\n"))
            } else {
                let applied = try await migrator.migrate()
                print(applied.isEmpty ? "No pending migrations." : applied.map { "applied \($0)" }.joined(separator: "\n"))
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a large realistic catalog (3 variants a product, published where complete) for benchmarks and evaluation.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "How many products to add.") var products = 10_000

    func run() async throws {
        guard products > 0 else { throw ValidationError("--products must be positive.") }
        let services = try await TorsoServices.open(try database.url())
        let start = ContinuousClock.now
        let total = products
        try await CatalogGenerator.generate(services, count: products) { done in
            if done % 5_000 == 0 || done == total {
                let seconds = Double((ContinuousClock.now - start).components.seconds) + 0.001
                FileHandle.standardError.write(Data("\(done)/\(total) products (\(Int(Double(done) / seconds))/s)\n".utf8))
            }
        }
        await services.store.close()
        print("generated \(products) products in \(ContinuousClock.now - start)")
    }
}

/// `torso serve`'s webhook flags.
struct WebhookOptions: ParsableArguments {
    @Flag(help: "Allow webhook URLs on loopback, private, link-local and other non-public addresses (off: refused with private_address).")
    var allowPrivateWebhooks = false
    @Option(help: ArgumentHelp("Seconds one webhook attempt may take, DNS lookup to end of answer.", valueName: "seconds"))
    var webhookTimeout: Double = 10
    @Option(help: ArgumentHelp("Seconds before the first retry of a failed webhook delivery; each next wait doubles (at most an hour, ±20 %).", valueName: "seconds"))
    var webhookRetryBase: Double = 5
    @Option(help: ArgumentHelp("Hours a webhook delivery is retried before it is marked failed.", valueName: "hours"))
    var webhookRetryWindow: Double = 26
    @Option(help: ArgumentHelp("Disable a webhook after this many failed attempts in a row (a webhook.disabled event is appended).", valueName: "failures"))
    var webhookDisableAfter: Int = 50

    func validate() throws {
        guard webhookTimeout > 0 else { throw ValidationError("--webhook-timeout must be positive.") }
        guard webhookRetryBase > 0 else { throw ValidationError("--webhook-retry-base must be positive.") }
        guard webhookRetryWindow > 0 else { throw ValidationError("--webhook-retry-window must be positive.") }
        guard webhookDisableAfter >= 1 else { throw ValidationError("--webhook-disable-after must be at least 1.") }
    }

    /// Sets the configuration's webhook settings from these flags.
    func configure(_ configuration: inout AppConfiguration) {
        configuration.configureWebhooks(allowPrivate: allowPrivateWebhooks, timeout: webhookTimeout, retryBase: webhookRetryBase,
                                        retryWindowHours: webhookRetryWindow, disableAfter: webhookDisableAfter)
    }
}
