extension String {
    /// Whether the ASCII byte at `index` is a character of its own, as code that walks the
    /// text by characters sees it. Searching bytes is much cheaper; it agrees with the walk by
    /// characters wherever this holds. It always holds between ASCII neighbours; a non-ASCII
    /// one may join the byte to another character (a combining mark after it, a prepended
    /// sign before it).
    func standsAlone(_ index: String.Index) -> Bool {
        let utf8 = self.utf8
        let after = utf8.index(after: index)
        let asciiAround = (index == utf8.startIndex || utf8[utf8.index(before: index)] < 0x80) && (after == utf8.endIndex || utf8[after] < 0x80)
        return asciiAround || (String.Index(index, within: self) != nil && (after == utf8.endIndex || String.Index(after, within: self) != nil))
    }
}
