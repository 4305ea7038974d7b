import Catalog
import Channels
import Foundation
import TorsoKit

/// One channel's published catalog: immutable, held in memory with its indexes (IDs, slugs per
/// locale, full-text per locale, categories), and replaced as a whole when something changes.
/// Readers never wait for writers and never see half an update.
public final class ChannelSnapshot: Sendable {
    /// The channel.
    public let channel: Channel
    /// Increases with every change; part of list ETags.
    public let generation: Int
    let state: State

    /// The categories the snapshot was built with.
    public var categories: [String: Category] { state.categories }

    struct State: Sendable {
        var products: [ProjectedProduct?] = []
        var ordinals: [String: Int32] = [:]
        var slugs: [String: [String: Int32]] = [:]
        var search: [String: SearchIndex] = [:]
        var context: CatalogContext
        var categories: [String: Category] = [:]
    }

    init(channel: Channel, generation: Int, state: State) {
        self.channel = channel
        self.generation = generation
        self.state = state
    }

    /// A snapshot holding `products`.
    public static func build(channel: Channel, context: CatalogContext, categories: [String: Category], products: [ProjectedProduct]) -> ChannelSnapshot {
        let empty = ChannelSnapshot(channel: channel, generation: 0, state: State(context: context, categories: categories))
        return empty.updating(Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { $1 }), removing: [])
    }

    /// A new snapshot with some products replaced or added and some removed; the rest is shared.
    public func updating(_ changed: [String: ProjectedProduct], removing removed: Set<String>) -> ChannelSnapshot {
        var state = self.state
        func drop(_ ordinal: Int32) {
            guard let old = state.products[Int(ordinal)] else { return }
            for (locale, slug) in old.slugs where state.slugs[locale]?[slug] == ordinal { state.slugs[locale]?[slug] = nil }
            for (locale, tokens) in old.tokens { state.search[locale, default: SearchIndex()].remove(ordinal, tokens: tokens) }
            state.products[Int(ordinal)] = nil
        }
        for id in removed {
            if let ordinal = state.ordinals.removeValue(forKey: id) { drop(ordinal) }
        }
        for (id, product) in changed {
            let ordinal: Int32
            if let existing = state.ordinals[id] {
                ordinal = existing
                drop(existing)
            } else {
                ordinal = Int32(state.products.count)
                state.products.append(nil)
                state.ordinals[id] = ordinal
            }
            state.products[Int(ordinal)] = product
            for (locale, slug) in product.slugs { state.slugs[locale, default: [:]][slug] = ordinal }
            for (locale, tokens) in product.tokens { state.search[locale, default: SearchIndex()].insert(ordinal, tokens: tokens) }
        }
        return ChannelSnapshot(channel: channel, generation: generation + 1, state: state)
    }

    /// The type of an attribute (`number`, `select`…), if it exists.
    public func attributeType(_ code: String) -> String? { state.context.attributes[code]?.type.rawValue }

    /// How many products are published.
    public var count: Int { state.ordinals.count }

    /// The locale to answer in: the one asked for if the channel serves it (or its language
    /// does), else the channel's default.
    public func resolveLocale(_ requested: [String]) -> LocaleCode {
        for text in requested {
            if let locale = channel.locales.first(where: { $0.rawValue.lowercased() == text.lowercased() }) { return locale }
            if let code = LocaleCode(text), let locale = channel.locales.first(where: { $0.language == code.language }) { return locale }
            let language = text.split(separator: "-").first.map { $0.lowercased() } ?? ""
            if let locale = channel.locales.first(where: { String($0.language) == language }) { return locale }
        }
        return channel.defaultLocale
    }

    /// A product by ID or by slug in the locale (or any locale of the channel).
    public func product(_ idOrSlug: String, locale: LocaleCode) -> ProjectedProduct? {
        if let ordinal = state.ordinals[idOrSlug] ?? state.slugs[locale.rawValue]?[idOrSlug] {
            return state.products[Int(ordinal)]
        }
        for other in channel.locales {
            if let ordinal = state.slugs[other.rawValue]?[idOrSlug] { return state.products[Int(ordinal)] }
        }
        return nil
    }
}
