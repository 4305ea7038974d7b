import Access
import Commerce
import Foundation
import HTTPTypes
import Testing
import TorsoHTTP
import TorsoKit
import TorsoTestSupport

/// A billboard hands its cart to a phone: a single-use code shown as a QR code, claimed once,
/// after which the screen only watches.
@Suite struct HandoffTests {
    static func token(_ value: String) -> HTTPFields { [CartTokenHeader.name: value] }

    /// A web channel whose screens show a claim URL.
    static func claimPage(_ api: TestAPI) async throws {
        let patched = try await api.patch("/admin/v1/channels/web", #"{"handoff_url":"https://shop.example/claim?code={code}"}"#)
        #expect(patched.status == .ok, "\(patched.text)")
    }

    @Test func theScreenSeesThePhoneClaimChangeAndCompleteWithinASecond() async throws {
        try await withLiveAPI { api, port in
            // Given: a screen's cart with a line, handed off
            let (key, variants) = try await Shop.shop(api, suffix: "bb")
            try await Self.claimPage(api)
            let screen = api.withoutCartTokens
            let created = try await screen.post("/store/v1/carts", "{}", as: .bearer(key))
            let cart = try #require(created.json["id"]?.stringValue)
            let screenToken = try #require(created.json["token"]?.stringValue)
            #expect(try await screen.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[0])"}"#, as: .bearer(key),
                                          headers: Self.token(screenToken)).status == .ok)
            let handoff = try await screen.request(.post, "/store/v1/carts/\(cart)/handoff", as: .bearer(key), headers: Self.token(screenToken))
            #expect(handoff.status == .created, "\(handoff.text)")
            let code = try #require(handoff.json["code"]?.stringValue)
            #expect(code.count == 14 && code.split(separator: "-").count == 3)
            #expect(handoff.json["url"] == .string("https://shop.example/claim?code=\(code)"))
            // The screen follows its cart's stream (EventSource style: key and token in the URL)
            let stream = try await SSERecorder.open("http://127.0.0.1:\(port)/store/v1/carts/\(cart)/events?key=\(key)&token=\(screenToken)")
            defer { stream.close() }
            #expect(stream.status == 200)
            #expect(try await stream.waitForComment("connected"))
            // When: the phone claims the code, typed in lower case
            let phone = api.withoutCartTokens
            let claimed = try await phone.post("/store/v1/carts/claim", #"{"code":"\#(code.lowercased())"}"#, as: .bearer(key))
            #expect(claimed.status == .ok, "\(claimed.text)")
            let phoneToken = try #require(claimed.json["token"]?.stringValue)
            #expect(phoneToken != screenToken && claimed.json["lines"]?.arrayValue?.count == 1)
            // Then the screen may read but no longer write
            #expect(try await screen.get("/store/v1/carts/\(cart)", as: .bearer(key), headers: Self.token(screenToken)).status == .ok)
            expectProblem(try await screen.post("/store/v1/carts/\(cart)/lines", #"{"variant_id":"\#(variants[1])"}"#, as: .bearer(key),
                                                headers: Self.token(screenToken)), .forbidden, "cart_handed_off")
            expectProblem(try await screen.request(.post, "/store/v1/carts/\(cart)/complete", as: .bearer(key),
                                                   body: #"{"payment":{"provider":"test","card_number":"4242424242424242"}}"#,
                                                   headers: Self.token(screenToken)), .forbidden, "cart_handed_off")
            // and the same code does not work twice
            expectProblem(try await phone.post("/store/v1/carts/claim", #"{"code":"\#(code)"}"#, as: .bearer(key)), .gone, "handoff_claimed")
            // When: the phone fills in the details and completes
            let details = #"{"email":"phone@example.com","shipping_address":\#(Shop.address),"shipping_method":"standard"}"#
            #expect(try await phone.request(.patch, "/store/v1/carts/\(cart)", as: .bearer(key), body: details,
                                            headers: Self.token(phoneToken)).status == .ok)
            let completed = try await phone.request(.post, "/store/v1/carts/\(cart)/complete", as: .bearer(key),
                                                    body: #"{"payment":{"provider":"test","card_number":"4242424242424242"}}"#,
                                                    headers: Self.token(phoneToken))
            let done = ContinuousClock.now
            #expect(completed.status == .created, "\(completed.text)")
            // Found from outside: the screen read the phone owner's e-mail and address from the cart
            let shown = try await screen.get("/store/v1/carts/\(cart)", as: .bearer(key), headers: Self.token(screenToken))
            #expect(shown.status == .ok && shown.json["status"] == .string("completed"))
            #expect(shown.json["email"] == nil && shown.json["shipping_address"] == nil && shown.json["billing_address"] == nil, "\(shown.text)")
            #expect(!shown.text.contains("phone@example.com") && !shown.text.contains("Unter den Linden"))
            let own = try await phone.get("/store/v1/carts/\(cart)", as: .bearer(key), headers: Self.token(phoneToken))
            #expect(own.json["email"] == .string("phone@example.com"))
            // Then the screen hears claimed, updated and completed (with the order number) within a second
            let frames = try await stream.wait(timeout: .seconds(1)) { $0.contains { $0.event == "cart.completed" } }
            #expect(ContinuousClock.now - done < .seconds(1))
            #expect(frames.map { $0.event ?? "" } == ["cart.claimed", "cart.updated", "cart.completed"])
            let last = try JSONValue.parse(try #require(frames.last?.data))
            #expect(last["data"]?["order_number"] == completed.json["number"])
            #expect(!frames.contains { $0.data.contains("phone@example.com") }, "the screen's stream names no person")
            // The screen's read-only token does not read the order (it names a person); the phone's does
            expectProblem(try await screen.get("/store/v1/orders/\(try #require(completed.json["id"]?.stringValue))", as: .bearer(key),
                                               headers: Self.token(screenToken)), .forbidden, "cart_handed_off")
            #expect(try await phone.get("/store/v1/orders/\(try #require(completed.json["id"]?.stringValue))", as: .bearer(key),
                                        headers: Self.token(phoneToken)).status == .ok)
        }
    }

    @Test func ofManyConcurrentClaimsOneWinsAndTheRestGet410() async throws {
        try await withAPI { api in
            let key = try await api.makePublishableKey()
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            let code = try #require(try await api.post("/store/v1/carts/\(cart)/handoff", "{}", as: .bearer(key)).json["code"]?.stringValue)
            let phone = api.withoutCartTokens
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        let answer = try await phone.post("/store/v1/carts/claim", #"{"code":"\#(code)"}"#, as: .bearer(key))
                        return (answer.status.code, answer.json["code"]?.stringValue ?? answer.json["token"]?.stringValue)
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == 200 }.count == 1)
            #expect(statuses.filter { $0.0 == 410 && $0.1 == "handoff_claimed" }.count == 9)
        }
    }

    @Test func codesExpireAreReplacedAndStayOnTheirChannel() async throws {
        try await withAPI { api in
            let key = try await api.makePublishableKey()
            let voice = try await api.makePublishableKey(channel: "voice")
            let cart = try #require(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).json["id"]?.stringValue)
            // No claim URL on the channel: the code alone
            let first = try await api.post("/store/v1/carts/\(cart)/handoff", #"{"expires_in":60}"#, as: .bearer(key))
            #expect(first.status == .created && first.json["url"] == .null)
            let code = try #require(first.json["code"]?.stringValue)
            // Another channel's key does not find it; a made-up code is unknown
            expectProblem(try await api.post("/store/v1/carts/claim", #"{"code":"\#(code)"}"#, as: .bearer(voice)), .notFound, "handoff_not_found")
            expectProblem(try await api.post("/store/v1/carts/claim", #"{"code":"AAAA-BBBB-CCCC"}"#, as: .bearer(key)), .notFound, "handoff_not_found")
            // A new code replaces the one before, which is then expired
            let second = try #require(try await api.post("/store/v1/carts/\(cart)/handoff", "{}", as: .bearer(key)).json["code"]?.stringValue)
            expectProblem(try await api.post("/store/v1/carts/claim", #"{"code":"\#(code)"}"#, as: .bearer(key)), .gone, "handoff_expired")
            // A code past its time is gone
            try await api.services.store.transaction { tx in
                try await tx.carts.insertHandoff(CartHandoff(codeHash: KeySecret.hash("01D0C0DE0000"), cartId: cart, channel: "web",
                                                             expiresAt: Timestamp.string(Date().addingTimeInterval(-1)),
                                                             createdAt: Timestamp.string(Date().addingTimeInterval(-601))))
            }
            expectProblem(try await api.post("/store/v1/carts/claim", #"{"code":"old0-code-0000"}"#, as: .bearer(key)), .gone, "handoff_expired")
            _ = second
            // Bad input
            expectValidation(try await api.post("/store/v1/carts/\(cart)/handoff", #"{"expires_in":5}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/expires_in", "out_of_range")])
            expectValidation(try await api.post("/store/v1/carts/\(cart)/handoff", #"{"expires_in":86400}"#, as: .bearer(key)),
                             [FieldErrorExpectation("/expires_in", "out_of_range")])
            expectValidation(try await api.post("/store/v1/carts/claim", "{}", as: .bearer(key)), [FieldErrorExpectation("/code", "required")])
            expectProblem(try await api.post("/store/v1/carts/claim", #"{"code":"x"}"#, as: .none), .unauthorized, "unauthenticated")
            expectProblem(try await api.post("/store/v1/carts/claim", #"{"code":"x"}"#), .forbidden, "publishable_key_required")
            // A bad claim URL is refused on the channel
            expectValidation(try await api.patch("/admin/v1/channels/web", #"{"handoff_url":"javascript:alert(1)"}"#),
                             [FieldErrorExpectation("/handoff_url", "invalid_url")])
            expectValidation(try await api.patch("/admin/v1/channels/web", #"{"handoff_url":"https://shop.example/claim"}"#),
                             [FieldErrorExpectation("/handoff_url", "invalid_url")])
        }
    }
}
