import Foundation

/// Fixed slots written from parallel iterations, each by exactly one iteration.
final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    subscript(index: Int) -> T? {
        get { lock.withLock { storage[index] } }
        set { lock.withLock { storage[index] = newValue } }
    }

    var values: [T?] { lock.withLock { storage } }

    /// The value in slot `index`, which is left empty: the caller holds the only reference.
    func take(_ index: Int) -> T? {
        lock.withLock {
            defer { storage[index] = nil }
            return storage[index]
        }
    }
}
