"""The data export's download: the owner only (browser session or bearer token), until it expires."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from community.accounts import export


@require_GET
def download_data_export(request, export_id: int):
    found = export.downloadable_export(user=request.user, export_id=export_id)
    if found is None:
        # Someone else's, expired or unknown all look the same.
        raise Http404
    try:
        handle = export.export_storage().open(found.file_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=f"community-data-{found.pk}.zip")
    response["Cache-Control"] = "private, no-store"
    return response
