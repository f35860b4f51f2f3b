"""Limits checked before a document runs: depth, aliases and field count (size is checked earlier)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    specified_rules,
)


def _limit_error(message: str, node) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": "QUERY_TOO_COMPLEX"})


class QueryLimitsRule(ValidationRule):
    """Walks each operation once, following fragments, and refuses it if it is too deep or wide."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        totals = {"aliases": 0, "fields": 0, "depth": 0}
        self._walk(node.selection_set, 1, fragments, totals, set())
        if totals["depth"] > settings.GRAPHQL_MAX_DEPTH:
            self.report_error(
                _limit_error(
                    _("The query is too deep: at most %(max)d levels.") % {"max": settings.GRAPHQL_MAX_DEPTH}, node
                )
            )
        if totals["aliases"] > settings.GRAPHQL_MAX_ALIASES:
            self.report_error(
                _limit_error(
                    _("The query has too many aliases: at most %(max)d.") % {"max": settings.GRAPHQL_MAX_ALIASES}, node
                )
            )
        if totals["fields"] > settings.GRAPHQL_MAX_FIELDS:
            self.report_error(
                _limit_error(
                    _("The query asks for too many fields: at most %(max)d.") % {"max": settings.GRAPHQL_MAX_FIELDS},
                    node,
                )
            )

    def _walk(self, selection_set, depth, fragments, totals, visiting):
        if selection_set is None:
            return
        totals["depth"] = max(totals["depth"], depth)
        # Stop walking absurd documents early; the limits above already refuse them.
        if totals["fields"] > settings.GRAPHQL_MAX_FIELDS * 2 or depth > settings.GRAPHQL_MAX_DEPTH + 1:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                totals["fields"] += 1
                if selection.alias is not None:
                    totals["aliases"] += 1
                if selection.selection_set is not None:
                    self._walk(selection.selection_set, depth + 1, fragments, totals, visiting)
            elif isinstance(selection, InlineFragmentNode):
                self._walk(selection.selection_set, depth, fragments, totals, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visiting or name not in fragments:
                    continue  # cycles and unknown fragments are reported by the standard rules
                visiting.add(name)
                self._walk(fragments[name].selection_set, depth, fragments, totals, visiting)
                visiting.discard(name)


class NoSubscriptionsOverHTTPRule(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
        if node.operation == OperationType.SUBSCRIPTION:
            self.report_error(
                GraphQLError(
                    _("Subscriptions run over the WebSocket at /graphql/ (graphql-transport-ws)."),
                    node,
                    extensions={"code": "BAD_REQUEST"},
                )
            )


VALIDATION_RULES = (*specified_rules, QueryLimitsRule)
HTTP_VALIDATION_RULES = (*VALIDATION_RULES, NoSubscriptionsOverHTTPRule)
