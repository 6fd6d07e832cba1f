"""`rightguide translations`: keep the gettext catalogues in step with the guide."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import Diagnostics, GuideInvalid, UserError


@click.command()
@click.option("--source", "source", default="guide_source", show_default=True, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any language is incomplete.")
def translations(source: Path, check: bool) -> None:
    """Extract messages.pot, merge it into every locale/<code>.po and print coverage."""
    from .loader import load_guide
    from .translations import update_catalogues

    try:
        guide = load_guide(source, Diagnostics())
        results = update_catalogues(source, guide, write=not check)
    except GuideInvalid as exc:
        for diag in exc.diagnostics.sorted():
            click.echo(str(diag), err=True)
        sys.exit(1)
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    names = {lang.code: lang.name for lang in guide.languages}
    for cov in results:
        click.echo(
            f"{cov.code} {names[cov.code]}: {cov.translated} translated, {cov.missing} missing, "
            f"{cov.fuzzy} fuzzy ({cov.percent:.1f}%)"
        )
    incomplete = any(cov.missing or cov.fuzzy for cov in results)
    sys.exit(1 if check and incomplete else 0)
