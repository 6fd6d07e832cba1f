"""What the field tools write, made from their documented behaviour (never from this project's
readers): KoboToolbox exports (`kobo`), ODK Central's submissions.csv.zip (`central`) and ODK
Collect instance files (`collect`), for a form laid out as its XLSForm (`form`) and
submissions filled as a phone sends them (`form.Submission`).

Used by the benchmark generator (`benchmarks/generate.py`) and by the tests; kept apart from
`compiler.importer.readers` so that a reader's mistake cannot be mirrored here.
"""
