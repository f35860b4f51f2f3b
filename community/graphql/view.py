"""The HTTP endpoint: size limit before parsing, multipart uploads, CSRF for sessions, safe errors."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast

from community.graphql.documents import checked_document
from community.graphql.execution import CommunityExecutionContext
from community.graphql.limits import cost_error
from community.graphql.request_errors import format_request_error, is_request_error
from community.graphql.validation import HTTP_VALIDATION_RULES
from community.kernel import database_availability

logger = logging.getLogger(__name__)

EXPECTED_ERROR_CLASSES: tuple[type[Exception], ...] = (GraphQLError,)

# What an HTML form can post cross-site without a CORS preflight.
FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})


def _json_error(status: int, message: str, code: str) -> HttpResponse:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")


class RequestRefused(HttpError):
    """A request refused before any GraphQL runs, with a status, a message and a code."""

    def __init__(self, status: int, message: str, code: str) -> None:
        self.message = message
        self.code = code
        super().__init__(_json_error(status, message, code), message)


def _place_file(operations: dict, path: str, upload) -> None:
    """Put one upload at `variables.a.0.b` as the GraphQL multipart request spec maps it."""
    if not isinstance(path, str):
        raise ValueError(path)
    parts = path.split(".")
    if parts[0] != "variables" or len(parts) < 2:
        raise ValueError(path)
    target = operations
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = upload
    else:
        target[last] = upload


@method_decorator(csrf_exempt, name="dispatch")
class CommunityGraphQLView(GraphQLView):
    execution_context_class = CommunityExecutionContext
    validation_rules = HTTP_VALIDATION_RULES

    def dispatch(self, request, *args, **kwargs):
        try:
            response = self._dispatch(request, *args, **kwargs)
        except Exception as error:  # e.g. the token lookup before any GraphQL ran
            if not database_availability.is_database_unavailable(error):
                raise
            return database_unavailable_response()
        if getattr(request, "database_unavailable", False):
            response.status_code = 503
            response["Retry-After"] = str(database_availability.RETRY_AFTER_SECONDS)
        return response

    def _dispatch(self, request, *args, **kwargs):
        if request.content_type != "multipart/form-data":
            try:
                too_large = len(request.body) > settings.GRAPHQL_MAX_QUERY_BYTES * 4
            except RequestDataTooBig:
                too_large = True
            if too_large:
                return _json_error(413, _("The request is too large."), "REQUEST_TOO_LARGE")
        if getattr(request, "bearer_token", None) and not request.user.is_authenticated:
            # An unknown, expired or revoked token is not anonymity: the client must sign in again.
            return _json_error(
                401, _("Your sign-in has expired or was revoked. Please sign in again."), "UNAUTHENTICATED"
            )
        if request.method == "POST" and (self._session_authenticated(request) or self._anonymous_browser(request)):
            # A browser (signed in by its cookie, or about to be by `login`) must prove the request came from
            # our own pages: Django's origin and token check. Bearer-token clients carry no ambient authority.
            rejection = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejection is not None:
                return _json_error(403, _("CSRF check failed; send the X-CSRFToken header."), "FORBIDDEN")
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def _session_authenticated(request) -> bool:
        return request.user.is_authenticated and not getattr(request, "bearer_token", None)

    @staticmethod
    def _anonymous_browser(request) -> bool:
        """A POST without a bearer token that a browser sent (an Origin or Sec-Fetch-Site header: every current
        browser sends one on a cross-origin POST), or that a cross-site HTML form could send (a form's content
        type, which needs no CORS preflight). Such a request could log the browser into someone else's account
        (login CSRF), so it is checked like a session's. A cross-site JSON POST cannot be made without a
        preflight we never grant, so the app's JSON requests (with or without a cookie jar) pass unchecked."""
        if getattr(request, "bearer_token", None):
            return False
        meta = request.META
        if "HTTP_ORIGIN" in meta or "HTTP_SEC_FETCH_SITE" in meta:
            return True
        return request.content_type in FORM_CONTENT_TYPES

    def parse_body(self, request):
        if self.get_content_type(request) == "multipart/form-data" and "operations" in request.POST:
            try:
                operations = json.loads(request.POST["operations"])
                file_map = json.loads(request.POST.get("map", "{}"))
                if not isinstance(operations, dict) or not isinstance(file_map, dict):
                    raise ValueError
                operations.setdefault("variables", {})
                for key, paths in file_map.items():
                    upload = request.FILES.get(key)
                    if upload is None or not isinstance(paths, list):
                        raise ValueError(key)
                    for path in paths:
                        _place_file(operations, path, upload)
            except (ValueError, KeyError, IndexError, TypeError, RecursionError):
                raise RequestRefused(
                    400, _("The multipart request does not follow the GraphQL upload spec."), "BAD_REQUEST"
                ) from None
            return operations
        try:
            return super().parse_body(request)
        except RecursionError:  # JSON nested deeper than Python's parser recurses
            raise RequestRefused(400, _("The request is not valid JSON."), "BAD_REQUEST") from None

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        if query is not None and not isinstance(query, str):
            raise RequestRefused(400, _("The query must be a string."), "BAD_REQUEST")
        if operation_name is not None and not isinstance(operation_name, str):
            raise RequestRefused(400, _("The operation name must be a string."), "BAD_REQUEST")
        if query and len(query.encode()) > settings.GRAPHQL_MAX_QUERY_BYTES:
            raise RequestRefused(
                413,
                _("The query is too large: at most %(max)d bytes.") % {"max": settings.GRAPHQL_MAX_QUERY_BYTES},
                "QUERY_TOO_LARGE",
            )
        if variables is not None and not isinstance(variables, dict):
            raise RequestRefused(400, _("Variables must be a JSON object."), "BAD_REQUEST")
        if not query:
            if show_graphiql:
                return None
            raise RequestRefused(400, _("Must provide a query string."), "BAD_REQUEST")
        schema = self.schema.graphql_schema
        document, errors = checked_document(schema, query, tuple(self.validation_rules))
        if errors:
            return ExecutionResult(data=None, errors=errors)
        operation = get_operation_ast(document, operation_name)
        if request.method.lower() == "get" and operation is not None and operation.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(["POST"], f"Can only perform a {operation.operation.value} operation from POST.")
            )
        too_costly = operation and cost_error(schema, document, operation, variables)
        if too_costly:
            return ExecutionResult(data=None, errors=[too_costly])
        try:
            result = execute(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                execution_context_class=self.execution_context_class,
            )
        except Exception as error:
            result = ExecutionResult(errors=[error])
        if any(database_availability.is_database_unavailable(error) for error in result.errors or ()):
            request.database_unavailable = True
        return result

    @staticmethod
    def format_error(error):
        return format_error(error)


def database_unavailable_error() -> dict:
    database_availability.record_refusal()
    return {
        "message": _("The service is busy right now. Please try again in a moment."),
        "extensions": {"code": database_availability.CODE, "retryAfter": database_availability.RETRY_AFTER_SECONDS},
    }


def database_unavailable_response() -> HttpResponse:
    body = json.dumps({"errors": [database_unavailable_error()]}, ensure_ascii=False)
    response = HttpResponse(body, status=503, content_type="application/json")
    response["Retry-After"] = str(database_availability.RETRY_AFTER_SECONDS)
    return response


def format_error(error) -> dict:
    """Expected errors as they are; anything else logged and shown as an opaque internal error."""
    if isinstance(error, RequestRefused):
        return {"message": error.message, "extensions": {"code": error.code}}
    if database_availability.is_database_unavailable(error):
        logger.warning("no database connection for a GraphQL operation: %r", getattr(error, "original_error", error))
        formatted = database_unavailable_error()
        if isinstance(error, GraphQLError) and error.path:
            formatted["path"] = error.path
        return formatted
    if isinstance(error, HttpError):  # graphene-django's own refusals (bad JSON, wrong method)
        return {"message": str(error.message), "extensions": {"code": "BAD_REQUEST"}}
    if is_request_error(error):
        return format_request_error(error)
    original = getattr(error, "original_error", None)
    if isinstance(error, GraphQLError) and (original is None or isinstance(original, EXPECTED_ERROR_CLASSES)):
        formatted = error.formatted
        if isinstance(original, GraphQLError) and original.extensions:
            formatted["extensions"] = original.extensions
        return formatted
    logger.error("unexpected error in GraphQL execution", exc_info=original or error)
    formatted = {"message": _("Internal server error."), "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
    if isinstance(error, GraphQLError):
        formatted["path"] = error.path
        formatted["locations"] = [loc._asdict() for loc in error.locations or []]
    if settings.DEBUG:
        formatted["extensions"]["debug"] = repr(original or error)
    return formatted
