import ServiceLifecycle
import Workflows

/// Runs the projections' deferred work (gathered stock updates, stored facts) for as long as
/// the server runs; on shutdown it finishes what is queued before the store closes.
struct ProjectionWorker: Service {
    let projections: ProjectionService

    func run() async throws {
        await cancelWhenGracefulShutdown { await projections.runDeferredWork() }
    }
}
