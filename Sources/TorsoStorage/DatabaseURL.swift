import Foundation

/// Where the data lives: `sqlite://./torso.sqlite` (the default), `sqlite::memory:` for tests,
/// or `postgres://user:password@host:port/database?sslmode=require` (`sslmode` as libpq reads it:
/// `disable`, `allow`, `prefer` — the default —, `require`, `verify-ca`, `verify-full`; and
/// `sslrootcert=PATH` for a private CA).
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file, created if missing.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database (gone when the process ends).
    case sqliteMemory
    /// A PostgreSQL server.
    case postgres(host: String, port: Int, username: String, password: String?, database: String?, tls: PostgresTLS = PostgresTLS())

    /// The default: `torso.sqlite` in the working directory.
    public static let `default` = DatabaseURL.sqliteFile(path: "./torso.sqlite")

    /// Parses a URL; throws a message that names the accepted forms.
    public init(parsing string: String) throws {
        if string == "sqlite::memory:" || string == "sqlite://:memory:" {
            self = .sqliteMemory
        } else if string.hasPrefix("sqlite://") {
            let path = String(string.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw DatabaseURLError(string) }
            self = .sqliteFile(path: path.removingPercentEncoding ?? path)
        } else if string.hasPrefix("postgres://") || string.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: string), let host = components.host, !host.isEmpty else {
                throw DatabaseURLError(string)
            }
            let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            var tls = PostgresTLS()
            for item in components.queryItems ?? [] {
                switch item.name {
                case "sslmode":
                    guard let mode = item.value.flatMap(PostgresTLS.Mode.init(rawValue:)) else { throw DatabaseURLError(string) }
                    tls.mode = mode
                case "sslrootcert":
                    guard let path = item.value, !path.isEmpty else { throw DatabaseURLError(string) }
                    tls.rootCertificate = path
                default:
                    throw DatabaseURLError(string)
                }
            }
            self = .postgres(host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
                             password: components.password, database: database.isEmpty ? nil : database, tls: tls)
        } else {
            throw DatabaseURLError(string)
        }
    }

    /// The URL with the password hidden, for logs.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let host, let port, let username, let password, let database, let tls):
            "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database ?? "")?sslmode=\(tls.mode.rawValue)"
        }
    }
}

/// How a PostgreSQL connection uses TLS, as libpq's `sslmode` says.
public struct PostgresTLS: Sendable, Equatable {
    /// libpq's modes.
    public enum Mode: String, Sendable {
        /// Plain TCP.
        case disable
        /// TLS if the server offers it (as `prefer`).
        case allow
        /// TLS if the server offers it, unverified; plain TCP otherwise. The default.
        case prefer
        /// TLS or no connection; the certificate is not verified.
        case require
        /// TLS with a certificate from a trusted CA, for any host name.
        case verifyCA = "verify-ca"
        /// TLS with a trusted certificate for this host name.
        case verifyFull = "verify-full"
    }

    /// The mode.
    public var mode: Mode
    /// A PEM file of the CA to trust instead of the system's (`sslrootcert`).
    public var rootCertificate: String?

    /// TLS as libpq does it by default: preferred, unverified.
    public init(mode: Mode = .prefer, rootCertificate: String? = nil) {
        self.mode = mode
        self.rootCertificate = rootCertificate
    }
}

/// A database URL Torso cannot use.
public struct DatabaseURLError: Error, CustomStringConvertible {
    /// The URL given.
    public var url: String
    init(_ url: String) { self.url = url }
    public var description: String {
        "Cannot use database URL '\(url)'. Use sqlite://PATH, sqlite::memory: or postgres://user:password@host:port/database[?sslmode=disable|allow|prefer|require|verify-ca|verify-full][&sslrootcert=PATH]."
    }
}
