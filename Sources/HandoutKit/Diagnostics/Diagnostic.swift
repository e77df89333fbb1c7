/// A position in a source file, 1-based like compilers print it.
public struct SourceLocation: Hashable, Comparable, Sendable {
    public var path: String
    public var line: Int
    public var column: Int
    /// Whose file this is: a problem here holds back what it owns. Not part of the position
    /// (two reports of one place are one problem).
    public var owner: Diagnostic.Owner

    public init(path: String, line: Int, column: Int, owner: Diagnostic.Owner = .site) {
        self.path = path
        self.line = line
        self.column = column
        self.owner = owner
    }

    public static func == (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) == (b.path, b.line, b.column)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(line)
        hasher.combine(column)
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }

    /// Line and column of the Unicode scalar at `offset` in `text`.
    static func position(ofScalar offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for (i, scalar) in text.unicodeScalars.enumerated() where i < offset {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}

public enum Severity: String, Sendable, Comparable {
    case error
    case warning

    public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
}

/// One compiler-style message: `path:line:col: error: message`.
public struct Diagnostic: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var severity: Severity
    public var message: String

    /// What a problem holds back. Errors in content, templates or `site.yaml` stop the
    /// build; errors in a plan block only that patient's pages; errors in a protocol block
    /// the plans built on it. Set where the file is read (its `SourceLocation`), never
    /// worked out from the path shown.
    public enum Owner: Hashable, Sendable {
        case site
        case plan(String)
        case `protocol`(String)
    }

    public var owner: Owner { location.owner }

    public init(_ severity: Severity, _ message: String, at location: SourceLocation) {
        self.severity = severity
        // Messages quote what the user wrote; a control character in it must not reach the terminal.
        self.message = TextRules.visible(message)
        self.location = location
    }

    /// `path:line:col: error: message`. A file that cannot be read or is not what it should be
    /// is reported at 1:1; a problem of a folder or the output (line 0) has no position.
    public var description: String {
        let position = location.line > 0 ? ":\(location.line):\(location.column)" : ""
        // A file name may hold a control character too; it must not reach the terminal either.
        return "\(TextRules.visible(location.path))\(position): \(severity.rawValue): \(message)"
    }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.location, a.severity, a.message) < (b.location, b.severity, b.message)
    }
}

/// Collects every problem of a run so the user sees them all at once.
/// A class so loaders deep in the pipeline can report without threading `inout` everywhere;
/// guarded by a lock because plans load in parallel.
public final class Diagnostics: @unchecked Sendable {
    private var items: [Diagnostic] = []
    private let lock = NSLock()

    public init() {}

    public func error(_ message: String, at location: SourceLocation) {
        append(Diagnostic(.error, message, at: location))
    }

    public func warning(_ message: String, at location: SourceLocation) {
        append(Diagnostic(.warning, message, at: location))
    }

    public func append(_ diagnostic: Diagnostic) {
        lock.lock(); defer { lock.unlock() }
        items.append(diagnostic)
    }

    /// Sorted by file, line, column; duplicates removed.
    public var all: [Diagnostic] {
        lock.lock(); defer { lock.unlock() }
        return Array(Set(items)).sorted()
    }

    public var hasErrors: Bool {
        lock.lock(); defer { lock.unlock() }
        return items.contains { $0.severity == .error }
    }

    public var errorCount: Int { count(.error) }
    public var warningCount: Int { count(.warning) }

    /// Distinct ones, as `all` lists them, without sorting them.
    private func count(_ severity: Severity) -> Int {
        lock.lock(); defer { lock.unlock() }
        return Set(items.lazy.filter { $0.severity == severity }).count
    }

    /// "2 errors, 1 warning" — the closing line of `check` and a failed `build`.
    public var summary: String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(plural(errorCount, "error")), \(plural(warningCount, "warning"))"
    }
}

import Foundation
