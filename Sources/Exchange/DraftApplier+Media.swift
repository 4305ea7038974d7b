import TorsoKit

extension DraftApplier {
    /// The product's media from the `media_url` and `media_alt-LOCALE` cells: the URLs in the
    /// file's order (or the stored ones, when the file gives only texts), each keeping the
    /// alternative texts it had, with the file's texts set by position over them (an empty
    /// text keeps what the image had).
    static func media(_ draft: ProductDraft, stored: [JSONValue]) -> (media: JSONValue, errors: [ExchangeError]) {
        let urls = draft.media ?? stored.compactMap { $0["url"]?.stringValue }
        if let given = draft.media, given.contains(where: \.isEmpty) {
            return (.array(stored), [ExchangeError(code: "invalid_value", line: draft.line, column: "media_url",
                                                   detail: "An empty URL between two bars; give each image's URL once.")])
        }
        var entries: [[String: JSONValue]] = urls.map { url in
            var entry: [String: JSONValue] = ["url": .string(url)]
            if let kept = stored.first(where: { $0["url"]?.stringValue == url })?["alt"] { entry["alt"] = kept }
            return entry
        }
        var errors: [ExchangeError] = []
        for (locale, texts) in draft.mediaAlt.sorted(by: { $0.key < $1.key }) {
            guard texts.count <= urls.count else {
                errors.append(ExchangeError(code: "invalid_value", line: draft.line, column: "media_alt-" + locale,
                                            detail: "\(texts.count) alternative texts for the product's \(urls.count) media; give one per image, in their order."))
                continue
            }
            // An empty text, like an empty cell, changes nothing.
            for (index, text) in texts.enumerated() where !text.isEmpty {
                var alt = entries[index]["alt"]?.objectValue ?? [:]
                if alt[locale]?.stringValue?.trimmingWhitespace() == text { continue }  // texts are trimmed; the stored one is the same
                alt[locale] = .string(text)
                entries[index]["alt"] = .object(alt)
            }
        }
        return (.array(entries.map(JSONValue.object)), errors)
    }
}
