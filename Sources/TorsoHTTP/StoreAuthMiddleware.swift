import Access
import Hummingbird
import Publishing
import TorsoKit
import Workflows

/// Authenticates the storefront API: a publishable key (`pk_…`) names the channel. A secret
/// key is refused here, so admin keys never end up inside a head. Adds CORS headers for the
/// channel's allowed origins, on errors too, so a browser head can read every answer.
public struct StoreAuthMiddleware: RouterMiddleware {
    public typealias Context = TorsoRequestContext
    let keys: KeyService
    let catalog: StorefrontCatalog

    /// Creates the middleware.
    public init(keys: KeyService, catalog: StorefrontCatalog) {
        self.keys = keys
        self.catalog = catalog
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var channel: String?
        var response: Response
        do {
            let principal = try await keys.principal(of: request, hint: "Send a publishable key as 'Authorization: Bearer pk_…'.",
                                                     queryKey: Self.isStream(request.uri.path))
            guard principal.kind == .publishable, let bound = principal.channel else {
                throw DomainError(.forbidden, code: "publishable_key_required",
                                  detail: "The storefront API takes publishable keys (pk_…); never ship a secret key in a head.")
            }
            channel = bound
            // A key whose channel was deleted reaches nothing, customer routes included. The
            // snapshot is looked up once per request, here, and handed on in the context.
            var context = context
            context.snapshot = try catalog.requireSnapshot(for: bound)
            context.principal = principal
            response = try await next(request, context)
        } catch let error as DomainError {
            response = Problem(error).response()
        }
        if let origin = request.headers[.origin], let channel, let snapshot = catalog.snapshot(for: channel),
           snapshot.channel.allowsOrigin(origin) {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = "ETag"
            if !(response.headers[.vary] ?? "").contains("Origin") {
                response.headers[.vary] = [response.headers[.vary], "Origin"].compactMap { $0 }.joined(separator: ", ")
            }
        }
        return response
    }

    /// The live streams, which browsers open with `EventSource` (no headers): they may carry
    /// the key in the query (`?key=pk_…`).
    static func isStream(_ path: String) -> Bool {
        path == "/store/v1/events" || (path.hasPrefix("/store/v1/carts/") && path.hasSuffix("/events"))
    }
}

/// Answers CORS preflight requests for the storefront API. A preflight carries no key, so it is
/// allowed for an origin that some channel allows; the real request is then checked against
/// its own channel.
public struct StorePreflightMiddleware<Context: RequestContext>: RouterMiddleware {
    let catalog: StorefrontCatalog

    /// Creates the middleware.
    public init(catalog: StorefrontCatalog) { self.catalog = catalog }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .options, request.uri.path.hasPrefix("/store/"), let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        var response = Response(status: .noContent)
        if catalog.all.contains(where: { $0.channel.allowsOrigin(origin) }) {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowMethods] = "GET, POST, PATCH, DELETE, OPTIONS"
            response.headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "Authorization, Content-Type, If-None-Match"
            response.headers[.accessControlMaxAge] = "600"
            response.headers[.vary] = "Origin"
        }
        return response
    }
}
