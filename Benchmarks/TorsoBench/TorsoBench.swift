import ArgumentParser

/// `torso-bench`: load generators that measure a running `torso serve` through its HTTP API.
/// `Benchmarks/admin-writes.sh` builds, starts the servers and runs them.
@main
struct TorsoBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "torso-bench",
        abstract: "Load generators for a running Torso server.",
        subcommands: [AdminWrites.self])
}
