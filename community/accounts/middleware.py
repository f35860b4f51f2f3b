"""`Authorization: Bearer <token>` on HTTP, for the mobile app; sessions keep working for browsers."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from community.accounts import services
from community.graphql.auth import bearer_token


class BearerTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = bearer_token(request.META.get("HTTP_AUTHORIZATION"))
        request.bearer_token = token
        if token is not None:
            request.user = SimpleLazyObject(lambda: services.user_for_token(token) or AnonymousUser())
        return self.get_response(request)


def client_ip(request) -> str:
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
