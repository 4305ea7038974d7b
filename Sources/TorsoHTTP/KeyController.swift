import Access
import Hummingbird
import TorsoKit
import Workflows

/// `/admin/v1/keys`: list, create (the secret is in the answer, once) and revoke API keys.
public struct KeyController: Sendable {
    let keys: KeyService

    /// Creates the controller.
    public init(keys: KeyService) { self.keys = keys }

    /// Adds the routes to a group at `/admin/v1`.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.get("keys", APIOperation("List API keys (never their secrets)", tag: "keys", caller: .scope(.keysWrite),
                                        answer: .json(.ref("APIKeyPage")), parameters: APIOperation.Parameter.page), use: list)
        routes.post("keys", APIOperation("Create an API key; the secret is shown once", tag: "keys", caller: .scope(.keysWrite),
                                         body: .ref("KeyInput"), status: .created, answer: .json(.ref("APIKeyCreated"))), use: create)
        routes.delete("keys/:id", APIOperation("Revoke an API key", tag: "keys", caller: .scope(.keysWrite), status: .noContent,
                                               answer: .empty), use: revoke)
    }

    static let schema: FieldSchema = .object(
        ["name": .string(), "kind": .oneOf(["secret", "publishable"]), "scopes": .array(.string()), "channel": .nullable(.string())],
        required: ["name"])

    struct CreateBody: Decodable {
        var name: String
        var kind: APIKey.Kind?
        var scopes: [String]?
        var channel: String?
    }

    struct Created: Encodable {
        var key: APIKey
        var secret: String
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.keysWrite)
        return try JSONResponse.make(try await keys.list(try request.pageRequest()))
    }

    @Sendable func create(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.keysWrite)
        let body = try JSONCoding.decode(CreateBody.self, from: try await request.jsonBody(context: context).value, schema: Self.schema)
        let kind = body.kind ?? .secret
        var scopes = Set<Scope>()
        if kind == .secret {
            if (body.scopes ?? []).isEmpty {
                throw DomainError.validation([FieldError(pointer: "/scopes", code: "required", detail: "A secret key needs at least one scope.")])
            }
            do {
                scopes = try Scope.parseList((body.scopes ?? []).joined(separator: ","))
            } catch {
                throw DomainError.validation([FieldError(pointer: "/scopes", code: "unknown_scope", detail: error.description)])
            }
            // A key grants only what it holds itself: keys:write is not a way to every scope.
            let lacking = scopes.flatMap(\.implied).filter { !principal.scopes.contains($0) }
            if !lacking.isEmpty {
                throw DomainError(.forbidden, code: "missing_scope",
                                  detail: "This key cannot grant scopes it does not hold: \(Set(lacking).map(\.rawValue).sorted().joined(separator: ", ")).")
            }
        } else if !(body.scopes ?? []).isEmpty {
            throw DomainError.validation([FieldError(pointer: "/scopes", code: "not_allowed", detail: "Publishable keys have no scopes.")])
        }
        let created = try await keys.create(name: body.name, kind: kind, scopes: scopes, channel: kind == .publishable ? body.channel : nil)
        return try JSONResponse.make(Created(key: created.key, secret: created.secret), status: .created)
    }

    @Sendable func revoke(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.keysWrite)
        try await keys.revoke(try context.parameters.path("id"), by: principal.scopes)
        return Response(status: .noContent)
    }
}
