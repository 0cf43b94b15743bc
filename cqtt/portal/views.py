"""Public pages: home, online submission and dossier lookup. Citizens have no account; the lookup shows the
state of a dossier to whoever holds its code and the last 4 digits of the applicant's phone (or the QR token of
the appointment slip), and nothing that identifies the applicant."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cqtt.core.caching import free_of_personal_data
from cqtt.core.errors import ServiceError
from cqtt.core.ratelimit import rate_limited
from cqtt.dossiers.models import Channel, Status
from cqtt.dossiers.selectors import dossier_events, dossier_public_by_code, dossier_public_by_token
from cqtt.dossiers.services import ApplicantData, DocumentData, dossier_submit_online
from cqtt.dossiers.uploads import safe_name
from cqtt.procedures.forms import CatalogueFilterForm
from cqtt.procedures.selectors import procedure_get_public, procedure_list_public, unit_find
from cqtt.ratings.selectors import rating_of
from cqtt.surveys.selectors import open_campaign_after_result
from cqtt.units.models import UnitLevel

from .forms import LookupForm, SubmitForm
from .timeline import initials, status_help, timeline

ONLINE_LEVELS = ("toan_trinh", "mot_phan")
PAGE_SIZE = 20
SESSION_KEY = "portal_submitted"  # {dossier code: lookup token} of dossiers this browser session submitted
SESSION_KEEP = 10
LOOKUP_GROUP = "lookup"  # one budget for the lookup page, the QR page and the lookup API
SUBMIT_GROUP = "portal:submit"


@free_of_personal_data
def home(request):
    return render(request, "portal/home.html")


# --- rate limits (django-ratelimit, keyed by client IP; see settings PORTAL_*_RATE) --------------------------


def _limited(request, group: str, setting: str) -> bool:
    """Count this request against the client address's budget for `group`; True once it is spent."""
    return rate_limited(request, group=group, rate=getattr(settings, setting))


def _too_many(request):
    response = render(request, "portal/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


# --- online submission -------------------------------------------------------------------------------------


@free_of_personal_data
def submit_choose(request):
    """Procedures that can be submitted online, searchable, with the province → commune picker of the
    catalogue (plain GET form: without JavaScript the commune list appears after pressing "Tìm")."""
    form = CatalogueFilterForm(request.GET or None)
    page = None
    unit = ""
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        unit = data.get("unit") or ""
        results = procedure_list_public(q=data.get("q"), field=data.get("field"), unit=unit or None).filter(
            online_level__in=ONLINE_LEVELS
        )
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "communes": form.commune_choices() if request.GET else [],
        "selected_unit": unit,
    }
    return render(request, "portal/submit_choose.html", context)


def _submission_unit(procedure, code: str):
    """The commune the dossier goes to: one offering the procedure (any commune if none is listed)."""
    units = list(procedure.units.all())
    if code:
        if units:
            return next((u for u in units if u.code == code), None)
        unit = unit_find(code=code)
        return unit if unit is not None and unit.level == UnitLevel.COMMUNE else None
    communes = [u for u in units if u.level == UnitLevel.COMMUNE]
    return communes[0] if len(communes) == 1 else None


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request, procedure_code: str):
    procedure = procedure_get_public(code=procedure_code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục đang có hiệu lực với mã này."))
    if procedure.online_level not in ONLINE_LEVELS:
        status = 400 if request.method == "POST" else 200
        return render(request, "portal/submit_in_person.html", {"procedure": procedure}, status=status)
    unit_code = (request.GET.get("unit") or "").strip()
    unit = _submission_unit(procedure, unit_code)
    if unit is None:
        status = 404 if unit_code else 200
        communes = [u for u in procedure.units.all() if u.level == UnitLevel.COMMUNE]
        context = {"procedure": procedure, "communes": communes, "unit_code": unit_code}
        return render(request, "portal/submit_pick_unit.html", context, status=status)

    if request.method == "POST" and _limited(request, SUBMIT_GROUP, "PORTAL_SUBMIT_RATE"):
        return _too_many(request)
    form = SubmitForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        procedure=procedure,
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = _submit(form, procedure=procedure, unit=unit)
        except ServiceError as error:
            form.add_service_errors(error.message_dict)
        else:
            submitted = request.session.get(SESSION_KEY, {})
            submitted[dossier.code] = dossier.lookup_token
            request.session[SESSION_KEY] = dict(list(submitted.items())[-SESSION_KEEP:])
            return redirect("portal:submitted", code=dossier.code)
    context = {"procedure": procedure, "unit": unit, "form": form}
    return render(request, "portal/submit.html", context, status=400 if form.is_bound else 200)


def _submit(form: SubmitForm, *, procedure, unit):
    data = form.cleaned_data
    documents = []
    for doc in form.documents:
        upload = data[form.document_field(doc)]
        content_type = form.content_types[doc.pk]
        upload.name = safe_name(upload.name, content_type)
        documents.append(
            DocumentData(
                name=doc.name,
                kind=doc.kind,
                count=doc.count,
                required_document_id=doc.pk,
                upload=upload,
                content_type=content_type,
            )
        )
    applicant = ApplicantData(
        full_name=data["full_name"],
        id_number=data["id_number"],
        phone=data["phone"],
        email=data["email"],
        address=data["address"],
        notify_zalo=bool(data.get("notify_zalo")),
    )
    return dossier_submit_online(
        procedure_code=procedure.code,
        unit=unit,
        applicant=applicant,
        documents=documents,
        delivery=data["delivery"],
    )


@never_cache
def submitted(request, code: str):
    """The confirmation, only for the browser session that submitted the dossier."""
    token = request.session.get(SESSION_KEY, {}).get(code)
    dossier = dossier_public_by_token(token=token) if token else None
    if dossier is None or dossier.code != code:
        return redirect("portal:lookup")
    lookup_url = request.build_absolute_uri(reverse("portal:lookup_token", args=[dossier.lookup_token]))
    return render(
        request,
        "portal/submitted.html",
        {"dossier": dossier, "lookup_url": lookup_url, "documents": dossier.documents.all()},
    )


# --- public lookup -----------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """Code + last 4 phone digits (POST, so neither lands in URLs, history or access logs)."""
    if request.method != "POST":
        return render(request, "portal/lookup.html", {"form": LookupForm()})
    if _limited(request, LOOKUP_GROUP, "LOOKUP_RATE"):
        return _too_many(request)
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/lookup.html", {"form": form}, status=400)
    dossier = dossier_public_by_code(
        code=form.cleaned_data["code"], phone_last4=form.cleaned_data["phone_last4"]
    )
    if dossier is None:
        # One message and one status for a wrong code and for a right code with a wrong phone.
        form.add_error(
            None,
            _(
                "Không tìm thấy hồ sơ khớp với mã và 4 số cuối điện thoại đã nhập. Hãy kiểm tra lại mã trên "
                "giấy tiếp nhận và số điện thoại đã khai khi nộp."
            ),
        )
        return render(request, "portal/lookup.html", {"form": form}, status=404)
    return _status_page(request, dossier)


@never_cache
@require_http_methods(["GET", "HEAD"])
def lookup_token(request, token: str):
    """The page the QR code of the appointment slip opens (shares the lookup budget)."""
    if _limited(request, LOOKUP_GROUP, "LOOKUP_RATE"):
        return _too_many(request)
    dossier = dossier_public_by_token(token=token)
    if dossier is None:
        message = _(
            "Đường dẫn tra cứu không đúng hoặc đã hết hiệu lực. Hãy tra cứu bằng mã hồ sơ và số điện thoại."
        )
        return render(request, "portal/lookup.html", {"form": LookupForm(), "message": message}, status=404)
    return _status_page(request, dossier)


def _office(unit):
    try:
        return unit.office
    except ObjectDoesNotExist:
        return None


def _status_page(request, dossier):
    context = {
        "dossier": dossier,
        "initials": initials(dossier.applicant_name),
        "status_help": status_help(dossier),
        "office": _office(dossier.receiving_unit),
        "timeline": timeline(dossier_events(dossier=dossier, public_only=True)),
        "awaiting_reception": dossier.status in (Status.SUBMITTED_ONLINE, Status.INTAKE_SUPPLEMENT),
        "Channel": Channel,
    }
    if dossier.status == Status.RETURNED:
        # once returned: the rating (one per dossier) and the unit's "after each result" survey, if one is open
        context["rated"] = rating_of(dossier.pk) is not None
        context["after_survey"] = open_campaign_after_result(dossier.receiving_unit)
    response = render(request, "portal/status.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
