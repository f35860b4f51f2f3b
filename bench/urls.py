"""The product's URLs plus the benchmark's baselines: the plain JSON feed and the raw-SQL floor."""

from django.urls import path

from bench.views import feed_floor, feed_json
from community.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/feed.json", feed_json),
    path("bench/feed-floor.json", feed_floor),
    *product_urlpatterns,
]
