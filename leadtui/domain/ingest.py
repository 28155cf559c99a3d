"""The inlet for other systems: one lead a JSON line (docs/rules.md, rule 20).

Web forms, mail filters, n8n or cron scripts send leads as JSON objects, one a line, with the
import's fields (by their German or English names: "Titel" or "title", "E-Mail" or "email" …),
optionally an `external_id` (the sending system's id: a repeated line updates that lead or does
nothing, never a second lead) and `kollege`. Every line gets one answer: created, updated,
duplicate or invalid (with the field and the reason). `read_line` turns a line of text into an
`IngestLine` or says why it is none; the repository does the rest, as it does for an import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadtui.domain.imports import FIELD_LABELS, ImportOptions, field_named

EXTERNAL_ID = "external_id"
EXTERNAL_ID_LIMIT = 200
MAX_LINE = 64 * 1024  # a lead is a few hundred bytes; a line this long is no lead
MAX_LINES = 1000  # lines per request: one transaction, one round trip


class Result:
    CREATED = "created"
    UPDATED = "updated"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


@dataclass(frozen=True)
class IngestLine:
    """One lead as a line brought it: field key -> text, and the sender's id for it."""

    number: int
    fields: dict[str, str] = field(default_factory=dict)
    external_id: str = ""


@dataclass(frozen=True)
class IngestAnswer:
    """What became of one line: its result, the lead it concerns, and for an invalid line the
    field and the German reason."""

    line: int
    result: str
    lead_id: int | None = None
    field: str = ""
    reason: str = ""

    def as_json(self) -> str:
        answer: dict[str, Any] = {"line": self.line, "result": self.result}
        if self.lead_id is not None:
            answer["lead_id"] = self.lead_id
        if self.field:
            answer["field"] = self.field
        if self.reason:
            answer["reason"] = self.reason
        return json.dumps(answer, ensure_ascii=False)


KEY_PREFIX = "ltk_"  # an API key says what it is (a session token has no prefix)


@dataclass(frozen=True)
class ApiKey:
    """A key another system posts leads with; it acts as the admin who made it (`by_name`)."""

    id: int
    name: str
    by_name: str
    created_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class NewApiKey:
    """A key just made: its secret is shown this once (only its hash is kept)."""

    key: ApiKey
    secret: str


def read_line(number: int, text: str) -> IngestLine | IngestAnswer:
    """A line of input as a lead, or the invalid answer saying why it is none."""
    if len(text) > MAX_LINE:
        return _invalid(number, "", "Die Zeile ist länger als 64 KB; das ist kein Lead.")
    try:
        data = json.loads(text)
    except ValueError:
        return _invalid(number, "", "Die Zeile ist kein JSON.")
    if not isinstance(data, dict):
        return _invalid(number, "", "Die Zeile ist kein JSON-Objekt mit den Feldern des Leads.")
    fields: dict[str, str] = {}
    external_id = ""
    for key, value in data.items():
        if value is None:
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return _invalid(number, str(key), f"„{str(key)[:40]}“ muss Text oder eine Zahl sein.")
        text_value = value if isinstance(value, str) else _number(value)
        if key == EXTERNAL_ID:
            external_id = text_value.strip()
            if len(external_id) > EXTERNAL_ID_LIMIT:
                return _invalid(
                    number, EXTERNAL_ID, f"external_id ist zu lang (höchstens {EXTERNAL_ID_LIMIT} Zeichen)."
                )
            continue
        name = field_named(str(key))
        if name is None:
            names = ", ".join([*FIELD_LABELS, EXTERNAL_ID])
            return _invalid(number, str(key)[:40], f"Ein Feld „{str(key)[:40]}“ gibt es nicht (Felder: {names}).")
        fields[name] = text_value
    return IngestLine(number, fields, external_id)


def _number(value: int | float) -> str:
    return str(int(value)) if isinstance(value, int) or value.is_integer() else f"{value:.2f}"


def _invalid(number: int, key: str, reason: str) -> IngestAnswer:
    return IngestAnswer(number, Result.INVALID, field=key, reason=reason)


Ingest = Callable[[list[IngestLine], ImportOptions], list[IngestAnswer]]  # a repository's ingest_leads


def answered(ingest: Ingest, options: ImportOptions, lines: Iterable[str], group: int) -> Iterator[list[IngestAnswer]]:
    """The answers to `lines`, `group` lines (one call of `ingest`) at a time, in their order;
    a line that is no lead is answered without asking, and an empty line is skipped."""
    for chunk in _groups(lines, min(group, MAX_LINES)):
        leads = [item for item in chunk if isinstance(item, IngestLine)]
        got = {answer.line: answer for answer in ingest(leads, options)} if leads else {}
        yield [item if isinstance(item, IngestAnswer) else got[item.number] for item in chunk]


def _groups(lines: Iterable[str], size: int) -> Iterator[list[IngestLine | IngestAnswer]]:
    chunk: list[IngestLine | IngestAnswer] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        chunk.append(read_line(number, text))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
