/// Markup in rendered HTML that would run: an element with an event handler, or a link or
/// source whose address is a script. Escaped text that spells the same ("&lt;img onerror=")
/// is not markup, so it is not found.
func liveMarkup(in html: String) -> [String] {
    let handlers = html.matches(of: /<[a-zA-Z][^>]*\son[a-z]+\s*=[^>]*>/).map { String($0.output) }
    let addresses = html.matches(of: /<[a-zA-Z][^>]*\s(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data:text\/html)[^>]*>/.ignoresCase())
        .map { String($0.output) }
    return handlers + addresses
}
