"""Staff pages — placeholder until the staff pages land."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


worklists = intake = overview = detail = action = document_file = _todo
