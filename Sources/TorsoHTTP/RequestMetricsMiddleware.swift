import Dispatch
import HTTPTypes
import Hummingbird
import Metrics
import Synchronization

/// Counts requests and times them per route, method and status, under the names and dimensions
/// of Hummingbird's `MetricsMiddleware` (`hb.requests`, `http.server.request.duration`,
/// `hb.request.errors`, `http.server.active_requests`), so `/metrics` reads the same.
///
/// Hummingbird's middleware records when the body has been written, through a closure wrapped
/// around the response body; that closure took the one-buffer answers (health, details, lists)
/// off their direct path and cost about a quarter of a `/health` request's CPU. Torso's bodies
/// are made before the handler returns, so the handler's time is the request's time: this
/// records when the handler returns and leaves the body as it is.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let metrics = RouteMetrics()

    /// A middleware with its own cache of metric handles.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let active = metrics.active(request.method)
        active.increment()
        defer { active.decrement() }
        do {
            let response = try await next(request, context)
            let route = metrics.route(context.endpointPath ?? "Unknown", request.method, response.status)
            route.counter.increment()
            route.timer.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let route = metrics.route(context.endpointPath ?? "NotFound", request.method, status)
            route.counter.increment()
            route.errors.increment()
            throw error
        }
    }
}

/// The metric handles per method and per route, method and status, made once each.
final class RouteMetrics: Sendable {
    struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: HTTPResponse.Status
    }

    struct Handles: Sendable {
        let counter: Counter
        let timer: Metrics.Timer
        let errors: Counter
    }

    private let routes = Mutex<[Key: Handles]>([:])
    private let methods = Mutex<[HTTPRequest.Method: Meter]>([:])

    func active(_ method: HTTPRequest.Method) -> Meter {
        methods.withLock { known in
            if let meter = known[method] { return meter }
            let meter = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
            known[method] = meter
            return meter
        }
    }

    func route(_ route: String, _ method: HTTPRequest.Method, _ status: HTTPResponse.Status) -> Handles {
        let key = Key(route: route, method: method, status: status)
        return routes.withLock { known in
            if let handles = known[key] { return handles }
            let dimensions = [("http.route", route), ("http.request.method", method.rawValue), ("http.response.status_code", status.code.description)]
            let handles = Handles(
                counter: Counter(label: "hb.requests", dimensions: dimensions),
                timer: Metrics.Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds),
                errors: Counter(label: "hb.request.errors", dimensions: [("http.route", route), ("http.request.method", method.rawValue),
                                                                       ("error.type", status.code.description)]))
            known[key] = handles
            return handles
        }
    }
}
