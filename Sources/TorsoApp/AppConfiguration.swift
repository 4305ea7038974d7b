import Logging
import TorsoHTTP
import TorsoStorage
import Workflows

/// How `torso serve` runs: where it listens, where the data lives, and whether to load the demo.
public struct AppConfiguration: Sendable {
    /// The address to bind.
    public var host: String
    /// The port to bind; 0 picks a free one.
    public var port: Int
    /// The database.
    public var database: DatabaseURL
    /// Load the demo catalog into an empty database and print a demo admin key.
    public var demo: Bool
    /// The log level.
    public var logLevel: Logger.Level
    /// How often idle live feeds send a heartbeat comment.
    public var feedHeartbeat: Duration = .seconds(15)
    /// How webhooks are checked and sent (`--allow-private-webhooks`, `--webhook-…`); used when
    /// `buildApplication` opens the services itself (services passed in bring their own).
    public var webhooks = WebhookSettings()
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>`
    /// (`--metrics-token`, or `TORSO_METRICS_TOKEN`); open otherwise.
    public var metricsToken: String?
    /// The store API's rate limits (`--no-rate-limits` turns them off).
    public var rateLimits = RateLimits.standard
    /// Take the client address for rate limits from `X-Forwarded-For` (behind your own proxy).
    public var trustForwardedFor = false
    /// Where uploaded import files are kept until their job ends (resumable after a restart).
    public var importsDirectory = "torso-imports"
    /// How many days the audit log keeps an entry (1 to 3,650).
    public var auditDays = BackOfficeService.defaultAuditDays

    /// Creates a configuration with the documented defaults.
    public init(host: String = "127.0.0.1", port: Int = 8080, database: DatabaseURL = .default, demo: Bool = false,
                logLevel: Logger.Level = .info) {
        self.host = host
        self.port = port
        self.database = database
        self.demo = demo
        self.logLevel = logLevel
    }
}
