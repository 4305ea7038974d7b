import Crypto
import Foundation

/// Signs and verifies webhook requests per Standard Webhooks (https://www.standardwebhooks.com).
///
/// A secret is `whsec_` followed by base64 of random bytes; the HMAC key is those bytes. The
/// signed content is `"{webhook-id}.{webhook-timestamp}.{body}"`, and `webhook-signature` is
/// `v1,` plus the base64 HMAC-SHA256 of it, several space-separated when more than one secret
/// signs (during a secret rotation). A receiver recomputes the signature with its secret,
/// compares it in constant time with each one listed, and refuses timestamps more than five
/// minutes away from its clock (replays).
public enum WebhookSigner {
    /// What every secret starts with.
    public static let secretPrefix = "whsec_"
    /// The signature scheme's version tag.
    public static let version = "v1"
    /// How far a timestamp may be from the receiver's clock, in seconds.
    public static let tolerance: TimeInterval = 300

    /// A new secret: `whsec_` and the base64 of 32 random bytes.
    public static func generateSecret() -> String {
        let key = SymmetricKey(size: .bits256)
        return secretPrefix + key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The HMAC key of a secret (`whsec_` optional); `nil` if it is not base64 of 24–64 bytes.
    public static func key(_ secret: String) -> SymmetricKey? {
        let encoded = secret.hasPrefix(secretPrefix) ? String(secret.dropFirst(secretPrefix.count)) : secret
        guard let bytes = Data(base64Encoded: encoded), (24...64).contains(bytes.count) else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// The content that is signed.
    static func content(messageId: String, timestamp: String, body: some DataProtocol) -> Data {
        var content = Data("\(messageId).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return content
    }

    /// One signature, `v1,<base64>`; `nil` for a malformed secret.
    public static func signature(secret: String, messageId: String, timestamp: Int, body: some DataProtocol) -> String? {
        guard let key = key(secret) else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: content(messageId: messageId, timestamp: String(timestamp), body: body), using: key)
        return version + "," + Data(mac).base64EncodedString()
    }

    /// The `webhook-signature` header: one signature per secret, space-separated, in order.
    public static func signatureHeader(secrets: [String], messageId: String, timestamp: Int, body: some DataProtocol) -> String {
        secrets.compactMap { signature(secret: $0, messageId: messageId, timestamp: timestamp, body: body) }.joined(separator: " ")
    }

    /// Checks a request's headers against a secret; throws why it is not authentic.
    /// - Parameters:
    ///   - messageId: the `webhook-id` header.
    ///   - timestamp: the `webhook-timestamp` header (Unix seconds).
    ///   - signatures: the `webhook-signature` header.
    ///   - body: the raw request body, exactly as received.
    public static func verify(secret: String, messageId: String, timestamp: String, signatures: String, body: some DataProtocol,
                              now: Date = Date(), tolerance: TimeInterval = tolerance) throws(WebhookVerificationError) {
        guard let key = key(secret) else { throw .invalidSecret }
        guard let seconds = Int(timestamp) else { throw .invalidTimestamp }
        let age = now.timeIntervalSince1970 - TimeInterval(seconds)
        if age > tolerance { throw .timestampTooOld }
        if age < -tolerance { throw .timestampInTheFuture }
        let signed = content(messageId: messageId, timestamp: timestamp, body: body)
        for entry in signatures.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == version, let mac = Data(base64Encoded: String(parts[1])) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key) { return }
        }
        throw .noMatchingSignature
    }
}

/// Why a webhook request failed verification.
public enum WebhookVerificationError: Error, Sendable, Equatable {
    /// The secret is not `whsec_` and base64 of 24–64 bytes.
    case invalidSecret
    /// `webhook-timestamp` is not an integer.
    case invalidTimestamp
    /// The timestamp is older than the tolerance: possibly a replay.
    case timestampTooOld
    /// The timestamp is further in the future than the tolerance.
    case timestampInTheFuture
    /// No `v1` signature in the header matches.
    case noMatchingSignature
}
