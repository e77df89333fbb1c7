import Foundation

/// A file to write, relative to the output folder.
public struct OutputFile: Sendable, Equatable {
    public var path: String
    public var data: Data

    public init(path: String, text: String) {
        self.path = path
        data = Data(text.utf8)
    }

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }
}
