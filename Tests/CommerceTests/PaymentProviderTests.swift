import Testing
@testable import Commerce
import TorsoKit

/// Records the delays a provider asks for, without waiting.
actor SleepRecorder {
    private(set) var requests: [Duration] = []
    func record(_ duration: Duration) { requests.append(duration) }
}

@Suite struct PaymentProviderTests {
    func provider(_ recorder: SleepRecorder = SleepRecorder()) -> TestPaymentProvider {
        TestPaymentProvider(sleep: { await recorder.record($0) })
    }

    @Test(arguments: [
        ("4242424242424242", PaymentStatus.authorized, nil),
        ("4242 4242 4242 4242", .authorized, nil),
        ("4000000000000002", .declined, "card_declined"),
        ("4000-0000-0000-9995", .declined, "insufficient_funds"),
        ("4000000000000119", .failed, "processing_error"),
        ("4111111111111111", .declined, "invalid_card"),
        ("", .declined, "invalid_card"),
    ] as [(String, PaymentStatus, String?)])
    func eachTestCardHasItsOutcome(card: String, status: PaymentStatus, failureCode: String?) async throws {
        // Given
        let provider = provider()
        // When
        let result = try await provider.authorize(amount: 1999, currency: eur, method: .card(number: card))
        // Then
        #expect(result.status == status)
        #expect(result.failureCode == failureCode)
        #expect(result.amount == 1999)
        #expect(result.reference == "test_pay_1")
    }

    @Test func theProcessingErrorCardWaitsTheInjectedDelay() async throws {
        // Given
        let recorder = SleepRecorder()
        let provider = provider(recorder)
        // When
        _ = try await provider.authorize(amount: 100, currency: eur, method: .card(number: TestPaymentProvider.successCard))
        let failed = try await provider.authorize(amount: 100, currency: eur, method: .card(number: TestPaymentProvider.processingErrorCard))
        // Then
        #expect(failed.status == .failed)
        #expect(await recorder.requests == [.milliseconds(200)])
    }

    @Test func anAuthorizedPaymentIsCapturedThenRefundedInParts() async throws {
        // Given
        let provider = provider()
        let authorized = try await provider.authorize(amount: 5000, currency: eur, method: .card(number: TestPaymentProvider.successCard))
        // When
        let captured = try await provider.capture(reference: authorized.reference, amount: 4000)
        let partial = try await provider.refund(reference: authorized.reference, amount: 1500)
        let rest = try await provider.refund(reference: authorized.reference, amount: 2500)
        // Then
        #expect(captured.status == .captured)
        #expect(partial.status == .partiallyRefunded)
        #expect(rest.status == .refunded)
        await #expect(throws: CommerceError.self) { try await provider.refund(reference: authorized.reference, amount: 1) }
    }

    @Test func impossibleOperationsThrowStableCodes() async throws {
        // Given
        let provider = provider()
        let authorized = try await provider.authorize(amount: 5000, currency: eur, method: .card(number: TestPaymentProvider.successCard))
        let declined = try await provider.authorize(amount: 5000, currency: eur, method: .card(number: TestPaymentProvider.declinedCard))
        // When / Then
        await #expect(throws: CommerceError.paymentNotFound(reference: "nope")) { try await provider.capture(reference: "nope", amount: 1) }
        await #expect(throws: CommerceError.self) { try await provider.capture(reference: authorized.reference, amount: 5001) }
        await #expect(throws: CommerceError.self) { try await provider.refund(reference: authorized.reference, amount: 1) }
        await #expect(throws: CommerceError.self) { try await provider.capture(reference: declined.reference, amount: 1) }
        await #expect(throws: CommerceError.invalidAmount(pointer: "/amount", amount: 0)) {
            try await provider.authorize(amount: 0, currency: eur, method: .card(number: TestPaymentProvider.successCard))
        }
        let canceled = try await provider.cancel(reference: authorized.reference)
        #expect(canceled.status == .canceled)
        await #expect(throws: CommerceError.self) { try await provider.capture(reference: authorized.reference, amount: 1) }
    }

    @Test func manualPaymentsStayPendingUntilCaptured() async throws {
        // Given
        let provider = ManualPaymentProvider()
        // When
        let pending = try await provider.authorize(amount: 2500, currency: eur, method: PaymentMethodDetails(type: PaymentMethodDetails.invoice))
        let captured = try await provider.capture(reference: pending.reference, amount: 2500)
        let refunded = try await provider.refund(reference: pending.reference, amount: 2500)
        let other = try await provider.authorize(amount: 100, currency: eur, method: PaymentMethodDetails(type: PaymentMethodDetails.cashOnDelivery))
        let canceled = try await provider.cancel(reference: other.reference)
        // Then
        #expect(pending.status == .pending)
        #expect(pending.reference == "manual_pay_1")
        #expect(captured.status == .captured)
        #expect(refunded.status == .refunded)
        #expect(canceled.status == .canceled)
        #expect(provider.code == "manual")
    }
}
