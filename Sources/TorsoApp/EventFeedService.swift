import ServiceLifecycle
import Workflows

/// Runs the node's event feed until shutdown, then ends every live stream.
struct EventFeedService: Service {
    let feed: EventFeed

    func run() async throws {
        await cancelWhenGracefulShutdown { await feed.run() }
        feed.close()
    }
}
