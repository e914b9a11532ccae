"""URLs of the records-lifecycle pages (archive, privacy paperwork), included from laget.web.urls
(names in the `web` namespace)."""

from django.urls import path

from laget.web.views import lifecycle

urlpatterns: list = [
    path("arkiv/", lifecycle.archive, name="lifecycle_archive"),
    path("arkiv/uttrekk/", lifecycle.archive_build, name="lifecycle_build"),
    path("arkiv/uttrekk/<uuid:extract_id>/", lifecycle.extract_detail, name="lifecycle_extract"),
    path("arkiv/uttrekk/<uuid:extract_id>/zip/", lifecycle.extract_zip,
         name="lifecycle_extract_zip"),
    path("personvern/behandlingsprotokoll/", lifecycle.processing_record,
         name="lifecycle_record"),
    path("personvern/behandlingsprotokoll/pdf/", lifecycle.processing_record_pdf,
         name="lifecycle_record_pdf"),
    path("personvern/dpia/", lifecycle.dpia, name="lifecycle_dpia"),
    path("personvern/dpia/pdf/", lifecycle.dpia_pdf, name="lifecycle_dpia_pdf"),
]
