"""One reader per input format; each yields normalized Records (see ..records)."""
