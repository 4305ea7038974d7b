import Logging
import TorsoStorage

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
