import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `torso-bench bare-server`: a Hummingbird server with nothing of Torso — no middleware, no
/// database, no lookups — that answers `/health` and every other path with the bytes Torso gave
/// for them (captured by the benchmark script), so that a read benchmark can report Torso's
/// figure as a share of what the HTTP stack alone does on this machine, in the same run.
struct BareServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-server",
        abstract: "Serve fixed bytes with a bare Hummingbird server: the baseline of the read benchmarks.")

    @Option(help: "The port to listen on.")
    var port: Int = 18099

    @Option(help: "A file with the body of /health (Torso's own answer).")
    var health: String

    @Option(help: "A file with the body of every other path (a product detail of Torso's).")
    var detail: String

    func run() async throws {
        let healthBody = ByteBuffer(data: try Data(contentsOf: URL(fileURLWithPath: health)))
        let detailBody = ByteBuffer(data: try Data(contentsOf: URL(fileURLWithPath: detail)))
        let router = Router()
        router.get("health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: healthBody))
        }
        router.get("**") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: detailBody))
        }
        var logger = Logger(label: "bare-server")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        print("bare server listening on http://127.0.0.1:\(port)")
        try await app.runService()
    }
}
