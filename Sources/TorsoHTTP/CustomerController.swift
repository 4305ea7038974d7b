import Access
import Customers
import Foundation
import Hummingbird
import TorsoKit
import Workflows

/// `/store/v1/customers`: registration, login and logout, and the logged-in customer's profile
/// and address book. The publishable key names the channel; the customer's session travels in
/// `X-Customer-Token` and is bound to the channel it was opened on.
public struct CustomerController: Sendable {
    let customers: CustomerService

    /// Creates the controller.
    public init(customers: CustomerService) { self.customers = customers }

    /// Adds the routes to a group at `/store/v1`.
    public func addRoutes<Methods: RouterMethods<StoreRequestContext>>(to routes: APIRoutes<Methods>) {
        let tag = "customers"
        routes.post("customers", APIOperation(
            "Register a customer (Idempotency-Key accepted); an e-mail that has an account gets the same 201 (nothing is stored; the owner is told through customer.registration_repeated)",
            tag: tag, caller: .publishableKey, body: .ref("CustomerRegistration"), status: .created,
            answer: .json(.ref("Customer")), parameters: [.header("Idempotency-Key")]),
                    use: register)
        routes.post("customers/login", APIOperation(
            "Log in: {token, expires_at, customer}; the token (cs_…, 30 days) works on this key's channel only; 401 `invalid_credentials`",
            tag: tag, caller: .publishableKey, body: .ref("CustomerLogin"), answer: .json(.ref("CustomerSession"))), use: login)
        routes.post("customers/logout", APIOperation("End the session of X-Customer-Token", tag: tag, caller: .customer, status: .noContent,
                                                     answer: .empty), use: logout)
        routes.get("customers/me", APIOperation("The logged-in customer (X-Customer-Token)", tag: tag, caller: .customer,
                                                answer: .json(.ref("Customer"))), use: me)
        routes.patch("customers/me", APIOperation("Change e-mail, names or phone with a JSON merge patch (If-Match: version)", tag: tag,
                                                  caller: .customer, body: .ref("CustomerProfilePatch"), mergePatch: true,
                                                  answer: .json(.ref("Customer")), parameters: [.header("If-Match")]), use: updateMe)
        routes.post("customers/me/addresses", APIOperation("Add an address; answers the customer", tag: tag, caller: .customer,
                                                           body: .ref("CustomerAddressInput"), status: .created,
                                                           answer: .json(.ref("Customer"))), use: addAddress)
        routes.patch("customers/me/addresses/:id", APIOperation("Change an address with a JSON merge patch", tag: tag, caller: .customer,
                                                                body: .ref("CustomerAddressPatch"),
                                                                mergePatch: true, answer: .json(.ref("Customer"))), use: updateAddress)
        routes.delete("customers/me/addresses/:id", APIOperation("Remove an address; answers the customer", tag: tag, caller: .customer,
                                                                 answer: .json(.ref("Customer"))), use: deleteAddress)
    }

    struct LoginBody: Decodable {
        var email: String
        var password: String
    }

    @Sendable func register(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let principal = context.principal
        let body = try await request.jsonBody(context: context)
        let registration = try JSONCoding.decode(CustomerService.Registration.self, from: body.value, schema: CustomerRules.registerSchema)
        // The idempotency fingerprint leaves the password out: it is stored, and a fast hash of a
        // password is no place for one.
        var fingerprinted = body.value
        if case .object(var members) = fingerprinted {
            members.removeValue(forKey: "password")
            fingerprinted = .object(members)
        }
        let response = try await customers.register(
            registration, context: try request.writeContext(principal: principal, body: Data(fingerprinted.jsonBytes())))
        return JSONResponse.raw(response.body, status: .init(code: response.status))
    }

    @Sendable func login(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let body = try JSONCoding.decode(LoginBody.self, from: try await request.jsonBody(context: context).value, schema: CustomerRules.loginSchema)
        let login = try await customers.login(email: body.email, password: body.password, channel: context.channel)
        return try JSONResponse.make(login)
    }

    @Sendable func logout(_ request: Request, context: StoreRequestContext) async throws -> Response {
        guard let token = request.headers[CustomerTokenHeader.name] else {
            throw DomainError(.unauthenticated, code: "customer_token_required", detail: "Send the session token as 'X-Customer-Token: cs_…'.")
        }
        try await customers.logout(token: token)
        return Response(status: .noContent)
    }

    @Sendable func me(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let customer = try await customers.requireCustomer(for: request, context: context)
        return try JSONResponse.make(customer, version: customer.version)
    }

    @Sendable func updateMe(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let customer = try await customers.requireCustomer(for: request, context: context)
        let body = try await request.jsonBody(context: context)
        let updated = try await customers.updateProfile(customer.id.rawValue, patch: body.value, expectedVersion: try request.ifMatchVersion())
        return try JSONResponse.make(updated, version: updated.version)
    }

    @Sendable func addAddress(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let customer = try await customers.requireCustomer(for: request, context: context)
        let body = try await request.jsonBody(context: context)
        let updated = try await customers.addAddress(customer.id.rawValue, body: body.value, expectedVersion: try request.ifMatchVersion())
        return try JSONResponse.make(updated, status: .created, version: updated.version)
    }

    @Sendable func updateAddress(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let customer = try await customers.requireCustomer(for: request, context: context)
        let body = try await request.jsonBody(context: context)
        let updated = try await customers.updateAddress(customer.id.rawValue, address: try context.parameters.path("id"), patch: body.value,
                                                        expectedVersion: try request.ifMatchVersion())
        return try JSONResponse.make(updated, version: updated.version)
    }

    @Sendable func deleteAddress(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let customer = try await customers.requireCustomer(for: request, context: context)
        let updated = try await customers.deleteAddress(customer.id.rawValue, address: try context.parameters.path("id"),
                                                        expectedVersion: try request.ifMatchVersion())
        return try JSONResponse.make(updated, version: updated.version)
    }
}

