import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import TorsoKit

/// A running Torso server, for `torso import` and `torso export` with `--server URL --key KEY`:
/// the file is uploaded to the admin API and the job followed there, as a head would.
struct RemoteTorso {
    let base: String
    let key: String
    let client = HTTPClient(eventLoopGroupProvider: .singleton)

    /// The admin API under `server` (`http://host:8080`), with a secret key.
    init(server: String, key: String) {
        base = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.key = key
    }

    /// Uploads `path` to `POST /admin/v1/imports` with `query`; answers the job.
    func upload(_ path: String, query: [(String, String)]) async throws -> ImportStatus {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw RemoteError("Cannot read '\(path)'.") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var request = HTTPClientRequest(url: base + "/admin/v1/imports" + Self.encode(query))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        // Read as the upload goes, a MiB at a time: a file of any size, in constant memory.
        let chunks = AsyncStream<ByteBuffer>(unfolding: {
            guard let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty else {
                try? handle.close()
                return nil
            }
            return ByteBuffer(bytes: data)
        })
        request.body = .stream(chunks, length: .known(Int64(size)))
        return try await json(ImportStatus.self, request, expecting: 202)
    }

    /// A job by ID.
    func job(_ id: String) async throws -> ImportStatus {
        try await json(ImportStatus.self, HTTPClientRequest(url: base + "/admin/v1/imports/" + id), expecting: 200)
    }

    /// The body of a GET, written as it arrives to the file `open` gives once the answer is a
    /// 200 (so a refused call leaves an existing file as it was); throws otherwise.
    func download(_ path: String, query: [(String, String)] = [], to open: () throws -> FileHandle) async throws {
        let response = try await send(HTTPClientRequest(url: base + path + Self.encode(query)))
        guard response.status.code == 200 else { throw RemoteError(try await Self.problem(response)) }
        let sink = try open()
        for try await buffer in response.body { sink.write(Data(buffer.readableBytesView)) }
        if sink != FileHandle.standardOutput { try sink.close() }
    }

    /// Runs `body` with a client for `server`, shut down after, whatever happens; a failure
    /// talking to the server exits 1 with its reason.
    static func with<T>(server: String, key: String, _ body: (RemoteTorso) async throws -> T) async throws -> T {
        let remote = RemoteTorso(server: server, key: key)
        do {
            let value = try await body(remote)
            await remote.shutdown()
            return value
        } catch let error as RemoteError {
            await remote.shutdown()
            throw error.exit()
        } catch {
            await remote.shutdown()
            throw error
        }
    }

    private func shutdown() async { try? await client.shutdown() }

    private func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        var request = request
        request.headers.add(name: "Authorization", value: "Bearer " + key)
        do {
            return try await client.execute(request, timeout: .seconds(3_600))
        } catch {
            throw RemoteError("Cannot reach \(base): \(error)")
        }
    }

    private func json<T: Decodable>(_ type: T.Type, _ request: HTTPClientRequest, expecting status: UInt) async throws -> T {
        let response = try await send(request)
        guard response.status.code == status else { throw RemoteError(try await Self.problem(response)) }
        let body = try await response.body.collect(upTo: 16 << 20)
        return try JSONCoding.decode(T.self, bytes: Array(body.readableBytesView))
    }

    /// The problem+json's title and errors, as one line.
    private static func problem(_ response: HTTPClientResponse) async throws -> String {
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let problem = try? JSONValue.parse(bytes: Array(body.readableBytesView)) else { return "HTTP \(response.status.code)" }
        let details = (problem.objectValue?["errors"]?.arrayValue ?? []).compactMap { error -> String? in
            guard let object = error.objectValue else { return nil }
            return [object["pointer"]?.stringValue, object["detail"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
        }
        let title = problem.objectValue?["detail"]?.stringValue ?? problem.objectValue?["title"]?.stringValue ?? "HTTP \(response.status.code)"
        return ([title] + details).joined(separator: "; ")
    }

    private static func encode(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~,"))) ?? value)
        }.joined(separator: "&")
    }
}

/// A failure talking to a server, said as one line.
struct RemoteError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    /// Says it on standard error and exits 1 (not ArgumentParser's usage error, 64).
    func exit() -> ExitCode {
        FileHandle.standardError.write(Data(("error: " + description + "\n").utf8))
        return ExitCode(1)
    }
}
