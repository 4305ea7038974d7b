import Testing
@testable import Commerce
import TorsoKit

@Suite struct OrderStateMachineTests {
    /// The table as documented in docs/commerce.md, written out independently of the code.
    static let documented: [String: String] = [
        "pending confirm": "confirmed", "pending cancel": "canceled",
        "confirmed fulfill_partially": "partially_fulfilled", "confirmed fulfill": "fulfilled", "confirmed cancel": "canceled",
        "partially_fulfilled fulfill_partially": "partially_fulfilled", "partially_fulfilled fulfill": "fulfilled",
        "fulfilled ship": "shipped",
        "shipped deliver": "delivered",
        "delivered return": "returned", "delivered refund_partially": "partially_refunded", "delivered refund": "refunded",
        "returned refund_partially": "partially_refunded", "returned refund": "refunded",
        "partially_refunded refund_partially": "partially_refunded", "partially_refunded refund": "refunded",
        "confirmed ready_for_pickup": "ready_for_pickup", "ready_for_pickup pick_up": "picked_up", "ready_for_pickup cancel": "canceled",
        "picked_up return": "returned", "picked_up refund_partially": "partially_refunded", "picked_up refund": "refunded",
    ]

    @Test func everyStatusAndEventPairFollowsTheDocumentedTable() {
        // Given
        let machine = OrderStateMachine()
        var checked = 0
        for status in OrderStatus.allCases {
            for event in OrderEvent.allCases {
                // When
                let result = Result { try machine.transition(from: status, via: event) }
                // Then
                let key = "\(status.rawValue) \(event.rawValue)"
                switch (result, Self.documented[key]) {
                case (.success(let next), let expected?):
                    #expect(next.rawValue == expected, "\(key)")
                case (.failure(let error), nil):
                    #expect(error as? CommerceError == .illegalTransition(from: status, event: event), "\(key)")
                    #expect((error as? CommerceError)?.code == "illegal_transition", "\(key)")
                default:
                    Issue.record("\(key): got \(result), documented \(Self.documented[key] ?? "illegal")")
                }
                checked += 1
            }
        }
        #expect(checked == 12 * 11)
    }

    @Test func allowedEventsAndTerminalStatusesMatchTheTable() {
        // Given
        let machine = OrderStateMachine()
        // When / Then
        #expect(machine.allowedEvents(from: .pending) == [.confirm, .cancel])
        #expect(OrderStatus.allCases.filter(\.isTerminal) == [.canceled, .refunded])
    }

    @Test func aHappyPathReachesRefunded() throws {
        // Given
        let machine = OrderStateMachine()
        var status = OrderStatus.pending
        // When
        for event: OrderEvent in [.confirm, .fulfillPartially, .fulfillPartially, .fulfill, .ship, .deliver, .returnGoods,
                                  .refundPartially, .refund] {
            status = try machine.transition(from: status, via: event)
        }
        // Then
        #expect(status == .refunded)
    }

    @Test func anIllegalTransitionIsAConflictDomainError() {
        // Given
        let error = CommerceError.illegalTransition(from: .shipped, event: .cancel)
        // When
        let domain = error.domainError
        // Then
        #expect(domain.kind == .conflict)
        #expect(domain.code == "illegal_transition")
        #expect(domain.detail == "An order in status 'shipped' cannot take the event 'cancel'.")
    }

    @Test func orderNumbersAreReadableAndParse() throws {
        // Given
        let number = OrderNumber(sequence: 42)
        // When / Then
        #expect(number.description == "T-100042")
        #expect(OrderNumber(sequence: 1_234_567).description == "T-1334567")
        #expect(OrderNumber(parsing: "T-100042") == number)
        #expect(OrderNumber(parsing: "T-100000") == nil)
        #expect(OrderNumber(parsing: "X-100042") == nil)
        #expect(OrderNumber(parsing: "T-10a042") == nil)
        #expect(String(decoding: try JSONCoding.encoder().encode([number]), as: UTF8.self) == "[\"T-100042\"]")
    }
}
