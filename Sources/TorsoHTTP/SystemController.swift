import Foundation
import Hummingbird
import Prometheus
import Synchronization
import TorsoKit

/// `/health`, `/metrics` (Prometheus text) and `/openapi.json`; none needs an API key, and
/// `/metrics` may be put behind a token of its own.
public struct SystemController: Sendable {
    let registry: PrometheusCollectorRegistry
    let operations: APIRegistry
    let metricsToken: String?

    /// Creates the controller; `/openapi.json` describes the operations of `operations`, as
    /// they are when it is first asked for (after every route was added). With `metricsToken`,
    /// `/metrics` answers only `Authorization: Bearer <metricsToken>`.
    public init(registry: PrometheusCollectorRegistry, operations: APIRegistry, metricsToken: String? = nil) {
        self.registry = registry
        self.operations = operations
        self.metricsToken = metricsToken
    }

    /// Adds the routes at the root.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        let document = OpenAPIDocumentCache(operations)
        routes.get("health", APIOperation("Liveness", tag: "system", caller: .anyone, answer: .json(.ref("Health")))) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        let token = metricsToken.map { Array("Bearer \($0)".utf8) }
        routes.get("metrics", APIOperation("Prometheus metrics (Authorization: Bearer <metrics token> when the server sets one)", tag: "system",
                                           caller: .anyone, answer: .text("text/plain; version=0.0.4"),
                                           parameters: [.header("Authorization")])) { request, _ in
            if let token {
                // Compared in constant time: the answer must not tell how much of a guess was right.
                let sent = Array((request.headers[.authorization] ?? "").utf8)
                var difference = sent.count ^ token.count
                for index in token.indices { difference |= Int(token[index] ^ (index < sent.count ? sent[index] : 0)) }
                guard difference == 0 else {
                    throw DomainError(.unauthenticated, code: "unauthenticated", detail: "/metrics needs the server's metrics token as a bearer token.")
                }
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        routes.get("openapi.json", APIOperation("This document", tag: "system", caller: .anyone, answer: .json(.any))) { _, _ in
            JSONResponse.raw(document.data)
        }
    }
}

/// The document, built once on first use: by then every route has declared its operation.
final class OpenAPIDocumentCache: Sendable {
    private let operations: APIRegistry
    private let built = Mutex<Data?>(nil)

    init(_ operations: APIRegistry) { self.operations = operations }

    var data: Data {
        built.withLock { data in
            if let data { return data }
            let made = OpenAPIDocument.json(operations)
            data = made
            return made
        }
    }
}
