import HTTPTypes
import Hummingbird
import Synchronization

/// Every operation declared so far, in the order the routes were added.
public final class APIRegistry: Sendable {
    /// An operation with its method and path (OpenAPI form: `/admin/v1/products/{key}`).
    public struct Entry: Sendable {
        /// The method.
        public var method: HTTPRequest.Method
        /// The path.
        public var path: String
        /// The declaration.
        public var operation: APIOperation
    }

    private let entries = Mutex<[Entry]>([])

    /// Creates an empty registry.
    public init() {}

    /// Records an operation.
    func add(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    /// Every operation declared.
    public var all: [Entry] { entries.withLock { $0 } }
}

/// Adds routes to a router or group together with their ``APIOperation``: the only way
/// controllers add routes, so every route is in the OpenAPI document.
public struct APIRoutes<Methods: RouterMethods> {
    let methods: Methods
    let prefix: String
    let registry: APIRegistry

    /// Routes on `methods`, whose paths start with `prefix` (`/admin/v1`).
    public init(_ methods: Methods, prefix: String, registry: APIRegistry) {
        self.methods = methods
        self.prefix = prefix
        self.registry = registry
    }

    /// Adds a route and declares its operation.
    public func on(_ method: HTTPRequest.Method, _ path: String, _ operation: APIOperation,
                   use handler: @Sendable @escaping (Request, Methods.Context) async throws -> some ResponseGenerator) {
        methods.on(RouterPath(path), method: method, use: handler)
        let full = ([prefix] + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) })
            .filter { !$0.isEmpty }.joined(separator: "/")
        registry.add(.init(method: method, path: full.hasPrefix("/") ? full : "/" + full, operation: operation))
    }

    /// `GET path`.
    public func get(_ path: String, _ operation: APIOperation,
                    use handler: @Sendable @escaping (Request, Methods.Context) async throws -> some ResponseGenerator) {
        on(.get, path, operation, use: handler)
    }

    /// `POST path`.
    public func post(_ path: String, _ operation: APIOperation,
                     use handler: @Sendable @escaping (Request, Methods.Context) async throws -> some ResponseGenerator) {
        on(.post, path, operation, use: handler)
    }

    /// `PATCH path`.
    public func patch(_ path: String, _ operation: APIOperation,
                      use handler: @Sendable @escaping (Request, Methods.Context) async throws -> some ResponseGenerator) {
        on(.patch, path, operation, use: handler)
    }

    /// `DELETE path`.
    public func delete(_ path: String, _ operation: APIOperation,
                       use handler: @Sendable @escaping (Request, Methods.Context) async throws -> some ResponseGenerator) {
        on(.delete, path, operation, use: handler)
    }
}
