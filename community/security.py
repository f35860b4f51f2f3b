"""The Content-Security-Policy header on the web pages (settings.CONTENT_SECURITY_POLICY).

Django 5.2 has none of its own. Only HTML responses get it: the API's JSON, images and CSV need none, and the
policy is the pages' business (the client at /app/, GraphiQL at /graphql/, the admin).
"""

from __future__ import annotations

from django.conf import settings

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and HEADER not in response and response.get("Content-Type", "").startswith("text/html"):
            response[HEADER] = policy
        return response
