/// What a template may read from its context. Templates are checked against these before
/// anything renders, because swift-mustache renders a missing name as an empty string.
public indirect enum Shape: Sendable {
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

    /// Checks a built view model against its shape; used by tests so the two never drift apart.
    public func mismatches(in value: Any?, path: String = "") -> [String] {
        switch self {
        case .optional(let inner):
            return value == nil ? [] : inner.mismatches(in: value, path: path)
        case .text:
            return value is String || value is Int ? [] : ["\(path): expected text, got \(String(describing: value))"]
        case .html:
            return value is String ? [] : ["\(path): expected HTML, got \(String(describing: value))"]
        case .flag:
            return value is Bool ? [] : ["\(path): expected a flag, got \(String(describing: value))"]
        case .list(let element):
            guard let array = value as? [Any] else { return ["\(path): expected a list"] }
            return array.enumerated().flatMap { element.mismatches(in: $1, path: "\(path)[\($0)]") }
        case .strings:
            return value is [String: String] ? [] : ["\(path): expected the strings of a language"]
        case .object(let fields):
            guard let dictionary = value as? [String: Any] else { return ["\(path): expected a group of values"] }
            var problems = dictionary.keys.filter { fields[$0] == nil }.sorted().map { "\(path).\($0): not in the shape" }
            for (key, shape) in fields.sorted(by: { $0.key < $1.key }) {
                problems += shape.mismatches(in: dictionary[key], path: "\(path).\(key)")
            }
            return problems
        }
    }
}
