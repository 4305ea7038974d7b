import Access
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// The audit log over the admin API, and the middleware that writes it: every change (a
/// `POST`, `PUT`, `PATCH` or `DELETE` answered below 400) by an API key or a person of the
/// back office, with who, when, the route and the path.
public struct AuditController: Sendable {
    let backOffice: BackOfficeService

    /// Creates the controller.
    public init(backOffice: BackOfficeService) { self.backOffice = backOffice }

    /// Adds `GET audit`.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.get("audit", APIOperation("The audit log: every change by a key or a person, newest first", tag: "audit",
                                         caller: .scope(.auditRead), answer: .json(.ref("AuditPage")),
                                         parameters: APIOperation.Parameter.page + [.query("actor")]), use: list)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.auditRead)
        let page = try request.pageRequest()
        let before = page.cursor.flatMap { Int($0.after) }
        let actor = request.uri.queryParameters["actor"].map(String.init)
        let entries = try await backOffice.auditLog(before: before, actor: actor, limit: page.limit + 1)
        return try JSONResponse.make(Page.slice(entries, limit: page.limit) { String($0.seq) })
    }
}

/// Writes the audit log after each change that succeeded; put it after the check of who calls.
/// The entry is written in a transaction of its own once the change has committed: a crash
/// between the two can lose an entry, never invent one.
public struct AuditMiddleware: RouterMiddleware {
    public typealias Context = TorsoRequestContext
    let backOffice: BackOfficeService

    /// Creates the middleware.
    public init(backOffice: BackOfficeService) { self.backOffice = backOffice }

    /// A header a handler sets on an answer that changed nothing (a form saved as it was); the
    /// middleware removes it and logs nothing.
    static let noChange = HTTPField.Name("X-Torso-No-Change")!

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[Self.noChange] != nil {
            response.headers[Self.noChange] = nil
            return response
        }
        guard [.post, .put, .patch, .delete].contains(request.method), response.status.code < 400 else { return response }
        let actor = context.person.map { ($0.user.id.rawValue, $0.user.name) } ?? context.principal.map { ($0.keyId.rawValue, $0.name) }
        guard let (id, name) = actor else { return response }
        let route = context.endpointPath ?? request.uri.path
        try? await backOffice.audit(AuditEntry(at: Timestamp.string(Date()), actorId: id, actorName: name,
                                               action: "\(request.method.rawValue) \(route)", target: request.uri.path, status: Int(response.status.code)))
        return response
    }
}
