"""One WHERE-clause builder for every query of the store: conditions with their bound
parameters, and the joined tables (by alias) the conditions need, so that a query joins
a table only when a condition uses it and never by looking into the SQL text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def like_pattern(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') matching `text` anywhere, its wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def id_prefix(text: str) -> str:
    """A LIKE pattern for ids that begin with `text` (its LIKE wildcards dropped)."""
    return text.replace("%", "").replace("_", "") + "%"


def fts_query(text: str) -> str:
    """A user's search words as an FTS5 query: each word quoted, all required.

    Quoting keeps FTS5 syntax characters in user input from being parsed as operators.
    """
    words = [w.replace('"', "") for w in text.split()]
    return " ".join(f'"{w}"' for w in words if w)


def fts_rowids(search: str) -> tuple[str, list[Any]]:
    """A subquery of the rowids of the articles holding every word of `search`, and its
    parameters (words of quote marks only match nothing)."""
    query = fts_query(search)
    if not query:
        return "(SELECT rowid FROM articles WHERE 1 = 0)", []
    return "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", [query]


@dataclass
class Where:
    """Conditions joined by AND, their parameters in order, and the aliases of the
    tables they need joined (e.g. {"a"} for articles)."""

    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    joins: set[str] = field(default_factory=set)

    def add(self, condition: str, *params: Any, needs: Iterable[str] = ()) -> None:
        """One condition with its parameters; `needs` names the joined aliases it uses."""
        self.conditions.append(condition)
        self.params.extend(params)
        self.joins.update(needs)

    def equal(self, column: str, value: Any, *, needs: Iterable[str] = ()) -> None:
        """`column = value`, unless value is None or empty (then any value)."""
        if value is not None and value != "":
            self.add(f"{column} = ?", value, needs=needs)

    def any_of(self, column: str, values: Iterable[Any], *, needs: Iterable[str] = ()) -> None:
        """`column IN (values)`, unless there are none."""
        found = list(values)
        if found:
            self.add(f"{column} IN ({','.join('?' * len(found))})", *found, needs=needs)

    def like(self, columns: Iterable[str], text: str | None, *, needs: Iterable[str] = ()) -> None:
        """`text` as a substring (case-insensitive, wildcards literal) of any of `columns`."""
        if not text:
            return
        names = list(columns)
        pattern = like_pattern(text)
        sql = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in names)
        self.add(f"({sql})" if len(names) > 1 else sql, *[pattern] * len(names), needs=needs)

    def overlaps(self, start: str, end: str, since: date | None, until: date | None) -> None:
        """Rows whose interval [start, end] overlaps [since, until], both inclusive and
        either open: a week that ends on 2022-01-09 is not `since` 2022-01-19; a year
        1991 is not `since` 2022-01-01."""
        if since:
            self.add(f"{end} >= ?", since.isoformat())
        if until:
            self.add(f"{start} <= ?", until.isoformat())

    def also(self, condition: str, *params: Any, needs: Iterable[str] = ()) -> Where:
        """A copy with one more condition."""
        more = Where(list(self.conditions), list(self.params), set(self.joins))
        more.add(condition, *params, needs=needs)
        return more

    def sql(self) -> str:
        """The clause, " WHERE ..." (or "" when there is no condition)."""
        return " WHERE " + " AND ".join(self.conditions) if self.conditions else ""

    def __bool__(self) -> bool:
        return bool(self.conditions)
