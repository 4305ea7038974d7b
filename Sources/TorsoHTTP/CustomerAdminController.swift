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
    public func addRoutes(to group: RouterGroup<TorsoRequestContext>) {
        group.get("customers", use: list)
        group.get("customers/:id", use: get)
        group.patch("customers/:id", use: update)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.customersRead)
        let query = request.uri.queryParameters["q"].map(String.init)
        return try JSONResponse.make(try await customers.list(query: query, page: try request.pageRequest()))
    }

    @Sendable func get(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.customersRead)
        let customer = try await customers.get(try context.parameters.require("id"))
        return try JSONResponse.make(customer, version: customer.version)
    }

    @Sendable func update(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.customersWrite)
        let body = try await request.jsonBody(context: context)
        let customer = try await customers.updateAsAdmin(try context.parameters.require("id"), patch: body.value,
                                                         expectedVersion: try request.ifMatchVersion())
        return try JSONResponse.make(customer, version: customer.version)
    }
}
