"""A small element tree over Python's html.parser: enough to read the generated pages
(cards, calendar weeks, headings, labels) without a third-party parser."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets a page leave out; the generated pages close them all,
# but a parser that trusted that would mis-nest everything after one slip.
AUTO_CLOSE = {"p": {"p", "div", "ul", "ol", "table", "section", "h1", "h2", "h3", "h4", "h5", "h6", "dl"},
              "li": {"li"}, "td": {"td", "th", "tr"}, "th": {"td", "th", "tr"}, "tr": {"tr"}}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Element | None"):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list["Element | str"] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Element"]:
        return [e for e in self.iter() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]

    def find(self, tag: str | None = None, cls: str | None = None) -> "Element | None":
        found = self.find_all(tag, cls)
        return found[0] if found else None

    def text(self, skip_classes: frozenset[str] = frozenset()) -> str:
        """Visible text, whitespace collapsed; elements with any of skip_classes are left out."""
        parts: list[str] = []

        def walk(element: Element):
            if skip_classes.intersection(element.classes):
                return
            for child in element.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    if child.tag in ("script", "style", "template"):
                        continue
                    walk(child)
                    if child.tag in ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "td", "th", "tr"):
                        parts.append(" ")

        walk(self)
        return squash("".join(parts))

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        closers = [t for t, by in AUTO_CLOSE.items() if tag in by]
        if self.current.tag in closers:
            self.current = self.current.parent or self.root
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
