import Commerce
import Events
import Foundation
import Hummingbird
import TorsoKit
import Workflows

/// Handoff from a screen to a phone, the cart's own event stream, and a placed order read with
/// the cart's token: `POST carts/{cart}/handoff`, `POST carts/claim`,
/// `GET carts/{cart}/events` and `GET orders/{id}` under `/store/v1`.
public struct CartHandoffController: Sendable {
    let handoffs: CartHandoffService
    let carts: CartController
    let events: EventController

    /// Creates the controller.
    public init(handoffs: CartHandoffService, carts: CartController, events: EventController) {
        self.handoffs = handoffs
        self.carts = carts
        self.events = events
    }

    /// Adds the routes to a group at `/store/v1`.
    public func addRoutes<Methods: RouterMethods<StoreRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.post("carts/:cart/handoff", APIOperation(
            "Hand an open guest cart to a phone: a single-use code (default 10 minutes, expires_in 60–3600 s) and the channel's claim URL to show as a QR code; a new code replaces the last",
            tag: "carts", caller: .cart, body: HandoffRequest.apiSchema, bodyRequired: false, status: .created,
            answer: .json(.ref("CartHandoff")), problems: [409]), use: handoff)
        routes.post("carts/claim", APIOperation(
            "Claim a handed-off cart with its code: the cart and a new token; the screen's token may then only read. 410 `handoff_claimed` or `handoff_expired`, 404 `handoff_not_found`",
            tag: "carts", caller: .publishableKey, body: ClaimRequest.apiSchema, answer: .json(.ref("NewCart")), problems: [410]), use: claim)
        routes.get("carts/:cart/events", APIOperation(
            "The cart's own stream (text/event-stream) for the screen that handed it off: cart.claimed, cart.updated, cart.completed (with the order number); the screen's token works after a claim; ?token=ct_…&key=pk_… for EventSource; Last-Event-ID resumes",
            tag: "carts", caller: .cart, answer: .eventStream(.ref("Event")),
            parameters: [.query("token"), .query("key"), .query("last_event_id", .integer), .header("Last-Event-ID")]), use: cartEvents)
        routes.get("orders/:id", APIOperation(
            "An order placed on this channel: with the X-Cart-Token of the cart it was placed from, or the X-Customer-Token of the customer who placed it",
            tag: "orders", caller: .publishableKey, answer: .json(.ref("Order")),
            parameters: [.header("X-Cart-Token"), .header("X-Customer-Token")]), use: order)
    }

    @Sendable func handoff(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let body = buffer.readableBytes > 0 ? try HandoffRequest.decode(try JSONCoding.parse(Data(buffer: buffer))) : nil
        let code = try await handoffs.handoff(try context.parameters.path("cart"), caller: try await carts.caller(request, context),
                                              lifetime: body?.expiresIn)
        let answer: JSONValue = .object(["code": .string(code.code), "url": code.url.map { .string($0) } ?? .null,
                                         "expires_at": .string(code.expiresAt)])
        return JSONResponse.raw(Data(answer.jsonBytes()), status: .created)
    }

    @Sendable func claim(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let body = try await request.decode(ClaimRequest.self, context: context)
        return try CartController.respond(try await handoffs.claim(code: body.code, channel: context.channel))
    }

    @Sendable func cartEvents(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let id = try context.parameters.path("cart")
        try await carts.carts.authorize(id, caller: try await carts.caller(request, context, stream: true), for: .read)
        let start = try EventController.lastEventId(request)
        return events.stream(after: start, view: "cart") { event in
            EventType.cart.contains(event.type) && event.subject == id ? event : nil
        }
    }

    @Sendable func order(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let order = try await carts.carts.order(try context.parameters.path("id"), caller: try await carts.caller(request, context))
        return try JSONResponse.make(order, version: order.version)
    }
}
