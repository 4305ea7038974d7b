import Foundation
import TorsoStorage
import TorsoTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The built `torso` binary, run as a child process the way a user runs it.
struct TorsoProcess {
    /// `.build/debug/torso`, next to the test bundle's package.
    static var binary: URL {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent(".build/debug/torso")
    }

    /// Runs a command to completion and returns its stdout and exit status.
    @discardableResult
    static func run(_ arguments: [String]) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }
}

extension TorsoProcess {
    /// A database URL string for a fresh database a process can open, and its cleanup: a
    /// temporary SQLite file, or a new PostgreSQL database when TORSO_TEST_DATABASE is set.
    static func freshDatabase() async throws -> (url: String, cleanup: @Sendable () async -> Void) {
        if TestDatabase.postgresServer != nil {
            let database = try await TestDatabase.make()
            guard case .postgres(let host, let port, let user, _, let name?, let tls) = database.url else { throw ServerError(message: "no database") }
            return ("postgres://\(user)@\(host):\(port)/\(name)?sslmode=\(tls.mode.rawValue)", database.cleanup)
        }
        let path = TestDatabase.temporaryFile()
        return ("sqlite://" + path, { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } })
    }
}

/// A running `torso serve` on a free port.
final class TorsoServer: @unchecked Sendable {
    let process = Process()
    let log: URL
    private(set) var port = 0

    /// Starts `torso serve --port 0 …` and waits until it logs the URL it listens on.
    init(_ arguments: [String]) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("torso-e2e-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = TorsoProcess.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = output
            if let range = text.range(of: "Torso listening on http://127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
                if port > 0 { return }
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw ServerError(message: "torso serve did not start:\n\(output)")
    }

    /// Everything the server printed so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Kills the process at once (SIGKILL): no shutdown, no flush.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Stops the process politely.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Sends a request and returns the status and body.
    func request(_ method: String, _ path: String, key: String? = nil, body: String? = nil, headers: [String: String] = [:]) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, data)
    }
}

struct ServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
