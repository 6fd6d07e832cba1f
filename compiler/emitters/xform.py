"""The XForm, made from the XLSForm by pyxform's own conversion, checked by ODK Validate."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..diagnostics import UserError
from .language_tags import without_false_tag_warning


def xform_from_xlsform(xlsform: bytes, validate: bool = True) -> tuple[str, list[str]]:
    """Convert XLSForm bytes with pyxform (ODK Validate on by default): (xform text, warnings).

    Raise UserError with pyxform's or ODK Validate's own message when the form is rejected."""
    from pyxform.errors import PyXFormError
    from pyxform.validators.odk_validate import ODKValidateError
    from pyxform.xls2xform import convert

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xlsx"
        path.write_bytes(xlsform)
        try:
            result = convert(xlsform=str(path), validate=validate, pretty_print=True)
        except PyXFormError as exc:
            raise UserError(f"pyxform rejected the compiled XLSForm: {exc}") from None
        except ODKValidateError as exc:
            message = " ".join(str(exc).split())
            raise UserError(f"ODK Validate rejected the compiled form: {message}") from None
    warnings = [_clean_warning(w) for w in result.warnings]
    return result.xform, without_false_tag_warning(warnings, _languages(result.xform))


def _clean_warning(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _languages(xform: str) -> list[str]:
    """The XForm's translation names, e.g. ['English (en)', 'Srpski (sr-Latn)']."""
    from lxml import etree

    root = etree.fromstring(xform.encode("utf-8"))
    return [t.get("lang") for t in root.iter("{http://www.w3.org/2002/xforms}translation")]
