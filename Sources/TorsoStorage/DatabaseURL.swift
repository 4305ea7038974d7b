import Foundation

/// Where the data lives: `sqlite://./torso.sqlite` (the default), `sqlite::memory:` for tests,
/// or `postgres://user:password@host:port/database`.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file, created if missing.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database (gone when the process ends).
    case sqliteMemory
    /// A PostgreSQL server.
    case postgres(host: String, port: Int, username: String, password: String?, database: String?)

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
            self = .postgres(host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
                             password: components.password, database: database.isEmpty ? nil : database)
        } else {
            throw DatabaseURLError(string)
        }
    }

    /// The URL with the password hidden, for logs.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let host, let port, let username, let password, let database):
            "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database ?? "")"
        }
    }
}

/// A database URL Torso cannot use.
public struct DatabaseURLError: Error, CustomStringConvertible {
    /// The URL given.
    public var url: String
    init(_ url: String) { self.url = url }
    public var description: String {
        "Cannot use database URL '\(url)'. Use sqlite://PATH, sqlite::memory: or postgres://user:password@host:port/database."
    }
}
