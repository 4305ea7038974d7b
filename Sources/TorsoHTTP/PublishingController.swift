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
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.post("products/:key/publish", APIOperation(
            "Publish the staged product to channels, now or at `at`; 422 `incomplete` lists what is missing per channel and locale",
            tag: "publishing", caller: .scope(.catalogWrite), body: .ref("PublishRequest"), answer: .json(.ref("Publication"))), use: publish)
        routes.post("products/:key/unpublish", APIOperation("Withdraw the product (live and scheduled) from channels", tag: "publishing",
                                                            caller: .scope(.catalogWrite), body: .ref("UnpublishRequest"), answer: .json(.ref("Publication"))),
                    use: unpublish)
        routes.get("products/:key/publication", APIOperation(
            "has_staged_changes and, per channel, published_at, scheduled_at, visible_in_listings", tag: "publishing",
            caller: .scope(.catalogRead), answer: .json(.ref("Publication"))), use: status)
    }

    @Sendable func publish(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.catalogWrite)
        let body = try await request.jsonBody(context: context)
        return try JSONResponse.make(try await publishing.publish(try context.parameters.path("key"), body: body.value,
                                                                  context: try request.writeContext(principal: principal)))
    }

    @Sendable func unpublish(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.catalogWrite)
        let body = try await request.jsonBody(context: context)
        return try JSONResponse.make(try await publishing.unpublish(try context.parameters.path("key"), body: body.value,
                                                                    context: try request.writeContext(principal: principal)))
    }

    @Sendable func status(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogRead)
        return try JSONResponse.make(try await publishing.status(of: try context.parameters.path("key")))
    }
}
