"""The validation rules documents meet once they are within the limits of `community.graphql.limits`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    specified_rules,
)


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


VALIDATION_RULES = tuple(specified_rules)
HTTP_VALIDATION_RULES = (*VALIDATION_RULES, NoSubscriptionsOverHTTPRule)
