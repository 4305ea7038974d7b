import TorsoKit

/// Customers, their credentials and their sessions.
public protocol CustomerRepository: Sendable {
    /// Stores a new customer with its password hash; throws 409 `email_taken` if its e-mail is taken.
    func insertCustomer(_ customer: Customer, passwordHash: String?) async throws
    /// One customer by ID.
    func customer(id: String) async throws -> Customer?
    /// The customer with this (lower-cased) e-mail and their password hash.
    func customerCredentials(email: String) async throws -> (customer: Customer, passwordHash: String?)?
    /// Replaces a customer whose stored version is `expectedVersion`; `false` if it moved on.
    /// Throws 409 `email_taken` if the new e-mail belongs to someone else.
    func replaceCustomer(_ customer: Customer, expectedVersion: Int) async throws -> Bool
    /// One page of customers ordered by ID, those whose e-mail contains `emailContains` when given.
    func listCustomers(emailContains: String?, page: PageRequest) async throws -> [Customer]
    /// Stores a session, removing the customer's sessions that expired before `now`.
    func insertCustomerSession(_ session: CustomerSession, now: String) async throws
    /// The session with this token hash and its customer, expired or not.
    func customerSession(tokenHash: String) async throws -> (session: CustomerSession, customer: Customer)?
    /// Removes a session; nothing happens if there is none.
    func deleteCustomerSession(tokenHash: String) async throws
}
