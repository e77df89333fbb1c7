extension String {
    /// `body` on the text's UTF-8 bytes, if every byte `special` picks (all ASCII) is a
    /// character of its own, as code that walks the text by characters sees it; nil if not.
    /// Searching bytes is much cheaper, and agrees with the walk by characters wherever this
    /// holds. It always holds between ASCII neighbours; a non-ASCII one may join the byte to
    /// another character (a combining mark after it, a prepended sign before it).
    func withUTF8<Result>(ifEach special: (UInt8) -> Bool, standsAlone body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        var text = self
        return text.withUTF8 { bytes in
            for i in bytes.indices where special(bytes[i]) {
                let nonASCIINeighbour = (i > 0 && bytes[i - 1] >= 0x80) || (i + 1 < bytes.count && bytes[i + 1] >= 0x80)
                if nonASCIINeighbour && !isCharacterBoundary(around: i) { return nil }
            }
            return body(bytes)
        }
    }

    /// Whether a character begins at UTF-8 offset `offset` and at the next.
    private func isCharacterBoundary(around offset: Int) -> Bool {
        let index = utf8.index(utf8.startIndex, offsetBy: offset)
        let after = utf8.index(after: index)
        return String.Index(index, within: self) != nil && (after == utf8.endIndex || String.Index(after, within: self) != nil)
    }
}
