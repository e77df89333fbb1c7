import FlyingFox
import Foundation
import HandoutKit

/// The plan editor's two pages, in the site's look (its stylesheet, header and footer) and
/// language: the list of plans with "New plan", and the page for one plan, whose form
/// `editor.js` fills in. Both live in `_handout/editor/`, two folders below the site's root.
struct EditorPages {
    let words: EditorWords
    let token: String
    /// The plans folder and its drafts folder, as messages name them.
    let plansShown: String
    let draftsShown: String

    func home(catalog: Catalog, state: SiteState, files: PlanFiles, query: [HTTPRequest.QueryItem]) -> HTTPResponse {
        let ids = files.ids()
        let main = """
            <h1>\(e(words["editor_title"]))</h1>
            <p class="lead">\(e(words["editor_lead"]))</p>
            \(catalog.problems.isEmpty ? "" : "<pre class=\"serve-diagnostics\" tabindex=\"0\">\(e(catalog.problems.joined(separator: "\n")))</pre>")
            \(newPlanForm(catalog: catalog, ids: ids, copying: query["copy"] ?? ""))
            <section>
            <h2 id="plans-title">\(e(words["plans"]))</h2>
            \(plansTable(ids: ids, catalog: catalog, state: state, files: files))
            </section>
            \(draftList(files: files))
            """
        return page(title: words["editor_title"], bodyClass: "editor-home", catalog: catalog, main: main)
    }

    /// "New plan": an id, and a protocol or another plan to start from.
    private func newPlanForm(catalog: Catalog, ids: [String], copying: String) -> String {
        func options(_ items: [(String, String)], selected: String) -> String {
            ([("", words["none"])] + items).map { slug, title in
                "<option value=\"\(e(slug))\"\(slug == selected && !slug.isEmpty ? " selected" : "")>\(e(title))</option>"
            }.joined(separator: "\n")
        }
        return """
            <section id="new-plan" aria-labelledby="new-plan-title" class="editor-new">
            <h2 id="new-plan-title">\(e(words["new_plan"]))</h2>
            <form method="get" action="plan">
            <div class="field">
            <label for="new-id">\(e(words["plan_id"]))</label>
            <p class="hint" id="new-id-hint">\(e(words["plan_id_hint"]))</p>
            <input id="new-id" name="new" type="text" required pattern="[a-z0-9][a-z0-9\\-]{0,63}" maxlength="64" autocomplete="off" spellcheck="false" aria-describedby="new-id-hint">
            </div>
            <div class="field">
            <label for="new-protocol">\(e(words["start_protocol"]))</label>
            <select id="new-protocol" name="protocol">
            \(options(catalog.protocols.map { ($0.slug, $0.title) }, selected: ""))
            </select>
            </div>
            <div class="field">
            <label for="new-from">\(e(words["start_copy"]))</label>
            <p class="hint" id="new-from-hint">\(e(words["start_copy_hint"]))</p>
            <select id="new-from" name="from" aria-describedby="new-from-hint">
            \(options(ids.map { ($0, $0) }, selected: copying))
            </select>
            </div>
            <div class="field">
            <label for="new-start">\(e(words["start"]))</label>
            <p class="hint" id="new-start-hint">\(e(words["start_date_hint"]))</p>
            <input id="new-start" name="start" type="date" aria-describedby="new-start-hint">
            </div>
            <button type="submit">\(e(words["create"]))</button>
            </form>
            </section>
            """
    }

    /// Each plan with its status and what can be done with it.
    private func plansTable(ids: [String], catalog: Catalog, state: SiteState, files: PlanFiles) -> String {
        let names = catalog.site.indexShowsNames
        var rows: [String] = []
        for id in ids {
            let plan = files.file(id).flatMap(files.read).flatMap { PlanSketch.read(String(decoding: $0, as: UTF8.self)) } ?? PlanSketch()
            let broken = !state.errors(forPlan: id).isEmpty
            rows.append("""
                <tr>
                <th scope="row"><a href="plan?id=\(id)">\(id)</a></th>
                \(names ? "<td>\(e(plan.patient ?? ""))</td>" : "")<td>\(e(plan.therapist ?? ""))</td><td>\(e(plan.start ?? ""))</td><td>\(e(plan.weeks ?? ""))</td><td>\(e(plan.condition ?? ""))</td>
                <td>\(broken ? "<strong class=\"editor-broken\">\(e(words["status_errors"]))</strong>" : e(words["status_ok"]))</td>
                <td class="editor-actions"><a href="plan?id=\(id)">\(e(words["edit"]))<span class="visually-hidden"> \(id)</span></a>
                <a href="../../patients/\(id)/index.html">\(e(words["open_handout"]))<span class="visually-hidden"> \(id)</span></a>
                <a href="./?copy=\(id)#new-plan">\(e(words["copy"]))<span class="visually-hidden"> \(id)</span></a></td>
                </tr>
                """)
        }
        let headings = [words["col_id"]] + (names ? [words["col_patient"]] : [])
            + [words["col_therapist"], words["col_start"], words["col_weeks"], words["col_condition"], words["col_status"], words["col_actions"]]
        return ids.isEmpty ? "<p>\(e(words["no_plans"]))</p>" : """
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="plans-title">
            <table class="editor-plans">
            <thead><tr>\(headings.map { "<th scope=\"col\">\(e($0))</th>" }.joined())</tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            </div>
            """
    }

    /// Drafts saved but not yet plans.
    private func draftList(files: PlanFiles) -> String {
        let drafts = files.drafts()
        return drafts.isEmpty ? "" : """
            <section aria-labelledby="drafts-title">
            <h2 id="drafts-title">\(e(words["drafts"]))</h2>
            <ul>
            \(drafts.map { "<li><a href=\"plan?draft=\($0)\">\(e(words["continue_draft"])): \($0)</a></li>" }.joined(separator: "\n"))
            </ul>
            </section>
            """
    }

    /// The page of one plan (`?id=`, `?draft=`, or `?new=` with `protocol=`, `from=`, `start=`):
    /// the form and the preview beside it; `editor.js` reads the address and fills them in.
    func plan(query: [HTTPRequest.QueryItem], catalog: Catalog) -> HTTPResponse {
        let id = query["id"] ?? query["draft"] ?? query["new"] ?? ""
        let key = query["new"] != nil ? "title_new" : query["draft"] != nil ? "title_draft" : "title_edit"
        let title = Slug.isValid(id) ? words[key, ["id": id]] : words["editor_title"]
        let main = """
            <h1 id="editor-title">\(e(title))</h1>
            <p id="editor-status" class="editor-status" role="status" aria-live="polite">\(e(words["loading"]))</p>
            <div id="editor-problems" class="editor-problems" tabindex="-1" hidden></div>
            <div id="editor-review" class="editor-review" tabindex="-1" hidden></div>
            <div class="editor-columns">
            <form id="plan-form" class="plan-form" novalidate aria-labelledby="editor-title"></form>
            <section class="editor-preview" aria-labelledby="preview-title">
            <h2 id="preview-title">\(e(words["preview"]))</h2>
            <div class="preview-tabs" role="group" aria-label="\(e(words["preview"]))">
            <button type="button" id="show-handout" aria-pressed="true">\(e(words["preview_handout"]))</button>
            <button type="button" id="show-calendar" aria-pressed="false">\(e(words["preview_calendar"]))</button>
            </div>
            <p id="preview-note" class="hint">\(e(words["preview_none"]))</p>
            <iframe id="preview-frame" title="\(e(words["preview_frame"]))" hidden></iframe>
            <details class="plan-file">
            <summary>\(e(words["plan_file"]))</summary>
            <pre id="plan-text" tabindex="0"></pre>
            </details>
            </section>
            </div>
            <noscript><p>\(e(words["needs_script"]))</p></noscript>
            """
        return page(title: title, bodyClass: "editor-plan", catalog: catalog, main: main)
    }

    private func page(title: String, bodyClass: String, catalog: Catalog, main: String) -> HTTPResponse {
        let brand = catalog.site.logo.map { "<img class=\"logo\" src=\"../../\(e($0))\" alt=\"\(e(catalog.site.logoAlt ?? catalog.site.clinic))\">" }
            ?? "<span class=\"clinic-name\">\(e(catalog.site.clinic))</span>"
        // A `<meta>` policy cannot say frame-ancestors; the header does.
        let policy = Headers.editorPolicy.replacingOccurrences(of: "; frame-ancestors 'none'", with: "")
        let html = ServedPage.head(language: words.language, referrer: "same-origin", policy: policy, title: "\(title) — \(catalog.site.clinic)",
                                   links: """
            <meta name="handout-token" content="\(token)">
            <link rel="stylesheet" href="../../assets/site.css">
            <link rel="stylesheet" href="../serve.css">
            <link rel="stylesheet" href="../editor.css">
            <script src="../editor.js" defer></script>
            """) + """
            <body class="editor \(bodyClass)">
            <a class="skip-link" href="#main">\(e(words["skip"]))</a>
            <header class="site-header">
              <div class="brand">\(brand)</div>
              <nav class="site-nav" aria-label="\(e(words["nav_site"]))">
                <a href="../../index.html">\(e(words["nav_patients"]))</a>
                <a href="../../exercises/index.html">\(e(words["nav_library"]))</a>
                <a href="./"\(bodyClass == "editor-home" ? " aria-current=\"page\"" : "")>\(e(words["serve_editor"]))</a>
              </nav>
            </header>
            <main id="main">
            \(main)
            </main>
            <footer class="site-footer">
              <p>\(e(words["footer", ["folder": plansShown, "drafts": draftsShown]]))</p>
            </footer>
            </body>
            </html>

            """
        return Headers.html(.ok, html, policy: Headers.editorPolicy, referrer: "same-origin")
    }

    private func e(_ text: String) -> String { ServedPage.escape(text) }
}
