import Hummingbird

extension Parameters {
    /// A path parameter, percent-decoded as clients send it (`classic%2Dtee` is `classic-tee`,
    /// `WELCOME10%E2%80%8B` ends in a zero-width space); 400 when the route has no such parameter.
    func path(_ name: String) throws -> String {
        let raw = try require(name)
        return raw.removingPercentEncoding ?? raw
    }
}
