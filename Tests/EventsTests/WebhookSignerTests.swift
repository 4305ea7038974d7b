import Events
import Foundation
import Testing

/// Signing per Standard Webhooks: the reference vector, and what verification refuses.
@Suite struct WebhookSignerTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let messageId = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp = 1_614_265_330
    static let body = Data(#"{"test": 2432232314}"#.utf8)
    static let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    static let then = Date(timeIntervalSince1970: TimeInterval(timestamp))

    @Test func signsTheReferenceVector() {
        // Given / When
        let signature = WebhookSigner.signature(secret: Self.secret, messageId: Self.messageId, timestamp: Self.timestamp, body: Self.body)
        // Then
        #expect(signature == Self.expected)
    }

    @Test func verifiesTheReferenceVector() throws {
        // Given / When / Then: no error
        try WebhookSigner.verify(secret: Self.secret, messageId: Self.messageId, timestamp: String(Self.timestamp),
                                 signatures: Self.expected, body: Self.body, now: Self.then.addingTimeInterval(60))
    }

    @Test func verifyRefusesTampering() {
        // Given: one thing changed at a time
        let cases: [(String, String, String, Data)] = [
            ("body", Self.messageId, Self.expected, Data(#"{"test": 2432232315}"#.utf8)),
            ("message id", "msg_other", Self.expected, Self.body),
            ("signature", Self.messageId, "v1,h0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", Self.body),
            ("scheme", Self.messageId, "v2," + Self.expected.dropFirst(3), Self.body),
            ("no signature", Self.messageId, "", Self.body),
        ]
        for (name, id, signatures, body) in cases {
            // When / Then
            #expect(throws: WebhookVerificationError.noMatchingSignature, "\(name)") {
                try WebhookSigner.verify(secret: Self.secret, messageId: id, timestamp: String(Self.timestamp),
                                         signatures: signatures, body: body, now: Self.then)
            }
        }
        // a signature made with another secret
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try WebhookSigner.verify(secret: WebhookSigner.generateSecret(), messageId: Self.messageId, timestamp: String(Self.timestamp),
                                     signatures: Self.expected, body: Self.body, now: Self.then)
        }
    }

    @Test func verifyRefusesOldAndFutureTimestamps() {
        // Given: the tolerance is five minutes either way
        func verify(now: Date) throws(WebhookVerificationError) {
            try WebhookSigner.verify(secret: Self.secret, messageId: Self.messageId, timestamp: String(Self.timestamp),
                                     signatures: Self.expected, body: Self.body, now: now)
        }
        // When / Then
        #expect(throws: Never.self) { try verify(now: Self.then.addingTimeInterval(299)) }
        #expect(throws: Never.self) { try verify(now: Self.then.addingTimeInterval(-299)) }
        #expect(throws: WebhookVerificationError.timestampTooOld) { try verify(now: Self.then.addingTimeInterval(301)) }
        #expect(throws: WebhookVerificationError.timestampInTheFuture) { try verify(now: Self.then.addingTimeInterval(-301)) }
        #expect(throws: WebhookVerificationError.invalidTimestamp) {
            try WebhookSigner.verify(secret: Self.secret, messageId: Self.messageId, timestamp: "yesterday",
                                     signatures: Self.expected, body: Self.body, now: Self.then)
        }
    }

    @Test func anyListedSignatureMayMatch() throws {
        // Given: during a rotation two secrets sign; a receiver knows only one of them
        let other = WebhookSigner.generateSecret()
        let header = WebhookSigner.signatureHeader(secrets: [other, Self.secret], messageId: Self.messageId,
                                                   timestamp: Self.timestamp, body: Self.body)
        // When / Then
        #expect(header.split(separator: " ").count == 2)
        #expect(header.hasSuffix(" " + Self.expected))
        try WebhookSigner.verify(secret: Self.secret, messageId: Self.messageId, timestamp: String(Self.timestamp),
                                 signatures: header, body: Self.body, now: Self.then)
        try WebhookSigner.verify(secret: other, messageId: Self.messageId, timestamp: String(Self.timestamp),
                                 signatures: header, body: Self.body, now: Self.then)
    }

    @Test func generatedSecretsAreWhsecAnd32RandomBytes() throws {
        // Given / When
        let secrets = (0..<50).map { _ in WebhookSigner.generateSecret() }
        // Then
        #expect(Set(secrets).count == 50)
        for secret in secrets {
            #expect(secret.hasPrefix("whsec_"))
            #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
            #expect(WebhookSigner.key(secret) != nil)
        }
        #expect(WebhookSigner.key("whsec_c2hvcnQ=") == nil, "5 bytes is too short a key")
        #expect(WebhookSigner.key("whsec_not base64!") == nil)
        #expect(throws: WebhookVerificationError.invalidSecret) {
            try WebhookSigner.verify(secret: "whsec_", messageId: "m", timestamp: "1", signatures: "", body: Data(), now: Date())
        }
    }

    @Test func secretsSignWhileTheyAreValid() {
        // Given
        let secrets = WebhookSecrets(current: "whsec_new", previous: "whsec_old", previousExpiresAt: "2026-01-01T00:00:00.000Z")
        // When / Then
        #expect(secrets.signing(at: "2025-12-31T23:59:59.999Z") == ["whsec_new", "whsec_old"])
        #expect(secrets.signing(at: "2026-01-01T00:00:00.000Z") == ["whsec_new"])
        #expect(WebhookSecrets(current: "whsec_only").signing(at: "2026-01-01T00:00:00.000Z") == ["whsec_only"])
    }
}
