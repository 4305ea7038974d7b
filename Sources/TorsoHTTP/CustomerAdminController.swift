import Access
import Customers
import Hummingbird
import TorsoKit
import Workflows

/// `/admin/v1/customers`: list (with `q` on the e-mail), read, and set a customer's group.
/// Customers are personal data, so they have scopes of their own: `customers:read` and `customers:write`.
public struct CustomerAdminController: Sendable {
    let customers: CustomerService

    /// Creates the controller.
    public init(customers: CustomerService) { self.customers = customers }

    /// Adds the routes to a group at `/admin/v1`.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.get("customers", APIOperation("List customers (cursor pagination); q matches the e-mail", tag: "customers",
                                             caller: .scope(.customersRead), answer: .json(.ref("CustomerPage")),
                                             parameters: APIOperation.Parameter.page + [.query("q")]), use: list)
        routes.get("customers/:id", APIOperation("Read a customer (never a password hash)", tag: "customers", caller: .scope(.customersRead),
                                                 answer: .json(.ref("Customer"))), use: get)
        routes.patch("customers/:id", APIOperation("Set a customer's group with a JSON merge patch (If-Match: version)", tag: "customers",
                                                   caller: .scope(.customersWrite), body: .ref("CustomerGroupPatch"),
                                                   mergePatch: true, answer: .json(.ref("Customer")), parameters: [.header("If-Match")]),
                     use: update)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.customersRead)
        let query = request.uri.queryParameters["q"].map(String.init)
        return try JSONResponse.make(try await customers.list(query: query, page: try request.pageRequest()))
    }

    @Sendable func get(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.customersRead)
        let customer = try await customers.get(try context.parameters.path("id"))
        return try JSONResponse.make(customer, version: customer.version)
    }

    @Sendable func update(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.customersWrite)
        let body = try await request.jsonBody(context: context)
        let customer = try await customers.updateAsAdmin(try context.parameters.path("id"), patch: body.value,
                                                         expectedVersion: try request.ifMatchVersion())
        return try JSONResponse.make(customer, version: customer.version)
    }
}
