import AsyncHTTPClient
import Events
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import TorsoKit
import Workflows

/// Makes one attempt of a delivery: checks where the host resolves to (unless private targets
/// are allowed), signs, POSTs the event's payload, and reports what came back. A 2xx is a
/// success; any other status, a timeout, a refused connection or a private address is a failure.
/// Redirects are not followed (a 3xx is a failure), so a receiver cannot bounce a request to
/// an address the check refused.
struct WebhookSender: Sendable {
    /// The `user-agent` of every request.
    static let userAgent = "Torso-Webhooks/1"

    let client: HTTPClient
    /// Where DNS lookups block.
    let resolver: NIOThreadPool
    let settings: WebhookSettings

    /// The HTTP client configuration for webhooks: no redirects, no retries of refused
    /// connections (the retry schedule decides), one connection per attempt in flight.
    static func configuration(_ settings: WebhookSettings) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let timeout = TimeAmount.milliseconds(Int64(settings.timeout * 1_000))
        configuration.timeout = .init(connect: timeout, read: timeout)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: settings.maxInFlight)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        return configuration
    }

    private struct AttemptTimedOut: Error {}

    /// Sends one attempt; `nil` when the sender was cancelled (shutting down) before it ended.
    func send(_ dispatch: WebhookDispatch) async -> WebhookAttemptOutcome? {
        let started = Date()
        let clock = ContinuousClock.now
        @Sendable func outcome(status: Int? = nil, error: String? = nil, detail: String? = nil, response: String? = nil) -> WebhookAttemptOutcome {
            let elapsed = ContinuousClock.now - clock
            let milliseconds = Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            return WebhookAttemptOutcome(deliveryId: dispatch.deliveryId, webhookId: dispatch.webhookId, at: Timestamp.string(started),
                                         statusCode: status, latencyMs: milliseconds, error: error, errorDetail: detail, response: response)
        }
        let timeout = settings.timeout
        do {
            return try await withThrowingTaskGroup(of: WebhookAttemptOutcome.self) { group in
                group.addTask { try await attempt(dispatch, started: started, outcome: outcome) }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int64(timeout * 1_000)))
                    throw AttemptTimedOut()
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch is AttemptTimedOut {
            return outcome(error: "timeout", detail: "No answer within \(Self.seconds(timeout)).")
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error) {
            return outcome(error: "timeout", detail: "No answer within \(Self.seconds(timeout)) (\(error)).")
        } catch let error as WebhookHostResolver.LookupError {
            return outcome(error: "dns_failed", detail: error.description)
        } catch {
            if Task.isCancelled { return nil }
            return outcome(error: "connection_failed", detail: String(describing: error))
        }
    }

    private func attempt(_ dispatch: WebhookDispatch, started: Date,
                         outcome: @Sendable (Int?, String?, String?, String?) -> WebhookAttemptOutcome) async throws -> WebhookAttemptOutcome {
        guard let host = WebhookTarget.host(of: dispatch.url) else {
            return outcome(nil, "invalid_url", "'\(dispatch.url)' has no host.", nil)
        }
        if !settings.allowPrivateTargets, let found = try await WebhookHostResolver.firstPrivateAddress(of: host, on: resolver) {
            return outcome(nil, "private_address",
                           "'\(host)' resolves to \(found.address), a \(found.kind.rawValue.replacingOccurrences(of: "_", with: " ")) address.", nil)
        }
        let body = dispatch.event.payload.jsonBytes()
        let timestamp = Int(started.timeIntervalSince1970)
        var request = HTTPClientRequest(url: dispatch.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: Self.userAgent)
        request.headers.add(name: "webhook-id", value: dispatch.event.messageId)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature", value: WebhookSigner.signatureHeader(
            secrets: dispatch.secrets.signing(at: Timestamp.string(started)), messageId: dispatch.event.messageId,
            timestamp: timestamp, body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, deadline: .now() + .milliseconds(Int64(settings.timeout * 1_000)))
        // Keep the start of the answer; read at most 64 KiB of it (the connection closes after a longer one).
        var snippet: [UInt8] = []
        var total = 0
        for try await chunk in response.body {
            if snippet.count <= WebhookAttempt.snippetLimit {
                snippet += chunk.readableBytesView.prefix(WebhookAttempt.snippetLimit + 1 - snippet.count)
            }
            total += chunk.readableBytes
            if total > 64 << 10 { break }
        }
        return outcome(Int(response.status.code), nil, nil, snippet.isEmpty ? nil : WebhookAttempt.snippet(snippet))
    }

    static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
