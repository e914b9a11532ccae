"""URLs of the records-lifecycle pages (archive, retention and erasure, privacy paperwork),
included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import lifecycle

urlpatterns: list = [
    path("arkiv/", lifecycle.archive, name="lifecycle_archive"),
    path("arkiv/uttrekk/", lifecycle.archive_build, name="lifecycle_build"),
    path("arkiv/uttrekk/<uuid:extract_id>/", lifecycle.extract_detail, name="lifecycle_extract"),
    path("arkiv/uttrekk/<uuid:extract_id>/zip/", lifecycle.extract_zip,
         name="lifecycle_extract_zip"),
    path("arkiv/sletting/", lifecycle.erasure_page, name="lifecycle_erasure"),
    path("arkiv/sletting/<uuid:candidate_id>/", lifecycle.erasure_decide,
         name="lifecycle_erasure_decide"),
    path("arkiv/sletteforbud/", lifecycle.hold_place, name="lifecycle_hold_place"),
    path("arkiv/sletteforbud/<uuid:hold_id>/opphev/", lifecycle.hold_lift,
         name="lifecycle_hold_lift"),
    path("personvern/behandlingsprotokoll/", lifecycle.processing_record,
         name="lifecycle_record"),
    path("personvern/behandlingsprotokoll/pdf/", lifecycle.processing_record_pdf,
         name="lifecycle_record_pdf"),
    path("personvern/dpia/", lifecycle.dpia, name="lifecycle_dpia"),
    path("personvern/dpia/pdf/", lifecycle.dpia_pdf, name="lifecycle_dpia_pdf"),
]
