extension DemoCatalog {
    /// Three shops with addresses, coordinates and opening hours, shown on every channel and
    /// offering click and collect.
    static let stores: [String] = [
        store("berlin-mitte", "Berlin Mitte", line1: "Rosenthaler Straße 40", city: "Berlin", postalCode: "10178", country: "DE",
              latitude: 52.5262, longitude: 13.4020, weekdays: ("10:00", "20:00"), saturday: ("10:00", "18:00")),
        store("munich", "Munich", line1: "Sendlinger Straße 12", city: "München", postalCode: "80331", country: "DE",
              latitude: 48.1351, longitude: 11.5700, weekdays: ("09:30", "20:00"), saturday: ("09:30", "18:00")),
        store("vienna", "Vienna", line1: "Mariahilfer Straße 88", city: "Wien", postalCode: "1070", country: "AT",
              latitude: 48.1986, longitude: 16.3475, weekdays: ("10:00", "19:00"), saturday: ("10:00", "17:00")),
    ]

    static func store(_ code: String, _ name: String, line1: String, city: String, postalCode: String, country: String,
                      latitude: Double, longitude: Double, weekdays: (String, String), saturday: (String, String)) -> String {
        let hours = (["mon", "tue", "wed", "thu", "fri"].map { (day: $0, hours: weekdays) } + [(day: "sat", hours: saturday)])
            .map { #"{"day":"\#($0.day)","opens":"\#($0.hours.0)","closes":"\#($0.hours.1)"}"# }.joined(separator: ",")
        return """
            {"code":"\(code)","name":"\(name)","kind":"store","pickup":true,"channels":["web","app","voice","billboard"],
             "address":{"line1":"\(line1)","city":"\(city)","postal_code":"\(postalCode)","country":"\(country)"},
             "coordinates":{"latitude":\(latitude),"longitude":\(longitude)},"opening_hours":[\(hours)]}
            """
    }
}
