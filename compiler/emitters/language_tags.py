"""Language codes of XLSForm columns ('label::Srpski (sr-Latn)') that pyxform warns about wrongly.

pyxform checks the code in parentheses against the IANA registry's *primary language* subtags
only, so a well-formed BCP 47 tag with a script or region subtag ('sr-Latn', 'pt-BR', 'es-419')
gets "do not contain valid machine-readable codes". The XForm names each translation by its whole
name ('Srpski (sr-Latn)'), which ODK Collect and web forms show; the code is a hint for matching
languages, and a BCP 47 tag is the standard way to write it (Serbian in Latin script is 'sr-Latn').
So that one warning is a false alarm for such tags; any other code still gets pyxform's warning.
"""

from __future__ import annotations

import re

PYXFORM_TAG_WARNING = "The following language declarations do not contain valid machine-readable codes: "
_DECLARATION = re.compile(r"\(([^()]*)\)$")
# language[-script][-region]: the subtags a guide language may carry (RFC 5646, section 2.1)
_TAG = re.compile(r"([a-z]{2,3})(?:-([A-Z][a-z]{3}))?(?:-([A-Z]{2}|[0-9]{3}))?")


def is_tag_with_known_language(code: str) -> bool:
    """True when code is language-Script, language-REGION or language-Script-REGION (the case
    BCP 47 recommends) and pyxform knows its primary language subtag."""
    from pyxform.validators.pyxform.iana_subtags.validation import read_tags

    match = _TAG.fullmatch(code)
    if match is None or not (match.group(2) or match.group(3)):
        return False
    primary = match.group(1)
    return primary in read_tags("iana_subtags_2_characters.txt") or primary in read_tags(
        "iana_subtags_3_or_more_characters.txt"
    )


def without_false_tag_warning(warnings: list[str], languages: list[str]) -> list[str]:
    """warnings with pyxform's language-code warning kept only for the declarations (of
    languages, e.g. 'Srpski (sr-Latn)') that are not well-formed tags of a known language."""
    from pyxform.validators.pyxform.iana_subtags.validation import get_languages_with_bad_tags

    out = []
    for warning in warnings:
        if not warning.startswith(PYXFORM_TAG_WARNING):
            out.append(warning)
            continue
        bad = []
        for declaration in get_languages_with_bad_tags(languages):
            code = _DECLARATION.search(declaration)
            if code is None or not is_tag_with_known_language(code.group(1)):
                bad.append(declaration)
        if bad:
            out.append(
                PYXFORM_TAG_WARNING + ", ".join(bad) + ". Learn more: http://xlsform.org#multiple-language-support"
            )
    return out
