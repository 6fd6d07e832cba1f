"""What KoboToolbox XLSX and CSV exports share: metadata columns and the record header."""

from __future__ import annotations

from ..records import Record, RepeatRecord, Source
from .tables import ColumnMap, RowData

KOBO_META = (
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_version_", "_tags", "_index", "_parent_table_name",
    "_parent_index", "_attachments", "_geolocation", "_xform_id_string", "formhub/uuid",
    "meta/rootUuid", "rootUuid", "meta/instanceID", "instanceID", "meta/deprecatedID",
    "deprecatedID", "meta/instanceName", "instanceName", "start", "end", "today", "deviceid",
    "username", "simserial", "subscriberid", "phonenumber", "audit", "meta/audit",
)  # fmt: skip


def kobo_record(
    row: RowData, source: Source, repeats: dict[str, list[RepeatRecord]] | None
) -> Record:
    """A Record from a Kobo main row, with its empty repeats (attached later), or None when the
    export cannot carry repeats (CSV). The form is recognised by its columns
    (`tables.foreign_table`), not by an id, since Kobo exports carry none."""
    meta = row.metadata
    instance = meta.get("meta/instanceID") or meta.get("instanceID")
    if not instance and meta.get("_uuid"):
        instance = meta["_uuid"] if meta["_uuid"].startswith("uuid:") else "uuid:" + meta["_uuid"]
    instance = instance or meta.get("meta/rootUuid") or meta.get("rootUuid")
    deprecated = meta.get("meta/deprecatedID") or meta.get("deprecatedID")
    return Record(
        source=source,
        form_id=None,  # Kobo exports carry no form id (_xform_id_string is Kobo's asset uid)
        form_version=meta.get("__version__") or meta.get("_version_"),
        instance_id=instance or None,
        deprecated_id=deprecated or None,
        submitted_at=meta.get("_submission_time"),
        values=row.values,
        repeats={} if repeats is None else repeats,
        repeats_available=repeats is not None,
        relevance_known=False,
        issues=row.issues,
        carried_scores=row.carried,
        metadata=meta,
    )


def unknown_columns_note(where: str, cmap: ColumnMap) -> str | None:
    unknown = [c.header for c in cmap.unknown]
    if not unknown:
        return None
    shown = ", ".join(f"'{h}'" for h in unknown[:8]) + (" ..." if len(unknown) > 8 else "")
    return (
        f"{where}: {len(unknown)} column(s) not in the form (their values are not read): {shown}"
    )
