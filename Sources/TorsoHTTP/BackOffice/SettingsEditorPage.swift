import Access
import Foundation
import TorsoKit

/// One setting as JSON in a text area, with its version in the form.
struct SettingsEditorPage {
    let kind: SettingsKind
    let key: String
    let version: Int
    let json: JSONValue
    let person: BackOfficePerson

    func render(notice: String?, problem: String?, typed: String?) -> Markup {
        let text = BackOfficeText(person.language)
        let writes = person.user.role.scopes.contains(.settingsWrite)
        let save: Markup = writes ? "<p><button type=\"submit\" id=\"setting-save\">\(text["save"])</button></p>" : ""
        return BackOfficeLayout.page(title: "\(text[kind.word]) · \(key)", person: person, current: "/admin/settings", body: """
            <p><a href="/admin/settings#settings-\(kind.path)">← \(text[kind.word])</a></p>
            <h1>\(key) <span class="scope">v\(version)</span></h1>\(BackOfficeLayout.messages(notice: notice.map { "\($0)" }, problem: problem.map { "\($0)" }))
            <form method="post" action="/admin/settings/\(kind.path)/\(key)"><input type="hidden" name="csrf" value="\(person.session.csrf)">
            <input type="hidden" name="version" value="\(version)"><label for="setting-json">JSON</label>
            <textarea id="setting-json" name="json" class="code" rows="24"\(writes ? "" : Markup(raw: " readonly"))>\(typed ?? Self.pretty(json))</textarea>\(save)</form>
            """)
    }

    /// JSON with sorted keys and indentation, for people.
    static func pretty(_ value: JSONValue) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(value.jsonBytes()), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return String(decoding: value.jsonBytes(), as: UTF8.self)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A setting in a line: its type or kind, its name or label in the person's language.
    static func summary(_ json: JSONValue, _ language: BackOfficeLanguage) -> String {
        let object = json.objectValue ?? [:]
        let locale = language == .de ? "de-DE" : "en-US"
        let label = [object["labels"], object["name"], object["names"]].compactMap { $0 }.first.flatMap { value in
            value.stringValue ?? value.objectValue?[locale]?.stringValue ?? value.objectValue?.values.first?.stringValue
        }
        let type = object["type"]?.stringValue ?? object["kind"]?.objectValue?["type"]?.stringValue ?? object["currency"]?.stringValue
        return [label, type].compactMap { $0 }.joined(separator: " · ")
    }

    /// A refusal as a sentence: the detail and each field's.
    static func describe(_ error: DomainError) -> String {
        ([error.detail] + error.errors.map { "\($0.pointer): \($0.detail)" }).joined(separator: " ")
    }
}
