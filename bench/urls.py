"""The product's URLs plus the benchmark's plain JSON feed."""

from django.urls import path

from bench.views import feed_json
from community.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("bench/feed.json", feed_json), *product_urlpatterns]
