/// What a template may read from its context. Templates are checked against these before
/// anything renders, because swift-mustache renders a missing name as an empty string.
indirect enum Shape: Sendable, Equatable {
    /// Escaped with `{{name}}`.
    case text
    /// Already-safe HTML (rendered Markdown), placed with `{{{name}}}`.
    case html
    /// A yes/no for `{{#name}}…{{/name}}` and `{{^name}}…{{/name}}`.
    case flag
    case object([String: Shape])
    case list(Shape)
    /// May be absent; sections over it render only when present.
    case optional(Shape)
    /// The page's language's strings, placed with `{{t.name}}`; which names exist is
    /// checked against the strings files.
    case strings

    var unwrapped: Shape {
        if case .optional(let inner) = self { return inner.unwrapped }
        return self
    }

    var describe: String {
        switch self {
        case .text: "text"
        case .html: "HTML"
        case .flag: "a yes/no flag"
        case .object: "a group of values"
        case .list: "a list"
        case .optional(let inner): inner.describe
        case .strings: "the strings of the page's language"
        }
    }
}
