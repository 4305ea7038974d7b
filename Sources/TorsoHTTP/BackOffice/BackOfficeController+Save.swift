import Access
import Catalog
import Exchange
import Foundation
import Hummingbird
import TorsoKit
import Workflows

extension BackOfficeController {
    /// Saves the editor's values: only slots whose text changed are written, each checked
    /// against the person's locales and channels; the form's version goes as `If-Match`, so a
    /// change made meanwhile by someone else is shown, not overwritten.
    @Sendable func save(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogWrite)
        let id = try context.parameters.require("id")
        let text = BackOfficeText(person.language)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: context.maxUploadSize))
        var page = try await editorPage(id, person: person)
        let product = page.product
        let slots = ProductEditorPage.slots(product, page.context)
        // What the person typed stays on the page when the save is refused.
        page.submitted = Dictionary(form.pairs.filter { $0.name.hasPrefix("v|") }.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let known = Set(slots.map(\.field))
        let unknown = page.submitted.keys.filter { !known.contains($0) }.sorted()
        guard let version = form["version"].flatMap({ Int($0) }), version > 0, unknown.isEmpty else {
            let detail = unknown.isEmpty ? "The form lacks the product's version; reload the page." : "No such field: \(unknown.joined(separator: ", "))."
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(detail)"), status: .unprocessableContent)
        }
        var changed: [String: [AttributeValue]] = [:]
        var refused: [String] = [], invalid: [String] = []
        for slot in slots {
            guard let sent = form[slot.field]?.trimmingCharacters(in: .whitespacesAndNewlines),
                  sent != ProductEditorPage.text(product, slot).trimmingCharacters(in: .whitespacesAndNewlines) else { continue }
            if !person.user.mayEdit(locale: slot.locale, channel: slot.channel) {
                refused.append([slot.attribute, slot.locale, slot.channel].compactMap { $0 }.joined(separator: " · "))
                continue
            }
            var entries = changed[slot.attribute] ?? product.values[slot.attribute] ?? []
            entries.removeAll { $0.locale == slot.locale && $0.channel == slot.channel }
            if !sent.isEmpty {
                guard let type = page.context.attributes[slot.attribute]?.type, let data = CellValue.parse(sent, as: type) else {
                    invalid.append("\(slot.attribute): '\(sent.prefix(40))' is not a \(page.context.attributes[slot.attribute]?.type.rawValue ?? "valid") value")
                    continue
                }
                entries.append(AttributeValue(locale: slot.locale, channel: slot.channel, data: data))
            }
            changed[slot.attribute] = entries
        }
        if !refused.isEmpty {
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(text["not_yours"]) \(refused.joined(separator: ", ")).\(Markup(raw: ""))"),
                                           status: .forbidden)
        }
        if !invalid.isEmpty {
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(invalid.joined(separator: "; "))."), status: .unprocessableContent)
        }
        guard !changed.isEmpty else {
            // Nothing changed: nothing for the audit log either.
            var unchanged = BackOfficeResponse.redirect("/admin/products/\(id)?done=unchanged")
            unchanged.headers[AuditMiddleware.noChange] = "1"
            return unchanged
        }
        let values = JSONValue.object(try changed.mapValues { entries in .array(try entries.map { try JSONCoding.tree($0) }) })
        do {
            _ = try await products.update(id, patch: .object(["values": values]), expectedVersion: version,
                                          context: WriteContext(principal: person.user.principal))
        } catch let error as DomainError where error.code == "version_mismatch" {
            let theirs = page.history.filter { $0.version > version }
            let changes = theirs.flatMap { entry in entry.changes.map { "\(entry.actor.name): \($0.path) → \($0.to.map { String(decoding: $0.jsonBytes(), as: UTF8.self) } ?? "–")" } }
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(text["conflict"])<pre>\(changes.joined(separator: "\n"))</pre>"),
                                           status: .conflict)
        } catch let error as DomainError {
            let details = error.errors.map { "\($0.pointer): \($0.detail)" }.joined(separator: "; ")
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(error.detail) \(details)"), status: .unprocessableContent)
        }
        return BackOfficeResponse.redirect("/admin/products/\(id)?done=saved")
    }

    /// Publishes the product to the channels ticked (those the person may publish to).
    @Sendable func publish(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogWrite)
        let id = try context.parameters.require("id")
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 64 * 1_024))
        let channels = form.all("channels")
        let at = form["at"].flatMap { $0.isEmpty ? nil : $0 }
        if let at, FormFields.utcMinute(at) == nil {
            let page = try await editorPage(id, person: person)
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(BackOfficeText(person.language)["at_time"]): '\(at)'?"),
                                           status: .unprocessableContent)
        }
        guard !channels.isEmpty, channels.allSatisfy(person.user.mayPublish(to:)) else {
            let page = try await editorPage(id, person: person)
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(BackOfficeText(person.language)["channels"]): \(channels.joined(separator: ", "))"),
                                           status: channels.isEmpty ? .unprocessableContent : .forbidden)
        }
        do {
            var body: [String: JSONValue] = ["channels": .array(channels.map(JSONValue.string))]
            if let at = at.flatMap({ FormFields.futureMinute($0) }) { body["at"] = .string(at) }
            _ = try await publishing.publish(id, body: .object(body), context: WriteContext(principal: person.user.principal))
        } catch let error as DomainError {
            let page = try await editorPage(id, person: person)
            let details = error.errors.map { "\($0.pointer): \($0.detail)" }.joined(separator: "; ")
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(error.detail) \(details)"), status: .unprocessableContent)
        }
        // A minute already past publishes now, and says so (found from outside: it said "Scheduled").
        return BackOfficeResponse.redirect("/admin/products/\(id)?done=\(at.flatMap({ FormFields.futureMinute($0) }) == nil ? "published" : "scheduled")")
    }
}

/// The dashboard's completeness figures, read again at most every two minutes: with 100,000
/// products reading them all takes seconds of a core, and the page must answer at once — so
/// until the first reading is done the dashboard says they are being worked out.
actor DashboardFigures {
    let queries: CatalogQueries
    private var cached: (at: ContinuousClock.Instant, cells: [CompletenessCell])?
    private var refreshing: Task<Void, Never>?

    init(queries: CatalogQueries) { self.queries = queries }

    /// The last figures read (a new reading starts in the background when they are older than
    /// two minutes); the request that starts the first reading waits for it 40 ms
    /// (a small catalog's is done by then); `nil` while it is not done.
    func completeness() async -> [CompletenessCell]? {
        let starting = (cached.map { $0.at.duration(to: .now) > .seconds(120) } ?? true) && refreshing == nil
        if starting {
            let queries = queries
            refreshing = Task {
                let cells = try? await queries.completenessSummary()
                self.store(cells)
            }
        }
        // Polled by the request that started it: the reading's end is stored on this actor
        // while the caller sleeps. Requests meanwhile answer at once.
        for _ in 0..<4 where starting && cached == nil && refreshing != nil {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return cached?.cells
    }

    private func store(_ cells: [CompletenessCell]?) {
        if let cells { cached = (.now, cells) }
        refreshing = nil
    }
}
