from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from community.graphql.view import CommunityGraphQLView
from community.views import healthz

urlpatterns = [
    path("graphql/", CommunityGraphQLView.as_view(graphiql=True), name="graphql"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("events/", include("events.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))
