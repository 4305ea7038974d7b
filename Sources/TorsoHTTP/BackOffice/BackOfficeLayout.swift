import Access

/// The frame of every back-office page: the document, the navigation and the sign-out form.
enum BackOfficeLayout {
    /// A page with the navigation of a signed-in person.
    static func page(title: String, person: BackOfficePerson, current: String, body: Markup) -> Markup {
        let text = BackOfficeText(person.language)
        var links: [(String, String)] = [("/admin", "dashboard"), ("/admin/products", "products"), ("/admin/categories", "categories")]
        if person.user.role.scopes.contains(.ordersRead) { links.append(("/admin/orders", "orders")) }
        if person.user.role.scopes.contains(.catalogRead) { links.append(("/admin/imports", "imports")) }
        if person.user.role.scopes.contains(.inventoryRead) { links.append(("/admin/stock", "stock_page")) }
        links.append(("/admin/settings", "settings"))
        if person.user.role.scopes.contains(.webhooksRead) { links.append(("/admin/webhooks", "webhooks")) }
        if person.user.role.scopes.contains(.keysWrite), person.user.locales == nil, person.user.channels == nil { links += [("/admin/users", "users"), ("/admin/keys", "keys")] }
        if person.user.role.scopes.contains(.auditRead) { links.append(("/admin/audit", "audit")) }
        let nav = Markup.join(links.map { path, key in
            "<a href=\"\(path)\"\(path == current ? Markup(raw: " aria-current=\"page\"") : "")>\(text[key])</a>"
        })
        return bare(title: title, language: person.language, body: """
            <header class="bar"><a class="brand" href="/admin">Torso</a><nav aria-label="Main">\(nav)</nav>
            <form method="post" action="/admin/sign-out" class="signout"><input type="hidden" name="csrf" value="\(person.session.csrf)">
            <span class="who">\(person.user.name) · \(person.user.role.rawValue)</span>
            <button type="submit">\(text["sign_out"])</button>
            <button type="submit" name="everywhere" value="1" class="quiet">\(text["sign_out_everywhere"])</button></form></header>
            <main>\(body)</main>
            """)
    }

    /// A document with the stylesheet and script, and nothing around `body`.
    static func bare(title: String, language: BackOfficeLanguage, body: Markup) -> Markup {
        """
        <!doctype html><html lang="\(language.rawValue)"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(title) · Torso</title>
        <link rel="stylesheet" href="/admin/assets/admin.css"><script src="/admin/assets/admin.js" defer></script></head>
        <body>\(body)</body></html>
        """
    }

    /// What a page says about the last action: a notice (`role=status`) and a problem (`role=alert`).
    static func messages(notice: Markup?, problem: Markup?) -> Markup {
        let noticeBox: Markup = notice.map { "<div class=\"notice\" role=\"status\">\($0)</div>" } ?? ""
        let problemBox: Markup = problem.map { "<div class=\"error\" role=\"alert\">\($0)</div>" } ?? ""
        return "\(noticeBox)\(problemBox)"
    }

    /// A ratio as a percentage and the class of its colour.
    static func percent(_ ratio: Double) -> (text: String, tone: String) {
        let value = Int((ratio * 100).rounded())
        return ("\(value)%", value >= 100 ? "full" : value >= 90 ? "high" : value >= 50 ? "half" : "low")
    }
}
