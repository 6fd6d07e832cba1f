"""The guide's terminology: one translation per key term and language, checked in the catalogues.

`guide_source/locale/terms.yaml` lists the terms that must read the same in the form, the
workbook and the report (severity, gap, concern, record...):

    severity:
      en: severity         # the English word as it appears in the source texts
      fr: gravité          # the start of the word in each language: "gravités" matches too
      es: gravedad

An entry whose English text holds the term (as a whole word, any case) but whose translation
holds none of the language's words for it uses another word: `rightguide translations`
reports it with the entry's context, so a term is never translated two ways unnoticed.
A language's value may be a list when grammar needs several stems (`[dañ, afect]`);
`not_in` lists the contexts where the English word means something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .diagnostics import UserError

TERMS_NAME = "terms.yaml"


@dataclass(frozen=True)
class TermProblem:
    """An entry that translates a listed term with another word."""

    code: str
    context: str
    term: str
    expected: tuple[str, ...]

    def __str__(self) -> str:
        words = " or ".join(f"'{w}'" for w in self.expected)
        return (f"{self.code}: '{self.context}' translates '{self.term}' without {words} "
                "(guide_source/locale/terms.yaml): use the one term, or change the list")  # fmt: skip


def load_terms(locale_dir: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """The terms file as {term: {language: stems}}, or {} when there is none."""
    path = locale_dir / TERMS_NAME
    if not path.is_file():
        return {}
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except (YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not readable YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a mapping of terms to their translations")
    terms: dict[str, dict[str, tuple[str, ...]]] = {}
    for term, by_lang in data.items():
        if not isinstance(by_lang, dict) or "en" not in by_lang:
            raise UserError(f"{path}: term '{term}' needs a mapping with at least 'en'")
        terms[str(term)] = {
            str(code): tuple(str(v) for v in (words if isinstance(words, list) else [words]))
            for code, words in by_lang.items()
        }
    return terms  # "not_in" is kept as a pseudo-language: contexts to skip


def check_terms(
    po: polib.POFile, code: str, terms: dict[str, dict[str, tuple[str, ...]]]
) -> list[TermProblem]:
    """Translated entries of one catalogue that render a listed term with another word."""
    problems: list[TermProblem] = []
    for term, by_lang in terms.items():
        stems = by_lang.get(code)
        if not stems:
            continue
        skip = set(by_lang.get("not_in", ()))
        english = [re.compile(rf"\b{re.escape(w)}\b", re.IGNORECASE) for w in by_lang["en"]]
        local = [re.compile(rf"(?<!\w){re.escape(s)}", re.IGNORECASE) for s in stems]
        for entry in po:
            if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
                continue
            if entry.msgctxt in skip:
                continue
            if any(p.search(entry.msgid) for p in english) and not any(
                p.search(entry.msgstr) for p in local
            ):
                problems.append(TermProblem(code, entry.msgctxt or "", term, stems))
    return problems
