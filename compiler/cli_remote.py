"""`rightguide publish` and `rightguide pull`: the form to ODK Central, the data back from
ODK Central or KoboToolbox, scored as `rightguide score` scores a downloaded export."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from .diagnostics import UserError, one_line

EXIT_UNUSABLE = 2


def _stop(exc: UserError) -> None:
    click.echo(f"error: {one_line(str(exc))}", err=True)
    sys.exit(EXIT_UNUSABLE)


_config_option = click.option(
    "--config", "config", default=None, type=click.Path(path_type=Path),
    help="pyodk config file (default: PYODK_CONFIG_FILE, else ~/.pyodk_config.toml; or set "
    "ODK_CENTRAL_URL, ODK_CENTRAL_USERNAME, ODK_CENTRAL_PASSWORD).",
)  # fmt: skip
_project_option = click.option(
    "--project", "project", default=None, type=int,
    help="ODK Central project id (default: default_project_id of the config).",
)  # fmt: skip


@click.command()
@click.option("--out", "out", default="outputs", show_default=True,
              type=click.Path(path_type=Path), help="The folder `rightguide build` wrote.")  # fmt: skip
@_config_option
@_project_option
@click.option("--form", "form_id", default=None,
              help="Publish only this form (default: every form the build made).")  # fmt: skip
def publish(out: Path, config: Path | None, project: int | None, form_id: str | None) -> None:
    """Publish the built forms (outputs/right_guide.xml, ...) to an ODK Central project."""
    from .remote.central import Central, built_forms
    from .remote.central import publish as run_publish

    try:
        forms = built_forms(out, form_id)
        with Central(config, project) as central:
            for form in forms:
                done = run_publish(central, form)
                where = f"{central.url} project {done.project}"
                if done.action == "unchanged":
                    click.echo(f"{form.form_id} version {form.version} is already published on "
                               f"{where}: nothing to do")  # fmt: skip
                else:
                    click.echo(f"published {form.form_id} version {form.version} on {where} "
                               f"({done.action})")  # fmt: skip
    except UserError as exc:
        _stop(exc)


@click.command()
@click.option(
    "--out", "out", required=True, type=click.Path(path_type=Path), help="Folder for the results."
)
@click.option("--kobo", "kobo_asset", default=None, metavar="ASSET_UID",
              help="Pull from KoboToolbox: the project's asset UID (else ODK Central).")  # fmt: skip
@click.option("--kobo-url", "kobo_url", default=None,
              help="KoboToolbox server (default: KOBO_URL, else https://kf.kobotoolbox.org).")  # fmt: skip
@click.option("--kobo-token-file", "kobo_token_file", default=None, type=click.Path(path_type=Path),
              help="File holding the Kobo API token (default: the KOBO_TOKEN variable).")  # fmt: skip
@_config_option
@_project_option
@click.option("--form", "form_id", default=None, help="ODK Central form id (default: the guide's).")
@click.option("--save", "save", default=None, type=click.Path(path_type=Path),
              help="Also keep the downloaded export at this path.")  # fmt: skip
@click.option("--lang", "lang", default=None, help="Language of the report (default: the guide's).")
@click.option("--source", "source", default="guide_source", show_default=True,
              type=click.Path(path_type=Path))  # fmt: skip
def pull(
    out: Path, kobo_asset: str | None, kobo_url: str | None, kobo_token_file: Path | None,
    config: Path | None, project: int | None, form_id: str | None, save: Path | None,
    lang: str | None, source: Path,
) -> None:  # fmt: skip
    """Download the submissions from ODK Central (or KoboToolbox with --kobo) and score them."""
    from .cli_score import score_files

    with tempfile.TemporaryDirectory(prefix="rightguide-pull-") as tmp:
        try:
            if kobo_asset:
                from .remote.kobo import Kobo, exported_submissions, kobo_token

                # with --save the file is downloaded there, so messages name it
                target = save or Path(tmp) / f"{kobo_asset}.xlsx"
                kobo = Kobo(kobo_url, kobo_token(kobo_token_file), kobo_asset)
                count = kobo.submission_count()
                if count == 0:
                    raise UserError(
                        f"{kobo.url}: project {kobo_asset} has no submission yet; nothing written"
                    )
                kobo.download_xlsx(target)
                _say_missing(count, exported_submissions(target))
                fmt = "kobo-xlsx"
            else:
                from .remote.central import Central, download_submissions, submission_count

                target = save or Path(tmp) / "submissions.csv.zip"
                form_id = form_id or _guide_form_id(source)
                with Central(config, project) as central:
                    if submission_count(central, form_id) == 0:
                        raise UserError(
                            f"{central.url}: form {form_id} in project {central.project} has no "
                            "submission yet; nothing written"
                        )
                    download_submissions(central, form_id, target)
                fmt = "central"
        except UserError as exc:
            _stop(exc)
            return
        except OSError as exc:
            _stop(
                UserError(f"{exc.filename or target}: cannot write the download ({exc.strerror})")
            )
            return
        click.echo(f"downloaded {target} ({target.stat().st_size} bytes)", err=True)
        score_files((target,), out, fmt, lang, source)


def _guide_form_id(source: Path) -> str:
    from .loader import load_checked_guide

    return load_checked_guide(source)[0].form_id


def _say_missing(counted: int | None, exported: int) -> None:
    # KoboToolbox's exporter leaves out submissions of a form version it does not know
    if counted is not None and exported < counted:
        click.echo(
            f"note: KoboToolbox counts {counted} submission(s) but its export holds {exported}: "
            "the others are not in this pull (look for them in KoboToolbox's data table)",
            err=True,
        )
