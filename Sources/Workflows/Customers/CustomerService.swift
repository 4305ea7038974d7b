import Access
import Customers
import Dispatch
import Events
import Foundation
import HummingbirdBcrypt
import Synchronization
import TorsoKit

/// Registration, login and sessions, profiles and address books of customers, and the admin's
/// view of them. Passwords are hashed with bcrypt off the cooperative thread pool and outside
/// any transaction; session tokens are random and stored only as their SHA-256.
public final class CustomerService: Sendable {
    /// The bcrypt cost (log2 of rounds) used unless another is given: about 50 ms a hash.
    public static let defaultPasswordCost: UInt8 = 10
    /// How long a session authenticates after login.
    public static let sessionLifetime: TimeInterval = 30 * 24 * 3600
    /// The prefix of every session token.
    public static let tokenPrefix = "cs_"

    let store: any Store
    /// The bcrypt cost of new password hashes.
    public let passwordCost: UInt8
    let dummyHash = Mutex<String?>(nil)

    /// Creates the service; `passwordCost` is bcrypt's cost, 4…31 (tests use 4).
    public init(store: any Store, passwordCost: UInt8 = CustomerService.defaultPasswordCost) {
        precondition((4...31).contains(passwordCost), "bcrypt's cost is between 4 and 31")
        self.store = store
        self.passwordCost = passwordCost
    }

    /// What a new customer sends.
    public struct Registration: Decodable, Sendable {
        /// The e-mail address (any case).
        public var email: String
        /// The password, 8–128 characters.
        public var password: String
        /// The first name.
        public var firstName: String?
        /// The last name.
        public var lastName: String?
        /// A phone number.
        public var phone: String?

        /// Creates a registration.
        public init(email: String, password: String, firstName: String? = nil, lastName: String? = nil, phone: String? = nil) {
            self.email = email
            self.password = password
            self.firstName = firstName
            self.lastName = lastName
            self.phone = phone
        }

        enum CodingKeys: String, CodingKey {
            case email, password, phone
            case firstName = "first_name"
            case lastName = "last_name"
        }
    }

    /// An opened session: the token (shown once), when it expires and whose it is.
    public struct Login: Encodable, Sendable {
        /// The session token, `cs_…`; send it as `X-Customer-Token`.
        public var token: String
        /// When it stops authenticating.
        public var expiresAt: String
        /// The customer.
        public var customer: Customer

        enum CodingKeys: String, CodingKey {
            case token, customer
            case expiresAt = "expires_at"
        }
    }

    // MARK: Registration and sessions

    /// Registers a customer; answers 201 with the customer (never the password), or replays the
    /// first answer for a repeated idempotency key; 422 for an invalid e-mail or password.
    ///
    /// An e-mail that already has an account gets the same answer, after the same bcrypt work,
    /// as a new one (the customer as it would have been; nothing is stored): registration is no
    /// way to learn who has an account. The owner hears of it through a
    /// `customer.registration_repeated` event, for an "already registered" notice.
    public func register(_ registration: Registration, context: WriteContext) async throws -> StoredResponse {
        let email = CustomerRules.normalizedEmail(registration.email)
        var errors = ValidationErrors()
        CustomerRules.checkPassword(registration.password, at: "/password", into: &errors)
        let customer = Customer(email: email, firstName: Self.trimmed(registration.firstName), lastName: Self.trimmed(registration.lastName),
                                phone: Self.trimmed(registration.phone), createdAt: context.timestamp, updatedAt: context.timestamp)
        errors.add(contentsOf: customer.validationErrors())
        try errors.throwIfAny()
        let hash = try await hashPassword(registration.password)
        let encoded = Data(try JSONCoding.encode(customer))
        return try await Idempotent.run(store: store, context: context) { tx in
            if let existing = try await tx.customers.customerCredentials(email: email)?.customer {
                try await tx.outbox.appendEvent(type: EventType.customerRegistrationRepeated, channel: nil, subject: existing.id.rawValue,
                                                data: .object(["customer_id": .string(existing.id.rawValue)]), at: context.timestamp)
                return StoredResponse(status: 201, body: encoded)
            }
            try await tx.customers.insertCustomer(customer, passwordHash: hash)
            try await tx.outbox.appendEvent(type: EventType.customerCreated, channel: nil, subject: customer.id.rawValue,
                                     data: .object(["customer_id": .string(customer.id.rawValue)]), at: context.timestamp)
            return StoredResponse(status: 201, body: encoded)
        }
    }

    /// Registers a customer and returns it (for tools and tests; the API goes through the other form).
    public func register(_ registration: Registration, now: Date = Date()) async throws -> Customer {
        let response = try await register(registration, context: WriteContext(actor: .init(keyId: "system", name: "system"), now: now))
        return try JSONCoding.decode(Customer.self, bytes: response.body)
    }

    /// Opens a session on `channel` for the customer with this e-mail and password. A wrong
    /// password and an unknown e-mail both get 401 `invalid_credentials`, after the same bcrypt work.
    public func login(email: String, password: String, channel: String, now: Date = Date()) async throws -> Login {
        let normalized = CustomerRules.normalizedEmail(email)
        let found = try await store.read { try await $0.customers.customerCredentials(email: normalized) }
        guard try await verifyPassword(password, hash: found?.passwordHash), let customer = found?.customer else {
            throw DomainError(.unauthenticated, code: "invalid_credentials", detail: "The e-mail address or the password is wrong.")
        }
        let token = Self.newToken()
        let expiresAt = Timestamp.string(now.addingTimeInterval(Self.sessionLifetime))
        let session = CustomerSession(tokenHash: Self.tokenHash(token), customerId: customer.id, channel: channel, expiresAt: expiresAt)
        try await store.transaction { try await $0.customers.insertCustomerSession(session, now: Timestamp.string(now)) }
        return Login(token: token, expiresAt: expiresAt, customer: customer)
    }

    /// Ends the session of a token; an unknown or expired one is already ended.
    public func logout(token: String) async throws {
        let hash = Self.tokenHash(token)
        try await store.transaction { try await $0.customers.deleteCustomerSession(tokenHash: hash) }
    }

    /// The customer a session token authenticates on `channel`; `nil` for an unknown or expired
    /// token, or one opened on another channel.
    public func authenticate(token: String, channel: String, now: Date = Date()) async throws -> Customer? {
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count <= 100 else { return nil }
        let hash = Self.tokenHash(token)
        guard let found = try await store.read({ try await $0.customers.customerSession(tokenHash: hash) }),
              found.session.channel == channel, found.session.expiresAt > Timestamp.string(now) else { return nil }
        return found.customer
    }

    // MARK: Profile and addresses

    /// One customer; 404 if there is none.
    public func get(_ id: String) async throws -> Customer {
        guard let customer = try await store.read({ try await $0.customers.customer(id: id) }) else {
            throw DomainError.notFound("customer", id)
        }
        return customer
    }

    /// Applies a customer's merge patch to their own profile (e-mail, names, phone).
    public func updateProfile(_ id: String, patch: JSONValue, expectedVersion: Int?, now: Date = Date()) async throws -> Customer {
        let (members, expected) = try Self.patchMembers(patch, expectedVersion: expectedVersion, schema: CustomerRules.profileSchema)
        return try await mutate(id, expectedVersion: expected, now: now) { customer in
            var tree = (try JSONCoding.tree(customer)).merging(patch: .object(members))
            if case .object(var merged) = tree, case .string(let email)? = merged["email"] {
                merged["email"] = .string(CustomerRules.normalizedEmail(email))
                tree = .object(merged)
            }
            var updated = try Self.decodeMerged(Customer.self, tree)
            updated.firstName = Self.trimmed(updated.firstName)
            updated.lastName = Self.trimmed(updated.lastName)
            updated.phone = Self.trimmed(updated.phone)
            let errors = updated.validationErrors()
            if !errors.isEmpty { throw DomainError.validation(errors) }
            customer = updated
        }
    }

    /// Adds an address to a customer's book; it may claim the default shipping or billing mark.
    public func addAddress(_ id: String, body: JSONValue, expectedVersion: Int?, now: Date = Date()) async throws -> Customer {
        let schemaErrors = CustomerRules.addressSchema.check(body)
        if !schemaErrors.isEmpty { throw DomainError.validation(schemaErrors) }
        let addressId = ID<CustomerAddressEntity>.generate(at: now)
        let address = try Self.decodeMerged(CustomerAddress.self, body.merging(patch: .object(["id": .string(addressId.rawValue)])))
        let errors = address.validationErrors()
        if !errors.isEmpty { throw DomainError.validation(errors) }
        return try await mutate(id, expectedVersion: expectedVersion, now: now) { customer in
            guard customer.addresses.count < CustomerRules.maxAddresses else {
                throw DomainError(.conflict, code: "too_many_addresses", detail: "A customer keeps at most \(CustomerRules.maxAddresses) addresses.")
            }
            customer.addresses.append(address)
            customer.makeDefaultsExclusive(keeping: addressId)
        }
    }

    /// Changes one address with a merge patch.
    public func updateAddress(_ id: String, address addressId: String, patch: JSONValue, expectedVersion: Int?,
                              now: Date = Date()) async throws -> Customer {
        let (members, expected) = try Self.patchMembers(patch, expectedVersion: expectedVersion, schema: CustomerRules.addressSchema)
        return try await mutate(id, expectedVersion: expected, now: now) { customer in
            guard let index = customer.addresses.firstIndex(where: { $0.id.rawValue == addressId }) else {
                throw DomainError.notFound("address", addressId)
            }
            let address = try Self.decodeMerged(CustomerAddress.self, try JSONCoding.tree(customer.addresses[index]).merging(patch: .object(members)))
            let errors = address.validationErrors()
            if !errors.isEmpty { throw DomainError.validation(errors) }
            customer.addresses[index] = address
            customer.makeDefaultsExclusive(keeping: address.id)
        }
    }

    /// Removes one address.
    public func deleteAddress(_ id: String, address addressId: String, expectedVersion: Int?, now: Date = Date()) async throws -> Customer {
        try await mutate(id, expectedVersion: expectedVersion, now: now) { customer in
            guard let index = customer.addresses.firstIndex(where: { $0.id.rawValue == addressId }) else {
                throw DomainError.notFound("address", addressId)
            }
            customer.addresses.remove(at: index)
        }
    }

    // MARK: Admin

    /// One page of customers ordered by ID; `query` keeps those whose e-mail contains it.
    public func list(query: String?, page: PageRequest) async throws -> Page<Customer> {
        let text = query.map(CustomerRules.normalizedEmail)
        let items = try await store.read {
            try await $0.customers.listCustomers(emailContains: text, page: PageRequest(limit: page.limit + 1, cursor: page.cursor))
        }
        return Page.slice(items, limit: page.limit) { $0.id.rawValue }
    }

    /// Applies an admin's merge patch, which may change only the customer's group.
    public func updateAsAdmin(_ id: String, patch: JSONValue, expectedVersion: Int?, now: Date = Date()) async throws -> Customer {
        var errors = ValidationErrors()
        if case .string(let group)? = patch.objectValue?["group"] { Code.check(group, at: "/group", into: &errors) }
        errors.add(contentsOf: CustomerRules.adminPatchSchema.check(patch, creating: false))
        try errors.throwIfAny()
        let (members, expected) = try Self.patchMembers(patch, expectedVersion: expectedVersion, schema: CustomerRules.adminPatchSchema)
        return try await mutate(id, expectedVersion: expected, now: now) { customer in
            if let group = members["group"] { customer.group = group.stringValue }
        }
    }

    // MARK: Helpers

    /// Reads, changes and writes one customer in a transaction, checking the expected version and
    /// bumping the version.
    private func mutate(_ id: String, expectedVersion: Int?, now: Date,
                        _ change: @escaping @Sendable (inout Customer) throws -> Void) async throws -> Customer {
        try await store.transaction { tx in
            guard let previous = try await tx.customers.customer(id: id) else { throw DomainError.notFound("customer", id) }
            if let expectedVersion, expectedVersion != previous.version {
                throw DomainError.versionMismatch(expected: expectedVersion, current: previous.version)
            }
            var customer = previous
            try change(&customer)
            customer.id = previous.id
            customer.version = previous.version + 1
            customer.createdAt = previous.createdAt
            customer.updatedAt = Timestamp.string(now)
            guard try await tx.customers.replaceCustomer(customer, expectedVersion: previous.version) else {
                let current = try await tx.customers.customer(id: id)?.version ?? previous.version
                throw DomainError.versionMismatch(expected: previous.version, current: current)
            }
            return customer
        }
    }

    /// The members of a merge patch checked against `schema`, without `version`, and the
    /// expected version from `If-Match` or the body.
    static func patchMembers(_ patch: JSONValue, expectedVersion: Int?, schema: FieldSchema) throws -> ([String: JSONValue], Int?) {
        if case .object = patch {
            let errors = schema.check(patch, creating: false)
            if !errors.isEmpty { throw DomainError.validation(errors) }
        }
        return try VersionedPatch.split(patch, expectedVersion: expectedVersion)
    }

    /// Decodes a merged document; a required member removed by the patch is a 422 with its pointer.
    static func decodeMerged<T: Decodable>(_ type: T.Type, _ tree: JSONValue) throws -> T {
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(tree.jsonBytes()))
        } catch let error as DecodingError {
            throw DomainError.validation([JSONCoding.fieldError(error)])
        }
    }

    static func trimmed(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
