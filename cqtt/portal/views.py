from django.shortcuts import render


def home(request):
    return render(request, "portal/home.html")


def _todo(request, *args, **kwargs):
    from django.http import HttpResponse

    return HttpResponse(status=501)


lookup = lookup_token = submit_choose = submit = submitted = _todo
