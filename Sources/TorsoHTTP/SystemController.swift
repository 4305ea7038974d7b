import Foundation
import Hummingbird
import Prometheus

/// `/health`, `/metrics` (Prometheus text) and `/openapi.json`; none needs a key.
public struct SystemController: Sendable {
    let registry: PrometheusCollectorRegistry
    let openAPI: Data

    /// Creates the controller.
    public init(registry: PrometheusCollectorRegistry, openAPI: Data) {
        self.registry = registry
        self.openAPI = openAPI
    }

    /// Adds the routes at the root.
    public func addRoutes(to router: Router<TorsoRequestContext>) {
        router.get("health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("openapi.json") { _, _ in
            JSONResponse.raw(openAPI)
        }
    }
}
