import Foundation
import Testing
import TorsoKit
@testable import Customers

/// An address book entry wraps the one postal ``Address`` and keeps the flat JSON heads know.
@Suite struct CustomerAddressTests {
    static let postal = Address(firstName: "Ada", lastName: "Lovelace", line1: "Unter den Linden 1", city: "Berlin",
                                postalCode: "10117", country: "DE")

    @Test func itsJSONIsTheAddressMembersBesideItsOwn() throws {
        // Given an entry without a second line, region or phone
        let entry = CustomerAddress(id: ID(rawValue: "addr_1"), address: Self.postal, defaultShipping: true)
        // When it is encoded
        let json = try JSONCoding.parse(try JSONCoding.encoder().encode(entry))
        // Then every member is at the top level, absent ones as null, as before the address lived once
        let object = try #require(json.objectValue)
        #expect(Set(object.keys) == ["id", "first_name", "last_name", "line1", "line2", "city", "postal_code", "region", "country", "phone",
                                     "default_shipping", "default_billing"])
        #expect(object["line2"] == .null && object["phone"] == .null)
        #expect(object["default_shipping"] == .bool(true) && object["default_billing"] == .bool(false))
        #expect(object["postal_code"] == .string("10117"))
    }

    @Test func itDecodesFromTheFlatJSONAndReadsThrough() throws {
        // Given the flat JSON of a stored entry, without the default marks
        let id = ID<CustomerAddressEntity>.generate().rawValue
        let text = #"{"id":"\#(id)","first_name":"Grace","last_name":"Hopper","line1":"1 Navy Way","city":"Arlington","postal_code":"22201","country":"US","region":"VA"}"#
        // When it is decoded
        var entry = try JSONCoding.decode(CustomerAddress.self, bytes: Array(text.utf8))
        // Then the postal members read through and the marks default to false
        #expect(entry.city == "Arlington" && entry.region == "VA" && entry.address.country == "US")
        #expect(!entry.defaultShipping && !entry.defaultBilling)
        entry.city = "Washington"
        #expect(entry.address.city == "Washington")
    }

    @Test func validationPointsIntoTheEntry() {
        // Given an entry with a blank city, a bad country and an over-long phone
        var postal = Self.postal
        postal.city = "  "
        postal.country = "Germany"
        postal.phone = String(repeating: "1", count: CustomerRules.maxTextLength + 1)
        // When it is checked under a prefix
        let errors = CustomerAddress(address: postal).validationErrors(at: "/addresses/0")
        // Then each problem has its pointer and code
        let found = Set(errors.map { "\($0.pointer) \($0.code)" })
        #expect(found.contains("/addresses/0/city required"))
        #expect(found.contains("/addresses/0/country invalid_country"))
        #expect(found.contains("/addresses/0/phone too_long"))
    }

    @Test func oneDefaultOfEachKind() {
        // Given a customer with two addresses, the second just marked as default for both kinds
        let first = CustomerAddress(id: ID(rawValue: "addr_a"), address: Self.postal, defaultShipping: true, defaultBilling: true)
        let second = CustomerAddress(id: ID(rawValue: "addr_b"), address: Self.postal, defaultShipping: true, defaultBilling: true)
        var customer = Customer(id: ID(rawValue: "cus_1"), email: "ada@example.com", addresses: [first, second], createdAt: "", updatedAt: "")
        // When the second is made the only default
        customer.makeDefaultsExclusive(keeping: second.id)
        // Then the first lost both marks
        #expect(customer.defaultShippingAddress?.id == second.id && customer.defaultBillingAddress?.id == second.id)
        #expect(!customer.addresses[0].defaultShipping && !customer.addresses[0].defaultBilling)
    }

    @Test func emailRule() {
        // The one rule carts and customers share
        #expect(EmailAddress.isValid("ada@example.com"))
        for bad in ["ada", "ada@", "@example.com", "ada@example", "a da@example.com", "ada@-example.com", "ada@example..com",
                    String(repeating: "a", count: 65) + "@example.com"] {
            #expect(!EmailAddress.isValid(bad), "\(bad)")
        }
        // Found from outside: spellings that reach one mailbox passed as other buyers (a
        // once-per-customer code used again): comments, brackets, invisible and look-alike characters
        for sameMailbox in ["(c)promo@example.com", "<promo@example.com>", "promo(x)@example.com", "promo\u{200B}@example.com",
                            "\u{202E}promo@example.com", "\u{FF50}romo@example.com", "promo@example.com;", "\"promo\"@example.com",
                            "promo@exa_mple.com", ".promo@example.com", "pro..mo@example.com"] {
            #expect(!EmailAddress.isValid(sameMailbox), "\(sameMailbox)")
        }
        for fine in ["o'brien@example.com", "first.last+tag@sub.example.co.uk", "x@xn--bcher-kva.example"] {
            #expect(EmailAddress.isValid(fine), "\(fine)")
        }
    }
}
