"""LibreOffice Calc, headless, as a user opens our files: a CSV imported with a chosen
separator (and formulas evaluated, as a user's Calc does) or an .xlsx, saved in another
format to be read back. One private user profile per test session, so runs do not share or
touch a real profile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

MISSING = "soffice not found: install LibreOffice (apt-get install libreoffice-calc-nogui)"
UTF8 = 76  # LibreOffice's number for the UTF-8 character set


class Calc:
    """`soffice --convert-to` with a profile in `profile_dir`."""

    def __init__(self, profile_dir: Path) -> None:
        found = shutil.which("soffice")
        if found is None:
            raise FileNotFoundError(MISSING)
        self.soffice = found
        self.profile = profile_dir.resolve().as_uri()

    def convert(self, paths: list[Path], to: str, out_dir: Path, infilter: str | None = None) -> list[Path]:
        """Each file opened (with `infilter`, when given) and saved as `to` in out_dir."""
        out_dir.mkdir(parents=True, exist_ok=True)
        command = [self.soffice, "--headless", "--norestore", f"-env:UserInstallation={self.profile}",
                   "--convert-to", to, "--outdir", str(out_dir)]  # fmt: skip
        if infilter:
            command.append(f"--infilter={infilter}")
        subprocess.run([*command, *map(str, paths)], check=True, capture_output=True, timeout=300)
        made = [out_dir / f"{p.stem}.{to.split(':')[0]}" for p in paths]
        missing = [p for p in made if not p.exists()]
        assert not missing, f"LibreOffice made no {missing}"
        return made

    def csv_as_xlsx(self, paths: list[Path], separator: str, out_dir: Path) -> list[Path]:
        """CSV files imported as a user with that separator would (quotes honoured, formulas
        evaluated, special numbers not detected) and saved as .xlsx."""
        # tokens: separator, text delimiter ("), charset, first line, column formats, language,
        # quoted field as text, detect special numbers, ..., evaluate formulas (13th)
        options = f"{ord(separator)},34,{UTF8},1,,1033,false,false,false,false,false,-1,true"
        return self.convert(paths, "xlsx", out_dir, f"CSV:{options}")
