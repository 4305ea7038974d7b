import Commerce
import Foundation
import Hummingbird
import TorsoKit
import Workflows

/// `/admin/v1/orders`: lists (by status or customer), reads, and moves orders through their
/// life with `POST …/transitions {"event": "confirm" | "fulfill" | "ship" | "cancel" | …}`.
public struct OrderController: Sendable {
    let orders: OrderService

    /// Creates the controller.
    public init(orders: OrderService) { self.orders = orders }

    /// Adds the routes to a group at `/admin/v1`.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.get("orders", APIOperation("List orders (cursor pagination); filter with status, customer", tag: "orders",
                                          caller: .scope(.ordersRead), answer: .json(.ref("OrderPage")),
                                          parameters: APIOperation.Parameter.page + [.query("status"), .query("customer")]), use: list)
        routes.get("orders/:key", APIOperation("Read an order", tag: "orders", caller: .scope(.ordersRead), answer: .json(.ref("Order"))),
                   use: get)
        routes.post("orders/:key/transitions", APIOperation(
            "Move an order: confirm (captures), fulfill, fulfill_partially, ship, deliver, cancel (restocks), return, refund, refund_partially (amount); 409 `illegal_transition`",
            tag: "orders", caller: .scope(.ordersWrite),
            body: OrderTransitionRequest.apiSchema,
            answer: .json(.ref("Order")), problems: [409]), use: transition)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.ordersRead)
        let status = request.uri.queryParameters["status"].map(String.init)
        let customer = request.uri.queryParameters["customer"].map(String.init)
        return try JSONResponse.make(try await orders.list(status: status, customer: customer, page: try request.pageRequest()))
    }

    @Sendable func get(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.ordersRead)
        let order = try await orders.get(try context.parameters.path("key"))
        return try JSONResponse.make(order, version: order.version)
    }

    @Sendable func transition(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.ordersWrite)
        let body = try await request.decode(OrderTransitionRequest.self, context: context)
        let order = try await orders.apply(try context.parameters.path("key"), event: body.event, note: body.note, amount: body.amount,
                                           expectedVersion: try request.ifMatchVersion())
        return try JSONResponse.make(order, version: order.version)
    }
}
