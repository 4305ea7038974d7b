import Commerce
import Customers
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// The header a head sends a cart's token in: `X-Cart-Token: ct_…`.
public enum CartTokenHeader {
    /// `X-Cart-Token`.
    public static let name = HTTPField.Name("X-Cart-Token")!
}

/// `/store/v1/carts`: carts, lines, contact and addresses, shipping methods, checkout and
/// completion, for heads holding a publishable key (the channel comes from the key). Creating a
/// cart answers its token once; every other cart route needs it in `X-Cart-Token` (the ID alone
/// opens nothing). A signed-in customer's `X-Customer-Token` ties a new cart to the customer,
/// whose session that cart then also needs.
public struct CartController: Sendable {
    let carts: CartService
    let checkout: CheckoutService
    let orders: OrderService
    let customers: CustomerService

    /// Creates the controller.
    public init(carts: CartService, checkout: CheckoutService, orders: OrderService, customers: CustomerService) {
        self.carts = carts
        self.checkout = checkout
        self.orders = orders
        self.customers = customers
    }

    /// Adds the routes to a group at `/store/v1`.
    public func addRoutes<Methods: RouterMethods<StoreRequestContext>>(to routes: APIRoutes<Methods>) {
        let tag = "carts"
        let cart = APIOperation.Answer.json(.ref("Cart"))
        routes.post("carts", APIOperation(
            "Create a cart (optional currency and email; X-Customer-Token ties it to the customer); the answer's token, sent as X-Cart-Token, opens the cart from then on and is shown only here",
            tag: tag, caller: .publishableKey, body: CreateCartRequest.apiSchema, bodyRequired: false, status: .created,
            answer: .json(.ref("NewCart")), parameters: [.header("X-Customer-Token")]), use: create)
        routes.get("carts/:cart", APIOperation("A cart with lines and totals (minor units, computed on the server)", tag: tag,
                                               caller: .cart, answer: cart), use: get)
        routes.patch("carts/:cart", APIOperation("Set email, addresses or the shipping method (If-Match: version)", tag: tag,
                                                 caller: .cart, body: CartDetailsRequest.apiSchema, answer: cart, parameters: [.header("If-Match")]),
                     use: update)
        routes.post("carts/:cart/lines", APIOperation("Add units of a published variant at the price the storefront shows", tag: tag,
                                                      caller: .cart, body: CartLineRequest.apiSchema, answer: cart, problems: [409]), use: addLine)
        routes.patch("carts/:cart/lines/:line", APIOperation("Set a line's quantity", tag: tag, caller: .cart,
                                                             body: LineQuantityRequest.apiSchema,
                                                             answer: cart, problems: [409]), use: updateLine)
        routes.delete("carts/:cart/lines/:line", APIOperation("Remove a line", tag: tag, caller: .cart, answer: cart), use: removeLine)
        routes.post("carts/:cart/promotions", APIOperation(
            "Apply a promotion code; 422 with the reason (promotion_not_found, promotion_expired, minimum_not_met, usage_limit_reached, not_applicable…)",
            tag: tag, caller: .cart, body: PromotionCodeRequest.apiSchema, answer: cart, problems: [409]), use: applyCode)
        routes.delete("carts/:cart/promotions/:code", APIOperation("Remove a promotion code", tag: tag, caller: .cart, answer: cart),
                      use: removeCode)
        routes.get("carts/:cart/shipping-methods", APIOperation("Shipping methods for the cart's address, priced, cheapest first", tag: tag,
                                                                caller: .cart, answer: .json(.ref("ShippingQuoteList"))),
                   use: shippingMethods)
        routes.post("carts/:cart/checkout", APIOperation("Hold the cart's stock for 15 minutes; 409 `insufficient_stock`", tag: tag,
                                                         caller: .cart, answer: .json(.ref("StockHolds")), problems: [409]), use: startCheckout)
        routes.post("carts/:cart/complete", APIOperation(
            "Pay and place the order (Idempotency-Key); 201 the order, 200 the order placed before, 409 `insufficient_stock` or `checkout_in_progress`, 402 declined",
            tag: tag, caller: .cart, body: CompleteRequest.apiSchema, status: .created, answer: .json(.ref("Order")),
            parameters: [.header("Idempotency-Key")],
            otherAnswers: [(200, "The order placed before", .json(.ref("Order")))], problems: [402, 409]), use: complete)
        routes.get("customers/me/orders", APIOperation("The logged-in customer's orders", tag: "orders", caller: .customer,
                                                       answer: .json(.ref("OrderPage")), parameters: APIOperation.Parameter.page), use: myOrders)
    }

    /// The cart as heads see it: the cart, its lines with their totals, and the totals.
    static func json(_ view: CartService.View) throws -> JSONValue {
        guard case .object(var cart) = try JSONCoding.tree(view.cart) else { return .null }
        cart["access"] = nil
        if let token = view.token { cart["token"] = .string(token) }
        if view.readOnly {
            // A screen that handed the cart off shows it, but never the person who took it.
            for personal in ["email", "shipping_address", "billing_address", "customer_id", "customer_group"] { cart[personal] = nil }
        }
        let lineTotals = Dictionary(view.totals.lines.map { ($0.lineId, $0) }, uniquingKeysWith: { first, _ in first })
        cart["lines"] = .array(view.cart.lines.map { line in
            guard case .object(var object) = (try? JSONCoding.tree(line)) ?? .null else { return .null }
            let totals = lineTotals[line.id]
            object["subtotal"] = .number(Double(totals?.subtotal ?? 0))
            object["discount"] = .number(Double(totals?.discount ?? 0))
            object["tax"] = .number(Double(totals?.tax ?? 0))
            object["total"] = .number(Double(totals?.total ?? 0))
            return .object(object)
        })
        cart["totals"] = .object([
            "subtotal": .number(Double(view.totals.subtotal)), "discount_total": .number(Double(view.totals.discountTotal)),
            "shipping_total": .number(Double(view.totals.shippingTotal)), "tax_total": .number(Double(view.totals.taxTotal)),
            "total": .number(Double(view.totals.total)), "tax_mode": .string(view.totals.taxMode.rawValue),
            "currency": .string(view.totals.currency.code),
        ])
        cart["promotions"] = .array(view.promotions.discounts.map { applied in
            .object(["id": .string(applied.promotionId), "code": applied.code.map { .string($0) } ?? .null, "name": .string(applied.name),
                     "amount": .number(Double(applied.amount))])
        })
        cart["promotion_rejections"] = .array(view.promotions.rejections.map { rejection in
            .object(["code": .string(rejection.code), "reason": .string(rejection.reason.rawValue)])
        })
        return .object(cart)
    }

    static func respond(_ view: CartService.View, status: HTTPResponse.Status = .ok) throws -> Response {
        JSONResponse.raw(Data(try json(view).jsonBytes()), status: status, version: view.cart.version)
    }

    @Sendable func create(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let customer = try await customers.customer(for: request, context: context)
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let body = buffer.readableBytes > 0 ? try CreateCartRequest.decode(try JSONCoding.parse(Data(buffer: buffer))) : nil
        let view = try await carts.create(channel: context.channel, currency: body?.currency, customer: customer.map { ($0.id.rawValue, $0.group) },
                                          email: body?.email ?? customer?.email)
        return try Self.respond(view, status: .created)
    }

    @Sendable func get(_ request: Request, context: StoreRequestContext) async throws -> Response {
        try Self.respond(try await carts.get(try context.parameters.path("cart"), caller: try await caller(request, context)))
    }

    @Sendable func update(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let body = try await request.decode(CartDetailsRequest.self, context: context)
        let details = CartService.Details(email: body.email, shippingAddress: body.shippingAddress, billingAddress: body.billingAddress,
                                          shippingMethod: body.shippingMethod,
                                          pickupStore: body.pickupStore)
        let version = try request.ifMatchVersion() ?? body.version
        return try Self.respond(try await carts.update(try context.parameters.path("cart"), caller: try await caller(request, context), details: details,
                                                       expectedVersion: version))
    }

    @Sendable func addLine(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let body = try await request.decode(CartLineRequest.self, context: context)
        let view = try await carts.addLine(try context.parameters.path("cart"), caller: try await caller(request, context), variant: body.variantId,
                                           quantity: body.quantity ?? 1, expectedVersion: try request.ifMatchVersion())
        return try Self.respond(view)
    }

    @Sendable func updateLine(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let body = try await request.decode(LineQuantityRequest.self, context: context)
        let view = try await carts.updateLine(try context.parameters.path("cart"), caller: try await caller(request, context),
                                              line: try context.parameters.path("line"), quantity: body.quantity,
                                              expectedVersion: try request.ifMatchVersion())
        return try Self.respond(view)
    }

    @Sendable func removeLine(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let view = try await carts.removeLine(try context.parameters.path("cart"), caller: try await caller(request, context), line: try context.parameters.path("line"),
                                              expectedVersion: try request.ifMatchVersion())
        return try Self.respond(view)
    }

    @Sendable func applyCode(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let body = try await request.decode(PromotionCodeRequest.self, context: context)
        return try Self.respond(try await carts.applyCode(try context.parameters.path("cart"), caller: try await caller(request, context), code: body.code,
                                                          expectedVersion: try request.ifMatchVersion()))
    }

    @Sendable func removeCode(_ request: Request, context: StoreRequestContext) async throws -> Response {
        return try Self.respond(try await carts.removeCode(try context.parameters.path("cart"), caller: try await caller(request, context),
                                                           code: try context.parameters.path("code"), expectedVersion: try request.ifMatchVersion()))
    }

    @Sendable func shippingMethods(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let quotes = try await carts.shippingOptions(try context.parameters.path("cart"), caller: try await caller(request, context))
        return try JSONResponse.make(["data": quotes])
    }

    @Sendable func startCheckout(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let reservations = try await checkout.checkout(try context.parameters.path("cart"), caller: try await caller(request, context))
        return JSONResponse.raw(Data(JSONValue.object([
            "reservations": .array(reservations.map { reservation in
                .object(["variant_id": .string(reservation.variantId), "location": .string(reservation.locationId),
                         "quantity": .number(Double(reservation.quantity)), "expires_at": .string(Timestamp.string(reservation.expiresAt))])
            }),
            "expires_at": reservations.map(\.expiresAt).min().map { .string(Timestamp.string($0)) } ?? .null,
        ]).jsonBytes()))
    }

    @Sendable func complete(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let body = try await request.decode(CompleteRequest.self, context: context)
        let (order, created) = try await checkout.complete(try context.parameters.path("cart"), caller: try await caller(request, context),
                                                           payment: .init(provider: body.payment.provider, method: body.method))
        return try JSONResponse.make(order, status: created ? .created : .ok, version: order.version)
    }

    /// Who asks: the key's channel, `X-Cart-Token` (or `token` in the query, for an
    /// `EventSource`) and the customer of `X-Customer-Token`, if sent.
    /// (`X-Cart-Token` only, except on a stream: tokens in other URLs would end up in logs.)
    func caller(_ request: Request, _ context: StoreRequestContext, stream: Bool = false) async throws -> CartCaller {
        let token = request.headers[CartTokenHeader.name] ?? (stream ? request.uri.queryParameters["token"].map(String.init) : nil)
        let customer = try await customers.customer(for: request, context: context)
        return CartCaller(channel: context.channel, token: token, customerId: customer?.id.rawValue, holdLimit: context.holdLimit)
    }

    @Sendable func myOrders(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let customer = try await customers.requireCustomer(for: request, context: context)
        let page = try await orders.list(status: nil, customer: customer.id.rawValue, page: try request.pageRequest())
        return try JSONResponse.make(page)
    }
}
