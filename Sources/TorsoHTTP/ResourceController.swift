import Access
import Foundation
import Hummingbird
import TorsoKit
import Workflows

/// The admin routes of one resource kind: list, create, read, patch (JSON merge patch with
/// `If-Match`) and delete, with the scopes that guard reading and writing.
public struct ResourceController<Policy: ResourcePolicy>: Sendable {
    let service: ResourceService<Policy>
    let readScope: Scope
    let writeScope: Scope

    /// Creates the controller.
    public init(service: ResourceService<Policy>, readScope: Scope, writeScope: Scope) {
        self.service = service
        self.readScope = readScope
        self.writeScope = writeScope
    }

    /// Adds the routes to a group at `/admin/v1`; `withList: false` leaves the list route to
    /// a controller with filters of its own.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>, withList: Bool = true) {
        let collection = Policy.Resource.collection
        let kind = Policy.Resource.kind
        let name = APIComponents.name(of: Policy.Resource.self)
        let tag = collection
        if withList {
            routes.get(collection, APIOperation("List \(collection) (cursor pagination)", tag: tag, caller: .scope(readScope),
                                                answer: .json(.ref(name + "Page")), parameters: APIOperation.Parameter.page), use: list)
        }
        routes.post(collection, APIOperation("Create a \(kind) (Idempotency-Key accepted)", tag: tag, caller: .scope(writeScope),
                                             body: .ref(name + "Input"), status: .created, answer: .json(.ref(name)),
                                             parameters: [.header("Idempotency-Key")]), use: create)
        routes.get("\(collection)/:key", APIOperation("Read a \(kind)", tag: tag, caller: .scope(readScope), answer: .json(.ref(name))),
                   use: get)
        routes.patch("\(collection)/:key", APIOperation("Change a \(kind) with a JSON merge patch (If-Match: version)", tag: tag,
                                                       caller: .scope(writeScope), body: .ref(name + "Patch"),
                                                       mergePatch: true, answer: .json(.ref(name)), parameters: [.header("If-Match")]),
                     use: update)
        routes.delete("\(collection)/:key", APIOperation("Delete a \(kind)", tag: tag, caller: .scope(writeScope), status: .noContent,
                                                        answer: .empty, parameters: [.header("If-Match")]), use: delete)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(readScope)
        return try JSONResponse.make(try await service.list(try request.pageRequest()))
    }

    @Sendable func create(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(writeScope)
        let body = try await request.jsonBody(context: context)
        let response = try await service.create(body.value, context: try request.writeContext(principal: principal, body: body.bytes))
        return JSONResponse.raw(response.body, status: .init(code: response.status))
    }

    @Sendable func get(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(readScope)
        let resource = try await service.get(try context.parameters.path("key"))
        return try JSONResponse.make(resource, version: resource.version)
    }

    @Sendable func update(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(writeScope)
        let body = try await request.jsonBody(context: context)
        let resource = try await service.update(try context.parameters.path("key"), patch: body.value,
                                                expectedVersion: try request.ifMatchVersion(),
                                                context: try request.writeContext(principal: principal))
        return try JSONResponse.make(resource, version: resource.version)
    }

    @Sendable func delete(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(writeScope)
        try await service.delete(try context.parameters.path("key"), expectedVersion: try request.ifMatchVersion(),
                                 context: try request.writeContext(principal: principal))
        return Response(status: .noContent)
    }
}
