import Events
import Foundation
import Hummingbird
import TorsoKit
import Workflows

/// `/admin/v1/webhooks`: subscriptions (the signing secret is in the answer to create and
/// rotate-secret, once), their delivery logs with every attempt, and redelivery. Reading needs
/// `webhooks:read`; everything else `webhooks:write`.
public struct WebhookController: Sendable {
    let webhooks: WebhookService

    /// Creates the controller.
    public init(webhooks: WebhookService) { self.webhooks = webhooks }

    /// Adds the routes to a group at `/admin/v1`.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        let read = APIOperation.Caller.scope(.webhooksRead)
        let write = APIOperation.Caller.scope(.webhooksWrite)
        routes.get("webhooks", APIOperation("List webhook subscriptions (cursor pagination; never their secrets)", tag: "webhooks",
                                            caller: read, answer: .json(.ref("WebhookPage")), parameters: APIOperation.Parameter.page), use: list)
        routes.post("webhooks", APIOperation(
            "Subscribe a URL to event types (\"*\" for all), optionally of some channels; the answer carries the signing `secret`, once; 422 `invalid_url`, `private_address`, `unknown_event_type`, `unknown_channel` (Idempotency-Key accepted)",
            tag: "webhooks", caller: write, body: .ref("WebhookInput"), status: .created, answer: .json(.ref("WebhookWithSecret")),
            parameters: [.header("Idempotency-Key")]), use: create)
        routes.get("webhooks/:id", APIOperation("Read a webhook subscription (ETag: version)", tag: "webhooks", caller: read,
                                                answer: .json(.ref("Webhook"))), use: get)
        routes.patch("webhooks/:id", APIOperation(
            "Change a subscription with a JSON merge patch (If-Match: version); enabling a disabled one clears its failure count",
            tag: "webhooks", caller: write, body: .ref("WebhookPatch"), mergePatch: true,
            answer: .json(.ref("Webhook")), parameters: [.header("If-Match")]), use: update)
        routes.delete("webhooks/:id", APIOperation("Delete a subscription and its delivery log (If-Match: version)", tag: "webhooks",
                                                   caller: write, status: .noContent, answer: .empty, parameters: [.header("If-Match")]),
                      use: delete)
        routes.post("webhooks/:id/rotate-secret", APIOperation(
            "Replace the signing secret; the previous one keeps signing beside it for keep_previous_for seconds (default 86400, at most 604800); the answer carries the new `secret`, once",
            tag: "webhooks", caller: write, body: .ref("WebhookSecretRotation"), bodyRequired: false,
            answer: .json(.ref("WebhookWithSecret"))), use: rotateSecret)
        routes.get("webhooks/:id/deliveries", APIOperation(
            "A subscription's deliveries, newest first (cursor pagination); filter with status (pending, succeeded, failed)",
            tag: "webhooks", caller: read, answer: .json(.ref("WebhookDeliveryPage")),
            parameters: APIOperation.Parameter.page + [.query("status", .string(enumeration: ["pending", "succeeded", "failed"]))]),
                   use: deliveries)
        routes.get("webhooks/:id/deliveries/:delivery", APIOperation(
            "A delivery with every attempt (time, status code, latency, error, response snippet) and the payload it sends",
            tag: "webhooks", caller: read, answer: .json(.ref("WebhookDeliveryDetail"))), use: delivery)
        routes.post("webhooks/:id/deliveries/:delivery/redeliver", APIOperation(
            "Send the delivery's event again as a new delivery, due at once (same webhook-id); 202 with the new delivery",
            tag: "webhooks", caller: write, body: .ref("WebhookRedelivery"), bodyRequired: false, status: .accepted,
            answer: .json(.ref("WebhookDelivery")), parameters: [.header("Idempotency-Key")]), use: redeliver)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.webhooksRead)
        return try JSONResponse.make(try await webhooks.list(try request.pageRequest()))
    }

    @Sendable func create(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.webhooksWrite)
        let body = try await request.jsonBody(context: context)
        let response = try await webhooks.create(body.value, context: try request.writeContext(principal: principal, body: body.bytes))
        return JSONResponse.raw(response.body, status: .init(code: response.status))
    }

    @Sendable func get(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.webhooksRead)
        let webhook = try await webhooks.get(try context.parameters.path("id"))
        return try JSONResponse.make(webhook, version: webhook.version)
    }

    @Sendable func update(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.webhooksWrite)
        let body = try await request.jsonBody(context: context)
        let webhook = try await webhooks.update(try context.parameters.path("id"), patch: body.value,
                                                expectedVersion: try request.ifMatchVersion(),
                                                context: try request.writeContext(principal: principal))
        return try JSONResponse.make(webhook, version: webhook.version)
    }

    @Sendable func delete(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.webhooksWrite)
        try await webhooks.delete(try context.parameters.path("id"), expectedVersion: try request.ifMatchVersion())
        return Response(status: .noContent)
    }

    @Sendable func rotateSecret(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.webhooksWrite)
        let body = try await Self.optionalBody(request, context: context)
        return JSONResponse.raw(try await webhooks.rotateSecret(try context.parameters.path("id"), body: body?.value))
    }

    @Sendable func deliveries(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.webhooksRead)
        let status = request.uri.queryParameters["status"].map(String.init)
        return try JSONResponse.make(try await webhooks.deliveries(of: try context.parameters.path("id"), status: status,
                                                                   page: try request.pageRequest()))
    }

    @Sendable func delivery(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.webhooksRead)
        return try JSONResponse.make(try await webhooks.delivery(try context.parameters.path("delivery"),
                                                                 of: try context.parameters.path("id")))
    }

    @Sendable func redeliver(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.webhooksWrite)
        let body = try await Self.optionalBody(request, context: context)
        let response = try await webhooks.redeliver(try context.parameters.path("delivery"), of: try context.parameters.path("id"),
                                                    body: body?.value,
                                                    context: try request.writeContext(principal: principal, body: body?.bytes))
        return JSONResponse.raw(response.body, status: .init(code: response.status))
    }

    /// The JSON body, or `nil` when the request has none (routes whose body is optional).
    static func optionalBody(_ request: Request, context: TorsoRequestContext) async throws -> (value: JSONValue, bytes: Data)? {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        let data = Data(buffer: buffer)
        return (try JSONCoding.parse(data), data)
    }
}
