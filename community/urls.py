from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from community import webclient
from community.accounts.views import download_data_export
from community.views import healthz

urlpatterns = [
    path("graphql/", webclient.GraphQLWithLocalGraphiQL.as_view(graphiql=True), name="graphql"),
    re_path(r"^app/(?P<path>.*)$", webclient.index, name="webclient"),
    path("healthz", healthz, name="healthz"),
    path("account/exports/<int:export_id>/download", download_data_export, name="data-export-download"),
    path("admin/", admin.site.urls),
    path("events/", include("events.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))
