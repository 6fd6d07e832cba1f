"""`rightguide build`: load and check the guide, run every emitter, write the manifest.

Emitters are registered in EMITTERS: each takes the guide and the output directory and
returns the files it wrote. The XLSForm and XForm are always built; later emitters
(workbooks, printable forms) add themselves to the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .build_cache import input_hash, up_to_date
from .diagnostics import Diagnostics, UserError
from .emitters import OutputFile
from .manifest import MANIFEST, manifest_bytes, manifest_dict, read_manifest
from .model import Guide

Emitter = Callable[[Guide, Path], list[OutputFile]]


def emit_print(guide: Guide, out_dir: Path) -> list[OutputFile]:
    """Printable forms (imported when a build runs: a cached build never loads Typst)."""
    from .emitters.print_form import emit_print as emit

    return emit(guide, out_dir)


def emit_workbooks(guide: Guide, out_dir: Path) -> list[OutputFile]:
    """Self-assessment workbooks."""
    from .emitters.workbook import emit_workbooks as emit

    return emit(guide, out_dir)


def emit_web_form(guide: Guide, out_dir: Path) -> list[OutputFile]:
    """The offline web form (ODK Web Forms in one page), from the XForm emit_odk wrote."""
    from .emitters.web_form import emit_web_form as emit

    return emit(guide, out_dir)


def emit_odk(guide: Guide, out_dir: Path) -> list[OutputFile]:
    """The XLSForm and the XForm pyxform makes of it (ODK Validate on)."""
    from .emitters.xform import xform_from_xlsform
    from .emitters.xlsform import xlsform_bytes
    from .xlsx_files import write_atomic

    xlsform = xlsform_bytes(guide)
    xform, warnings = xform_from_xlsform(xlsform)
    if warnings:
        raise UserError("pyxform warned about the compiled form: " + "; ".join(warnings))
    _refuse_same_version_change(guide, out_dir, xform.encode("utf-8"))
    write_atomic(out_dir / f"{guide.form_id}.xlsx", xlsform)
    write_atomic(out_dir / f"{guide.form_id}.xml", xform.encode("utf-8"))
    return [OutputFile("xlsform", f"{guide.form_id}.xlsx"), OutputFile("xform", f"{guide.form_id}.xml")]


def _refuse_same_version_change(guide: Guide, out_dir: Path, xform: bytes) -> None:
    """ODK Central rejects a changed form under an unchanged version: refuse to publish one."""
    previous = read_manifest(out_dir)
    path = out_dir / f"{guide.form_id}.xml"
    if not previous or not path.is_file():
        return
    versions = {f.get("id"): f.get("version") for f in previous.get("forms", [])}
    versions.setdefault(previous.get("form_id"), previous.get("version"))
    if versions.get(guide.form_id) == guide.version and path.read_bytes() != xform:
        raise UserError(
            f"the form '{guide.form_id}' changed but its version is still {guide.version}: "
            "raise 'version' of that form in guide.yaml (ODK Central and KoboToolbox reject a "
            "changed form under the same version)"
        )


EMITTERS: list[Emitter] = [emit_odk, emit_print, emit_workbooks, emit_web_form]


@dataclass
class BuildResult:
    guide: Guide | None  # None when the outputs were up to date (the guide was not loaded)
    files: list[OutputFile]
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    cached: bool = False


def build(
    source_dir: Path | str, out_dir: Path | str, strict: bool = False, force: bool = False
) -> BuildResult:
    """Build every output of the guide in source_dir into out_dir and write the manifest.

    When the manifest records the same input hash (guide source, compiler sources, pinned
    dependencies) and every listed output still has its sha256, nothing is rebuilt."""
    from .loader import load_checked_guide

    out = Path(out_dir)
    digest = input_hash(Path(source_dir), EMITTERS)
    if not force:
        cached = up_to_date(out, digest)
        if cached is not None:
            return BuildResult(None, cached, Diagnostics(), cached=True)
    from .xlsx_files import write_atomic

    guide, diags = load_checked_guide(source_dir, strict=strict)
    out.mkdir(parents=True, exist_ok=True)
    files: list[OutputFile] = []
    for form in guide.all_forms():  # every emitter builds every form of the source
        for emitter in EMITTERS:
            files.extend(replace(f, form=form.form_id) for f in emitter(form, out))
    manifest = manifest_dict(guide, out, files)
    if not diags.errors and not diags.warnings:  # a cached build would not repeat warnings
        manifest["input_hash"] = digest
    write_atomic(out / MANIFEST, manifest_bytes(manifest))
    return BuildResult(guide, files, diags)
