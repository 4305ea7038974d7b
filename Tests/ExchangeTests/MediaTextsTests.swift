import Exchange
import Testing

/// The alternative texts of a product's media in one cell: bars between, escaped within.
@Suite struct MediaTextsTests {
    @Test(arguments: [
        ["Front", "Back"], ["a | b", "c\\d", ""], ["", "", "x"], ["ends with \\"], ["|", "\\|"],
    ])
    func textsRoundTrip(_ texts: [String]) {
        #expect(MediaTexts.split(MediaTexts.join(texts)) == texts)
    }

    @Test func cellsAreReadAsWritten() {
        #expect(MediaTexts.split(#"Front| Back \| side |"#) == ["Front", "Back | side", ""])
        #expect(MediaTexts.split(#"a\\|b"#) == [#"a\"#, "b"], "an escaped backslash before a bar")
        #expect(MediaTexts.split(#"trailing\"#) == [#"trailing\"#], "a lone backslash at the end is kept")
        #expect(MediaTexts.split("") == [""])
    }
}
