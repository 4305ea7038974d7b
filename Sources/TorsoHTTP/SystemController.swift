import Foundation
import Hummingbird
import Prometheus
import Synchronization

/// `/health`, `/metrics` (Prometheus text) and `/openapi.json`; none needs a key.
public struct SystemController: Sendable {
    let registry: PrometheusCollectorRegistry
    let operations: APIRegistry

    /// Creates the controller; `/openapi.json` describes the operations of `operations`, as
    /// they are when it is first asked for (after every route was added).
    public init(registry: PrometheusCollectorRegistry, operations: APIRegistry) {
        self.registry = registry
        self.operations = operations
    }

    /// Adds the routes at the root.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        let document = OpenAPIDocumentCache(operations)
        routes.get("health", APIOperation("Liveness", tag: "system", caller: .anyone, answer: .json(.ref("Health")))) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        routes.get("metrics", APIOperation("Prometheus metrics", tag: "system", caller: .anyone,
                                           answer: .text("text/plain; version=0.0.4"))) { _, _ in
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
