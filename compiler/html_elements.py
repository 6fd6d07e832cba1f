"""Build HTML with lxml: element() keeps writers short and never pastes text into markup."""

from __future__ import annotations

from lxml import etree

Element = etree._Element


def element(parent: Element | None, tag: str, text: str | None = None, **attrs: str) -> Element:
    """A new element (appended to parent when given); attribute names use _ for - and class_."""
    names = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    node = etree.Element(tag, names) if parent is None else etree.SubElement(parent, tag, names)
    if text:
        node.text = text
    return node
