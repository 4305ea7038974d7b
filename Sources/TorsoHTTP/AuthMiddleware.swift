import Hummingbird
import TorsoKit
import Workflows

/// Authenticates `Authorization: Bearer <key>` and puts the principal in the context; a
/// missing, malformed, unknown or revoked key is a 401. Scopes are checked by the routes.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = TorsoRequestContext
    let keys: KeyService

    /// Creates the middleware.
    public init(keys: KeyService) { self.keys = keys }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw DomainError(.unauthenticated, code: "unauthenticated", detail: "Send an API key as 'Authorization: Bearer <key>'.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let principal = try await keys.authenticate(String(parts[1])) else {
            throw DomainError(.unauthenticated, code: "invalid_key", detail: "The API key is unknown or revoked.")
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}
