import Foundation

/// The cover page of a day's batch (`handout pdf --changed-since`), in the site's language
/// and print size: which plans the batch holds, in order, and why each. It is printed by
/// Chromium from a page of its own, never published: with `index_shows_names` it names
/// patients, as the clinic index then does, and otherwise plan ids only.
extension SiteRenderer {
    /// One plan on the cover.
    public struct CoverLine: Sendable {
        public var id: String
        public var patient: String
        public var start: Day
        public var reasons: [BatchReason]

        public init(id: String, patient: String, start: Day, reasons: [BatchReason]) {
            self.id = id
            self.patient = patient
            self.start = start
            self.reasons = reasons
        }
    }

    /// The cover as a whole page: `root` is the address of the published site, whose
    /// stylesheet and logo it uses, and `print.css` beside it holds its print rules.
    public func renderBatchCover(day: Day, since: Day?, plans: [CoverLine], root: String) -> String {
        page(title: siteWords.phrase("title_batch", ["date": siteWords.date(day, .long), "clinic": site.clinic]),
             root: root, bodyClass: "batch", content: templates.render(batchCoverContext(day: day, since: since, plans: plans),
                                                                   with: "batch-cover", in: siteWords),
             pageStylesheet: "print.css")
    }

    /// The cover's print rules: the site's paper, and "Page N of M" should the list run on.
    public var batchCoverStylesheet: String {
        PrintStylesheet.css(paper: site.paper, largePrint: site.largePrint, pageNumber: pageNumber(in: siteWords))
    }

    func batchCoverContext(day: Day, since: Day?, plans: [CoverLine]) -> BatchCoverPage {
        let words = siteWords
        let reasonKeys: [BatchReason: String] = [.new: "batch_new", .changed: "batch_changed", .starting: "batch_starting"]
        let rows = plans.map { line in
            BatchCoverPage.Row(id: line.id, patient: site.indexShowsNames ? line.patient : nil,
                               reasons: line.reasons.map { words.phrase(reasonKeys[$0]!) }.joined(separator: words.phrase("list_separator")),
                               start: words.date(line.start, .long))
        }
        return BatchCoverPage(
            day: words.date(day, .long),
            since: since.map { words.phrase("batch_since", ["date": words.date($0, .long)]) } ?? words.phrase("batch_since_none"),
            count: words.phrase("batch_count", ["n": "\(plans.count)"], count: plans.count),
            showNames: site.indexShowsNames, plans: rows)
    }
}
