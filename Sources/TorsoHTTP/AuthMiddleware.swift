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
        let principal = try await keys.principal(of: request, hint: "Send an API key as 'Authorization: Bearer <key>'.")
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}
