"""Build HTML with lxml: element() keeps writers short and never pastes text into markup.

Every text and attribute value goes through `output_text.printable`, so a control character
in an answer (which lxml refuses, as XML 1.0 does) is shown instead of ending the run."""

from __future__ import annotations

from lxml import etree

from .output_text import printable

Element = etree._Element


def element(parent: Element | None, tag: str, text: str | None = None, **attrs: str) -> Element:
    """A new element (appended to parent when given); attribute names use _ for - and class_."""
    names = {k.rstrip("_").replace("_", "-"): printable(v) for k, v in attrs.items()}
    node = etree.Element(tag, names) if parent is None else etree.SubElement(parent, tag, names)
    if text:
        node.text = printable(text)
    return node


def set_text(node: Element, text: str) -> None:
    """Set the text inside node (before its first child)."""
    node.text = printable(text)


def set_tail(node: Element, text: str) -> None:
    """Set the text after node, before its next sibling."""
    node.tail = printable(text)
