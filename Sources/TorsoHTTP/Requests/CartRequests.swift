import Commerce
import TorsoKit

/// `POST /store/v1/carts`: the body may be left out.
struct CreateCartRequest: RequestBody {
    var currency: String?
    var email: String?

    static let schema: FieldSchema = .object(["currency": .nullable(.string()), "email": .nullable(.string())])
}

/// `PATCH /store/v1/carts/{cart}`: contact, addresses, shipping method.
struct CartDetailsRequest: RequestBody {
    var email: String?
    var shippingAddress: Address?
    var billingAddress: Address?
    var shippingMethod: String?
    var pickupStore: String?
    var version: Int?

    static let schema: FieldSchema = .object([
        "email": .nullable(.string()), "shipping_address": .nullable(Address.schema), "billing_address": .nullable(Address.schema),
        "shipping_method": .nullable(.string()), "pickup_store": .nullable(.string()), "version": .nullable(.integer),
    ])

    enum CodingKeys: String, CodingKey {
        case email, version
        case shippingAddress = "shipping_address"
        case billingAddress = "billing_address"
        case shippingMethod = "shipping_method"
        case pickupStore = "pickup_store"
    }
}

/// `POST /store/v1/carts/{cart}/lines`.
struct CartLineRequest: RequestBody {
    var variantId: String
    var quantity: Int?

    static let schema: FieldSchema = .object(["variant_id": .string(), "quantity": .nullable(.integer)], required: ["variant_id"])
    static var documentedSchema: APISchema { APISchema.request(schema).bounding("quantity", Cart.lineQuantity) }

    enum CodingKeys: String, CodingKey {
        case quantity
        case variantId = "variant_id"
    }
}

/// `PATCH /store/v1/carts/{cart}/lines/{line}`.
struct LineQuantityRequest: RequestBody {
    var quantity: Int

    static let schema: FieldSchema = .object(["quantity": .integer], required: ["quantity"])
    static var documentedSchema: APISchema { APISchema.request(schema).bounding("quantity", Cart.lineQuantity) }
}

/// `POST /store/v1/carts/{cart}/promotions`.
struct PromotionCodeRequest: RequestBody {
    var code: String

    static let schema: FieldSchema = .object(["code": .string()], required: ["code"])
}

/// `POST /store/v1/carts/{cart}/complete`.
struct CompleteRequest: RequestBody {
    /// How to pay.
    struct Payment: Decodable, Sendable {
        var provider: String
        var cardNumber: String?
        var type: String?

        enum CodingKeys: String, CodingKey {
            case provider, type
            case cardNumber = "card_number"
        }
    }

    var payment: Payment

    static let schema: FieldSchema = .object([
        "payment": .object(["provider": .string(), "card_number": .nullable(.string()), "type": .nullable(.string())], required: ["provider"]),
    ], required: ["payment"])

    /// The payment details: a card when a number is given, else an invoice, unless `type` says.
    var method: PaymentMethodDetails {
        PaymentMethodDetails(type: payment.type ?? (payment.cardNumber == nil ? PaymentMethodDetails.invoice : PaymentMethodDetails.card),
                             cardNumber: payment.cardNumber)
    }
}

/// `POST /admin/v1/orders/{key}/transitions`.
struct OrderTransitionRequest: RequestBody {
    var event: String
    var note: String?
    var amount: Int64?

    static let schema: FieldSchema = .object(["event": .oneOf(OrderEvent.allCases.map(\.rawValue)), "note": .nullable(.string()),
                                              "amount": .nullable(.integer)],
                                             required: ["event"])
}

/// `POST /store/v1/carts/{cart}/handoff`: the body may be left out.
struct HandoffRequest: RequestBody {
    var expiresIn: Int?

    static let schema: FieldSchema = .object(["expires_in": .nullable(.integer)])
    static var documentedSchema: APISchema { APISchema.request(schema).bounding("expires_in", CartHandoff.lifetimes) }

    enum CodingKeys: String, CodingKey {
        case expiresIn = "expires_in"
    }
}

/// `POST /store/v1/carts/claim`.
struct ClaimRequest: RequestBody {
    var code: String

    static let schema: FieldSchema = .object(["code": .string()], required: ["code"])
}
