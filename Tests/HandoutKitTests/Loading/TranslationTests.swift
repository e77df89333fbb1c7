import Foundation
import Testing
@testable import HandoutKit

extension TestSite {
    /// Spanish translations of the minimal fixture's bridge, walk-run and pacing.
    func writeSpanishContent() throws {
        try write("Content/exercises/bridge.es.md", """
        ---
        title: Puente
        image_alt: Persona acostada boca arriba con la cadera levantada
        ---
        ## Posición inicial
        Acuéstese boca arriba con las rodillas dobladas.
        ## Movimiento
        Levante la cadera del piso y bájela despacio.

        """)
        try write("Content/progressions/walk-run.es.md", """
        ---
        title: Intervalos de caminar y correr
        advance:
          if: Su dolor no empeora a la mañana siguiente.
          otherwise: Repita la etapa.
        then: Siga con calma.
        ---
        Camine y corra por turnos.

        """)
        try write("Content/pages/pacing.es.md", "---\ntitle: Ritmo\n---\nHaga un poco más cada semana.\n")
        try write("Content/pages/safety.es.md", "---\ntitle: Primero, la seguridad\nsummary: Pare si le duele.\n---\nNo debe sentir dolor.\n")
    }
}

/// `<slug>.<language>.md` beside the original: text only, checked against the original, and
/// every file a plan prints must have one in the plan's language.
@Suite struct TranslationTests {
    let spanishPlan = "patient: Ana\nstart: 2026-12-07\nweeks: 2\nlanguage: es\nexercises:\n  - exercise: bridge\n"
        + "progressions:\n  - progression: walk-run\neducation: [pacing]\n"

    /// `language: es` in site.yaml makes Spanish every plan's default: content translated into
    /// Spanish prints the translations, on the patients' pages and in the library.
    @Test func aSiteWhoseLanguageItsContentIsTranslatedInto() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        try site.write("Content/site.yaml", "clinic: Clínica\nlanguage: es\n")
        try site.write("Content/plans/p-0002.yaml", spanishPlan.replacingOccurrences(of: "language: es\n", with: ""))
        #expect(site.build().diagnostics == [])
        let handout = try site.read("Output/patients/p-0002/index.html")
        #expect(handout.hasPrefix("<!DOCTYPE html>\n<html lang=\"es\""))
        #expect(handout.contains("<h3>Puente</h3>") && handout.contains("<h2>Intervalos de caminar y correr</h2>") && handout.contains("<h3>Ritmo</h3>"))
        #expect(try site.read("Output/exercises/bridge.html").contains("<h1>Puente</h1>"))
        // An item without a Spanish translation on that site prints its original, which is
        // likely not Spanish: the therapist is told.
        try site.remove("Content/pages/pacing.es.md")
        #expect(site.build().diagnostics == ["p-0001", "p-0002"].map { id in
            "Content/plans/\(id).yaml:1:1: warning: no 'es' translation of Content/pages/pacing.md, "
                + "though other content has 'es' translations: it prints as written, taken to be 'es'; write Content/pages/pacing.es.md, "
                + "or, if the originals are written in 'es', say so with 'content_language: es' in site.yaml"
        })
        try site.writeSpanishContent()
        // Without `content_language`, the originals are taken to be in the site's language:
        // an English plan asks for English translations, and the message says how to say otherwise.
        try site.write("Content/plans/p-0003.yaml", spanishPlan.replacingOccurrences(of: "language: es", with: "language: en"))
        #expect(site.errors() == ["exercises/bridge", "pages/pacing", "progressions/walk-run"].map { path in
            "Content/plans/p-0003.yaml:4:11: error: no 'en' translation of Content/\(path).md; write Content/\(path).en.md, "
                + "or set 'translation_fallback: es' in site.yaml to print the original; "
                + "if the originals are written in 'en', say so with 'content_language: en' in site.yaml"
        })
        // Said: the English plan prints the originals, the others the translations.
        try site.write("Content/site.yaml", "clinic: Clínica\nlanguage: es\ncontent_language: en\n")
        #expect(site.build().diagnostics == [])
        #expect(try site.read("Output/patients/p-0003/index.html").contains("<h3>Bridge</h3>"))
        #expect(try site.read("Output/patients/p-0002/index.html").contains("<h3>Puente</h3>"))
    }

    @Test func aSpanishPlanPrintsTheTranslations() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        try site.write("Content/plans/p-0002.yaml", spanishPlan)
        #expect(site.build().diagnostics == [])
        let handout = try site.read("Output/patients/p-0002/index.html")
        #expect(handout.contains("<h3>Puente</h3>"))
        #expect(handout.contains("alt=\"Persona acostada boca arriba con la cadera levantada\""))
        #expect(handout.contains("<h4>Posición inicial</h4>"))
        #expect(handout.contains("<h2>Intervalos de caminar y correr</h2>"))
        #expect(handout.contains("<strong>Pase solo si:</strong> Su dolor no empeora a la mañana siguiente."))
        #expect(handout.contains("<h3>Ritmo</h3>"))
        #expect(!handout.contains("lang=\"en\""))
        #expect(try site.read("Output/patients/p-0002/calendar.ics").contains("SUMMARY:Intervalos de caminar y correr: etapa 1 de"))
        // The dosage and picture come from the original.
        #expect(handout.contains("REPETICIONES: 10 | SERIES: 3") && handout.contains("assets/images/bridge.svg"))
        // The English patient and the library keep the originals.
        #expect(try site.read("Output/patients/p-0001/index.html").contains("<h3>Bridge</h3>"))
        #expect(try site.read("Output/exercises/bridge.html").contains("<h1>Bridge</h1>"))
    }

    @Test func everyMissingTranslationIsAnErrorAtTheLanguageLine() throws {
        let site = try TestSite()
        try site.write("Content/plans/p-0002.yaml", spanishPlan + "include_pages: [safety]\n")
        #expect(site.errors() == [
            "Content/plans/p-0002.yaml:4:11: error: no 'es' translation of Content/exercises/bridge.md; write Content/exercises/bridge.es.md, or set 'translation_fallback: en' in site.yaml to print the original",
            "Content/plans/p-0002.yaml:4:11: error: no 'es' translation of Content/pages/pacing.md; write Content/pages/pacing.es.md, or set 'translation_fallback: en' in site.yaml to print the original",
            "Content/plans/p-0002.yaml:4:11: error: no 'es' translation of Content/pages/safety.md; write Content/pages/safety.es.md, or set 'translation_fallback: en' in site.yaml to print the original",
            "Content/plans/p-0002.yaml:4:11: error: no 'es' translation of Content/progressions/walk-run.md; write Content/progressions/walk-run.es.md, or set 'translation_fallback: en' in site.yaml to print the original",
        ])
    }

    @Test func fallbackPrintsTheOriginalMarkedWithItsLanguage() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        try site.remove("Content/exercises/bridge.es.md")
        try site.write("Content/site.yaml", "clinic: Test Clinic\ntranslation_fallback: en\n")
        try site.write("Content/plans/p-0002.yaml", spanishPlan)
        #expect(site.build().diagnostics == [
            "Content/plans/p-0002.yaml:4:11: warning: no 'es' translation of Content/exercises/bridge.md; its 'en' text is printed instead",
        ])
        let handout = try site.read("Output/patients/p-0002/index.html")
        #expect(handout.contains("<section class=\"card\" lang=\"en\">\n  <div class=\"card-head\">\n    <div class=\"card-title\">\n      <h3>Bridge</h3>"))
        #expect(handout.contains("<section class=\"progression\">"))
        // The calendar marks the fallback title too, and only it.
        let calendar = try site.read("Output/patients/p-0002/calendar.html")
        #expect(calendar.contains("<span class=\"label\" lang=\"en\">Bridge</span>"))
        #expect(!calendar.contains("lang=\"en\">Caminar"))
    }

    @Test func aTranslationCarriesTextOnly() throws {
        let site = try TestSite()
        try site.write("Content/exercises/bridge.es.md", "---\ntitle: Puente\nimage_alt: Persona\ndosage: { reps: 12 }\nvideo: https://example.org/v\n---\nTexto.\n")
        try site.write("Content/progressions/walk-run.es.md", """
        ---
        title: Caminar y correr
        advance: { every: 2 days, if: Sin dolor., otherwise: Repita. }
        then: Siga.
        stages: []
        ---
        Texto.

        """)
        #expect(site.errors() == [
            "Content/exercises/bridge.es.md:4:9: error: 'dosage' comes from the original, Content/exercises/bridge.md; a translation carries only its text, so delete this line",
            "Content/exercises/bridge.es.md:5:8: error: 'video' comes from the original, Content/exercises/bridge.md; a translation carries only its text, so delete this line",
            "Content/progressions/walk-run.es.md:3:19: error: 'every' comes from the original, Content/progressions/walk-run.md; a translation carries only its text, so delete this line",
            "Content/progressions/walk-run.es.md:5:9: error: 'stages' comes from the original, Content/progressions/walk-run.md; a translation carries only its text, so delete this line",
        ])
    }

    @Test func translationsMustMatchAnOriginalAndTranslateAllItsText() throws {
        let site = try TestSite()
        try site.write("Content/exercises/brige.es.md", "---\ntitle: Puente\n---\nTexto.\n")
        try site.write("Content/exercises/bridge.spanish!.md", "---\ntitle: Puente\n---\nTexto.\n")
        try site.write("Content/exercises/bridge.es.md", "---\ntitle: Puente\n---\nTexto.\n")
        try site.write("Content/pages/safety.es.md", "---\ntitle: Seguridad\n---\nTexto.\n")
        try site.write("Content/progressions/walk-run.es.md", "---\ntitle: Caminar\nstage_notes: { 2: Nota. }\n---\nTexto.\n")
        #expect(site.errors() == [
            "Content/exercises/bridge.es.md:2:1: error: missing 'image_alt': the picture needs its description in this language too",
            "Content/exercises/bridge.spanish!.md:1:1: error: 'spanish!' is not a language code: a translation is named <name>.<language>.md with a lowercase code, like bridge.es.md",
            "Content/exercises/brige.es.md:1:1: error: translation of 'exercises/brige.md', which does not exist; did you mean 'bridge'?; name a translation after its original, like bridge.es.md",
            "Content/pages/safety.es.md:2:1: error: missing 'summary': the original, Content/pages/safety.md, has one, so translate it too",
            "Content/progressions/walk-run.es.md:2:1: error: missing 'advance: if': the original, Content/progressions/walk-run.md, has it, so translate it too",
            "Content/progressions/walk-run.es.md:2:1: error: missing 'advance: otherwise': the original, Content/progressions/walk-run.md, has it, so translate it too",
            "Content/progressions/walk-run.es.md:2:1: error: missing 'then': the original, Content/progressions/walk-run.md, has it, so translate it too",
            "Content/progressions/walk-run.es.md:3:19: error: stage 2 of the original, Content/progressions/walk-run.md, has no note; number the notes as the stage table does",
        ])
    }

    @Test func coverageTable() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        let listing = ContentListing(layout: site.layout, diagnostics: Diagnostics())
        #expect(listing.table(.translations) == """
        CONTENT                es       zh-hans
        exercises/bridge       yes      missing
        exercises/clamshell    missing  missing
        progressions/walk-run  yes      missing
        pages/pacing           yes      missing
        pages/safety           yes      missing

        """)
    }

    // MARK: Setting values (issue 21)

    static let steps = """
    ---
    title: Step-ups
    advance: { every: 1 week }
    stages:
      - intervals: [step-up 4 in, support one hand, band red]
      - intervals: [step-up 6 in, support one hand, band red]
      - intervals: [step-up 6 in, support fingertips, band red]
    ---
    Step up.

    """

    func stepsSite(settings: String) throws -> TestSite {
        let site = try TestSite()
        try site.writeSpanishContent()
        try site.write("Content/progressions/steps.md", Self.steps)
        try site.write("Content/progressions/steps.es.md", "---\ntitle: Escalones\n\(settings)---\nSuba.\n")
        try site.write("Content/plans/p-0002.yaml", "patient: Ana\nstart: 2026-12-07\nweeks: 3\nlanguage: es\nprogressions:\n  - progression: steps\n")
        return site
    }

    @Test func aSpanishPlanPrintsTranslatedSettingValues() throws {
        let site = try stepsSite(settings: "settings:\n  one hand: una mano\n  fingertips: la punta de los dedos\n  red: roja\n")
        #expect(site.build().diagnostics == [])
        let handout = try site.read("Output/patients/p-0002/index.html")
        #expect(handout.contains("<td>Subir escalón 4 pulg., apoyo: una mano, banda roja</td>"))
        #expect(handout.contains("<td>Subir escalón 6 pulg., apoyo: la punta de los dedos, banda roja</td>"))
        let calendar = try site.read("Output/patients/p-0002/calendar.html")
        #expect(calendar.contains("<span class=\"label\">Subir escalón 4 pulg., apoyo: una mano, banda roja</span>"))
        let ics = try site.read("Output/patients/p-0002/calendar.ics").replacingOccurrences(of: "\r\n ", with: "")
        #expect(ics.contains("☐ Subir escalón 6 pulg., apoyo: la punta de los dedos, banda roja".replacingOccurrences(of: ",", with: "\\,")))
        for english in ["one hand", "fingertips", "red band", "band red"] {
            #expect(!handout.contains(english) && !calendar.contains(english) && !ics.contains(english), "\(english)")
        }
        // The English patient and the library keep the original's words.
        #expect(try site.read("Output/progressions/steps.html").contains("Step-up 6 in, support: fingertips, red band"))
    }

    @Test func anUntranslatedSettingValueIsAnErrorAtTheLanguageLine() throws {
        let site = try stepsSite(settings: "settings: { one hand: una mano }\n")
        #expect(site.errors() == [
            "Content/plans/p-0002.yaml:4:11: error: setting value 'fingertips' has no 'es' translation in Content/progressions/steps.es.md; add it under 'settings:', like 'settings: { fingertips: … }'",
            "Content/plans/p-0002.yaml:4:11: error: setting value 'red' has no 'es' translation in Content/progressions/steps.es.md; add it under 'settings:', like 'settings: { red: … }'",
        ])
        // With a fallback, a warning, and the value as the original writes it.
        try site.write("Content/site.yaml", "clinic: Test Clinic\ntranslation_fallback: en\n")
        #expect(site.build().diagnostics == [
            "Content/plans/p-0002.yaml:4:11: warning: setting value 'fingertips' has no 'es' translation in Content/progressions/steps.es.md; it is printed as the original writes it, for the 'en' fallback",
            "Content/plans/p-0002.yaml:4:11: warning: setting value 'red' has no 'es' translation in Content/progressions/steps.es.md; it is printed as the original writes it, for the 'en' fallback",
        ])
        #expect(try site.read("Output/patients/p-0002/index.html").contains("apoyo: una mano"))
    }

    @Test func aSettingValueTheOriginalDoesNotHaveIsAnError() throws {
        let site = try stepsSite(settings: "settings: { one hand: una mano, fingertips: la punta, red: roja, two hands: dos manos }\n")
        #expect(site.errors() == [
            "Content/progressions/steps.es.md:3:77: error: 'two hands' is not a setting value of the original, Content/progressions/steps.md; its values are 'one hand', 'red' and 'fingertips'",
        ])
    }

    @Test func changingATranslationRebuildsOnlyItsPatients() throws {
        let site = try TestSite()
        try site.writeSpanishContent()
        try site.write("Content/plans/p-0002.yaml", spanishPlan)
        #expect(site.build().diagnostics == [])
        try site.write("Content/pages/pacing.es.md", "---\ntitle: Ritmo\n---\nHaga un poco más cada semana, sin prisa.\n")
        #expect(site.build().report?.rendered == ["p-0002"])
        #expect(try site.read("Output/patients/p-0002/index.html").contains("sin prisa"))
    }
}
