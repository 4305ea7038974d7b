import Access
import Hummingbird
import TorsoKit
import Workflows

/// `/admin/v1/products/{id}/publish`, `/unpublish` and `/publication`.
public struct PublishingController: Sendable {
    let publishing: PublishingService

    /// Creates the controller.
    public init(publishing: PublishingService) { self.publishing = publishing }

    /// Adds the routes to a group at `/admin/v1`.
    public func addRoutes(to group: RouterGroup<TorsoRequestContext>) {
        group.post("products/:key/publish", use: publish)
        group.post("products/:key/unpublish", use: unpublish)
        group.get("products/:key/publication", use: status)
    }

    @Sendable func publish(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.catalogWrite)
        let body = try await request.jsonBody(context: context)
        return try JSONResponse.make(try await publishing.publish(try context.parameters.require("key"), body: body.value,
                                                                  context: try request.writeContext(principal: principal)))
    }

    @Sendable func unpublish(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.catalogWrite)
        let body = try await request.jsonBody(context: context)
        return try JSONResponse.make(try await publishing.unpublish(try context.parameters.require("key"), body: body.value,
                                                                    context: try request.writeContext(principal: principal)))
    }

    @Sendable func status(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogRead)
        return try JSONResponse.make(try await publishing.status(of: try context.parameters.require("key")))
    }
}
