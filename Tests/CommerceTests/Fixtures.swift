import Foundation
@testable import Commerce
import TorsoKit

let eur = Currency("EUR")!
let usd = Currency("USD")!

/// A fixed instant: 2026-06-01T12:00:00Z.
let noon = Timestamp.parse("2026-06-01T12:00:00Z")!

/// `noon` moved by some hours.
func hours(_ count: Double, from date: Date = noon) -> Date { date.addingTimeInterval(count * 3600) }

/// A deterministic pseudo-random generator (SplitMix64), so generated cases repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The code of a thrown ``CommerceError``, or a description of what else happened.
func commerceErrorCode(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "no error"
    } catch let error as CommerceError {
        return error.code
    } catch {
        return "unexpected \(error)"
    }
}
