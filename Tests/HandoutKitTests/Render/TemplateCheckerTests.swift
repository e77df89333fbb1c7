import Foundation
import Testing
@testable import HandoutKit

@Suite struct TemplateCheckerTests {
    /// Replaces one template of a valid site and returns the errors of `check`.
    func errors(in template: String, _ text: String) throws -> [String] {
        let site = try TestSite()
        try site.write("Templates/\(template).mustache", text)
        return site.errors()
    }

    @Test func repositoryTemplatesAreClean() throws {
        #expect(try TestSite().check() == [])
    }

    @Test func unknownVariableNamesFileLineAndColumn() throws {
        #expect(try errors(in: "page", "<h1>{{title}}</h1>\n<p>{{sumary}}</p>\n") == [
            "Templates/page.mustache:2:4: error: unknown value 'sumary'; did you mean 'summary'?",
        ])
    }

    @Test func unknownDottedName() throws {
        #expect(try errors(in: "page", "{{clinic.phon}}{{{html}}}") == [
            "Templates/page.mustache:1:1: error: unknown value 'phon' in 'clinic.phon'; did you mean 'phone'?",
        ])
    }

    @Test func unknownPartial() throws {
        #expect(try errors(in: "page", "{{> exercise-crd}}{{{html}}}") == [
            "Templates/page.mustache:1:1: error: unknown partial 'exercise-crd'; did you mean 'exercise-card'?",
        ])
    }

    @Test func partialsAreCheckedWhereTheyAreUsed() throws {
        let site = try TestSite()
        try site.write("Templates/exercise-card.mustache", "<h3>{{titel}}</h3>")
        #expect(site.errors() == [
            "Templates/exercise-card.mustache:1:5: error: unknown value 'titel'; did you mean 'title'?",
        ])
    }

    @Test func htmlMustBeUnescapedAndTextEscaped() throws {
        #expect(try errors(in: "page", "{{html}} {{{title}}} {{&summary}}") == [
            "Templates/page.mustache:1:1: error: 'html' is HTML; write {{{html}}} to place it",
            "Templates/page.mustache:1:10: error: 'title' is text and must be escaped; write {{title}}",
            "Templates/page.mustache:1:22: error: 'summary' is text and must be escaped; write {{summary}}",
        ])
    }

    @Test func sectionsPushTheirElement() throws {
        #expect(try errors(in: "library", "{{#tags}}{{tag}}{{#exercises}}{{href}}{{dosage_line}}{{/exercises}}{{/tags}}{{href}}") == [
            "Templates/library.mustache:1:77: error: unknown value 'href'; expected one of: clinic, conditions, pages, progressions, protocols, regions, t, tags",
        ])
    }

    @Test func mismatchedAndUnclosedSections() throws {
        #expect(try errors(in: "page", "{{#summary}}{{/title}}{{{html}}}") == [
            "Templates/page.mustache:1:13: error: '{{/title}}' closes '{{#summary}}'; close it with {{/summary}}",
        ])
        #expect(try errors(in: "page", "{{#summary}}x") == [
            "Templates/page.mustache:1:1: error: '{{#summary}}' is never closed; end it with {{/summary}}",
        ])
        #expect(try errors(in: "page", "<p>\n  {{^summary}}none") == [
            "Templates/page.mustache:2:3: error: '{{^summary}}' is never closed; end it with {{/summary}}",
        ])
    }

    /// A tag without its closing braces runs to the end of the file: said at the tag, in
    /// place of the parser's own words.
    @Test func unfinishedTags() throws {
        #expect(try errors(in: "page", "{{title}} {{summary") == [
            "Templates/page.mustache:1:11: error: this '{{' is never closed; end the tag with '}}'",
        ])
        #expect(try errors(in: "page", "{{title}}\n{{! a note") == [
            "Templates/page.mustache:2:1: error: this '{{' is never closed; end the tag with '}}'",
        ])
        #expect(try errors(in: "page", "{{{html}}") == [
            "Templates/page.mustache:1:1: error: this '{{{' is never closed; end the tag with '}}}'",
        ])
    }

    @Test func missingTemplateIsAnError() throws {
        let site = try TestSite()
        try site.remove("Templates/calendar.mustache")
        #expect(site.errors() == ["Templates/calendar.mustache:1:1: error: missing template 'calendar.mustache'; every site needs it"])
    }

    @Test func nulCharacterIsAnError() throws {
        let site = try TestSite()
        try site.write("Templates/calendar-day.mustache", "<td>\n  é\u{0}</td>\n")
        #expect(site.errors() == [
            "Templates/calendar-day.mustache:2:4: error: template contains a NUL character; delete it (templates are plain text)",
        ])
    }

    @Test func syntaxErrorFromTheParser() throws {
        #expect(try errors(in: "page", "{{#title}}\n{{/summary}}").first?.hasPrefix("Templates/page.mustache:2:") == true)
    }

    @Test func scansTagsWithPositions() {
        let tags = TemplateChecker.tags(in: "a {{x}}\n  {{{y}}} {{# z }}{{/z}}{{! note }}{{>p}}")
        #expect(tags.map(\.name) == ["x", "y", "z", "z", "note", "p"])
        #expect(tags.map(\.line) == [1, 2, 2, 2, 2, 2])
        #expect(tags.map(\.column) == [3, 3, 11, 19, 25, 36])
    }

    /// Columns count characters as Unicode scalars, not bytes; a tag left open runs to the end.
    @Test func columnsCountCharactersNotBytes() {
        let tags = TemplateChecker.tags(in: "é {{x}} 日本 {{{y}}}\n👍🏽{{z}} ñ {{w")
        #expect(tags.map(\.name) == ["x", "y", "z", "{{"])
        #expect(tags.map(\.line) == [1, 1, 2, 2])
        #expect(tags.map(\.column) == [3, 12, 3, 11])
    }
}
