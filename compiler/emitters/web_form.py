"""The offline web form: one HTML page that runs ODK Web Forms on the compiled XForm.

The page opens from a file with no server, in every language of the guide (Web Forms' own
language menu), with the form's skip rules, constraints, repeats and live scores. Send saves
the submission XML as a download, which `rightguide score` reads like an ODK Collect instance.
The page carries the bundled script (`web_form_bundle`) and the XForm as JSON; beside it,
`<form_id>_THIRD-PARTY-NOTICES.txt` has the licences of the bundled JavaScript.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from ..diagnostics import UserError
from ..model import Guide
from . import OutputFile

WEB_DIR = "web"
NOTICES_SUFFIX = "_THIRD-PARTY-NOTICES.txt"  # one beside each form's page

# The one sentence the page adds to the form, shown after Send; {file} is the saved file.
SAVED_TEXT = {
    "en": "Saved {file} in your downloads. Score it with: rightguide score {file} --out DIR",
    "fr": "{file} est enregistré dans vos téléchargements. Pour le noter\u00a0: "
    "rightguide score {file} --out DOSSIER",
    "es": "{file} se guardó en sus descargas. Para puntuarlo: rightguide score {file} --out CARPETA",
    "sr-Latn": "{file} je sačuvan u preuzimanjima. Ocenite ga sa: rightguide score {file} --out FASCIKLA",
}

# A script's text ends at the first "</script"; "<!--" and "<script" change how the browser
# finds that end. In the bundle they occur only inside string literals, where \x3C means "<".
_SCRIPT_BREAKERS = ("</script", "<!--", "<script")


def _inline_script(code: str) -> str:
    lowered = code.lower()
    for breaker in _SCRIPT_BREAKERS:
        start = 0
        while (at := lowered.find(breaker, start)) >= 0:
            code = code[:at] + "\\x3C" + code[at + 1 :]
            lowered = lowered[:at] + "\\x3c" + lowered[at + 1 :]
            start = at + 4
    return code


def _json_for_html(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# The heading of the scores shown after Send.
SCORES_TEXT = {"en": "Scores", "fr": "Scores", "es": "Puntuaciones", "sr-Latn": "Ocene"}


def score_table(guide: Guide) -> list[dict[str, object]]:
    """The submission's scores as the page shows them after Send: XPath, label per language
    (keyed by the XForm's language name, as Web Forms' language menu shows it) and the labels
    of a score's result list. Scores inside repeat records are left to the report."""
    langs = {lang.code: lang.xlsform for lang in guide.languages}
    out: list[dict[str, object]] = []
    for item in guide.scores():
        if item.repeat is not None:
            continue
        choices: dict[str, dict[str, str]] = {}
        if item.result_list and item.result_list in guide.lists:
            for choice in guide.lists[item.result_list].choices:
                choices[choice.name] = {langs[c]: guide.text(choice.label, c) for c in langs}
        out.append({
            "xpath": item.xpath,
            "label": {langs[c]: guide.text(item.label, c) for c in langs},
            "choices": choices,
        })  # fmt: skip
    return out


def page_html(guide: Guide, xform: str, script: str) -> str:
    """The whole page: the form's data as JSON, then the bundle as one module script."""
    lang = guide.default_language
    langs = {language.code: language.xlsform for language in guide.languages}
    data = {
        "formId": guide.form_id,
        "defaultLanguage": langs.get(lang, lang),
        "savedText": {langs[c]: SAVED_TEXT.get(c, SAVED_TEXT["en"]) for c in langs},
        "scoresText": {langs[c]: SCORES_TEXT.get(c, SCORES_TEXT["en"]) for c in langs},
        "scores": score_table(guide),
        "xform": xform,
    }
    title = html.escape(guide.text(guide.title, lang))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        "<style>body{margin:0}#rightguide-saved{margin:0;padding:12px 16px;background:#e6f4ea;"
        "font:16px/1.4 Roboto,sans-serif}#rightguide-saved table{border-collapse:collapse;margin-top:8px}"
        "#rightguide-saved td{padding:2px 12px 2px 0;vertical-align:top}</style>\n"
        "</head>\n<body>\n"
        '<div id="rightguide-saved" role="status" hidden></div>\n'
        '<div id="rightguide-app"></div>\n'
        f'<script type="application/json" id="rightguide-form">{_json_for_html(data)}</script>\n'
        f'<script type="module">{_inline_script(script)}</script>\n'
        "</body>\n</html>\n"
    )


def emit_web_form(guide: Guide, out_dir: Path) -> list[OutputFile]:
    """web/<form_id>.html and its licence notices, from the XForm the build just wrote."""
    from ..xlsx_files import write_atomic
    from .web_form_bundle import web_form_bundle

    xform_path = out_dir / f"{guide.form_id}.xml"
    if not xform_path.is_file():
        raise UserError(f"{xform_path}: the web form needs the XForm, which was not built")
    bundle = web_form_bundle()
    page = page_html(guide, xform_path.read_text(encoding="utf-8"), bundle.script)
    (out_dir / WEB_DIR).mkdir(parents=True, exist_ok=True)
    page_path = f"{WEB_DIR}/{guide.form_id}.html"
    notices_path = f"{WEB_DIR}/{guide.form_id}{NOTICES_SUFFIX}"
    write_atomic(out_dir / page_path, page.encode("utf-8"))
    write_atomic(out_dir / notices_path, bundle.notices.encode("utf-8"))
    return [OutputFile("web-form", page_path), OutputFile("web-form-notices", notices_path)]
