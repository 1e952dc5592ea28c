"""API-shaped rows: a resource's fields declared once, read as dicts by SQL the ORM compiles once.

A `RowShape` names the fields a resource shows in the API, in order: model columns, and any
the selector derives from them (an order's totals from its items). Selectors read
through a `RowQuery`: a queryset of that shape whose per-request values are `Param`
placeholders. The ORM builds and compiles it the first time a given structure is asked for
(which filters, which window); every later call only binds its values, runs the SQL and applies
the same column converters the ORM would (decimals, datetimes). Model instances and serializers
stay out of the read path; serializers validate input and describe the schema. A hot write's
statements are built the same way (`RowUpdate`, `RowInsert`): compiled by the ORM once, then
bound and run.
"""

import functools
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import DEFERRED, Expression, Field, Model, QuerySet
from django.db.models.sql import InsertQuery, UpdateQuery


class Param(Expression):
    """A named value of a query, bound per call: compiles to a placeholder, never to its value.

    `output_field`, when given, prepares the bound value for the database as that field would
    (a timestamp for SQLite, say); plain ints and strings go to the driver as they are.
    """

    def __init__(self, name: str, output_field: Field | None = None):
        super().__init__(output_field=output_field or Field())
        self.name = name
        self.prepares = output_field is not None

    def __repr__(self):
        return f"Param({self.name!r})"

    @property
    def identity(self):
        return (type(self), self.name)

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def bind(self, values: Mapping[str, Any], connection) -> Any:
        value = values[self.name]
        return self.output_field.get_db_prep_value(value, connection) if self.prepares else value


class RowShape:
    """The fields a resource shows, in order: the one declaration reads and responses use.

    `derived` names the fields that are not columns of `model`: the selector computes them
    from the columns (and child rows) and `arrange` puts every field in its place.
    """

    def __init__(self, model: type[Model], *fields: str, derived: Iterable[str] = ()):
        self.model, self.fields, self.derived = model, fields, frozenset(derived)

    @property
    def columns(self) -> tuple[str, ...]:
        """The fields read from the model's table, in order."""
        return tuple(name for name in self.fields if name not in self.derived)

    def of(self, instance: Model) -> dict:
        """The columns of an instance just written (its attributes already hold stored values)."""
        return {name: getattr(instance, name) for name in self.columns}

    def arrange(self, values: Mapping[str, Any]) -> dict:
        """`values` (columns and derived fields) as the row: the shape's fields, in order."""
        return {name: values[name] for name in self.fields}

    def query(
        self, build: Callable[[Hashable], QuerySet], keys: tuple[str, ...] = ()
    ) -> "RowQuery":
        """A RowQuery of the shape's columns; `keys` are columns read before them (a parent id)."""
        return RowQuery(self, build, keys)


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    names: tuple[str, ...]
    converters: tuple


class RowQuery:
    """Rows of a shape from `build(structure)`, compiled once per structure (and database).

    `structure` is whatever changes the SQL's text (filters present, a boolean filter's value,
    the window's offset and size) and must be hashable; values that only fill placeholders are
    given to `fetch` by name. The most recent structures stay compiled (an LRU), so a
    client walking `skip` through the whole catalogue costs a compile per page, as before, while
    the hot pages stay compiled.
    """

    def __init__(
        self, shape: RowShape, build: Callable[[Hashable], QuerySet], keys: tuple[str, ...] = ()
    ):
        self.shape, self.build, self.keys = shape, build, keys
        self._statement = functools.lru_cache(maxsize=256)(self._compile)

    def fetch(
        self, values: Mapping[str, Any], structure: Hashable = (), using: str = DEFAULT_DB_ALIAS
    ) -> list[dict]:
        """The rows, as dicts of the keys and the shape's columns, with `values` bound."""
        # The columns are part of the key, so a statement always selects what the shape declares.
        statement = self._statement((*self.keys, *self.shape.columns), structure, using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, _bound(statement.params, values, connection))
            rows = cursor.fetchall()
        names = statement.names
        if not statement.converters:
            return [dict(zip(names, row, strict=True)) for row in rows]
        return [dict(zip(names, _convert(row, statement, connection), strict=True)) for row in rows]

    def _compile(self, fields: tuple[str, ...], structure: Hashable, using: str) -> _Statement:
        query = self.build(structure).values(*fields).query
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        columns = [select[0] for select in compiler.select[: compiler.col_count]]
        converters = tuple(compiler.get_converters(columns).items())
        # The columns' names as `values()` itself reads them.
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        return _Statement(sql, tuple(params), names, converters)


class RowUpdate:
    """An UPDATE the ORM compiles once per database, then binds and runs per call.

    `build()` returns the queryset whose rows change and the new values (expressions welcome),
    with `Param`s where each call's values go; `run` returns how many rows changed.
    """

    def __init__(self, build: Callable[[], tuple[QuerySet, Mapping[str, Any]]]):
        self.build = build
        self._statement = functools.lru_cache(maxsize=8)(self._compile)

    def run(self, values: Mapping[str, Any], using: str = DEFAULT_DB_ALIAS) -> int:
        sql, params = self._statement(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, _bound(params, values, connection))
            return cursor.rowcount

    def _compile(self, using: str) -> tuple[str, tuple]:
        # What QuerySet.update() does, short of running it.
        queryset, changes = self.build()
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        query.annotations = {}
        query.clear_ordering(force=True)
        sql, params = query.get_compiler(using=using).as_sql()
        return sql, tuple(params)


class RowInsert:
    """INSERTs of rows of `fields` (attribute names) into `model`'s table, compiled by the ORM
    once per number of rows (and database), then bound and run.

    Values are prepared for the database as their fields prepare them; no defaults, `pre_save`
    or signals apply (as for `bulk_create`), so every row gives every field. `run` returns the
    new instances with the primary keys the database assigned (RETURNING).
    """

    def __init__(self, model: type[Model], *fields: str):
        self.model, self.fields = model, fields
        self._statement = functools.lru_cache(maxsize=128)(self._compile)

    def run(self, rows: Sequence[Mapping[str, Any]], using: str = DEFAULT_DB_ALIAS) -> list[Model]:
        if not rows:
            return []
        sql, params = self._statement(len(rows), using)
        values = {f"{n}.{name}": row[name] for n, row in enumerate(rows) for name in self.fields}
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, _bound(params, values, connection))
            keys = [key for (key,) in cursor.fetchall()]
        opts = self.model._meta
        names = [field.attname for field in opts.concrete_fields]
        return [
            self.model.from_db(
                using,
                names,
                [key if name == opts.pk.attname else row.get(name, DEFERRED) for name in names],
            )
            for key, row in zip(keys, rows, strict=True)
        ]

    def _compile(self, count: int, using: str) -> tuple[str, tuple]:
        opts = self.model._meta
        fields = [opts.get_field(name) for name in self.fields]
        placeholders = [
            self.model(**{field.attname: Param(f"{n}.{field.attname}", field) for field in fields})
            for n in range(count)
        ]
        query = InsertQuery(self.model)
        query.insert_values(fields, placeholders, raw=True)
        compiler = query.get_compiler(using=using)
        # Both supported databases return the keys of a multi-row INSERT.
        assert connections[using].features.can_return_rows_from_bulk_insert
        compiler.returning_fields = [opts.pk]
        [(sql, params)] = compiler.as_sql()
        return sql, tuple(params)


def _bound(params: Iterable, values: Mapping[str, Any], connection) -> list:
    return [
        param.bind(values, connection) if isinstance(param, Param) else param for param in params
    ]


def _convert(row: Iterable, statement: _Statement, connection) -> list:
    row = list(row)
    for position, (converters, expression) in statement.converters:
        value = row[position]
        for converter in converters:
            value = converter(value, expression, connection)
        row[position] = value
    return row
