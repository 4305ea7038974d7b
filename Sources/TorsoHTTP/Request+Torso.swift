import Access
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

extension Request {
    /// The body parsed as JSON, within the context's size limit (413 beyond it, 400 if malformed).
    func jsonBody(context: some TorsoContext, limit: Int? = nil) async throws -> (value: JSONValue, bytes: Data) {
        let buffer = try await body.collect(upTo: limit ?? context.maxUploadSize)
        let data = Data(buffer: buffer)
        if data.isEmpty { throw DomainError(.badRequest, code: "empty_body", detail: "Send a JSON body.") }
        return (try JSONCoding.parse(data), data)
    }

    /// Refuses query parameters other than `names` (422 `unknown_parameter`, one per name), so
    /// that a misspelt filter is not silently ignored.
    func allowOnly(_ names: Set<String>) throws {
        var errors = ValidationErrors()
        allowOnly(names, into: &errors)
        try errors.throwIfAny()
    }

    /// ``allowOnly(_:)``, adding to other problems of the same request.
    func allowOnly(_ names: Set<String>, into errors: inout ValidationErrors) {
        for (name, _) in uri.queryParameters where !names.contains(String(name)) {
            let known = names.isEmpty ? "this route takes no query parameters" : "known: " + names.sorted().joined(separator: ", ")
            errors.add("/query/\(name)", "unknown_parameter", "'\(name)' is not a parameter here; \(known).")
        }
    }

    /// The version from `If-Match` (`"3"`, `W/"3"` or `3`); 400 if present but not a version.
    func ifMatchVersion() throws -> Int? {
        guard let header = headers[.ifMatch] else { return nil }
        var text = header.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int(text) else {
            throw DomainError(.badRequest, code: "invalid_if_match", detail: "If-Match must carry a resource version, such as \"3\".")
        }
        return version
    }

    /// `limit` and `cursor` from the query; 422 for values out of range.
    func pageRequest() throws -> PageRequest {
        var page = PageRequest()
        if let limit = uri.queryParameters["limit"] {
            guard let value = Int(String(limit)), (1...PageRequest.maxLimit).contains(value) else {
                throw DomainError.validation([FieldError(pointer: "/query/limit", code: "out_of_range",
                                                         detail: "limit must be between 1 and \(PageRequest.maxLimit).")])
            }
            page.limit = value
        }
        if let cursor = uri.queryParameters["cursor"], !cursor.isEmpty {
            guard let decoded = Cursor(encoded: String(cursor)) else {
                throw DomainError.validation([FieldError(pointer: "/query/cursor", code: "invalid_cursor", detail: "The cursor is not one this API gave out.")])
            }
            page.cursor = decoded
        }
        return page
    }

    /// The write context: the caller and, on creating requests, the idempotency key with a
    /// fingerprint of method, path and body.
    func writeContext(principal: Principal, body: Data? = nil) throws -> WriteContext {
        var idempotency: (key: String, fingerprint: String)?
        if let key = headers[HTTPField.Name("Idempotency-Key")!] {
            guard (1...255).contains(key.utf8.count) else {
                throw DomainError(.badRequest, code: "invalid_idempotency_key", detail: "An Idempotency-Key is 1–255 characters.")
            }
            var material = Data("\(method.rawValue) \(uri.path)\n".utf8)
            material.append(body ?? Data())
            idempotency = (key, Digest.sha256(material))
        }
        return WriteContext(principal: principal, idempotency: idempotency)
    }
}

/// JSON responses in the API's conventions.
enum JSONResponse {
    /// Encodes `value` with `status`; `version` becomes the ETag.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, version: Int? = nil) throws -> Response {
        raw(Data(try JSONCoding.encode(value)), status: status, version: version)
    }

    /// A response from already encoded JSON.
    static func raw(_ body: Data, status: HTTPResponse.Status = .ok, version: Int? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let version { headers[.eTag] = "\"\(version)\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
