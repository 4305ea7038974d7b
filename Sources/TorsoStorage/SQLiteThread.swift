import NIOPosix

/// One thread for one SQLite connection, which is both where the driver runs the connection's
/// statements (its `NIOThreadPool`) and where the code that issues them runs (a task executor).
///
/// The driver runs every statement on its thread pool and resumes the waiting task wherever
/// the task runs: two thread hand-offs a statement, each a wake-up and a context switch (a
/// checkout of five requests ran about 125 statements and 320 context switches). A transaction
/// that runs with this executor as its preference (`withTaskExecutorPreference`) is already on
/// the pool's one thread when it submits a statement, so the thread picks the statement up
/// next, resumes the task, and goes on with it: no hand-off until the transaction is done.
final class SQLiteThread: TaskExecutor, @unchecked Sendable {
    /// The pool the connection is opened with: one thread.
    let pool: NIOThreadPool

    init() {
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { state in
            // A pool that is shutting down hands its work back: the job runs on the global executor.
            guard case .active = state else { return globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    /// Stops the thread once the work queued so far is done; later jobs run on the global executor.
    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
