"""The filter state: one frozen dataclass that turns into a SQL WHERE fragment plus parameters.

Modelled on datasette's ``filters.py``: every condition is a SQL fragment with
``?`` placeholders and a list of bound values; user values never enter the SQL
text. ``Filters`` is hashable, so it serves as a cache key, and round-trips to
URL query parameters, so a copied link reproduces a view.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

DEFAULT_MIN_N = 30

# URL parameter name -> dataclass field, for the multi-valued text filters.
_URL_LISTS: dict[str, str] = {
    "stage": "stages",
    "touchpoint": "touchpoints",
    "channel": "channels",
    "provider": "providers",
    "theme": "themes",
    "lang": "languages",
}


def _tuple(values: Iterable[Any] | None) -> tuple[str, ...]:
    """Normalise a selection: strings, de-duplicated, sorted (so equal selections hash equal)."""
    if not values:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(sorted({str(v) for v in values if v is not None and str(v) != ""}))


@dataclass(frozen=True, kw_only=True)
class Filters:
    """What the user has narrowed the data to. Empty selections mean "all"."""

    stages: tuple[str, ...] = ()
    touchpoints: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()  # experience providers (via the touchpoint map)
    themes: tuple[str, ...] = ()  # responses whose comment carries any of these themes
    languages: tuple[str, ...] = ()
    segments: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (dimension, values) pairs
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    min_n: int = DEFAULT_MIN_N  # below this a figure is directional; not a row filter

    def __post_init__(self) -> None:
        for name in ("stages", "touchpoints", "channels", "providers", "themes", "languages"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        segs: dict[str, set[str]] = {}
        for dim, values in self.segments or ():
            vals = _tuple(values)
            if vals:
                segs.setdefault(str(dim), set()).update(vals)
        object.__setattr__(
            self, "segments", tuple(sorted((d, tuple(sorted(v))) for d, v in segs.items()))
        )
        if self.date_from and self.date_to and self.date_from > self.date_to:
            start, end = self.date_to, self.date_from
            object.__setattr__(self, "date_from", start)
            object.__setattr__(self, "date_to", end)
        if int(self.min_n) < 1:
            object.__setattr__(self, "min_n", 1)

    # -- building -------------------------------------------------------
    def with_(self, **changes: Any) -> Filters:
        """A copy with some fields changed (``segments`` may be given as a dict)."""
        if isinstance(changes.get("segments"), Mapping):
            changes["segments"] = tuple(changes["segments"].items())
        return replace(self, **changes)

    def segment_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self.segments)

    @property
    def is_empty(self) -> bool:
        """True when no row filter is set (``min_n`` does not filter rows)."""
        return self == Filters(min_n=self.min_n)

    # -- SQL ------------------------------------------------------------
    def to_sql(self, alias: str = "") -> tuple[str, list[Any]]:
        """A WHERE fragment over the ``feedback`` table (``alias`` prefixes its columns).

        Returns ``("TRUE", [])`` when nothing is filtered.
        """
        p = f"{alias}." if alias else ""
        clauses: list[str] = []
        params: list[Any] = []

        def in_list(column: str, values: tuple[str, ...]) -> None:
            if values:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)

        in_list(f"{p}stage", self.stages)
        in_list(f"{p}touchpoint", self.touchpoints)
        in_list(f"{p}channel", self.channels)
        in_list(f"{p}language", self.languages)
        if self.providers:
            marks = ", ".join("?" * len(self.providers))
            clauses.append(
                f"{p}touchpoint IN (SELECT touchpoint FROM touchpoints WHERE provider IN ({marks}))"
            )
            params.extend(self.providers)
        if self.themes:
            clauses.append(f"list_has_any({p}themes, ?::VARCHAR[])")
            params.append(list(self.themes))
        for dim, values in self.segments:
            marks = ", ".join("?" * len(values))
            clauses.append(f"{p}segments[?] IN ({marks})")
            params.append(dim)
            params.extend(values)
        if self.date_from:
            clauses.append(f"{p}ts >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append(f"{p}ts < ?")
            params.append(self.date_to + timedelta(days=1))
        return (" AND ".join(clauses) if clauses else "TRUE"), params

    # -- URL round trip -------------------------------------------------
    def to_query_params(self) -> dict[str, list[str]]:
        """URL query parameters (repeated keys as lists); empty fields are left out."""
        out: dict[str, list[str]] = {}
        for key, name in _URL_LISTS.items():
            values = getattr(self, name)
            if values:
                out[key] = list(values)
        if self.segments:
            out["seg"] = [f"{dim}:{v}" for dim, values in self.segments for v in values]
        if self.date_from:
            out["from"] = [self.date_from.isoformat()]
        if self.date_to:
            out["to"] = [self.date_to.isoformat()]
        if self.min_n != DEFAULT_MIN_N:
            out["min_n"] = [str(self.min_n)]
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, str | list[str]]) -> Filters:
        """Inverse of :meth:`to_query_params`; malformed values are ignored, not fatal."""

        def values(key: str) -> list[str]:
            v = params.get(key)
            if v is None:
                return []
            return [v] if isinstance(v, str) else [str(x) for x in v]

        kwargs: dict[str, Any] = {name: values(key) for key, name in _URL_LISTS.items()}
        segs: dict[str, list[str]] = {}
        for item in values("seg"):
            dim, sep, val = item.partition(":")
            if sep and dim and val:
                segs.setdefault(dim, []).append(val)
        kwargs["segments"] = tuple((d, tuple(v)) for d, v in segs.items())
        for key, name in (("from", "date_from"), ("to", "date_to")):
            raw = values(key)
            if raw:
                with contextlib.suppress(ValueError):
                    kwargs[name] = date.fromisoformat(raw[0][:10])
        raw_n = values("min_n")
        if raw_n and raw_n[0].isdigit():
            kwargs["min_n"] = int(raw_n[0])
        return cls(**kwargs)


FILTER_FIELDS = tuple(f.name for f in fields(Filters))
