import AsyncHTTPClient
import Foundation
import NIOCore

/// One server-sent event as a client parses it.
public struct SSEFrame: Sendable, Equatable {
    /// The `id:` line (the outbox sequence number).
    public var id: String?
    /// The `event:` line.
    public var event: String?
    /// The `data:` lines, joined.
    public var data: String

    /// The id as a sequence number.
    public var seq: Int? { id.flatMap(Int.init) }
}

/// Reads a `text/event-stream` response in the background and keeps every frame and comment,
/// so tests can wait for what they expect with a deadline.
public final class SSERecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var frames: [SSEFrame] = []
    private var comments: [String] = []
    private var ended = false
    private var task: Task<Void, Never>?
    /// The HTTP status of the response.
    public private(set) var status: Int = 0

    private init() {}

    /// Opens `url` with the given headers and starts recording once the response head arrives.
    public static func open(_ url: String, headers: [(String, String)] = [], client: HTTPClient = .shared) async throws -> SSERecorder {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await client.execute(request, timeout: .hours(1))
        let recorder = SSERecorder()
        recorder.status = Int(response.status.code)
        recorder.task = Task { await recorder.read(response.body) }
        return recorder
    }

    private func read(_ body: HTTPClientResponse.Body) async {
        var pending = ""
        do {
            for try await buffer in body {
                pending += String(buffer: buffer)
                while let range = pending.range(of: "\n\n") {
                    let block = String(pending[..<range.lowerBound])
                    pending = String(pending[range.upperBound...])
                    record(block)
                }
            }
        } catch {}
        lock.withLock { ended = true }
    }

    private func record(_ block: String) {
        var frame = SSEFrame(id: nil, event: nil, data: "")
        var data: [String] = []
        var notes: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { notes.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces)); continue }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard let field = parts.first else { continue }
            let value = parts.count > 1 ? String(parts[1].drop { $0 == " " }) : ""
            switch field {
            case "id": frame.id = value
            case "event": frame.event = value
            case "data": data.append(value)
            default: break
            }
        }
        frame.data = data.joined(separator: "\n")
        lock.withLock {
            comments += notes
            if frame.id != nil || frame.event != nil || !data.isEmpty { frames.append(frame) }
        }
    }

    /// The frames so far.
    public var received: [SSEFrame] { lock.withLock { frames } }
    /// The comment lines so far (`connected 12`, `heartbeat`).
    public var receivedComments: [String] { lock.withLock { comments } }
    /// Whether the server ended the stream.
    public var hasEnded: Bool { lock.withLock { ended } }

    /// Waits until `condition` holds for the frames received, or `timeout` passes; returns the frames.
    @discardableResult
    public func wait(timeout: Duration = .seconds(5), until condition: ([SSEFrame]) -> Bool) async throws -> [SSEFrame] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = received
            if condition(current) { return current }
            try await Task.sleep(for: .milliseconds(10))
        }
        return received
    }

    /// Waits until a comment line starting with `prefix` arrived (the `connected` line says the
    /// subscription is live).
    public func waitForComment(_ prefix: String, timeout: Duration = .seconds(5)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if receivedComments.contains(where: { $0.hasPrefix(prefix) }) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Closes the connection.
    public func close() {
        task?.cancel()
    }
}
