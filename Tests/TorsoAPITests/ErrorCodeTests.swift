import Access
import Catalog
import Channels
import Commerce
import Customers
import Events
import Exchange
import Foundation
import Inventory
import Publishing
import Testing
import TorsoHTTP
import TorsoKit
import TorsoStorage
import Workflows

/// Stable error codes are declared once per module, the sources use only declared ones, and
/// docs/api.md lists exactly the declared codes.
@Suite struct ErrorCodeTests {
    /// Each module's declared codes.
    static let registries: [String: Set<String>] = [
        "TorsoKit": TorsoKitErrorCodes.all, "Access": AccessErrorCodes.all, "Channels": ChannelsErrorCodes.all,
        "Catalog": CatalogErrorCodes.all, "Inventory": InventoryErrorCodes.all, "Commerce": CommerceErrorCodes.all,
        "Customers": CustomersErrorCodes.all, "Events": EventsErrorCodes.all, "Publishing": PublishingErrorCodes.all,
        "Workflows": WorkflowsErrorCodes.all, "TorsoStorage": TorsoStorageErrorCodes.all, "TorsoHTTP": TorsoHTTPErrorCodes.all,
        "Exchange": ExchangeErrorCodes.all,
    ]

    /// The modules each module may take codes from (itself and what it depends on).
    static let visible: [String: Set<String>] = {
        let domains: Set<String> = ["TorsoKit", "Access", "Channels", "Catalog", "Inventory", "Commerce", "Customers", "Events"]
        var visible: [String: Set<String>] = ["TorsoKit": ["TorsoKit"]]
        for domain in domains { visible[domain] = [domain, "TorsoKit"] }
        visible["Publishing"] = ["Publishing", "TorsoKit", "Catalog", "Channels", "Commerce"]
        visible["Exchange"] = ["Exchange", "TorsoKit", "Catalog"]
        visible["Workflows"] = domains.union(["Publishing", "Exchange", "Workflows"])
        visible["TorsoStorage"] = domains.union(["Publishing", "Exchange", "TorsoStorage"])
        visible["TorsoHTTP"] = domains.union(["Publishing", "Exchange", "Workflows", "TorsoHTTP"])
        return visible
    }()

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The codes a module's sources write as literals, with a file where each appears.
    static func literals(in module: String) throws -> [String: String] {
        let patterns = [#"code:\s*"([a-z_]+)""#, #"\.add\((?:[^,()]|\([^()]*\))+,\s*"([a-z_]+)""#]
            .map { try! NSRegularExpression(pattern: $0) }
        let folder = root.appendingPathComponent("Sources/\(module)")
        var found: [String: String] = [:]
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            var patterns = patterns
            if file.lastPathComponent.contains("Error") || file.lastPathComponent.hasPrefix("Problem") {
                // An error enum's or the problem mapper's `case .x: "code"`.
                patterns.append(try! NSRegularExpression(pattern: #"case \.[a-zA-Z]+(?:, \.[a-zA-Z]+)*: "([a-z_]+)""#))
            }
            for pattern in patterns {
                for match in pattern.matches(in: text, range: range) {
                    if let code = Range(match.range(at: 1), in: text).map({ String(text[$0]) }) { found[code] = file.lastPathComponent }
                }
            }
        }
        return found
    }

    @Test func everyCodeIsDeclaredByOneModule() {
        var seen: [String: String] = [:]
        for (module, codes) in Self.registries.sorted(by: { $0.key < $1.key }) {
            for code in codes {
                #expect(seen[code] == nil, "'\(code)' is declared by \(seen[code] ?? "") and \(module)")
                seen[code] = module
            }
        }
    }

    @Test func sourcesUseOnlyDeclaredCodes() throws {
        for module in Self.registries.keys.sorted() {
            let allowed = (Self.visible[module] ?? []).reduce(into: Set<String>()) { $0.formUnion(Self.registries[$1] ?? []) }
            let used = try Self.literals(in: module)
            #expect(!used.isEmpty || module == "Inventory" || module == "Channels", "no codes found in \(module): the scan is broken")
            for (code, file) in used.sorted(by: { $0.key < $1.key }) {
                #expect(allowed.contains(code), "\(module)/\(file) uses '\(code)', which neither \(module) nor a module it depends on declares")
            }
        }
    }

    @Test func enumeratedCodesAreDeclared() {
        // Codes that come from enums rather than literals.
        let commerce = Self.registries["Commerce"] ?? []
        for reason in PromotionRejection.Reason.allCases {
            #expect(commerce.contains(reason.rawValue), "promotion rejection '\(reason.rawValue)'")
        }
        for error in [InventoryError.insufficientStock(variantId: nil, requested: 1, available: 0),
                      .invalidQuantity(pointer: "/", quantity: 0)] {
            let declared = (Self.registries["Inventory"] ?? []).union(Self.registries["TorsoKit"] ?? [])
            #expect(declared.contains(error.code), "'\(error.code)'")
        }
    }

    @Test func docsListExactlyTheDeclaredCodes() throws {
        // Given the table of docs/api.md
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/api.md"), encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Error codes by module").dropFirst().first?
            .components(separatedBy: "\n## ").first)
        var documented: [String: Set<String>] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| ") && !line.hasPrefix("| module") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let module = cells.first?.split(separator: " ").first.map(String.init), cells.count >= 2 else { continue }
            let codes = cells[1].split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }
            documented[module] = Set(codes)
        }
        // Then it lists each module's codes, no more and no fewer
        #expect(Set(documented.keys) == Set(Self.registries.keys))
        for (module, codes) in Self.registries {
            let listed = documented[module] ?? []
            #expect(listed == codes, "\(module): undocumented \(codes.subtracting(listed).sorted()), not declared \(listed.subtracting(codes).sorted())")
        }
    }
}
