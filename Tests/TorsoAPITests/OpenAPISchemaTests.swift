import Foundation
import Testing
import TorsoApp
import TorsoKit
import TorsoTestSupport

/// Every operation of `/openapi.json` describes its request body and its success answer with
/// schemas a client generator can use, and every named schema it refers to exists.
@Suite struct OpenAPISchemaTests {
    /// Every `$ref` anywhere in `value`.
    static func references(in value: JSONValue) -> Set<String> {
        switch value {
        case .object(let members):
            var found = Set<String>()
            if case .string(let reference)? = members["$ref"] { found.insert(reference) }
            for member in members.values { found.formUnion(references(in: member)) }
            return found
        case .array(let elements):
            return elements.reduce(into: Set<String>()) { $0.formUnion(references(in: $1)) }
        default:
            return []
        }
    }

    @Test func everyOperationDescribesItsBodyAndItsSuccessAnswer() async throws {
        // Given
        let document = try await APIDocumentFixture.document()
        let paths = try #require(document["paths"]?.objectValue)
        var operations = 0
        // Then
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            for (method, operation) in (item.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                operations += 1
                let responses = operation["responses"]?.objectValue ?? [:]
                let successes = responses.filter { $0.key.hasPrefix("2") }
                #expect(!successes.isEmpty, "\(method) \(path) documents no success answer")
                for (status, response) in successes where status != "204" {
                    let content = response["content"]?.objectValue ?? [:]
                    #expect(!content.isEmpty, "\(method) \(path) \(status) has no content")
                    for (type, media) in content {
                        #expect(media["schema"] != nil, "\(method) \(path) \(status) \(type) has no schema")
                    }
                }
                if ["post", "patch", "put"].contains(method), path.hasPrefix("/admin") || path.hasPrefix("/store") {
                    let bodyless = ["/store/v1/customers/logout", "/store/v1/carts/{cart}/checkout", "/admin/v1/imports/{id}/cancel"]
                    if !bodyless.contains(path) {
                        let body = operation["requestBody"]?["content"]?.objectValue?.values.first
                        #expect(body?["schema"] != nil, "\(method) \(path) has no request body schema")
                    }
                }
                #expect(responses["default"] != nil, "\(method) \(path) does not say what its problems look like")
            }
        }
        #expect(operations >= 100, "the document has \(operations) operations")
    }

    /// Found by the fuzzer: a generated `If-Match: \x17` is refused by the HTTP layer with an
    /// empty 400 before any handler runs, so the document must not offer such values.
    @Test func headerParametersDeclareWhatHTTPAllows() async throws {
        // Given
        let document = try await APIDocumentFixture.document()
        let paths = try #require(document["paths"]?.objectValue)
        let pattern = try Regex("^[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?$")
        var headers = 0
        // Then
        for (path, item) in paths {
            for (method, operation) in item.objectValue ?? [:] {
                for parameter in operation["parameters"]?.arrayValue ?? [] where parameter["in"]?.stringValue == "header" {
                    headers += 1
                    let declared = parameter["schema"]?["pattern"]?.stringValue
                    #expect(declared == "^[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?$", "\(method) \(path) \(parameter["name"]?.stringValue ?? "")")
                }
            }
        }
        #expect(headers > 10)
        #expect("v3".wholeMatch(of: pattern) != nil)
        #expect("\u{17}".wholeMatch(of: pattern) == nil)
        #expect(" 3".wholeMatch(of: pattern) == nil)
    }

    @Test func everyReferenceNamesAComponent() async throws {
        // Given
        let document = try await APIDocumentFixture.document()
        let components = try #require(document["components"]?["schemas"]?.objectValue)
        // When
        let references = Self.references(in: document)
        // Then
        #expect(!references.isEmpty)
        for reference in references.sorted() {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            #expect(components[name] != nil, "\(reference) does not exist")
        }
    }

    @Test func resourcesAndAnswersAreNamedComponents() async throws {
        // Given
        let document = try await APIDocumentFixture.document()
        let components = try #require(document["components"]?["schemas"]?.objectValue)
        // Then: the shapes a head or an integration generates types from have names
        for name in ["Product", "ProductInput", "ProductPage", "Channel", "PriceList", "Cart", "Order", "OrderPage", "Customer",
                     "CustomerSession", "Event", "EventPage", "Webhook", "WebhookWithSecret", "WebhookDeliveryDetail",
                     "StoreProductList", "StoreProduct", "CategoryTree", "Problem"] {
            #expect(components[name] != nil, "no component \(name)")
        }
        let cart = try #require(components["Cart"])
        #expect(cart["properties"]?["totals"]?["properties"]?["total"]?["type"] == .string("integer"))
    }

    @Test func boundsTheServerChecksAreWrittenDown() async throws {
        // Given
        let document = try await APIDocumentFixture.document()
        let components = try #require(document["components"]?["schemas"]?.objectValue)
        // Then a line's quantity and a page's limit carry the bounds the server refuses outside of
        let quantity = components["CartLineRequest"]?["properties"]?["quantity"]
        #expect(quantity?["minimum"] == .number(1) && quantity?["maximum"] == .number(1_000), "\(String(describing: quantity))")
        #expect(components["LineQuantityRequest"]?["properties"]?["quantity"]?["maximum"] == .number(1_000))
        let parameters = document["paths"]?["/admin/v1/locales"]?["get"]?["parameters"]?.arrayValue ?? []
        let limit = parameters.first { $0["name"] == .string("limit") }
        #expect(limit?["schema"]?["maximum"] == .number(Double(PageRequest.maxLimit)))
    }
}
