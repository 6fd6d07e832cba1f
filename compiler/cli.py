"""The `rightguide` command: a thin layer over the library API."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_guard import GuardedGroup
from .diagnostics import GuideInvalid, UserError

DEFAULT_SOURCE = "guide_source"
DEFAULT_OUT = "outputs"


def _fail(exc: UserError) -> None:
    if isinstance(exc, GuideInvalid):
        for diag in exc.diagnostics.sorted():
            click.echo(str(diag), err=True)
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


@click.group(cls=GuardedGroup)
@click.version_option(package_name="rightguide")
@click.option(
    "--debug", is_flag=True,
    help="Show the full traceback of an unexpected failure (for a bug report).",
)  # fmt: skip
def main(debug: bool) -> None:
    """Compile the RighT Guide assessment into field forms, and score what comes back."""


@main.command()
@click.option("--source", "source", default=DEFAULT_SOURCE, show_default=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. missing translations) as errors.")
def check(source: Path, strict: bool) -> None:
    """Check the guide source; print every problem as file:line:column: place: message."""
    from .checker import check_guide
    from .diagnostics import Diagnostics
    from .loader import load_guide

    diags = Diagnostics()
    try:
        guide = load_guide(source, diags)
        check_guide(guide, diags)
    except GuideInvalid:
        pass
    except UserError as exc:
        _fail(exc)
    for diag in diags.sorted():
        click.echo(str(diag), err=False)
    errors = len(diags.errors) + (len(diags.warnings) if strict else 0)
    click.echo(f"{len(diags.errors)} error(s), {len(diags.warnings)} warning(s)", err=True)
    sys.exit(1 if errors else 0)


@main.command()
@click.option("--source", "source", default=DEFAULT_SOURCE, show_default=True, type=click.Path(path_type=Path))
@click.option("--out", "out", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Refuse to build when there are warnings.")
def build(source: Path, out: Path, strict: bool) -> None:
    """Build every output (XLSForm, XForm, ...) into the outputs folder."""
    from .build import build as run_build
    from .output_place import check_out_folder, write_failure

    try:
        check_out_folder(out)
        result = run_build(source, out, strict=strict)
    except UserError as exc:
        _fail(exc)
        return
    except OSError as exc:
        _fail(write_failure(out, exc))
        return
    for diag in result.diagnostics.sorted():
        click.echo(str(diag), err=True)
    if result.cached:
        click.echo(f"{out}: {len(result.files)} outputs up to date (nothing changed)")
        return
    for f in result.files:
        click.echo(f"wrote {out / f.path}")


@main.command()
@click.option("--out", "out", default=f"{DEFAULT_SOURCE}/schema.json", show_default=True, type=click.Path(path_type=Path))
def schema(out: Path) -> None:
    """Write the JSON Schema of the guide source files (for editor autocompletion)."""
    import json

    from .output_place import check_out_file, write_failure
    from .source_model import json_schema
    from .xlsx_files import write_atomic

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    try:
        check_out_file(out)
        write_atomic(out, text.encode("utf-8"))
    except UserError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(write_failure(out, exc))
    click.echo(f"wrote {out}")


from .cli_score import score  # noqa: E402

main.add_command(score)


from .cli_compare import compare  # noqa: E402

main.add_command(compare)


from .cli_translations import translations  # noqa: E402

main.add_command(translations)

if __name__ == "__main__":  # pragma: no cover
    main()

from .cli_remote import publish, pull  # noqa: E402

main.add_command(publish)
main.add_command(pull)
