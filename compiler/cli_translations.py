"""`rightguide translations`: keep the gettext catalogues in step with the guide."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import Diagnostics, GuideInvalid, UserError


@click.command()
@click.option(
    "--source", "source", default="guide_source", show_default=True,
    type=click.Path(path_type=Path),
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any language is incomplete "
              "or translates a key term of locale/terms.yaml another way.")  # fmt: skip
def translations(source: Path, check: bool) -> None:
    """Write locale/messages.pot, merge it into every locale/<code>.po and print coverage.

    New English texts are added untranslated, changed ones keep their translation marked fuzzy
    (with the previous English), removed ones become obsolete (#~). Translate the empty and
    fuzzy entries (and remove the fuzzy flag) in a .po editor such as Poedit, or by hand."""
    from .loader import load_guide
    from .terminology import check_terms, load_terms
    from .translations import LOCALE_DIR, po_path, read_po, update_catalogues

    try:
        guide = load_guide(source, Diagnostics())
        results = update_catalogues(source, guide, write=not check)
        terms = load_terms(source / LOCALE_DIR)
        problems = [
            problem
            for cov in results
            if po_path(source, cov.code).is_file()
            for problem in check_terms(read_po(po_path(source, cov.code)), cov.code, terms)
        ]
    except GuideInvalid as exc:
        for diag in exc.diagnostics.sorted():
            click.echo(str(diag), err=True)
        sys.exit(exc.exit_code)
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for cov in results:
        click.echo(
            f"{cov.code} {guide.language(cov.code).name}: {cov.translated} translated, "
            f"{cov.missing} missing, {cov.fuzzy} fuzzy ({cov.percent:.1f}%)"
        )
    for problem in problems:
        click.echo(f"term: {problem}", err=True)
    if check and not all(cov.complete for cov in results):
        click.echo("error: some translations are missing or out of date (fuzzy); "
                   "run 'rightguide translations' and translate them", err=True)
        sys.exit(1)
    if check and problems:
        click.echo(f"error: {len(problems)} entr(ies) translate a key term another way "
                   "(see above)", err=True)
        sys.exit(1)
