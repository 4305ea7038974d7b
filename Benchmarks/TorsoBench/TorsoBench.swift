import ArgumentParser

/// `torso-bench`: load generators that measure a running `torso serve` through its HTTP API.
/// `Benchmarks/admin-writes.sh` and `Benchmarks/checkout.sh` build, start the servers and run them.
@main
struct TorsoBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "torso-bench",
        abstract: "Load generators for a running Torso server.",
        subcommands: [AdminWrites.self, BareServer.self, Checkout.self, FeedLatency.self, ImportBench.self, InventorySync.self, LoginFlood.self, RegistrationTiming.self,
                      WebhookBench.self])
}
