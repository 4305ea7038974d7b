import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A failure of the benchmark itself (bad arguments, setup refused), printed and exit 1.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where the server is and how to authenticate against it.
struct Target: Sendable {
    let host: String
    let port: Int
    let key: String

    /// Parses `http://HOST:PORT` (a path, if any, is ignored).
    init(url: String, key: String) throws {
        guard let components = URLComponents(string: url), components.scheme == "http",
              let host = components.host, !host.isEmpty, let port = components.port else {
            throw BenchError("--url must look like http://127.0.0.1:8080 (got '\(url)').")
        }
        self.host = host
        self.port = port
        self.key = key
    }

    var description: String { "http://\(host):\(port)" }
}

/// One keep-alive HTTP/1.1 connection to the server (HummingbirdTesting's NIO client),
/// reopened after a transport error.
final class BenchConnection: @unchecked Sendable {
    // Used by one task at a time: each benchmark client owns its connection.
    private var client: TestClient
    private let target: Target
    private let headers: HTTPFields
    private let authority: String

    init(_ target: Target) {
        self.target = target
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(target.key)"
        headers[.contentType] = "application/json"
        headers[.accept] = "application/json"
        self.headers = headers
        authority = "\(target.host):\(target.port)"
        client = Self.open(target)
    }

    private static func open(_ target: Target) -> TestClient {
        let client = TestClient(host: target.host, port: target.port, configuration: .init(timeout: .seconds(60)))
        client.connect()
        return client
    }

    /// Sends one request (with `extra` headers added to the connection's own); on a transport
    /// error the connection is replaced and the error rethrown.
    func send(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer? = nil, headers extra: HTTPFields = [:]) async throws -> (status: Int, body: String) {
        var headers = self.headers
        if !extra.isEmpty { headers.append(contentsOf: extra) }
        do {
            let response = try await client.execute(TestClient.Request(path, method: method, authority: authority, headers: headers, body: body))
            return (response.status.code, response.body.map { String(buffer: $0) } ?? "")
        } catch {
            try? await client.shutdown()
            client = Self.open(target)
            throw error
        }
    }

    /// Sends a JSON body.
    func send(_ method: HTTPRequest.Method, _ path: String, json: String, headers extra: HTTPFields = [:]) async throws -> (status: Int, body: String) {
        try await send(method, path, body: ByteBuffer(string: json), headers: extra)
    }

    func close() async {
        try? await client.shutdown()
    }
}
