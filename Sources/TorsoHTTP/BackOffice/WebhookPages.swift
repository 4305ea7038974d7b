import Access
import Events
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// The back office's webhooks: every subscription with its state, a form that adds one (its
/// signing secret shown once), and a subscription's page with its delivery log, a button to
/// send a failed delivery again, and switching it on or off.
struct WebhookPages: Sendable {
    let webhooks: WebhookService

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("webhooks", use: list)
        router.post("webhooks", use: create)
        router.get("webhooks/:id", use: detail)
        router.post("webhooks/:id/switch", use: toggle)
        router.post("webhooks/:id/deliveries/:delivery/redeliver", use: redeliver)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        BackOfficeResponse.page(try await page(person: try context.signedIn(.webhooksRead)))
    }

    func page(person: BackOfficePerson, notice: Markup? = nil, problem: Markup? = nil) async throws -> Markup {
        let text = BackOfficeText(person.language)
        let all = try await webhooks.list(PageRequest(limit: 200)).data
        let rows = Markup.join(all.map { hook in
            let state = hook.enabled ? text["on"] : "\(text["off"])\(hook.disabledReason.map { ": \($0)" } ?? "")"
            return """
                <tr><td><a href="/admin/webhooks/\(hook.id.rawValue)">\(hook.url)</a></td><td>\(hook.events.joined(separator: ", "))</td>
                <td>\((hook.channels ?? []).joined(separator: ", "))</td><td>\(state)</td><td class="amount">\(hook.consecutiveFailures)</td></tr>
                """
        })
        var form: Markup = ""
        if person.user.role.scopes.contains(.webhooksWrite) {
            let boxes = Markup.join(EventType.all.sorted().map { type in
                "<label class=\"check\"><input type=\"checkbox\" name=\"events\" value=\"\(type)\"> \(type)</label>"
            })
            form = """
                <h2>\(text["add_webhook"])</h2>
                <form method="post" action="/admin/webhooks" class="panel"><input type="hidden" name="csrf" value="\(person.session.csrf)">
                <div class="row"><div><label for="hook-url">URL (https)</label><input type="text" inputmode="url" id="hook-url" name="url" required></div>
                <div><label for="hook-description">\(text["description"])</label><input type="text" id="hook-description" name="description" maxlength="200"></div></div>
                <fieldset><legend>\(text["events"])</legend>\(boxes)</fieldset>
                <p><button type="submit" id="hook-create">\(text["add_webhook"])</button></p></form>
                """
        }
        return BackOfficeLayout.page(title: text["webhooks"], person: person, current: "/admin/webhooks", body: """
            <h1>\(text["webhooks"])</h1>\(BackOfficeLayout.messages(notice: notice, problem: problem))
            <table><thead><tr><th>URL</th><th>\(text["events"])</th><th>\(text["channels"])</th><th>\(text["status"])</th>
            <th class="amount">\(text["failures"])</th></tr></thead><tbody>\(rows)</tbody></table>\(all.isEmpty ? Markup("<p>\(text["none"])</p>") : "")
            \(form)
            """)
    }

    /// Adds a subscription through the same rules as the admin API; the page shows its secret once.
    @Sendable func create(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.webhooksWrite)
        let text = BackOfficeText(person.language)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 64 * 1_024))
        var body: [String: JSONValue] = ["url": .string(form["url"] ?? ""), "events": .array(form.all("events").map(JSONValue.string))]
        if let description = form["description"], !description.isEmpty { body["description"] = .string(description) }
        do {
            let answer = try await webhooks.create(.object(body), context: WriteContext(principal: person.user.principal))
            let secret = (try? JSONValue.parse(bytes: Array(answer.body)))?.objectValue?["secret"]?.stringValue ?? ""
            let notice: Markup = """
                \(text["webhook_secret"]) <input type="text" readonly id="hook-secret" value="\(secret)" aria-label="\(text["webhook_secret"])">
                """
            return BackOfficeResponse.page(try await page(person: person, notice: notice), status: .created)
        } catch let error as DomainError {
            let details = error.errors.map { "\($0.pointer): \($0.detail)" }.joined(separator: " ")
            var response = BackOfficeResponse.page(try await page(person: person, problem: "\(details.isEmpty ? error.detail : details)"),
                                                   status: HTTPResponse.Status(code: Problem(error).status))
            response.headers[AuditMiddleware.noChange] = "1"
            return response
        }
    }

    @Sendable func detail(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.webhooksRead)
        let text = BackOfficeText(person.language)
        let hook = try await webhooks.get(try context.parameters.require("id"))
        let deliveries = try await webhooks.deliveries(of: hook.id.rawValue, status: nil, page: PageRequest(limit: 50)).data
        let writes = person.user.role.scopes.contains(.webhooksWrite)
        let rows = Markup.join(deliveries.map { delivery in
            let again: Markup = writes && delivery.status == .failed ? """
                <form method="post" action="/admin/webhooks/\(hook.id.rawValue)/deliveries/\(delivery.id.rawValue)/redeliver">
                <input type="hidden" name="csrf" value="\(person.session.csrf)"><button type="submit" class="quiet">\(text["redeliver"])</button></form>
                """ : ""
            return """
                <tr><td>\(delivery.createdAt.prefix(19).replacingOccurrences(of: "T", with: " "))</td><td>\(delivery.eventType)</td><td>\(delivery.status.rawValue)</td>
                <td class="amount">\(delivery.attempts)</td><td>\(delivery.lastStatusCode.map(String.init))</td><td>\(delivery.nextAttemptAt)</td><td>\(again)</td></tr>
                """
        })
        let toggle: Markup = writes ? """
            <form method="post" action="/admin/webhooks/\(hook.id.rawValue)/switch"><input type="hidden" name="csrf" value="\(person.session.csrf)">
            <input type="hidden" name="version" value="\(hook.version)"><input type="hidden" name="enabled" value="\(hook.enabled ? "false" : "true")">
            <button type="submit" id="hook-switch"\(hook.enabled ? Markup(raw: " class=\"danger\"") : "")>\(hook.enabled ? text["switch_off"] : text["switch_on"])</button></form>
            """ : ""
        let done = request.uri.queryParameters["done"].map { text["done_" + String($0)] }
        return BackOfficeResponse.page(BackOfficeLayout.page(title: hook.url, person: person, current: "/admin/webhooks", body: """
            <p><a href="/admin/webhooks">← \(text["webhooks"])</a></p>
            <h1>\(hook.url) <span class="badge" id="hook-state">\(hook.enabled ? text["on"] : text["off"])</span></h1>
            \(BackOfficeLayout.messages(notice: done.map { "\($0)" }, problem: hook.disabledReason.map { "\($0)" }))
            <p>\(hook.events.joined(separator: ", ")) · <code>\(hook.id.rawValue)</code> · v\(hook.version)</p>\(toggle)
            <h2>\(text["deliveries"])</h2>
            <table id="deliveries"><thead><tr><th>\(text["when"])</th><th>\(text["events"])</th><th>\(text["status"])</th><th class="amount">\(text["attempts"])</th>
            <th>HTTP</th><th>\(text["next_attempt"])</th><th></th></tr></thead><tbody>\(rows)</tbody></table>\(deliveries.isEmpty ? Markup("<p>\(text["none"])</p>") : "")
            """))
    }

    /// Switches a subscription on or off, at the version the page showed.
    @Sendable func toggle(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.webhooksWrite)
        let id = try context.parameters.require("id")
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 16 * 1_024))
        guard let version = form["version"].flatMap({ Int($0) }), let enabled = form["enabled"].flatMap({ Bool($0) }) else {
            return BackOfficeResponse.problem(.unprocessableContent, BackOfficeText(person.language)["reload"], language: person.language)
        }
        _ = try await webhooks.update(id, patch: .object(["enabled": .bool(enabled)]), expectedVersion: version,
                                      context: WriteContext(principal: person.user.principal))
        return BackOfficeResponse.redirect("/admin/webhooks/\(id)?done=\(enabled ? "on" : "off")")
    }

    @Sendable func redeliver(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.webhooksWrite)
        let id = try context.parameters.require("id")
        _ = try await webhooks.redeliver(try context.parameters.require("delivery"), of: id, body: nil,
                                         context: WriteContext(principal: person.user.principal))
        return BackOfficeResponse.redirect("/admin/webhooks/\(id)?done=redelivered")
    }
}
