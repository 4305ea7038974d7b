import HTTPTypes
import Hummingbird

/// The languages of the back office.
public enum BackOfficeLanguage: String, Sendable {
    case en, de

    /// The language a request asks for: the `torso_lang` cookie, else `Accept-Language`.
    init(_ request: Request) {
        if let chosen = request.cookies[BackOfficeCookies.language]?.value.prefix(2).lowercased(), let language = BackOfficeLanguage(rawValue: chosen) {
            self = language
        } else if let accepted = request.headers[.acceptLanguage], accepted.lowercased().hasPrefix("de") {
            self = .de
        } else {
            self = .en
        }
    }
}

/// The back office's words in English and German.
struct BackOfficeText {
    let language: BackOfficeLanguage

    init(_ language: BackOfficeLanguage) { self.language = language }

    subscript(_ key: String) -> String {
        guard let pair = Self.words[key] else { return key }
        return language == .de ? pair.1 : pair.0
    }

    static let words: [String: (String, String)] = common.merging(orderWords, uniquingKeysWith: { first, _ in first })
        .merging(importWords, uniquingKeysWith: { first, _ in first }).merging(accessWords, uniquingKeysWith: { first, _ in first })
        .merging(webhookWords, uniquingKeysWith: { first, _ in first })

    static let common: [String: (String, String)] = [
        "dashboard": ("Dashboard", "Übersicht"),
        "products": ("Products", "Produkte"),
        "audit": ("Audit log", "Protokoll"),
        "sign_in": ("Sign in", "Anmelden"),
        "sign_out": ("Sign out", "Abmelden"),
        "sign_out_everywhere": ("Sign out everywhere", "Überall abmelden"),
        "email": ("E-mail", "E-Mail"),
        "password": ("Password", "Passwort"),
        "wrong_password": ("That e-mail and password do not match.", "E-Mail und Passwort passen nicht zusammen."),
        "too_many_attempts": ("Too many attempts; wait a minute.", "Zu viele Versuche; bitte eine Minute warten."),
        "csrf_refused": ("This form is out of date or was not sent by Torso; reload the page and try again.",
                         "Dieses Formular ist veraltet oder kam nicht von Torso; Seite neu laden und erneut versuchen."),
        "completeness": ("Completeness", "Vollständigkeit"),
        "completeness_per_channel": ("Completeness per channel and locale", "Vollständigkeit je Kanal und Sprache"),
        "staged_changes": ("Products with staged changes", "Produkte mit unveröffentlichten Änderungen"),
        "orders_today": ("Orders today", "Bestellungen heute"),
        "revenue_today": ("Revenue today", "Umsatz heute"),
        "low_stock": ("Low stock", "Geringer Bestand"),
        "search": ("Search", "Suchen"),
        "save": ("Save", "Speichern"),
        "saved": ("Saved.", "Gespeichert."),
        "unchanged": ("Nothing to save: the values are as they were.", "Nichts zu speichern: die Werte sind unverändert."),
        "publish": ("Publish", "Veröffentlichen"),
        "published": ("Published.", "Veröffentlicht."),
        "channels": ("Channels", "Kanäle"),
        "values": ("Values", "Werte"),
        "variants": ("Variants", "Varianten"),
        "history": ("History", "Verlauf"),
        "conflict": ("Someone else changed this product while you edited it. Their change:",
                     "Jemand anderes hat dieses Produkt geändert, während Sie es bearbeitet haben. Die Änderung:"),
        "not_yours": ("Your role may not change values in", "Ihre Rolle darf keine Werte ändern in"),
        "staged": ("staged changes", "unveröffentlichte Änderungen"),
        "live": ("live", "live"),
        "when": ("When", "Wann"),
        "who": ("Who", "Wer"),
        "what": ("What", "Was"),
        "none": ("None.", "Keine."),
        "name": ("Name", "Name"),
        "type": ("Type", "Typ"),
        "location": ("Location", "Lager"),
        "available": ("Available", "Verfügbar"),
        "category": ("Category", "Kategorie"),
        "incomplete_on": ("Incomplete on", "Unvollständig auf"),
        "staged_vs_published": ("Changed since published", "Geändert seit der Veröffentlichung"),
        "scheduled_publications": ("Scheduled publications", "Geplante Veröffentlichungen"),
        "preview": ("What the heads show", "Was die Köpfe zeigen"),
        "preview_note": ("Per channel in its default locale, from the staged product: the values its product type requires there.",
                         "Je Kanal in seiner Standardsprache, aus dem bearbeiteten Produkt: die Werte, die sein Produkttyp dort verlangt."),
        "missing": ("missing", "fehlt"),
        "scheduled_done": ("Scheduled.", "Geplant."),
        "figures_pending": ("The figures are being worked out over every product; they appear in a few seconds.",
                            "Die Zahlen werden über alle Produkte ermittelt; sie erscheinen in einigen Sekunden."),
        "search_further": ("Search further", "Weiter suchen"),
        "publication": ("Publication", "Veröffentlichung"),
        "live_on": ("Live on", "Live auf"),
        "not_live_on": ("Not live on", "Nicht live auf"),
        "scheduled": ("Scheduled", "Geplant"),
        "stock_filter": ("Stock", "Bestand"),
        "in_stock": ("In stock", "Auf Lager"),
        "out_of_stock": ("Out of stock", "Nicht auf Lager"),
        "select_all": ("Select all on this page", "Alle auf dieser Seite auswählen"),
        "selected_products": ("Selected products", "Ausgewählte Produkte"),
        "at_time": ("At (UTC, empty: now)", "Um (UTC, leer: jetzt)"),
        "unpublish": ("Unpublish", "Zurückziehen"),
        "tick_products": ("Tick the products first.", "Zuerst Produkte auswählen."),
        "tick_channels": ("Tick the channels first.", "Zuerst Kanäle auswählen."),
        "not_yours_channels": ("Your role may not publish to", "Ihre Rolle darf nicht veröffentlichen in"),
        "bulk_published": ("products published to", "Produkte veröffentlicht in"),
        "bulk_scheduled": ("products scheduled on", "Produkte geplant in"),
        "bulk_unpublished": ("products withdrawn from", "Produkte zurückgezogen aus"),
        "bulk_refused": ("refused:", "abgelehnt:"),
        "not_allowed": ("Your role may not see or do this.", "Ihre Rolle darf dies nicht sehen oder tun."),
        "not_found": ("There is nothing here: it may have been deleted, or the link is wrong.",
                      "Hier ist nichts: es wurde vielleicht gelöscht, oder der Link ist falsch."),
    ]
}
