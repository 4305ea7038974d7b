/// Named counters: order numbers, promotion uses.
public protocol CounterRepository: Sendable {
    /// Increases a named counter and returns its new value; the row stays locked until commit.
    func nextCounter(_ name: String) async throws -> Int
    /// Increases a named counter, creating it at zero first if needed; returns the new value.
    func incrementCounter(_ name: String) async throws -> Int
    /// The values of named counters that exist.
    func counters(_ names: [String]) async throws -> [String: Int]
}
