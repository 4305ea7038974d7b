import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Customers on the storefront (registration, sessions, profile, addresses) and in the admin.
@Suite struct CustomerTests {
    static let token = HTTPField.Name("X-Customer-Token")!

    /// A request as a logged-in customer.
    static func asCustomer(_ api: TestAPI, _ method: HTTPRequest.Method, _ uri: String, key: String, token: String?,
                           body: String? = nil, ifMatch: String? = nil) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let token { headers[Self.token] = token }
        if let ifMatch { headers[.ifMatch] = ifMatch }
        return try await api.request(method, uri, as: .bearer(key), body: body, headers: headers)
    }

    static let address = #"{"first_name":"Ada","last_name":"Lovelace","line1":"Main St 1","city":"Berlin","postal_code":"10115","country":"DE"}"#

    @Test func registerLoginMeAndLogout() async throws {
        try await withAPI { api in
            // Given
            let web = try await api.makePublishableKey()
            // When: registering
            let registered = try await Shop.register(api, key: web, email: "Ada@Example.com")
            // Then: the e-mail is lower-cased, the ID is a customer's, and nothing of the password shows
            #expect(registered.json["email"]?.stringValue == "ada@example.com")
            #expect(registered.id?.hasPrefix("cus_") == true)
            #expect(registered.json["first_name"]?.stringValue == "Ada")
            #expect(registered.json["group"] == .null)
            #expect(registered.version == 1)
            #expect(!registered.text.contains("password") && !registered.text.contains("$2"))
            // When: logging in with the e-mail in another case
            let login = try await api.post("/store/v1/customers/login", #"{"email":"ADA@example.com","password":"correct horse"}"#, as: .bearer(web))
            // Then
            #expect(login.status == .ok, "\(login.text)")
            let token = try #require(login.json["token"]?.stringValue)
            #expect(token.hasPrefix("cs_") && token.count == 46)
            let expires = try #require(login.json["expires_at"]?.stringValue.flatMap(Timestamp.parse))
            #expect(abs(expires.timeIntervalSinceNow - 30 * 86_400) < 120)
            #expect(login.json["customer"]?["id"]?.stringValue == registered.id)
            #expect(!login.text.contains("$2"))
            // When: reading the profile
            let me = try await Self.asCustomer(api, .get, "/store/v1/customers/me", key: web, token: token)
            // Then
            #expect(me.status == .ok)
            #expect(me.id == registered.id)
            #expect(me.headers[.eTag] == "\"1\"")
            // When: logging out
            let logout = try await Self.asCustomer(api, .post, "/store/v1/customers/logout", key: web, token: token)
            // Then: the token no longer authenticates
            #expect(logout.status == .noContent)
            expectProblem(try await Self.asCustomer(api, .get, "/store/v1/customers/me", key: web, token: token), .unauthorized, "invalid_customer_token")
            expectProblem(try await Self.asCustomer(api, .post, "/store/v1/customers/logout", key: web, token: nil), .unauthorized, "customer_token_required")
        }
    }

    /// Found from outside: registration answered 409 `email_taken`, so anyone could learn who
    /// has an account. Now a taken e-mail gets the answer a new one gets, and the owner an event.
    @Test func aTakenEmailGetsTheAnswerANewOneGetsAndTheOwnerAnEvent() async throws {
        try await withAPI { api in
            // Given
            let web = try await api.makePublishableKey()
            let grace = try #require(try await Shop.register(api, key: web, email: "grace@example.com").id)
            // When: someone registers her e-mail again (in another case), and someone a new one
            let again = try await api.post("/store/v1/customers", #"{"email":"  GRACE@example.COM ","password":"another one"}"#, as: .bearer(web))
            let fresh = try await api.post("/store/v1/customers", #"{"email":"ada@example.com","password":"another one"}"#, as: .bearer(web))
            // Then both answers look alike: 201, the same members, a customer ID each
            #expect(again.status == .created && fresh.status == .created)
            #expect(Set(again.json.objectValue?.keys.map { $0 } ?? []) == Set(fresh.json.objectValue?.keys.map { $0 } ?? []))
            #expect(again.json["email"] == .string("grace@example.com"))
            #expect(again.json["id"]?.stringValue?.hasPrefix("cus_") == true && again.json["id"]?.stringValue != grace)
            // and nothing was stored for the repeat: Grace's password is unchanged, the answered ID does not exist
            let customers = try await api.get("/admin/v1/customers").data
            #expect(customers.count == 2)
            #expect(!customers.contains { $0["id"] == again.json["id"] })
            _ = try await Shop.login(api, key: web, email: "grace@example.com")
            expectProblem(try await api.post("/store/v1/customers/login", #"{"email":"grace@example.com","password":"another one"}"#, as: .bearer(web)),
                          .unauthorized, "invalid_credentials")
            // and Grace can be told, through the outbox
            let repeated = try await EventFeedTests.events(api, query: "&types=customer.registration_repeated")
            #expect(repeated.count == 1 && repeated.first?["subject"] == .string(grace))
            #expect(!(repeated.first?.text.contains("another one") ?? true))
        }
    }

    @Test func registrationIsValidatedWithPointers() async throws {
        try await withAPI { api in
            // Given
            let web = try await api.makePublishableKey()
            // When / Then
            expectValidation(try await api.post("/store/v1/customers", #"{"email":"not-an-email","password":"short"}"#, as: .bearer(web)),
                             [.init("/email", "invalid_email"), .init("/password", "too_short")], exactly: true)
            let long = String(repeating: "x", count: 129)
            expectValidation(try await api.post("/store/v1/customers", #"{"email":"a@b.co","password":"\#(long)"}"#, as: .bearer(web)),
                             [.init("/password", "too_long")], exactly: true)
            expectValidation(try await api.post("/store/v1/customers", #"{"email":"a@b.co","pasword":"long enough"}"#, as: .bearer(web)),
                             [.init("/pasword", "unknown_field"), .init("/password", "required")])
            expectValidation(try await api.post("/store/v1/customers", #"{"email":"a@b.co","password":12345678}"#, as: .bearer(web)),
                             [.init("/password", "invalid_type")])
            #expect(try await api.get("/admin/v1/customers").data.isEmpty)
        }
    }

    @Test func aWrongPasswordAndAnUnknownEmailAnswerAlike() async throws {
        try await withAPI { api in
            // Given
            let web = try await api.makePublishableKey()
            try await Shop.register(api, key: web, email: "linus@example.com")
            // When
            let wrongPassword = try await api.post("/store/v1/customers/login", #"{"email":"linus@example.com","password":"wrong horse"}"#, as: .bearer(web))
            let unknownEmail = try await api.post("/store/v1/customers/login", #"{"email":"nobody@example.com","password":"correct horse"}"#, as: .bearer(web))
            // Then: the same status, code and text
            expectProblem(wrongPassword, .unauthorized, "invalid_credentials")
            expectProblem(unknownEmail, .unauthorized, "invalid_credentials")
            #expect(wrongPassword.text == unknownEmail.text)
        }
    }

    @Test func unknownExpiredAndMissingTokensAre401() async throws {
        try await withAPI { api in
            // Given: a session opened 31 days ago, which has expired
            let web = try await api.makePublishableKey()
            try await Shop.register(api, key: web, email: "old@example.com")
            let old = try await api.services.customers.login(email: "old@example.com", password: "correct horse", channel: "web",
                                                             now: Date().addingTimeInterval(-31 * 86_400))
            // When / Then
            expectProblem(try await Self.asCustomer(api, .get, "/store/v1/customers/me", key: web, token: old.token), .unauthorized, "invalid_customer_token")
            expectProblem(try await Self.asCustomer(api, .get, "/store/v1/customers/me", key: web, token: "cs_unknown"), .unauthorized, "invalid_customer_token")
            expectProblem(try await Self.asCustomer(api, .get, "/store/v1/customers/me", key: web, token: "garbage"), .unauthorized, "invalid_customer_token")
            for (method, path) in [(HTTPRequest.Method.get, "/store/v1/customers/me"), (.patch, "/store/v1/customers/me"),
                                   (.post, "/store/v1/customers/me/addresses"), (.delete, "/store/v1/customers/me/addresses/addr_x")] {
                let response = try await Self.asCustomer(api, method, path, key: web, token: nil, body: method == .delete || method == .get ? nil : "{}")
                expectProblem(response, .unauthorized, "customer_token_required", "\(method) \(path)")
            }
        }
    }

    @Test func theStorefrontRoutesTakePublishableKeysOnly() async throws {
        try await withAPI { api in
            // Given
            let body = #"{"email":"key@example.com","password":"correct horse"}"#
            // When / Then: no key is a 401, a secret key a 403
            expectProblem(try await api.post("/store/v1/customers", body, as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.post("/store/v1/customers/login", body, as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.post("/store/v1/customers", body), .forbidden, "publishable_key_required")
            expectProblem(try await api.get("/store/v1/customers/me"), .forbidden, "publishable_key_required")
            #expect(try await api.get("/admin/v1/customers").data.isEmpty)
        }
    }

    @Test func sessionsAreBoundToTheChannelTheyWereOpenedOn() async throws {
        try await withAPI { api in
            // Given: one account, logged in through the web channel's key
            let web = try await api.makePublishableKey(channel: "web")
            let voice = try await api.makePublishableKey(channel: "voice")
            try await Shop.register(api, key: web, email: "both@example.com")
            let webToken = try await Shop.login(api, key: web, email: "both@example.com")
            // When: the web session is sent with the voice channel's key
            let crossed = try await Self.asCustomer(api, .get, "/store/v1/customers/me", key: voice, token: webToken)
            // Then: refused; the same account logs in on voice with a session of its own
            expectProblem(crossed, .unauthorized, "invalid_customer_token")
            let voiceToken = try await Shop.login(api, key: voice, email: "both@example.com")
            #expect(try await Self.asCustomer(api, .get, "/store/v1/customers/me", key: voice, token: voiceToken).status == .ok)
            #expect(try await Self.asCustomer(api, .get, "/store/v1/customers/me", key: web, token: webToken).status == .ok)
        }
    }

    @Test func profilePatchesCheckTheVersion() async throws {
        try await withAPI { api in
            // Given
            let web = try await api.makePublishableKey()
            try await Shop.register(api, key: web, email: "mary@example.com")
            try await Shop.register(api, key: web, email: "taken@example.com")
            let token = try await Shop.login(api, key: web, email: "mary@example.com")
            // When: a patch at the current version
            let patched = try await Self.asCustomer(api, .patch, "/store/v1/customers/me", key: web, token: token,
                                                    body: #"{"last_name":"Shelley","phone":"+49 30 1234"}"#, ifMatch: "\"1\"")
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.version == 2 && patched.headers[.eTag] == "\"2\"")
            #expect(patched.json["last_name"]?.stringValue == "Shelley")
            #expect(patched.json["first_name"]?.stringValue == "Ada")
            // When: a stale one, by header and by body
            let stale = try await Self.asCustomer(api, .patch, "/store/v1/customers/me", key: web, token: token,
                                                  body: #"{"first_name":"Mary"}"#, ifMatch: "\"1\"")
            let staleBody = try await Self.asCustomer(api, .patch, "/store/v1/customers/me", key: web, token: token,
                                                      body: #"{"first_name":"Mary","version":1}"#)
            // Then
            expectProblem(stale, .conflict, "version_mismatch")
            #expect(stale.json["current_version"]?.numberValue == 2)
            expectProblem(staleBody, .conflict, "version_mismatch")
            // A customer cannot set their own group, nor take someone's e-mail, nor remove their own
            expectValidation(try await Self.asCustomer(api, .patch, "/store/v1/customers/me", key: web, token: token, body: #"{"group":"vip"}"#),
                             [.init("/group", "unknown_field")])
            expectProblem(try await Self.asCustomer(api, .patch, "/store/v1/customers/me", key: web, token: token, body: #"{"email":"TAKEN@example.com"}"#),
                          .conflict, "email_taken")
            expectValidation(try await Self.asCustomer(api, .patch, "/store/v1/customers/me", key: web, token: token, body: #"{"email":null}"#),
                             [.init("/email", "required")])
            // When: the e-mail changes, the new one logs in
            let moved = try await Self.asCustomer(api, .patch, "/store/v1/customers/me", key: web, token: token, body: #"{"email":"Mary.S@example.com"}"#)
            #expect(moved.json["email"]?.stringValue == "mary.s@example.com")
            _ = try await Shop.login(api, key: web, email: "mary.s@example.com")
        }
    }

    @Test func addressesAreValidatedAndKeepOneDefault() async throws {
        try await withAPI { api in
            // Given
            let web = try await api.makePublishableKey()
            try await Shop.register(api, key: web, email: "ship@example.com")
            let token = try await Shop.login(api, key: web, email: "ship@example.com")
            // When: invalid addresses
            let lowerCase = try await Self.asCustomer(api, .post, "/store/v1/customers/me/addresses", key: web, token: token,
                                                      body: try JSONValue.parse(Self.address).setting("/country", to: .string("de")).text)
            let missing = try await Self.asCustomer(api, .post, "/store/v1/customers/me/addresses", key: web, token: token,
                                                    body: #"{"first_name":"Ada","last_name":"  ","city":"Berlin","postal_code":"1","country":"Germany","colour":1}"#)
            // Then
            expectValidation(lowerCase, [.init("/country", "invalid_country")], exactly: true)
            expectValidation(missing, [.init("/line1", "required"), .init("/colour", "unknown_field")])
            let blank = try await Self.asCustomer(api, .post, "/store/v1/customers/me/addresses", key: web, token: token,
                                                  body: #"{"first_name":"Ada","last_name":"  ","line1":"x","city":"Berlin","postal_code":"1","country":"Germany"}"#)
            expectValidation(blank, [.init("/last_name", "required"), .init("/country", "invalid_country")], exactly: true)
            // When: two valid ones, both claiming the default shipping mark
            let first = try await Self.asCustomer(api, .post, "/store/v1/customers/me/addresses", key: web, token: token,
                                                  body: try JSONValue.parse(Self.address).setting("/default_shipping", to: .bool(true)).text)
            #expect(first.status == .created, "\(first.text)")
            let second = try await Self.asCustomer(api, .post, "/store/v1/customers/me/addresses", key: web, token: token,
                                                   body: try JSONValue.parse(Self.address).setting("/default_shipping", to: .bool(true))
                                                    .setting("/city", to: .string("Hamburg")).text)
            // Then: only the newest keeps it
            let addresses = try #require(second.json["addresses"]?.arrayValue)
            #expect(addresses.count == 2)
            #expect(addresses.map { $0["default_shipping"] } == [.bool(false), .bool(true)])
            #expect(addresses[0]["id"]?.stringValue?.hasPrefix("addr_") == true)
            let firstId = try #require(addresses[0]["id"]?.stringValue)
            // When: patching the first (an invalid patch, then a valid one)
            expectValidation(try await Self.asCustomer(api, .patch, "/store/v1/customers/me/addresses/\(firstId)", key: web, token: token,
                                                       body: #"{"country":"XYZ"}"#),
                             [.init("/country", "invalid_country")], exactly: true)
            expectValidation(try await Self.asCustomer(api, .patch, "/store/v1/customers/me/addresses/\(firstId)", key: web, token: token,
                                                       body: #"{"line1":null}"#),
                             [.init("/line1", "required")], exactly: true)
            let moved = try await Self.asCustomer(api, .patch, "/store/v1/customers/me/addresses/\(firstId)", key: web, token: token,
                                                  body: #"{"city":"Munich","line2":"Hinterhaus"}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(moved.json["addresses"]?[0]?["city"]?.stringValue == "Munich")
            #expect(moved.json["addresses"]?[0]?["line2"]?.stringValue == "Hinterhaus")
            // When: deleting it, and an address that does not exist
            let deleted = try await Self.asCustomer(api, .delete, "/store/v1/customers/me/addresses/\(firstId)", key: web, token: token)
            #expect(deleted.status == .ok)
            #expect(deleted.json["addresses"]?.arrayValue?.count == 1)
            expectProblem(try await Self.asCustomer(api, .delete, "/store/v1/customers/me/addresses/\(firstId)", key: web, token: token),
                          .notFound, "not_found")
            // A stale If-Match is a conflict here too
            expectProblem(try await Self.asCustomer(api, .post, "/store/v1/customers/me/addresses", key: web, token: token,
                                                    body: Self.address, ifMatch: "\"1\""), .conflict, "version_mismatch")
        }
    }

    @Test func adminsListReadAndGroupCustomers() async throws {
        try await withAPI { api in
            // Given
            let web = try await api.makePublishableKey()
            for name in ["anna", "bert", "carl"] { try await Shop.register(api, key: web, email: "\(name)@example.com") }
            // When: listing page by page, and searching
            let first = try await api.get("/admin/v1/customers?limit=2")
            let rest = try await api.get("/admin/v1/customers?limit=2&cursor=\(try #require(first.nextCursor))")
            let found = try await api.get("/admin/v1/customers?q=BERT")
            // Then
            #expect(first.data.count == 2 && rest.data.count == 1 && rest.nextCursor == nil)
            #expect(Set((first.data + rest.data).compactMap { $0["email"]?.stringValue }) == ["anna@example.com", "bert@example.com", "carl@example.com"])
            #expect(found.data.compactMap { $0["email"]?.stringValue } == ["bert@example.com"])
            #expect(!first.text.contains("$2") && !first.text.contains("password"))
            // When: reading and grouping one
            let id = try #require(found.data.first?["id"]?.stringValue)
            let read = try await api.get("/admin/v1/customers/\(id)")
            #expect(read.status == .ok && read.headers[.eTag] == "\"1\"")
            let grouped = try await api.patch("/admin/v1/customers/\(id)", #"{"group":"wholesale"}"#, ifMatch: "\"1\"")
            // Then: the group shows to the customer too
            #expect(grouped.status == .ok, "\(grouped.text)")
            #expect(grouped.json["group"]?.stringValue == "wholesale" && grouped.version == 2)
            let token = try await Shop.login(api, key: web, email: "bert@example.com")
            #expect(try await Self.asCustomer(api, .get, "/store/v1/customers/me", key: web, token: token).json["group"]?.stringValue == "wholesale")
            // Only the group may change, with a stale version refused, and null removes it
            expectValidation(try await api.patch("/admin/v1/customers/\(id)", #"{"first_name":"B"}"#), [.init("/first_name", "unknown_field")])
            expectProblem(try await api.patch("/admin/v1/customers/\(id)", #"{"group":"vip"}"#, ifMatch: "\"1\""), .conflict, "version_mismatch")
            let ungrouped = try await api.patch("/admin/v1/customers/\(id)", #"{"group":null}"#)
            #expect(ungrouped.json["group"] == .null && ungrouped.version == 3)
            // customers:write implies customers:read; catalog keys see no customers
            let writer = try await api.makeKey(name: "crm", scopes: [.customersWrite])
            #expect(try await api.get("/admin/v1/customers/\(id)", as: .bearer(writer.secret)).status == .ok)
            let catalog = try await api.makeKey(name: "catalog", scopes: [.catalogWrite, .settingsWrite])
            expectProblem(try await api.get("/admin/v1/customers", as: .bearer(catalog.secret)), .forbidden, "missing_scope")
        }
    }

    @Test func aRetriedRegistrationWithAnIdempotencyKeyReplays() async throws {
        try await withAPI { api in
            // Given
            let web = try await api.makePublishableKey()
            let body = #"{"email":"retry@example.com","password":"correct horse"}"#
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "reg-1"]
            // When
            let first = try await api.post("/store/v1/customers", body, as: .bearer(web), headers: key)
            let retry = try await api.post("/store/v1/customers", body, as: .bearer(web), headers: key)
            let other = try await api.post("/store/v1/customers", #"{"email":"other@example.com","password":"correct horse"}"#,
                                           as: .bearer(web), headers: key)
            // Then
            #expect(first.status == .created && retry.status == .created)
            #expect(retry.text == first.text)
            expectProblem(other, .unprocessableContent, "idempotency_key_reused")
            #expect(try await api.get("/admin/v1/customers").data.count == 1)
        }
    }
}
