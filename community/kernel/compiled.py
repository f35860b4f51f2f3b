"""SQL compiled once per shape of a queryset, its values bound on each call.

Building a queryset with several subqueries and compiling it costs milliseconds of CPU on every
request (the feed's four visibility-filtered branches cost more than PostgreSQL spends running
them), while the SQL text depends only on the query's shape. A `CompiledQuery` builds the
queryset once per shape with stand-in values, keeps its SQL, and binds the real values into the
kept parameters on each call. The queryset stays the one statement of the rule: the SQL is what
the ORM made of it, checked against a real build the first time each shape is used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

logger = logging.getLogger(__name__)

_STANDIN_EPOCH = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)


class StandIns:
    """Distinct stand-in values that no real parameter is equal to, one per name."""

    def __init__(self) -> None:
        self.by_name: dict[str, Any] = {}

    def int(self, name: str) -> int:
        return self._add(name, -(7 * 10**15) - len(self.by_name))

    def datetime(self, name: str) -> datetime:
        return self._add(name, _STANDIN_EPOCH + timedelta(microseconds=len(self.by_name) + 1))

    def list(self, name: str) -> list:
        return self._add(name, [-(8 * 10**15) - len(self.by_name)])

    def _add(self, name: str, value):
        self.by_name[name] = value
        return value


@dataclass(frozen=True)
class _Shape:
    sql: str
    params: tuple
    standins: dict[str, Any]
    compiler: Any  # the ORM's compiler of the stand-in build: it knows how rows become instances


class CompiledQuery:
    """`build(values, standins)` returns the queryset for `values` (a dict); with `standins` it must
    take each variable value from it (`standins.int("viewer_id")`, ...), so its SQL can be kept for the
    shape. `key(values)` names the shape: everything that changes the SQL's structure. `bind(values)`
    gives the real value of each stand-in, by name."""

    def __init__(
        self,
        build: Callable[[dict, StandIns | None], QuerySet],
        key: Callable[[dict], Hashable],
        bind: Callable[[dict], dict[str, Any]],
    ):
        self.build = build
        self.key = key
        self.bind = bind
        self.shapes: dict[Hashable, _Shape | None] = {}

    def fetch(self, values: dict) -> list:
        """The model instances of the queryset for `values`, as iterating it would give them (with its
        select_related objects and annotations)."""
        shape = self._shape(values)
        if shape is None:  # this shape could not be kept: build it every time
            return list(self.build(values, None))
        compiler = shape.compiler
        with connection.cursor() as cursor:
            cursor.execute(shape.sql, self._bind(shape.params, shape.standins, self.bind(values)))
            rows = cursor.fetchall()
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, compiler.using)
        model = klass_info["model"]
        objects = []
        for row in compiler.results_iter([rows]):
            obj = model.from_db(compiler.using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in compiler.annotation_col_map.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _shape(self, values: dict) -> _Shape | None:
        key = (connection.vendor, self.key(values))
        if key not in self.shapes:
            self.shapes[key] = self._compile(values)
        return self.shapes[key]

    def _compile(self, values: dict) -> _Shape | None:
        standins = StandIns()
        queryset = self.build(values, standins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        expected_sql, expected_params = self.build(values, None).query.sql_with_params()
        shape = _Shape(sql, tuple(params), standins.by_name, compiler)
        found = {_identity(param) for param in params}
        unused = [name for name, value in standins.by_name.items() if _identity(value) not in found]
        bound = self._bind(shape.params, shape.standins, self.bind(values))
        if unused or sql != expected_sql or bound != list(expected_params):
            logger.warning("CompiledQuery: the shape %r does not bind as expected; compiling per call", values)
            return None
        return shape

    @staticmethod
    def _bind(params: tuple, standins: dict[str, Any], values: dict) -> list:
        by_standin = {_identity(value): values[name] for name, value in standins.items()}
        return [by_standin.get(_identity(param), param) for param in params]


def _identity(value):
    """A hashable identity for a parameter (lists, as array parameters, by their contents); None for a
    parameter that cannot be a stand-in."""
    if isinstance(value, list):
        value = tuple(value)
    try:
        hash(value)
    except TypeError:
        return None
    return (type(value).__name__, value)
