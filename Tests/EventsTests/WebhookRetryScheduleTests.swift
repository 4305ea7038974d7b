import Events
import Foundation
import Testing

/// Exponential backoff with jitter inside a window.
@Suite struct WebhookRetryScheduleTests {
    @Test func waitsDoubleUpToTheCap() {
        // Given
        let schedule = RetrySchedule(base: 5, maxInterval: 3_600, window: 26 * 3_600, jitter: 0.2)
        // When
        let delays = (1...14).map(schedule.nominalDelay(after:))
        // Then
        #expect(Array(delays.prefix(6)) == [5, 10, 20, 40, 80, 160])
        for (earlier, later) in zip(delays, delays.dropFirst()) { #expect(later >= earlier) }
        #expect(delays.last == 3_600)
        #expect(schedule.nominalDelay(after: 10_000) == 3_600, "no overflow for long streaks")
        #expect(schedule.nominalDelay(after: 0) == 5)
    }

    @Test func jitterStaysWithinTwentyPercent() {
        // Given
        let schedule = RetrySchedule(base: 5, jitter: 0.2)
        var generator = SystemRandomNumberGenerator()
        for failures in [1, 4, 9, 20] {
            let nominal = schedule.nominalDelay(after: failures)
            // When
            let samples = (0..<500).map { _ in schedule.delay(after: failures, using: &generator) }
            // Then
            #expect(samples.allSatisfy { $0 >= nominal * 0.8 && $0 <= nominal * 1.2 }, "after \(failures) failures")
            #expect(Set(samples).count > 100, "jittered, not constant")
            #expect(samples.contains { $0 < nominal } && samples.contains { $0 > nominal })
        }
        #expect(RetrySchedule(base: 5, jitter: 0).delay(after: 3) == 20)
    }

    @Test func givesUpWhenTheWindowIsOver() {
        // Given: the default schedule, without jitter, from a delivery made at t0
        let schedule = RetrySchedule(base: 5, maxInterval: 3_600, window: 26 * 3_600, jitter: 0)
        let created = Date(timeIntervalSince1970: 1_000_000)
        var now = created
        var attempts = 1
        var generator = SystemRandomNumberGenerator()
        // When: every attempt fails
        while let next = schedule.nextAttempt(after: attempts, failedAt: now, created: created, using: &generator) {
            #expect(next > now)
            #expect(next.timeIntervalSince(created) <= 26 * 3_600)
            now = next
            attempts += 1
        }
        // Then: about 35 attempts over 26 hours, the last within the window
        #expect((30...40).contains(attempts), "\(attempts) attempts")
        #expect(now.timeIntervalSince(created) > 25 * 3_600)
    }

    @Test func aTinyScheduleForTests() {
        // Given: 20 ms doubling, a 200 ms window
        let schedule = RetrySchedule(base: 0.02, window: 0.2, jitter: 0)
        let created = Date()
        var generator = SystemRandomNumberGenerator()
        // When / Then: 20, 40, 80 ms after failures at 0, 20, 60 ms fit; the next (160 ms after 140 ms) does not
        #expect(schedule.nextAttempt(after: 1, failedAt: created, created: created, using: &generator) != nil)
        #expect(schedule.nextAttempt(after: 3, failedAt: created.addingTimeInterval(0.06), created: created, using: &generator) != nil)
        #expect(schedule.nextAttempt(after: 4, failedAt: created.addingTimeInterval(0.14), created: created, using: &generator) == nil)
    }
}
