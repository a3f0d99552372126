"""From an uploaded file to canonical feedback or touchpoint-map rows.

sniff   what the file really is (type, encoding, delimiter, sheets) -> RawWorkbook
header  where the header is (title rows, multi-row survey headers)
mapping which column is which canonical field (EN/VI/ZH synonyms), long vs wide
values  numbers, text scores, scales and dates
load    validation, one transaction per file, idempotency, undo
"""
