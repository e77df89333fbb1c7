import Foundation
import Yams

/// A YAML node that knows its file position and its key, so every type error is positioned.
struct YAMLNode {
    var node: Node
    var source: YAMLSource
    /// The key this value sits under, for messages ("sets must be ...").
    var name: String?

    var location: SourceLocation { source.location(node.mark) }

    func error(_ message: String) {
        source.diagnostics.error(message, at: location)
    }

    func warning(_ message: String) {
        source.diagnostics.warning(message, at: location)
    }

    var label: String { name ?? "value" }

    /// How the user wrote it, for "found ..." in messages.
    var found: String {
        switch node {
        case .scalar(let scalar):
            return quoted(scalar.string)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node {
            return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    static let unknownKeysShown = 20

    /// A mapping whose keys must come from `keys`; unknown keys are reported with a suggestion,
    /// or with what `elsewhere` says of a key that belongs in another kind of file.
    func mapping(keys: [String], elsewhere: [String: String] = [:]) -> YAMLMapping? {
        guard case .mapping(let mapping) = node else {
            error("\(label) must be a mapping of \(keys.joined(separator: ", ")); found \(found)")
            return nil
        }
        var values: [String: YAMLNode] = [:]
        // A file that is not a plan at all (a copied log, a password file) would give one error
        // a line: a few say what is wrong, and the count says the rest.
        var unknown = 0
        for (keyNode, valueNode) in mapping {
            let key = YAMLNode(node: keyNode, source: source, name: "key")
            guard case .scalar(let scalar) = keyNode else {
                key.error("a key must be a plain word; found \(key.found)")
                continue
            }
            guard keys.contains(scalar.string) else {
                unknown += 1
                if unknown <= Self.unknownKeysShown {
                    let context = name.map { " in \($0)" } ?? ""
                    key.error("unknown key \(quoted(scalar.string))\(context)"
                              + (elsewhere[scalar.string].map { "; " + $0 } ?? Suggestion.hint(for: scalar.string, in: keys, listUpTo: 12)))
                } else if unknown == Self.unknownKeysShown + 1 {
                    let total = mapping.keys.filter { $0.scalar.map { !keys.contains($0.string) } ?? false }.count
                    key.error("\(total - Self.unknownKeysShown) more unknown keys from here on; is this the right file?")
                }
                continue
            }
            values[scalar.string] = YAMLNode(node: valueNode, source: source, name: scalar.string)
        }
        return YAMLMapping(node: self, values: values)
    }

    /// A mapping whose keys are open (a strings file), in file order.
    func entries() -> [(key: String, value: YAMLNode)]? {
        guard case .mapping(let mapping) = node else {
            error("\(label) must be a mapping of names to text, like 'rest: Rest'; found \(found)")
            return nil
        }
        var result: [(key: String, value: YAMLNode)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                YAMLNode(node: keyNode, source: source, name: "key").error("a key must be a plain word; found a \(keyNode.mapping != nil ? "mapping" : "list")")
                continue
            }
            result.append((scalar.string, YAMLNode(node: valueNode, source: source, name: scalar.string)))
        }
        return result
    }
}


/// Text from a file as a message quotes it: in quotes, at most 40 characters, line ends and
/// tabs written `\n` and `\t`, control characters shown as `<U+001B>`. A message names the
/// offending word on one line, never a whole line or file (a file linked or copied from
/// elsewhere could hold anything).
func quoted(_ text: String) -> String {
    let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
    return "'" + TextRules.visible(short).replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "'"
}

struct YAMLMapping {
    var node: YAMLNode
    var values: [String: YAMLNode]

    /// The value, or nil when the key is absent or written with no value.
    subscript(key: String) -> YAMLNode? {
        guard let value = values[key], !value.isNull else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { self[key] != nil }

    /// Reports a missing field at the mapping's own position.
    func required(_ key: String, hint: String = "") -> YAMLNode? {
        if let value = self[key] { return value }
        if let present = values[key] {
            present.error("\(key) needs a value\(hint)")
        } else {
            let owner = node.name.map { " in \($0)" } ?? ""
            node.error("missing required field '\(key)'\(owner)\(hint)")
        }
        return nil
    }
}

import Foundation
