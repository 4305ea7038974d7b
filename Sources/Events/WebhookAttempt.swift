import TorsoKit

/// One try to hand a delivery to its receiver, as logged.
public struct WebhookAttempt: Sendable, Equatable {
    /// The largest response snippet kept, in bytes.
    public static let snippetLimit = 512

    /// The delivery.
    public var deliveryId: String
    /// 1 for the first attempt.
    public var attempt: Int
    /// When it started (RFC 3339).
    public var at: String
    /// The receiver's HTTP status; `nil` when there was no answer.
    public var statusCode: Int?
    /// From the start of the attempt to the end of the answer (or the failure), in milliseconds.
    public var latencyMs: Int
    /// Why there was no answer: `timeout`, `connection_failed`, `private_address`, `dns_failed`,
    /// `invalid_url`; `nil` when the receiver answered (see `statusCode`).
    public var error: String?
    /// More about the error, for people.
    public var errorDetail: String?
    /// The start of the receiver's answer, at most ``snippetLimit`` bytes.
    public var response: String?

    /// Creates an attempt record.
    public init(deliveryId: String, attempt: Int, at: String, statusCode: Int?, latencyMs: Int, error: String? = nil,
                errorDetail: String? = nil, response: String? = nil) {
        self.deliveryId = deliveryId
        self.attempt = attempt
        self.at = at
        self.statusCode = statusCode
        self.latencyMs = latencyMs
        self.error = error
        self.errorDetail = errorDetail
        self.response = response
    }

    /// Whether the receiver took the event (2xx).
    public var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }

    /// The first `limit` bytes of a response, cut at a character boundary.
    public static func snippet(_ bytes: some Collection<UInt8>, limit: Int = snippetLimit) -> String {
        var prefix = Array(bytes.prefix(limit))
        if bytes.count > limit {
            // Drop a character cut in half: continuation bytes (10xxxxxx) and the lead byte before them.
            var end = prefix.count
            while end > 0, prefix[end - 1] & 0xC0 == 0x80 { end -= 1 }
            if end > 0, prefix[end - 1] & 0x80 != 0 {
                let lead = prefix[end - 1]
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                if prefix.count - (end - 1) < length { prefix.removeSubrange((end - 1)...) }
            }
        }
        return String(decoding: prefix, as: UTF8.self)
    }

    /// The admin view.
    public var json: JSONValue {
        .object([
            "attempt": .number(Double(attempt)), "at": .string(at),
            "status_code": statusCode.map { .number(Double($0)) } ?? .null, "latency_ms": .number(Double(latencyMs)),
            "succeeded": .bool(succeeded), "error": error.map(JSONValue.string) ?? .null,
            "error_detail": errorDetail.map(JSONValue.string) ?? .null, "response": response.map(JSONValue.string) ?? .null,
        ])
    }
}

/// What a sender reports after one attempt, before it is logged.
public struct WebhookAttemptOutcome: Sendable, Equatable {
    /// The delivery.
    public var deliveryId: ID<WebhookDelivery>
    /// Its subscription.
    public var webhookId: ID<WebhookSubscription>
    /// When the attempt started (RFC 3339).
    public var at: String
    /// The receiver's HTTP status; `nil` when there was no answer.
    public var statusCode: Int?
    /// How long it took, in milliseconds.
    public var latencyMs: Int
    /// Why there was no answer (see ``WebhookAttempt/error``).
    public var error: String?
    /// More about the error.
    public var errorDetail: String?
    /// The start of the answer (at most ``WebhookAttempt/snippetLimit`` bytes).
    public var response: String?

    /// Creates an outcome.
    public init(deliveryId: ID<WebhookDelivery>, webhookId: ID<WebhookSubscription>, at: String, statusCode: Int?, latencyMs: Int,
                error: String? = nil, errorDetail: String? = nil, response: String? = nil) {
        self.deliveryId = deliveryId
        self.webhookId = webhookId
        self.at = at
        self.statusCode = statusCode
        self.latencyMs = latencyMs
        self.error = error
        self.errorDetail = errorDetail
        self.response = response
    }

    /// Whether the receiver took the event (2xx).
    public var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}
