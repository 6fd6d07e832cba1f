"""The guide source format: what the YAML files in guide_source/ may hold.

These pydantic models check the shape of each file and generate guide_source/schema.json,
so editors autocomplete and check the YAML. Meaning (references, types, cycles) is checked
later by the checker on the expanded model.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ItemType = Literal[
    "text",
    "integer",
    "decimal",
    "date",
    "select_one",
    "select_multiple",
    "note",
    "calculate",
    "score",
    "group",
    "repeat",
]

# XLSForm types the format refuses, and what each would collect: answers stay anonymous, so
# no form records where someone is, their picture or voice, a file, a scanned code (an ID
# document's) or the phone's own details. The loader names the reason in its one line.
IDENTIFYING_TYPES = {
    "geopoint": "location",
    "geotrace": "location",
    "geoshape": "location",
    "start-geopoint": "location",
    "background-geopoint": "location",
    "image": "photos",
    "audio": "audio",
    "background-audio": "audio",
    "video": "video",
    "file": "files",
    "barcode": "scanned codes, such as those on identity documents",
    "phonenumber": "the phone's number",
    "deviceid": "the phone's identifier",
    "subscriberid": "the phone's subscriber identifier",
    "simserial": "the phone's SIM serial number",
    "username": "the interviewer's user name",
    "email": "the interviewer's e-mail address",
}

ANSWER_TYPES = ("text", "integer", "decimal", "date", "select_one", "select_multiple")
CONTAINER_TYPES = ("group", "repeat")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class Language(_Strict):
    code: str = Field(description="ISO 639-1 code, e.g. 'fr'.", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
    name: str = Field(description="The language's own name, e.g. 'Français'.")


class FormMeta(_Strict):
    id: str = Field(description="Form id: never changes once the form is in use.")
    title: str = Field(description="Form title shown to interviewers (English; translated in .po files).")
    version: str = Field(
        description="Sortable version string, e.g. '2026112801'. Raise it whenever the form changes.",
        pattern=r"^[0-9]{6,}$",
    )
    default_language: str = Field("en", description="Code of the language the YAML text is written in.")
    languages: list[Language] = Field(description="Every language of the guide, the default first.")
    instance_name: str | None = Field(
        None, description="Expression naming each submission, e.g. concat of measure name and date."
    )


class TallyList(_Strict):
    """Items made by one for_each template, counted per choice of its list."""

    list: str = Field(description="The answer list the template iterates over.")
    item: str = Field(description="The template's name with {item}, e.g. 'exp_{item}'.")
    counted: str | None = Field(
        None, description="The answer counted (e.g. 'yes'); for scores, 1 is counted."
    )


class Tally(_Strict):
    """What the importer counts of a form's submissions, per measure, for the dossier."""

    measure: str = Field(description="The question holding the measure code.")
    include: str | None = Field(None, description="Condition a submission must meet to be counted.")
    groups: str | None = Field(
        None, description="A select_multiple: who the person is; its answer list gives the groups' order."
    )
    reported: TallyList = Field(description="A score per right: 1 when the person reported harm to it.")
    experiences: TallyList | None = Field(None, description="A question per experience.")


class OtherForm(_Strict):
    """Another form compiled from the same answer lists, tables, languages and translations,
    with its own id, version and content (the consultation beside the team assessment)."""

    id: str = Field(description="Form id: never changes once the form is in use.")
    title: str = Field(description="Form title (English; translated in .po files).")
    version: str = Field(
        description="Sortable version string of this form; raise it whenever this form changes.",
        pattern=r"^[0-9]{6,}$",
    )
    instance_name: str | None = Field(None, description="Expression naming each submission.")
    content: list[str] = Field(description="Files holding this form's parts, in order.")
    tally: Tally | None = Field(
        None, description="What the importer counts of this form per measure (the consultation)."
    )


class GuideFile(_Strict):
    """guide.yaml: the root file."""

    form: FormMeta
    choices: str = Field("choices.yaml", description="File holding the answer lists.")
    tables: str | None = Field("tables.yaml", description="File holding the data tables.")
    content: list[str] = Field(description="Files holding the parts and steps, in order.")
    forms: list[OtherForm] = Field(
        default_factory=list,
        description="Other forms built from the same lists, tables and translations, e.g. the "
        "consultation; `form` and `content` above are the main form (the team assessment).",
    )


class Choice(_Strict):
    name: str = Field(description="Stable name stored in the data; never translated.")
    label: str = Field(description="Label in English.")
    dont_know: bool = Field(False, description="True for a 'don't know' answer.")


class Table(_Strict):
    """A data table: each key maps to a list of names, e.g. an instrument to the rights it protects."""

    description: str
    keys: str | None = Field(None, description="Answer list whose names the keys are.")
    values: str | None = Field(None, description="Answer list whose names the values are.")
    rows: dict[str, list[str]]


class ForEach(_Strict):
    """Repeat an item once per choice of an answer list: {item} becomes the choice name,
    {label} its label, {TABLE} the keys of TABLE whose row lists the choice."""

    list: str = Field(description="Answer list to iterate over.")


class Item(_Strict):
    """A question, note, calculation, score, group or repeat."""

    name: str = Field(description="Stable name: letters, digits and _, starting with a letter.")
    type: ItemType
    label: str | None = Field(None, description="Question text in English, read aloud by the interviewer.")
    hint: str | None = Field(None, description="Help text in English.")
    intro: str | None = Field(None, description="Introductory text of a group or repeat.")
    list_name: str | None = Field(
        None, alias="list", description="Answer list of a select_one or select_multiple."
    )
    required: bool = False
    relevant: str | None = Field(None, description="Skip rule: ask only when this expression is true.")
    constraint: str | None = Field(None, description="Validation rule; '.' is this answer.")
    constraint_message: str | None = Field(None, description="Shown when the constraint fails.")
    default: str | None = None
    read_only: bool = False
    lines: int | None = Field(None, ge=1, le=40, description="Expected length of a text answer, in lines.")
    sensitive: bool = Field(
        False,
        description="The answer can identify people or sources: kept in scores.json and the CSVs, "
        "never printed in reports or scores.xlsx.",
    )
    formula: str | None = Field(None, description="Expression of a calculate or score.")
    description: str | None = Field(None, description="A score's formula in plain words.")
    missing: str | None = Field(
        None, description="A score's defined result when answers are missing or 'don't know'."
    )
    result_list: str | None = Field(None, description="Answer list labelling a score's text result.")
    base: str | None = Field(
        None, description="For an index: the score counting what it was computed from, shown with it."
    )
    for_each: ForEach | None = None
    min_records: int | None = Field(None, ge=0, description="Prepared records in workbooks and print.")
    items: list[Item] | None = Field(None, description="Contents of a group or repeat.")


class SectionFile(Item):
    """A content file: one part or step, a group with a numbering code."""

    code: str = Field(description="Numbering code of the step, e.g. 'QS' or '5'.")
    type: ItemType = "group"


class ChoicesFile(_Strict):
    """choices.yaml: answer lists by name."""

    lists: dict[str, list[Choice]]


class TablesFile(_Strict):
    """tables.yaml: data tables by name."""

    tables: dict[str, Table]


def json_schema() -> dict:
    """The JSON Schema of every guide source file (one schema, one branch per file kind)."""
    from pydantic import TypeAdapter

    adapter = TypeAdapter(GuideFile | SectionFile | ChoicesFile | TablesFile)
    schema = adapter.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "RighT Guide source file"
    return schema
