import Access
import Customers
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// The header a head sends a customer's session token in: `X-Customer-Token: cs_…`.
public enum CustomerTokenHeader {
    /// `X-Customer-Token`.
    public static let name = HTTPField.Name("X-Customer-Token")!
}

extension CustomerService {
    /// The customer whose session token the request carries, for any storefront controller
    /// (carts, checkout, orders): `nil` when there is no `X-Customer-Token` (a guest); 401
    /// `invalid_customer_token` when there is one but it is unknown, expired, logged out or
    /// was opened on another channel than the publishable key's.
    public func customer(for request: Request, context: StoreRequestContext) async throws -> Customer? {
        guard let token = request.headers[CustomerTokenHeader.name] else { return nil }
        guard let customer = try await authenticate(token: token, channel: context.channel) else {
            throw DomainError(.unauthenticated, code: "invalid_customer_token",
                              detail: "The customer token is unknown, expired or for another channel: log in again.")
        }
        return customer
    }

    /// Like ``customer(for:context:)``, but a request without a token is a 401 `customer_token_required`.
    public func requireCustomer(for request: Request, context: StoreRequestContext) async throws -> Customer {
        guard let customer = try await customer(for: request, context: context) else {
            throw DomainError(.unauthenticated, code: "customer_token_required",
                              detail: "Log in and send the session token as 'X-Customer-Token: cs_…'.")
        }
        return customer
    }
}
