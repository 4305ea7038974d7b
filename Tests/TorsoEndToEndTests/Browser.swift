import AsyncHTTPClient
import Foundation
import NIOCore
import TorsoKit

/// A headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`), for
/// the back office's browser tests. Screenshots go to `.build/browser-screenshots/`.
final class Browser: @unchecked Sendable {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    /// Whether both programs are here (`.ci/run` installs them when missing).
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: chromedriver)
    }
    static let element = "element-6066-11e4-a52e-4f735466cecf"

    let driver = Process()
    let port = Int.random(in: 41_000..<49_000)
    private(set) var session = ""

    init() async throws {
        driver.executableURL = URL(fileURLWithPath: Self.chromedriver)
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        for _ in 0..<100 {
            if (try? await call("GET", "/status"))?["ready"] == .bool(true) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let options: JSONValue = .object(["binary": .string(Self.chromium), "args": .array([
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800",
        ].map(JSONValue.string))])
        let created = try await call("POST", "/session", .object(["capabilities": .object(["alwaysMatch": .object([
            "browserName": .string("chrome"), "goog:chromeOptions": options,
        ])])]))
        session = created["sessionId"]?.stringValue ?? ""
    }

    /// Sends a WebDriver command; answers its `value`.
    @discardableResult
    func call(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .init(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body.jsonBytes()))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = Array(buffer: try await response.body.collect(upTo: 64 << 20))
        let value = try JSONValue.parse(bytes: data)["value"] ?? .null
        if let error = value["error"]?.stringValue { throw BrowserError(message: "\(method) \(path): \(error): \(value["message"]?.stringValue ?? "")") }
        return value
    }

    func go(_ url: String) async throws { try await call("POST", "/session/\(session)/url", .object(["url": .string(url)])) }

    var url: String { get async throws { try await call("GET", "/session/\(session)/url").stringValue ?? "" } }

    func find(_ css: String) async throws -> String {
        let found = try await call("POST", "/session/\(session)/element", .object(["using": .string("css selector"), "value": .string(css)]))
        guard let id = found[Self.element]?.stringValue else { throw BrowserError(message: "no element \(css)") }
        return id
    }

    func type(_ css: String, _ text: String) async throws {
        try await call("POST", "/session/\(session)/element/\(try await find(css))/value", .object(["text": .string(text)]))
    }

    func clear(_ css: String) async throws { try await call("POST", "/session/\(session)/element/\(try await find(css))/clear", .object([:])) }

    func click(_ css: String) async throws { try await call("POST", "/session/\(session)/element/\(try await find(css))/click", .object([:])) }

    func text(_ css: String) async throws -> String {
        try await call("GET", "/session/\(session)/element/\(try await find(css))/text").stringValue ?? ""
    }

    /// The text of the first element matching `css` once it contains `expected` (a form post's
    /// page may still be loading when a click returns); the last text seen after 15 seconds.
    func text(_ css: String, once expected: String) async throws -> String {
        var seen = ""
        for _ in 0..<150 {
            seen = (try? await text(css)) ?? ""
            if seen.contains(expected) { return seen }
            try await Task.sleep(for: .milliseconds(100))
        }
        return seen
    }

    /// Waits until the page's address contains `part`.
    func wait(forURL part: String) async throws {
        for _ in 0..<150 where !(try await url.contains(part)) { try await Task.sleep(for: .milliseconds(100)) }
    }

    func value(_ css: String) async throws -> String {
        try await call("GET", "/session/\(session)/element/\(try await find(css))/property/value").stringValue ?? ""
    }

    /// Runs a script in the page.
    @discardableResult
    func run(_ script: String) async throws -> JSONValue {
        try await call("POST", "/session/\(session)/execute/sync", .object(["script": .string(script), "args": .array([])]))
    }

    /// The value of a cookie (HttpOnly ones too).
    func cookie(_ name: String) async throws -> String? {
        try await call("GET", "/session/\(session)/cookie/\(name)")["value"]?.stringValue
    }

    func deleteCookies() async throws { try await call("DELETE", "/session/\(session)/cookie") }

    /// Saves a screenshot of the page as `.build/browser-screenshots/NAME.png`.
    func screenshot(_ name: String) async throws {
        let encoded = try await call("GET", "/session/\(session)/screenshot").stringValue ?? ""
        var folder = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { folder.deleteLastPathComponent() }
        folder.appendPathComponent(".build/browser-screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(base64Encoded: encoded)?.write(to: folder.appendingPathComponent(name + ".png"))
    }

    func quit() async {
        _ = try? await call("DELETE", "/session/\(session)")
        driver.terminate()
        // Polled, not `waitUntilExit()`, which can wait forever inside an async test on Linux.
        for _ in 0..<50 where driver.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
    }
}

struct BrowserError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension JSONValue {
    /// A member of an object.
    subscript(_ key: String) -> JSONValue? { objectValue?[key] }
}
