"""Printing — placeholder until the printing module lands."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


receipt_slip = supplement_slip = refusal_slip = control_slip = _todo
tracking_book_xlsx = tracking_book_pdf = dossier_list_xlsx = _todo
