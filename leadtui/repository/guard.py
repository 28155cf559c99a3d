"""The company-scope guard: a statement of the repository that reads or writes a company-owned
table without the acting company's predicate is refused before it reaches the database.

Every table declares in its `info` whose rows it holds: `scope` maps its scope columns to
"company" or "colleague" (the acting company's or colleague's id), or `shared` says that any
company may read it once it reaches the row through a scoped one (leads, company names). A table
that declares neither is refused outright, so a new table cannot be forgotten. `bump` marks a
table of counters any company may move (an UPDATE), though only its own may be read; `deliver`
a table any colleague may insert into for another (notifications), though only its own rows may
be read.

A table occurrence counts as scoped when, in the WHERE or a JOIN's ON of its SELECT (or of an
enclosing SELECT, for correlated subqueries), one of its scope columns equals the acting id, or
equals a scope column of an occurrence that is scoped itself - along AND, and along OR only when
every branch scopes it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Engine, event
from sqlalchemy.sql import operators
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, ClauseElement, TextClause
from sqlalchemy.sql.selectable import Alias, CompoundSelect, FromClause, Join, Select, Subquery, TableClause

from leadtui.db.models import Base

SCOPE_OPTION = "leadtui_scope"
# What a write must do to other companies' rows on SQLite - deliver notifications to their
# assignees (repository/notifications.py), move their sort keys and counters after an edit
# (repository/journal.py) - runs with this option and is let pass; it returns the writer nothing
# of theirs. On PostgreSQL SECURITY DEFINER functions do it.
DELIVERY_OPTION = "leadtui_delivery"


class UnscopedStatement(RuntimeError):
    """A repository statement touched a company-owned table without the acting scope."""


@dataclass(frozen=True)
class Acting:
    company_id: int
    colleague_id: int

    def value(self, kind: str) -> int:
        return self.company_id if kind == "company" else self.colleague_id


Key = tuple[str, str]  # (table name, name of this occurrence)


def _table(clause: FromClause) -> TableClause | None:
    element = clause
    while isinstance(element, Alias) and not isinstance(element, Subquery):
        element = element.element
    return element if isinstance(element, TableClause) else None


def _key(clause: FromClause) -> Key | None:
    table = _table(clause)
    if table is None:
        return None
    return table.name, str(getattr(clause, "name", table.name))


def _scope_columns(table: TableClause) -> Mapping[str, str]:
    info = getattr(table, "info", {})
    if "scope" in info:
        return info["scope"]  # type: ignore[no-any-return]
    if info.get("shared"):
        return {}
    raise UnscopedStatement(f"table {table.name} declares neither a scope nor that it is shared")


def _occurrence(column: Any) -> tuple[Key, str] | None:
    if not isinstance(column, Column) and not hasattr(column, "table"):
        return None
    table = getattr(column, "table", None)
    if table is None or not isinstance(table, FromClause):
        return None
    key = _key(table)
    real = _table(table)
    if key is None or real is None:
        return None
    kind = _scope_columns(real).get(column.name)
    return (key, kind) if kind else None


class _Check:
    def __init__(self, acting: Acting):
        self.acting = acting

    # --- predicates -------------------------------------------------------------------------

    def scoped_by(self, clause: ClauseElement | None) -> tuple[set[Key], set[tuple[Key, Key]]]:
        """Occurrences a predicate scopes by itself, and scope-column equalities between two."""
        if clause is None:
            return set(), set()
        if isinstance(clause, BooleanClauseList):
            parts = [self.scoped_by(child) for child in clause.clauses]
            if clause.operator is operators.and_:
                return set().union(*(p[0] for p in parts)), set().union(*(p[1] for p in parts))
            if clause.operator is operators.or_ and parts:
                return set.intersection(*(p[0] for p in parts)), set()
            return set(), set()
        if hasattr(clause, "element") and clause.__class__.__name__ == "Grouping":
            return self.scoped_by(clause.element)
        if isinstance(clause, BinaryExpression) and clause.operator is operators.eq:
            left, right = _occurrence(clause.left), _occurrence(clause.right)
            if left and right:
                return set(), {(left[0], right[0])}
            for side, other in ((left, clause.right), (right, clause.left)):
                if side and isinstance(other, BindParameter) and other.value == self.acting.value(side[1]):
                    return {side[0]}, set()
        return set(), set()

    # --- statements -------------------------------------------------------------------------

    def statement(self, stmt: ClauseElement, params: list[Mapping[str, Any]]) -> None:
        if isinstance(stmt, TextClause):
            self.text(stmt)
        elif isinstance(stmt, Select):
            self.select(stmt, set())
        elif isinstance(stmt, CompoundSelect):
            for select in stmt.selects:
                self.statement(select, params)
        elif isinstance(stmt, (Update, Delete)):
            self.dml(stmt)
        elif isinstance(stmt, Insert):
            self.insert(stmt, params)

    def text(self, stmt: TextClause) -> None:
        sql = stmt.text.lower()
        for name in _SCOPED_NAMES:
            if name in sql:
                raise UnscopedStatement(f"raw SQL names the company-owned table {name}")

    def _froms(self, froms: Iterable[FromClause]) -> Iterator[tuple[FromClause, ClauseElement | None]]:
        for clause in froms:
            if isinstance(clause, Join):
                yield from self._froms([clause.left])
                yield from self._froms([clause.right])
                yield clause, clause.onclause
            else:
                yield clause, None

    def select(self, select: Select[Any], outer: set[Key]) -> None:
        occurrences: list[Key] = []
        predicates: list[ClauseElement | None] = [select.whereclause]
        for clause, onclause in self._froms(select.get_final_froms()):
            if onclause is not None:
                predicates.append(onclause)
                continue
            key = _key(clause)
            if key is not None:
                table = _table(clause)
                assert table is not None
                if _scope_columns(table):
                    occurrences.append(key)
            elif isinstance(clause, Subquery):
                self.statement(clause.element, [])
        scoped, edges = set(outer), set()
        for predicate in predicates:
            found, equal = self.scoped_by(predicate)
            scoped |= found
            edges |= equal
        grown = True
        while grown:
            grown = False
            for a, b in edges:
                for x, y in ((a, b), (b, a)):
                    if x in scoped and y not in scoped:
                        scoped.add(y)
                        grown = True
        missing = [key for key in occurrences if key not in scoped]
        if missing:
            raise UnscopedStatement(f"no acting-company predicate for {', '.join(n for n, _ in missing)}")
        for predicate in [*predicates, *select.selected_columns]:
            self.nested(predicate, scoped)

    def nested(self, clause: ClauseElement | None, outer: set[Key]) -> None:
        """Check the subqueries inside an expression, with the enclosing scope for correlation."""
        if clause is None:
            return
        for child in clause.get_children():
            if isinstance(child, Select):
                self.select(child, outer)
            elif isinstance(child, ClauseElement):
                self.nested(child, outer)

    def dml(self, stmt: Update | Delete) -> None:
        table = stmt.table
        key = _key(table)
        assert key is not None
        real = _table(table)
        assert real is not None
        if isinstance(stmt, Update) and getattr(real, "info", {}).get("bump"):
            return  # moving a change counter reveals nothing (reading it is scoped as ever)
        scoped, _ = self.scoped_by(stmt.whereclause)
        if _scope_columns(real) and key not in scoped:
            raise UnscopedStatement(f"no acting-company predicate for {key[0]}")
        self.nested(stmt.whereclause, scoped)

    def insert(self, stmt: Insert, params: list[Mapping[str, Any]]) -> None:
        real = _table(stmt.table)
        assert real is not None
        columns = _scope_columns(real)
        if not columns or getattr(real, "info", {}).get("deliver"):
            return  # a notification goes to its recipient (see NotificationModel); reading is scoped
        rows: list[Mapping[str, Any]] = params or [{}]
        for values_list in getattr(stmt, "_multi_values", ()):  # insert(...).values([{...}, {...}])
            rows = [*(row for row in rows if row), *({_name(k): _value(v) for k, v in r.items()} for r in values_list)]
        statics = {
            getattr(c, "key", str(c)): v.value for c, v in (stmt._values or {}).items() if isinstance(v, BindParameter)
        }
        for row in rows:
            values = {**statics, **row}
            if not any(values.get(name) == self.acting.value(kind) for name, kind in columns.items()):
                raise UnscopedStatement(f"insert into {real.name} outside the acting scope")


def _name(key: Any) -> str:
    return str(getattr(key, "key", key))


def _value(value: Any) -> Any:
    return value.value if isinstance(value, BindParameter) else value


_SCOPED_NAMES = tuple(sorted(t.name for t in Base.metadata.sorted_tables if t.info.get("scope")))


def _distil(multiparams: Any, params: Any) -> list[Mapping[str, Any]]:
    rows: list[Mapping[str, Any]] = []
    for item in (*multiparams, params):
        if isinstance(item, Mapping):
            if item:
                rows.append(item)
        elif isinstance(item, (list, tuple)):
            rows.extend(row for row in item if isinstance(row, Mapping))
    return rows


_GUARDED: weakref.WeakSet[Engine] = weakref.WeakSet()


_VERDICTS: dict[tuple[Any, ...], str | None] = {}
_VERDICTS_LIMIT = 4096


def check_statement(stmt: ClauseElement, acting: Acting, params: list[Mapping[str, Any]] | None = None) -> None:
    """Raise UnscopedStatement if `stmt` would reach beyond the acting company.

    The verdict depends only on the statement's shape and on which of its bound values equal
    the acting company's or colleague's id, so it is remembered by exactly that: repeated
    statements (every list window, every assignment) cost a cache-key lookup."""
    cache_key = stmt._generate_cache_key() if not isinstance(stmt, (TextClause, Insert)) else None
    if cache_key is None:
        _Check(acting).statement(stmt, params or [])
        return
    roles = tuple(
        (b.effective_value == acting.company_id, b.effective_value == acting.colleague_id) for b in cache_key.bindparams
    )
    memo = (cache_key.key, roles)
    if memo not in _VERDICTS:
        try:
            _Check(acting).statement(stmt, [])
            verdict = None
        except UnscopedStatement as error:
            verdict = str(error)
        if len(_VERDICTS) >= _VERDICTS_LIMIT:
            _VERDICTS.clear()
        _VERDICTS[memo] = verdict
    if _VERDICTS[memo] is not None:
        raise UnscopedStatement(_VERDICTS[memo])


def install(engine: Engine) -> None:
    """Check every statement run with the `leadtui_scope` execution option on `engine`."""
    if engine in _GUARDED:
        return
    _GUARDED.add(engine)

    @event.listens_for(engine, "before_execute")
    def _before_execute(
        conn: Any, clauseelement: Any, multiparams: Any, params: Any, execution_options: Mapping[str, Any]
    ) -> None:
        acting = execution_options.get(SCOPE_OPTION) or conn.get_execution_options().get(SCOPE_OPTION)
        if getattr(clauseelement, "_execution_options", {}).get(DELIVERY_OPTION):
            return
        if acting is not None:
            check_statement(clauseelement, acting, _distil(multiparams, params))
