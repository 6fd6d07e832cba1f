"""Zip members with a fixed time stamp, so the same input writes the same bytes."""

from __future__ import annotations

import zipfile

FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def member(name: str) -> zipfile.ZipInfo:
    """A deflated member (fast level 1) dated FIXED_TIME, for writestr or open(..., "w")."""
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    # the level is read from the member when one is given (named _compresslevel up to 3.12)
    for attribute in ("compress_level", "_compresslevel"):
        if attribute in zipfile.ZipInfo.__slots__:
            setattr(info, attribute, 1)
    return info
