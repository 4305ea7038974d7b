import Commerce
import Events
import Foundation
import TorsoKit

extension EventRecorder {
    /// A handed-off cart was claimed, changed or completed: the event its screen follows on
    /// `GET /store/v1/carts/{id}/events`. Only carts that were handed off announce anything;
    /// the payload names no person (no e-mail, no address).
    static func cart(_ type: String, _ cart: Cart, order: (id: String, number: String)? = nil, in tx: any Transaction) async throws {
        guard cart.access?.watched == true else { return }
        var data: [String: JSONValue] = [
            "cart_id": .string(cart.id.rawValue), "version": .number(Double(cart.version)), "status": .string(cart.status.rawValue),
            "item_count": .number(Double(cart.lines.reduce(0) { $0 + $1.quantity })),
        ]
        if let order {
            data["order_id"] = .string(order.id)
            data["order_number"] = .string(order.number)
        }
        try await tx.outbox.appendEvent(type: type, channel: cart.channel, subject: cart.id.rawValue, data: .object(data),
                                        at: Timestamp.string(Date()))
    }
}
