"""Settings for benchmark servers only: the product's, plus the plain JSON feed bench/feed.py compares
GraphQL with and an X-Query-Count header on every response. Never used in production."""

from community.settings import *  # noqa: F403
from community.settings import MIDDLEWARE

MIDDLEWARE = ["bench.views.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
