import Foundation
import TorsoKit

/// The rules customer input must follow, and the shapes of the bodies that carry it.
public enum CustomerRules {
    /// The shortest password accepted, in characters.
    public static let minPasswordLength = 8
    /// The longest password accepted, in characters. bcrypt reads at most 72 bytes of it.
    public static let maxPasswordLength = 128
    /// The most addresses one customer keeps.
    public static let maxAddresses = 50
    /// The longest name, address line or phone number.
    public static let maxTextLength = 200

    /// `POST /store/v1/customers`.
    public static let registerSchema: FieldSchema = .object([
        "email": .string(format: "email"), "password": .string(format: "password"),
        "first_name": .nullable(.string()), "last_name": .nullable(.string()), "phone": .nullable(.string()),
    ], required: ["email", "password"])

    /// `POST /store/v1/customers/login`.
    public static let loginSchema: FieldSchema = .object(
        ["email": .string(format: "email"), "password": .string(format: "password")], required: ["email", "password"])

    /// `PATCH /store/v1/customers/me`: what a customer may change about themselves.
    public static let profileSchema: FieldSchema = .object([
        "email": .string(format: "email"), "first_name": .nullable(.string()), "last_name": .nullable(.string()),
        "phone": .nullable(.string()), "version": .integer,
    ])

    /// An address as sent to `POST /store/v1/customers/me/addresses`.
    public static let addressSchema: FieldSchema = .object([
        "first_name": .string(), "last_name": .string(), "line1": .string(), "line2": .nullable(.string()),
        "city": .string(), "postal_code": .string(), "region": .nullable(.string()),
        "country": .string(), "phone": .nullable(.string()),
        "default_shipping": .boolean, "default_billing": .boolean,
    ], required: ["first_name", "last_name", "line1", "city", "postal_code", "country"])

    /// `PATCH /admin/v1/customers/{id}`: only the group.
    public static let adminPatchSchema: FieldSchema = .object(["group": .nullable(.string()), "version": .integer])

    /// An e-mail address as stored and compared: trimmed and lower-cased.
    public static func normalizedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Adds an error unless `password` has 8–128 characters.
    public static func checkPassword(_ password: String, at pointer: String, into errors: inout ValidationErrors) {
        if password.count < minPasswordLength {
            errors.add(pointer, "too_short", "A password has at least \(minPasswordLength) characters.")
        } else if password.count > maxPasswordLength {
            errors.add(pointer, "too_long", "A password has at most \(maxPasswordLength) characters.")
        }
    }

    /// Adds an error if an optional text is longer than ``maxTextLength``.
    public static func checkLength(_ text: String?, at pointer: String, into errors: inout ValidationErrors) {
        if let text, text.count > maxTextLength { errors.add(pointer, "too_long", "At most \(maxTextLength) characters.") }
    }

    /// Adds an error unless `text` has a non-blank value of at most ``maxTextLength`` characters.
    public static func checkRequired(_ text: String, at pointer: String, into errors: inout ValidationErrors) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.add(pointer, "required", "A value is required.")
        } else {
            checkLength(text, at: pointer, into: &errors)
        }
    }

    /// Whether `code` is an ISO 3166-1 alpha-2 shape: two upper-case ASCII letters.
    public static func isCountryCode(_ code: String) -> Bool { CountryCode.isValid(code) }
}

extension CustomerAddress {
    /// Every problem of the address, with pointers under `prefix` (`""` for a body that is the address).
    public func validationErrors(at prefix: String = "") -> [FieldError] {
        var errors = ValidationErrors()
        CustomerRules.checkRequired(address.firstName, at: prefix + "/first_name", into: &errors)
        CustomerRules.checkRequired(address.lastName, at: prefix + "/last_name", into: &errors)
        CustomerRules.checkRequired(address.line1, at: prefix + "/line1", into: &errors)
        CustomerRules.checkRequired(address.city, at: prefix + "/city", into: &errors)
        CustomerRules.checkRequired(address.postalCode, at: prefix + "/postal_code", into: &errors)
        for (name, value) in [("line2", address.line2), ("region", address.region), ("phone", address.phone)] {
            CustomerRules.checkLength(value, at: prefix + "/" + name, into: &errors)
        }
        if !CustomerRules.isCountryCode(address.country) {
            errors.add(prefix + "/country", "invalid_country", "A country is an ISO 3166-1 alpha-2 code in upper case, such as 'DE'.")
        }
        return errors.errors
    }
}

extension Customer {
    /// Every problem of the customer's own fields (not its addresses, which are checked as they are written).
    public func validationErrors() -> [FieldError] {
        var errors = ValidationErrors()
        EmailAddress.check(email, at: "/email", into: &errors)
        CustomerRules.checkLength(firstName, at: "/first_name", into: &errors)
        CustomerRules.checkLength(lastName, at: "/last_name", into: &errors)
        CustomerRules.checkLength(phone, at: "/phone", into: &errors)
        if let group { Code.check(group, at: "/group", into: &errors) }
        return errors.errors
    }

    /// Makes `address` the only default of its kinds: another address marked as the default
    /// shipping or billing address loses the mark.
    public mutating func makeDefaultsExclusive(keeping address: ID<CustomerAddressEntity>) {
        guard let kept = addresses.first(where: { $0.id == address }) else { return }
        for index in addresses.indices where addresses[index].id != address {
            if kept.defaultShipping { addresses[index].defaultShipping = false }
            if kept.defaultBilling { addresses[index].defaultBilling = false }
        }
    }
}
