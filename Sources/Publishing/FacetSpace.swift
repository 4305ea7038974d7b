import Catalog
import Channels

/// The attributes a channel's heads filter and facet on, with each option numbered, so a product
/// carries its facet values as small integers (`attribute << 16 | option`) and a list counts
/// them in a flat array instead of hashing strings.
struct FacetSpace: Sendable {
    /// Exposed select, multi-select and boolean attributes, by code.
    let attributes: [AttributeDefinition]
    /// The option codes of each attribute (`true`, `false` for booleans).
    let options: [[String]]
    /// Where each attribute's counts start in a flat counts array.
    let offsets: [Int]
    /// The total number of options.
    let size: Int
    /// The attribute index of each flat option index.
    let attributeOf: [Int]
    private let lookup: [String: (index: Int, options: [String: Int])]

    init(channel: Channel, context: CatalogContext) {
        attributes = context.attributes.values
            .filter { [.select, .multiSelect, .boolean].contains($0.type) && (channel.exposedAttributes.isEmpty || channel.exposedAttributes.contains($0.code)) }
            .sorted { $0.code < $1.code }
        options = attributes.map { $0.type == .boolean ? ["true", "false"] : $0.options.map(\.code) }
        var offsets: [Int] = []
        var size = 0
        for list in options {
            offsets.append(size)
            size += list.count
        }
        self.offsets = offsets
        self.size = size
        attributeOf = options.enumerated().flatMap { index, list in Array(repeating: index, count: list.count) }
        var lookup: [String: (Int, [String: Int])] = [:]
        for (index, attribute) in attributes.enumerated() {
            lookup[attribute.code] = (index, Dictionary(options[index].enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }))
        }
        self.lookup = lookup
    }

    /// The index of a facet attribute.
    func index(of attribute: String) -> Int? { lookup[attribute]?.index }

    /// The flat index (into a counts array) of a facet code.
    func flat(_ code: UInt32) -> Int { offsets[Int(code >> 16)] + Int(code & 0xFFFF) }

    /// The code of an attribute's option, if both are facets.
    func code(_ attribute: String, _ option: String) -> UInt32? {
        guard let entry = lookup[attribute], let number = entry.options[option] else { return nil }
        return UInt32(entry.index) << 16 | UInt32(number)
    }
}
