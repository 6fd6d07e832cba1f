"""Limits on what an input may make the importer read, so a hostile file is refused with one
line instead of filling memory or disk. Documented in the README (`rightguide score`).

Readers never extract a zip to disk: members are read into memory, through `safe_zip`, one at
a time, and refused past these limits.
"""

from __future__ import annotations

MIB = 1024 * 1024

# entries in one zip (export, instance zip or .xlsx workbook): an ODK Collect instance zip
# holds a file per submission; zipfile holds the zip's directory (~0.5 KB an entry) in memory
MAX_ZIP_MEMBERS = 200_000
MAX_MEMBER_BYTES = 512 * MIB  # one member, uncompressed
MAX_ZIP_TOTAL_BYTES = 2048 * MIB  # every member of one zip together, uncompressed
# An .xlsx worksheet is read as a stream (readers/xlsx_stream), never held whole in memory, and a
# Kobo export of 100,000 submissions has a main sheet near 1 GiB: sheets get wider bounds.
MAX_SHEET_BYTES = 4096 * MIB  # one worksheet of an .xlsx, uncompressed
MAX_XLSX_TOTAL_BYTES = 8192 * MIB  # every member of one .xlsx together, uncompressed
MAX_RATIO = 200  # uncompressed / compressed size of a member ...
RATIO_FROM_BYTES = 16 * MIB  # ... once it holds more than this (small members compress freely)
# filled rows read from one repeat table of a self-assessment workbook (it holds one assessment;
# the workbook prepares a few dozen rows), so a sheet of repeated rows cannot fill memory
MAX_WORKBOOK_TABLE_ROWS = 100_000
XLSX_MAX_CELL_CHARS = 32_767  # Excel's limit on one cell's text; longer text is cut in .xlsx

# Inputs read whole, each checked (a regular file, its size) before a byte is read: see
# importer/input_files. A CSV is decoded whole (its rows are then read one at a time): 512 MiB,
# as for a CSV inside a zip, holds some 270,000 submissions of the real guide (188 MB for
# 100,000). An ODK Collect instance file holds one submission (a few KB).
MAX_CSV_BYTES = MAX_MEMBER_BYTES
MAX_XML_BYTES = 64 * MIB
DETECT_BYTES = 64 * 1024  # what format detection reads of a file: its first bytes only
# ODK Collect, ODK Central and KoboToolbox set no length on a text answer (ODK Aggregate's
# 255 characters are gone; Central keeps answers in PostgreSQL text, up to 1 GB), and an .xlsx
# cell is read whatever its length: so a CSV value is bounded as the file is, by a zip entry's
# MAX_MEMBER_BYTES, not by the csv module's default of 131,072 characters
MAX_CSV_VALUE_CHARS = MAX_MEMBER_BYTES
