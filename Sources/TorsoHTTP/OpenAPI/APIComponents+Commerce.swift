import Commerce
import TorsoKit

extension APIComponents {
    /// A postal address as answered.
    static let address: APISchema = .object([
        "first_name": .string(), "last_name": .string(), "line1": .string(), "line2": .nullable(.string()), "city": .string(),
        "postal_code": .string(), "region": .nullable(.string()), "country": .string(), "phone": .nullable(.string()),
    ], required: ["first_name", "last_name", "line1", "city", "postal_code", "country"])

    /// A line of a cart or an order: a snapshot of the variant as it was sold.
    static let line: [String: APISchema] = [
        "id": .string(), "variant_id": .string(), "product_id": .string(), "sku": .string(), "name": .string(), "quantity": .integer,
        "unit_amount": .integer, "compare_at_amount": .nullable(.integer), "price_list": .nullable(.string()), "tax_class": .string(),
        "allow_backorder": .boolean, "weight_grams": .integer, "categories": .nullable(.array(.string())),
    ]
    static let lineRequired = ["id", "variant_id", "product_id", "sku", "name", "quantity", "unit_amount", "tax_class",
                               "allow_backorder", "weight_grams"]

    /// A cart as answered.
    static let cartMembers: [String: APISchema] = [
        "id": .string(), "channel": .string(), "currency": .string(), "status": .string(enumeration: ["open", "completing", "completed"]),
        "customer_id": .nullable(.string()), "customer_group": .nullable(.string()), "email": .nullable(.string()),
        "shipping_address": .nullable(.ref("Address")), "billing_address": .nullable(.ref("Address")),
        "shipping_method": .nullable(.string()), "pickup_store": .nullable(.string()), "promotion_codes": .nullable(.array(.string())),
        "completing_since": .nullable(.time), "order_id": .nullable(.string()),
        "lines": .array(.ref("CartLine")),
        "totals": .object(["subtotal": .integer, "discount_total": .integer, "shipping_total": .integer, "tax_total": .integer,
                           "total": .integer, "tax_mode": .string(enumeration: ["inclusive", "exclusive"]), "currency": .string()],
                          required: ["subtotal", "discount_total", "shipping_total", "tax_total", "total", "tax_mode", "currency"]),
        "promotions": .array(.object(["id": .string(), "code": .nullable(.string()), "name": .string(), "amount": .integer],
                                     required: ["id", "code", "name", "amount"])),
        "promotion_rejections": .array(.object(["code": .string(), "reason": .string()], required: ["code", "reason"])),
        "version": .integer, "created_at": .time, "updated_at": .time,
    ]
    static let cartRequired = ["id", "channel", "currency", "status", "lines", "totals", "promotions", "promotion_rejections", "version",
                               "created_at", "updated_at"]

    /// Carts, checkout and orders.
    static let commerce: [String: APISchema] = [
        "Address": address,
        "Cart": .object(cartMembers, required: cartRequired),
        "NewCart": .object(cartMembers.merging(["token": .string()]) { $1 }, required: cartRequired + ["token"]),
        "CartHandoff": .object(["code": .string(), "url": .nullable(.string()), "expires_at": .time], required: ["code", "url", "expires_at"]),
        "CartLine": .object(line.merging(["subtotal": .integer, "discount": .integer, "tax": .integer, "total": .integer]) { $1 },
                            required: lineRequired + ["subtotal", "discount", "tax", "total"]),
        "OrderLine": .object(line, required: lineRequired),
        "Totals": .object([
            "currency": .string(), "tax_mode": .string(enumeration: ["inclusive", "exclusive"]), "subtotal": .integer,
            "discount_total": .integer, "shipping_total": .integer, "shipping_tax": .integer, "tax_total": .integer, "total": .integer,
            "lines": .array(.object(["line_id": .string(), "subtotal": .integer, "discount": .integer, "tax": .integer, "total": .integer],
                                    required: ["line_id", "subtotal", "discount", "tax", "total"])),
        ], required: ["currency", "tax_mode", "subtotal", "discount_total", "shipping_total", "shipping_tax", "tax_total", "total", "lines"]),
        "Order": .object([
            "id": .string(), "number": .string(), "cart_id": .string(), "channel": .string(), "customer_id": .nullable(.string()),
            "email": .string(), "status": .string(enumeration: OrderStatus.allCases.map(\.rawValue)),
            "lines": .array(.ref("OrderLine")), "shipping_address": .ref("Address"), "billing_address": .ref("Address"),
            "shipping_method": .nullable(.string()), "totals": .ref("Totals"), "pickup_store": .nullable(.string()),
            "restocked_at": .nullable(.time),
            "stock_taken": .nullable(.array(.object(["variant_id": .string(), "location": .string(), "quantity": .integer],
                                                    required: ["variant_id", "location", "quantity"]))),
            "promotions": .nullable(.array(.object([
                "promotion_id": .string(), "code": .nullable(.string()), "name": .string(), "amount": .integer,
                "allocations": .array(.object(["line_id": .string(), "amount": .integer], required: ["line_id", "amount"])),
            ], required: ["promotion_id", "name", "amount", "allocations"]))),
            "payment": .object(["id": .string(), "provider": .string(), "reference": .string(),
                                "status": .string(enumeration: PaymentStatus.allCases.map(\.rawValue)), "amount": .integer,
                                "captured": .integer, "refunded": .integer],
                               required: ["id", "provider", "reference", "status", "amount", "captured", "refunded"]),
            "history": .array(.object(["from": .nullable(.string()), "to": .string(), "event": .string(), "at": .time, "note": .nullable(.string())],
                                      required: ["to", "event", "at"])),
            "version": .integer, "created_at": .time, "updated_at": .time,
        ], required: ["id", "number", "cart_id", "channel", "email", "status", "lines", "shipping_address", "billing_address", "totals",
                      "payment", "history", "version", "created_at", "updated_at"]),
        "OrderPage": page(of: .ref("Order")),
        "ShippingQuoteList": .object(["data": .array(.object([
            "method_id": .string(), "code": .string(), "name": .localizedText, "amount": .integer, "currency": .string(),
            "tax_class": .string(),
        ], required: ["method_id", "code", "name", "amount", "currency", "tax_class"]))], required: ["data"]),
        "StockHolds": .object(["expires_at": .nullable(.time), "reservations": .array(.object([
            "variant_id": .string(), "location": .string(), "quantity": .integer, "expires_at": .time,
        ], required: ["variant_id", "location", "quantity", "expires_at"]))], required: ["reservations"]),
    ]

    /// Customers, their sessions and address books.
    static let customers: [String: APISchema] = [
        "Customer": .object([
            "id": .string(), "email": .string(), "first_name": .nullable(.string()), "last_name": .nullable(.string()),
            "phone": .nullable(.string()), "group": .nullable(.string()), "addresses": .array(.ref("CustomerAddress")),
            "version": .integer, "created_at": .time, "updated_at": .time,
        ], required: ["id", "email", "addresses", "version", "created_at", "updated_at"]),
        "CustomerAddress": .object([
            "id": .string(), "first_name": .string(), "last_name": .string(), "line1": .string(), "line2": .nullable(.string()),
            "city": .string(), "postal_code": .string(), "region": .nullable(.string()), "country": .string(), "phone": .nullable(.string()),
            "default_shipping": .boolean, "default_billing": .boolean,
        ], required: ["id", "first_name", "last_name", "line1", "city", "postal_code", "country", "default_shipping", "default_billing"]),
        "CustomerPage": page(of: .ref("Customer")),
        "CustomerSession": .object(["token": .string(), "expires_at": .time, "customer": .ref("Customer")],
                                   required: ["token", "expires_at", "customer"]),
    ]
}
