import Catalog
import Channels
import Commerce
import Inventory
import TorsoKit

/// The named shapes of the OpenAPI document (`#/components/schemas/…`): one per answer and
/// per resource, so a client generator makes one type for each.
public enum APIComponents {
    /// Every named shape.
    public static let schemas: [String: APISchema] = {
        var schemas: [String: APISchema] = [:]
        for (name, schema) in resources {
            schemas[name] = answer(of: schema)
            schemas[name + "Input"] = .request(schema)
            schemas[name + "Patch"] = APISchema.request(schema).mergePatch
            schemas[name + "Page"] = page(of: .ref(name))
        }
        schemas.merge(catalog) { $1 }
        schemas.merge(commerce) { $1 }
        schemas.merge(customers) { $1 }
        schemas.merge(events) { $1 }
        schemas.merge(audit) { $1 }
        schemas.merge(inventory) { $1 }
        schemas.merge(exchange) { $1 }
        schemas.merge(storefront) { $1 }
        schemas.merge(requests) { $1 }
        return schemas
    }()

    /// The resources the admin API creates, reads, patches and deletes, by component name.
    static let resources: [(String, FieldSchema)] = [
        (name(of: ContentLocale.self), ContentLocale.schema), (name(of: Channel.self), Channel.schema),
        (name(of: StockLocation.self), StockLocation.schema), (name(of: AttributeDefinition.self), AttributeDefinition.schema),
        (name(of: ProductType.self), ProductType.schema), (name(of: Category.self), Category.schema),
        (name(of: Product.self), Product.schema), (name(of: ShippingMethod.self), ShippingMethod.schema),
        (name(of: TaxRate.self), TaxRate.schema), (name(of: Promotion.self), Promotion.schema),
        (name(of: PriceList.self), PriceList.schema),
    ]

    /// A resource's component name, from its kind: `stock location` → `StockLocation`.
    public static func name<R: StoredResource>(of type: R.Type) -> String {
        R.kind.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// One page of a cursor-paginated list.
    public static func page(of item: APISchema) -> APISchema {
        .object(["data": .array(item), "next_cursor": .nullable(.string())], required: ["data", "next_cursor"])
    }

    /// A resource as answered: the members of its body shape, open; the members every resource
    /// has (its required ones and the read-only metadata) are always there, the others may be
    /// absent or `null`.
    static func answer(of schema: FieldSchema) -> APISchema { openAnswer(schema, listingPresent: true) }

    /// A shape as answered: objects are open and their optional members may be `null`; with
    /// `listingPresent` the object also lists its required and read-only members as present.
    static func openAnswer(_ field: FieldSchema, listingPresent: Bool = false) -> APISchema {
        switch field {
        case .object(let members, let required, let readOnly):
            let present = Set(required + readOnly)
            var answered: [String: APISchema] = [:]
            for (name, member) in members {
                let open = openAnswer(member)
                answered[name] = present.contains(name) ? open : .nullable(open)
            }
            return .object(answered, required: listingPresent ? present.sorted() : [], readOnly: readOnly)
        case .map(let inner): return .map(openAnswer(inner))
        case .array(let inner): return .array(openAnswer(inner))
        case .nullable(let inner): return .nullable(openAnswer(inner))
        case .string(let format, let enumeration): return .string(format: format, enumeration: enumeration)
        case .integer: return .integer
        case .number: return .number
        case .boolean: return .boolean
        case .any: return .any
        }
    }
}
