import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TorsoKit

/// Turns every error into an RFC 9457 problem+json response with a stable `code`. Domain errors
/// map by kind; framework errors (404, 405, 413) keep their status; anything else is a 500
/// whose details go to the log, not to the client.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await answer(request, context: context, next: next)
        // Browsers never guess a type; personal answers (carts, customers, orders, the admin
        // API) are never stored by a cache between Torso and the client.
        response.headers[ResponseHeaders.noSniff] = "nosniff"
        let path = request.uri.path
        if path.hasPrefix("/admin/") || path.hasPrefix("/store/v1/carts") || path.hasPrefix("/store/v1/customers") || path.hasPrefix("/store/v1/orders") {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }

    private func answer(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DomainError {
            return Problem(error).response()
        } catch let error as any HTTPResponseError {
            let status = error.status
            var problem = Problem(status: status, code: Problem.code(for: status), detail: status.reasonPhrase)
            if status == .contentTooLarge {
                problem.detail = request.uri.path.hasSuffix("/inventory/adjustments")
                    ? "The request body is larger than \(InventoryController.maxBatchBody) bytes; split the batch."
                    : "The request body is larger than \(HTTPLimits.maxBodySize) bytes."
            }
            var response = problem.response()
            for field in (error as? HTTPError)?.headers ?? [:] where field.name != .contentType && field.name != .contentLength {
                response.headers.append(field)
            }
            return response
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(status: .internalServerError, code: "internal_error", detail: "Something went wrong on our side.").response()
        }
    }
}

/// An RFC 9457 problem document.
public struct Problem: Encodable, Sendable {
    /// A URI naming the problem type.
    public var type: String
    /// A short summary of the type.
    public var title: String
    /// The HTTP status.
    public var status: Int
    /// What happened, for people.
    public var detail: String
    /// The stable snake_case code.
    public var code: String
    /// Field errors with JSON pointers.
    public var errors: [FieldError]?
    /// For version conflicts: the version the resource has now.
    public var currentVersion: Int?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, code, errors
        case currentVersion = "current_version"
    }

    /// A problem for a status.
    public init(status: HTTPResponse.Status, code: String, detail: String, errors: [FieldError]? = nil, currentVersion: Int? = nil) {
        self.type = "https://torso.dev/problems/" + code.replacingOccurrences(of: "_", with: "-")
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.code = code
        self.errors = errors
        self.currentVersion = currentVersion
    }

    /// The problem for a domain error.
    public init(_ error: DomainError) {
        let status: HTTPResponse.Status = switch error.kind {
        case .invalid: .unprocessableContent
        case .notFound: .notFound
        case .conflict, .versionMismatch: .conflict
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .badRequest: .badRequest
        case .paymentRequired: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
        case .unavailable: .serviceUnavailable
        case .gone: .gone
        }
        self.init(status: status, code: error.code, detail: error.detail,
                  errors: error.errors.isEmpty ? nil : error.errors, currentVersion: error.currentVersion)
    }

    /// The code for a framework status.
    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "route_not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "body_too_large"
        case .badRequest: "bad_request"
        default: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
        }
    }

    /// The response carrying this problem.
    public func response() -> Response {
        let body = (try? JSONCoding.encoder().encode(self)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        if status == 503 { headers[.retryAfter] = "1" }
        if let currentVersion { headers[.eTag] = "\"\(currentVersion)\"" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Header names built once, not per answer.
enum ResponseHeaders {
    /// `X-Content-Type-Options`.
    static let noSniff = HTTPField.Name("X-Content-Type-Options")!
}
