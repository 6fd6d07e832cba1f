"""Every `rightguide` command ends in one line and an exit code, whatever fails inside it.

Expected problems (bad input, unwritable places) are UserErrors raised and said by the
commands themselves; this is the net under them: an unexpected exception (a bug, memory
running out, a file system refusing something no command foresaw) becomes one line naming
what failed, and its traceback is shown only with `rightguide --debug`.
"""

from __future__ import annotations

import sys
from typing import Any

import click

EXIT_INTERNAL = 70  # an unexpected failure (sysexits' EX_SOFTWARE): a bug to report
EXIT_OS = {"score": 2}  # a file system failure ends a command as its own bad input does; else 1


def failure_line(command: str, exc: BaseException) -> tuple[str, int]:
    """The one line and exit code for an exception no command turned into a message."""
    if isinstance(exc, MemoryError):
        return (f"error: rightguide {command}: not enough memory to finish; close other programs "
                "or give fewer inputs at a time", EXIT_INTERNAL)  # fmt: skip
    if isinstance(exc, RecursionError):
        return (f"error: rightguide {command}: an input is nested too deeply to read; "
                "simplify it (run again with --debug to see where)", EXIT_INTERNAL)  # fmt: skip
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return (f"error: {where}{exc.strerror or exc} (in 'rightguide {command}'); check that "
                "the file or folder exists and can be read or written, and the free space",
                EXIT_OS.get(command, 1))  # fmt: skip
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return (f"error: rightguide {command} failed unexpectedly ({type(exc).__name__}"
            + (f": {detail[:200]}" if detail else "")
            + "); run it again with 'rightguide --debug' and report what it prints",
            EXIT_INTERNAL)  # fmt: skip


class GuardedGroup(click.Group):
    """A click group whose commands never end in a traceback unless `--debug` is given."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the last net: see the module docstring
            if ctx.params.get("debug"):
                raise
            line, code = failure_line(ctx.invoked_subcommand or ctx.info_name or "", exc)
            click.echo(line, err=True)
            sys.exit(code)
