"""Limits a document must keep before graphql-core's own rules see it, each checked in linear time.

graphql-core's standard rules are quadratic or worse on some shapes (thousands of repeated fields,
fragments spread into each other), so they only ever see documents these checks let through:

- at parse time, a token limit and a bound on how deeply brackets nest (the parser recurses);
- over the parsed document, how many fragments and variables it defines, the fields, aliases and selections it
  expands to (fragments counted every time they are spread, each fragment measured once), how
  deep it goes, and how often one field is repeated at one place (what makes field merging
  quadratic);
- before each execution, the operation's cost from its page sizes and nesting (`first`/`last`
  multiply what lies under them), with the request's variables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    IntValueNode,
    NoFragmentCyclesRule,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    UniqueFragmentNamesRule,
    VariableNode,
    get_named_type,
    validate,
)
from graphql.language.parser import Parser

TOO_COMPLEX = "QUERY_TOO_COMPLEX"
# Counts grow exponentially when fragments spread each other; past this they are all "too many".
CEILING = 10**12
PAGE_ARGUMENTS = ("first", "last")


def too_complex(message: str, nodes=None, **where) -> GraphQLError:
    return GraphQLError(message, nodes, extensions={"code": TOO_COMPLEX}, **where)


# ------------------------------------------------------------------ parsing


class LimitedParser(Parser):
    """graphql-core's parser with a token limit and a bound on nesting (it recurses at every bracket)."""

    def __init__(self, source: Source, *, max_tokens: int, max_nesting: int) -> None:
        super().__init__(source, max_tokens=max_tokens)
        self.token_limit = max_tokens
        self.max_nesting = max_nesting
        self.nesting = 0

    def advance_lexer(self) -> None:
        try:
            super().advance_lexer()
        except GraphQLSyntaxError:
            if self._token_counter > self.token_limit:
                raise too_complex(
                    _("The query is too long: at most %(max)d tokens.") % {"max": self.token_limit},
                    source=self._lexer.source,
                    positions=[self._lexer.token.start],
                ) from None
            raise

    def _nested(self, parse: Callable, *args):
        self.nesting += 1
        if self.nesting > self.max_nesting:
            raise too_complex(
                _("The query is too deep: at most %(max)d levels.") % {"max": settings.GRAPHQL_MAX_DEPTH},
                source=self._lexer.source,
                positions=[self._lexer.token.start],
            )
        try:
            return parse(*args)
        finally:
            self.nesting -= 1

    def parse_selection_set(self):
        return self._nested(super().parse_selection_set)

    def parse_list(self, is_const: bool):
        return self._nested(super().parse_list, is_const)

    def parse_object(self, is_const: bool):
        return self._nested(super().parse_object, is_const)

    def parse_type_reference(self):
        return self._nested(super().parse_type_reference)


def parse_document(query: str) -> DocumentNode:
    """Parse `query`, refusing it as soon as it has too many tokens or nests too deeply."""
    # Inline fragments and argument values nest too, so brackets may go deeper than fields.
    nesting = 3 * settings.GRAPHQL_MAX_DEPTH
    return LimitedParser(Source(query), max_tokens=settings.GRAPHQL_MAX_TOKENS, max_nesting=nesting).parse_document()


# ------------------------------------------------------------------ fragments, each measured once


def _selections(selection_set: SelectionSetNode | None) -> Iterator:
    """Every selection in `selection_set` and below it, without following fragment spreads."""
    if selection_set is None:
        return
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            yield selection
            below = getattr(selection, "selection_set", None)  # a fragment spread has none
            if below is not None:
                stack.append(below)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    fragments: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            fragments.setdefault(definition.name.value, definition)  # duplicates: a standard rule's error
    return fragments


def _spread_names(selection_set: SelectionSetNode) -> list[str]:
    return [s.name.value for s in _selections(selection_set) if isinstance(s, FragmentSpreadNode)]


def _bottom_up(fragments: dict[str, FragmentDefinitionNode]) -> tuple[list[str], bool]:
    """Fragment names ordered so that each comes after every fragment it spreads, and whether any
    fragment spreads itself (through others): the order then cuts the cycle somewhere."""
    spreads = {name: _spread_names(fragment.selection_set) for name, fragment in fragments.items()}
    cyclic = False
    order: list[str] = []
    state: dict[str, bool] = {}  # False while open, True once placed
    for root in fragments:
        if root in state:
            continue
        state[root] = False
        stack = [(root, iter(spreads[root]))]
        while stack:
            name, children = stack[-1]
            for child in children:
                if child in fragments and child not in state:
                    state[child] = False
                    stack.append((child, iter(spreads[child])))
                    break
                cyclic = cyclic or state.get(child) is False
            else:
                stack.pop()
                state[name] = True
                order.append(name)
    return order, cyclic


def _used_fragments(document: DocumentNode, fragments: dict[str, FragmentDefinitionNode]) -> set[str]:
    pending = [
        name
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        for name in _spread_names(definition.selection_set)
    ]
    used: set[str] = set()
    while pending:
        name = pending.pop()
        if name in used or name not in fragments:
            continue
        used.add(name)
        pending.extend(_spread_names(fragments[name].selection_set))
    return used


def _per_fragment(fragments: dict[str, FragmentDefinitionNode], measure: Callable) -> dict:
    """`measure(fragment, measured)` for every fragment, the fragments it spreads measured first.

    A spread that is not in `measured` yet (a cycle, or an unknown fragment) counts as nothing:
    the standard rules report those.
    """
    measured: dict = {}
    for name in _bottom_up(fragments)[0]:
        measured[name] = measure(fragments[name], measured)
    return measured


# ------------------------------------------------------------------ the document's limits


class _Size:
    __slots__ = ("aliases", "fields", "selections")

    def __init__(self, fields: int = 0, aliases: int = 0, selections: int = 0) -> None:
        self.fields, self.aliases, self.selections = fields, aliases, selections

    def add(self, other: _Size) -> None:
        self.fields = min(CEILING, self.fields + other.fields)
        self.aliases = min(CEILING, self.aliases + other.aliases)
        self.selections = min(CEILING, self.selections + other.selections)


def _size(selection_set: SelectionSetNode, measured: dict[str, _Size]) -> _Size:
    size = _Size()
    for selection in _selections(selection_set):
        size.selections += 1
        if isinstance(selection, FieldNode):
            size.fields += 1
            size.aliases += selection.alias is not None
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in measured:
            size.add(measured[selection.name.value])
    return size


def _merged_levels(roots: Iterable[SelectionSetNode], fragments: dict[str, FragmentDefinitionNode]):
    """The fields at one place of the response, grouped by response name, through every fragment."""
    groups: dict[str, list[FieldNode]] = {}
    stack = [(root, frozenset()) for root in roots]
    while stack:
        selection_set, spread_path = stack.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.alias.value if selection.alias else selection.name.value
                groups.setdefault(name, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, spread_path))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in spread_path:
                    stack.append((fragments[name].selection_set, spread_path | {name}))
    return groups


INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})
# The lists that multiply an introspection query (every type's fields' types' fields...), as
# graphql-js's MaxIntrospectionDepthRule counts them; `ofType` chains only go deeper, one by one.
INTROSPECTION_LISTS = frozenset({"fields", "interfaces", "possibleTypes", "inputFields"})
MAX_INTROSPECTION_LISTS = 2


class _Shape:
    """How deep a definition goes and how often a field repeats at one place, found in one pass.

    Introspection (`__schema`, `__type`) is described by the schema, not the data, so its depth is
    not counted (GraphiQL's query nests `ofType` nine deep); the lists that multiply it are.
    """

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.too_deep = False
        self.introspection_too_deep = False
        self.repeated: FieldNode | None = None

    def walk(self, roots: list[SelectionSetNode], depth: int = 1, lists: int | None = None) -> None:
        if depth > settings.GRAPHQL_MAX_DEPTH:
            self.too_deep = True
            return
        for fields in _merged_levels(roots, self.fragments).values():
            if len(fields) > settings.GRAPHQL_MAX_FIELD_REPEATS:
                self.repeated = self.repeated or fields[0]
                continue
            below = [field.selection_set for field in fields if field.selection_set is not None]
            if not below:
                continue
            names = {field.name.value for field in fields}
            if lists is None and names & INTROSPECTION_ROOTS:
                self.walk(below, depth, 0)
            elif lists is not None:
                inner = lists + bool(names & INTROSPECTION_LISTS)
                if inner > MAX_INTROSPECTION_LISTS:
                    self.introspection_too_deep = True
                    continue
                self.walk(below, depth, inner)
            else:
                self.walk(below, depth + 1)
            if self.too_deep:
                return


def limit_errors(schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
    """What makes `document` too big to validate or run; empty if it is within every limit.

    Counted over the operations and any fragment none of them uses (the standard rules would still
    walk it), following each fragment every time it is spread. Fragments defined twice or spread
    within themselves make those counts meaningless: the two (linear) standard rules that refuse
    them answer first, alone.
    """
    fragments = _fragments(document)
    definitions = sum(isinstance(d, FragmentDefinitionNode) for d in document.definitions)
    if definitions > settings.GRAPHQL_MAX_FRAGMENTS:
        # Field merging compares every pair of fragments spread together.
        message = _("The query defines too many fragments: at most %(max)d.") % {"max": settings.GRAPHQL_MAX_FRAGMENTS}
        return [too_complex(message, next(d for d in document.definitions if isinstance(d, FragmentDefinitionNode)))]
    for operation in document.definitions:
        # Several rules follow every variable through every fragment the operation spreads.
        if isinstance(operation, OperationDefinitionNode) and len(operation.variable_definitions) > (
            settings.GRAPHQL_MAX_VARIABLES
        ):
            message = _("The query declares too many variables: at most %(max)d.") % {
                "max": settings.GRAPHQL_MAX_VARIABLES
            }
            return [too_complex(message, operation)]
    if definitions != len(fragments) or _bottom_up(fragments)[1]:
        errors = validate(schema, document, [UniqueFragmentNamesRule, NoFragmentCyclesRule])
        if errors:
            return errors
    measured = _per_fragment(fragments, lambda fragment, measured: _size(fragment.selection_set, measured))
    used = _used_fragments(document, fragments)
    roots: list[OperationDefinitionNode | FragmentDefinitionNode] = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    roots += [fragment for name, fragment in fragments.items() if name not in used]
    if not roots:
        return []
    total = _Size()
    for root in roots:
        total.add(_size(root.selection_set, measured))
    first = roots[0]
    errors = []
    if total.aliases > settings.GRAPHQL_MAX_ALIASES:
        errors.append(
            too_complex(
                _("The query has too many aliases: at most %(max)d.") % {"max": settings.GRAPHQL_MAX_ALIASES}, first
            )
        )
    # Spreads and inline fragments count as selections too: a fragment can spread others for ever.
    if total.fields > settings.GRAPHQL_MAX_FIELDS or total.selections > 2 * settings.GRAPHQL_MAX_FIELDS:
        errors.append(
            too_complex(
                _("The query asks for too many fields: at most %(max)d.") % {"max": settings.GRAPHQL_MAX_FIELDS},
                first,
            )
        )
    if errors:
        return errors  # the walk below is bounded by the totals checked above
    for root in roots:
        shape = _Shape(fragments)
        shape.walk([root.selection_set])
        if shape.too_deep:
            errors.append(
                too_complex(
                    _("The query is too deep: at most %(max)d levels.") % {"max": settings.GRAPHQL_MAX_DEPTH}, root
                )
            )
        if shape.introspection_too_deep:
            errors.append(
                too_complex(
                    _(
                        "The introspection query nests fields, interfaces, possibleTypes or inputFields "
                        "more than %(max)d levels."
                    )
                    % {"max": MAX_INTROSPECTION_LISTS},
                    root,
                )
            )
        if shape.repeated is not None:
            name = shape.repeated.alias.value if shape.repeated.alias else shape.repeated.name.value
            errors.append(
                too_complex(
                    _("The field %(name)s is repeated too often in one place: at most %(max)d times.")
                    % {"name": name, "max": settings.GRAPHQL_MAX_FIELD_REPEATS},
                    shape.repeated,
                )
            )
    return errors


# ------------------------------------------------------------------ the operation's cost


def _page_size(field: FieldNode, definition: GraphQLField, variables: dict, defaults: dict) -> int | None:
    """The page size `field` asks for, clamped as `paginate` clamps it; None if it takes no page."""
    names = [name for name in PAGE_ARGUMENTS if name in definition.args]
    if not names:
        return None
    size = None
    for argument in field.arguments:
        if argument.name.value in names:
            value = argument.value
            if isinstance(value, IntValueNode):
                size = int(value.value)
            elif isinstance(value, VariableNode):
                size = variables.get(value.name.value, defaults.get(value.name.value))
            elif not isinstance(value, NullValueNode):
                size = settings.GRAPHQL_PAGE_SIZE_MAX  # of a type execution refuses; never cheaper
    if size is None:
        return settings.GRAPHQL_PAGE_SIZE_DEFAULT
    if not isinstance(size, int) or isinstance(size, bool):
        return settings.GRAPHQL_PAGE_SIZE_MAX
    return max(0, min(size, settings.GRAPHQL_PAGE_SIZE_MAX))


class _Cost:
    """Each field costs one, times the page size of every connection (or page-taking list) around it."""

    def __init__(self, schema: GraphQLSchema, variables: dict, defaults: dict) -> None:
        self.schema, self.variables, self.defaults = schema, variables, defaults

    def of(self, selection_set: SelectionSetNode, parent, measured: dict[str, int]) -> int:
        fields = getattr(parent, "fields", None) or {}
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                below = 0
                definition = fields.get(selection.name.value)
                if selection.selection_set is not None:
                    child = get_named_type(definition.type) if definition else None
                    below = self.of(selection.selection_set, child, measured)
                    page = _page_size(selection, definition, self.variables, self.defaults) if definition else None
                    below *= 1 if page is None else page
                cost += 1 + below
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                cost += self.of(selection.selection_set, inner, measured)
            elif isinstance(selection, FragmentSpreadNode):
                cost += measured.get(selection.name.value, 0)
            cost = min(cost, CEILING)
        return cost


def _variable_defaults(operation: OperationDefinitionNode) -> dict:
    defaults = {}
    for definition in operation.variable_definitions:
        if isinstance(definition.default_value, IntValueNode):
            defaults[definition.variable.name.value] = int(definition.default_value.value)
    return defaults


def operation_cost(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: dict | None
) -> int:
    """What running `operation` may cost: each field counts once per row of every page around it."""
    costing = _Cost(schema, variables if isinstance(variables, dict) else {}, _variable_defaults(operation))
    fragments = _fragments(document)

    def measure(fragment, measured):
        return costing.of(fragment.selection_set, schema.get_type(fragment.type_condition.name.value), measured)

    root = schema.get_root_type(operation.operation)
    return costing.of(operation.selection_set, root, _per_fragment(fragments, measure))


def cost_error(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: dict | None
) -> GraphQLError | None:
    """The refusal for an operation over the cost budget, or None."""
    budget = settings.GRAPHQL_MAX_COST
    cost = operation_cost(schema, document, operation, variables)
    if cost <= budget:
        return None
    return too_complex(
        _("The query is too costly: it may fetch %(cost)d rows and fields, at most %(max)d.")
        % {"cost": cost, "max": budget},
        operation,
    )
