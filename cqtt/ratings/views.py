"""Pages of the ratings. Public: the counter's kiosk (pairing, its state and the rating it sends, queued on the
device through an outage) and the rating page of a dossier's link. Staff: the unit's summary and scorecard,
an officer's scorecard (their own without who rated them), the ratings to review, kiosks and settings."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.ratelimit import client_ip, rate_limited, rate_limited_key
from cqtt.notifications.selectors import units_for
from cqtt.units.models import Counter, Unit

from . import rules, selectors, services
from .defaults import CODES
from .models import Level, RatingChannel, Review

COOKIE = "cqtt_kiosk_{}"
COOKIE_DAYS = 5 * 365
KIOSK_RATE = "12/m"  # per kiosk: a counter serves far fewer citizens a minute
LINK_RATE = "60/h"  # per address, rating pages sent
QUEUE_HOURS = 24  # a queued kiosk rating is taken within this time of the service it rates


def _source_of(request) -> str:
    return services.source_of_address(client_ip(request))


def _levels(scale: int) -> list[dict]:
    return [
        {"value": v, "label": str(Level(v).label), "face": rules.FACES[v]} for v in rules.levels_for(scale)
    ]


def _reason_rows(codes: list[str]) -> tuple[list[dict], list[dict]]:
    positive, negative = rules.reasons_for(codes)
    return (
        [{"key": r.key, "label": str(r.label)} for r in positive],
        [{"key": r.key, "label": str(r.label)} for r in negative],
    )


# --- kiosk ---------------------------------------------------------------------------------------------------


def _kiosk(request, counter: Counter):
    return selectors.kiosk_for(
        counter_id=counter.pk, secret=request.COOKIES.get(COOKIE.format(counter.pk), "")
    )


def _counter_or_404(counter_id: int) -> Counter:
    counter = selectors.counter_public(counter_id)
    if counter is None:
        raise Http404(_("Không có quầy này."))
    return counter


def kiosk(request, counter_id: int):
    """The tablet's page: a pairing form until the device is bound to the counter, then the rating screen."""
    counter = _counter_or_404(counter_id)
    device = _kiosk(request, counter)
    error = ""
    if request.method == "POST" and device is None:
        if rate_limited(request, group="kiosk-pair", rate="20/h"):
            error = _("Nhập sai quá nhiều lần. Xin thử lại sau.")
        else:
            secret = services.kiosk_pair(
                counter=counter, code=request.POST.get("code", ""), client=client_ip(request)
            )
            if secret:
                response = redirect("ratings:kiosk", counter_id=counter.pk)
                response.set_cookie(
                    COOKIE.format(counter.pk),
                    secret,
                    max_age=COOKIE_DAYS * 86400,
                    path=reverse("ratings:kiosk", args=[counter.pk]),
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Strict",
                )
                return response
            error = _("Mã ghép nối không đúng hoặc đã hết hạn. Xin cán bộ quản trị cấp mã mới.")
    unit = counter.office.unit
    if device is None:
        return render(
            request,
            "ratings/kiosk_pair.html",
            {"counter": counter, "unit": unit, "error": error},
            status=400 if error else 200,
        )
    config = services.settings_of(unit)
    positive, negative = _reason_rows(config.codes)
    return render(
        request,
        "ratings/kiosk.html",
        {
            "counter": counter,
            "unit": unit,
            "levels": _levels(config.scale),
            "positive": positive,
            "negative": negative,
        },
    )


@require_GET
def kiosk_state(request, counter_id: int):
    """What the kiosk shows now (polled every few seconds): the prompt to rate, or nothing."""
    counter = _counter_or_404(counter_id)
    device = _kiosk(request, counter)
    if device is None:
        return JsonResponse({"paired": False}, status=401)
    now = timezone.now()
    services.kiosk_seen(device, now)
    prompt = selectors.kiosk_prompt(counter=counter, at=now)
    body = {"paired": True, "prompt": None}
    if prompt is not None:
        officer = prompt.officer
        body["prompt"] = {
            "id": prompt.pk,
            "procedure": prompt.dossier.procedure.name,
            "action": _("Trả kết quả") if prompt.action in services.RETURN_ACTIONS else _("Tiếp nhận hồ sơ"),
            "officer": (officer.full_name or officer.get_full_name() or officer.username) if officer else "",
            "photo": reverse("ratings:kiosk_photo", args=[counter.pk, prompt.pk])
            if officer and officer.photo
            else "",
        }
    return JsonResponse(body)


@require_GET
def kiosk_photo(request, counter_id: int, prompt_id: int):
    counter = _counter_or_404(counter_id)
    if _kiosk(request, counter) is None:
        raise Http404
    prompt = selectors.prompt_of_counter(counter=counter, prompt_id=prompt_id)
    officer = User.objects.filter(pk=prompt.officer_id).first() if prompt and prompt.officer_id else None
    if officer is None or not officer.photo:
        raise Http404
    return FileResponse(officer.photo.open("rb"))


@require_POST
def kiosk_rate(request, counter_id: int):
    """A rating from the kiosk (sent at once, or later from the device's queue). 201 recorded, 200 the same
    queued rating again, 409 the dossier is rated already (by any channel), 400 bad input: the device drops
    the rating from its queue on these and keeps it on any other answer."""
    counter = _counter_or_404(counter_id)
    device = _kiosk(request, counter)
    if device is None:
        return JsonResponse({"detail": _("Thiết bị chưa được ghép nối với quầy.")}, status=401)
    if rate_limited_key(request, group="kiosk-rate", key=f"kiosk:{device.pk}", rate=KIOSK_RATE):
        return JsonResponse({"detail": _("Quá nhiều lượt đánh giá. Thiết bị sẽ gửi lại sau.")}, status=429)
    try:
        body = json.loads(request.body or b"{}")
        prompt_id = int(body.get("prompt_id"))
        level = str(body.get("level", ""))
        reasons = [str(r) for r in (body.get("reasons") or [])][:20]
        comment = str(body.get("comment") or "")
        client_id = str(body.get("client_id") or "")[:40]
        rated_at = parse_datetime(str(body.get("rated_at") or "")) if body.get("rated_at") else None
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"detail": _("Dữ liệu gửi lên không hợp lệ."), "drop": True}, status=400)
    if rated_at is not None and timezone.is_naive(rated_at):
        rated_at = timezone.make_aware(rated_at)
    prompt = selectors.prompt_of_counter(counter=counter, prompt_id=prompt_id)
    if prompt is None:
        return JsonResponse({"detail": _("Không có lượt phục vụ này tại quầy."), "drop": True}, status=400)
    if prompt.created_at < timezone.now() - dt.timedelta(hours=QUEUE_HOURS):
        # a queue older than an outage: a device used to rate old dossiers at leisure, not a citizen at the counter
        return JsonResponse(
            {
                "detail": _("Lượt phục vụ đã quá %(h)s giờ, không nhận đánh giá.") % {"h": QUEUE_HOURS},
                "drop": True,
            },
            status=400,
        )
    try:
        _rating, created = services.rating_submit(
            dossier=prompt.dossier,
            level=level,
            reasons=reasons,
            comment=comment,
            channel=RatingChannel.KIOSK,
            source=f"kiosk:{device.pk}",
            kiosk=device,
            prompt=prompt,
            client_id=client_id,
            rated_at=rated_at,
        )
    except ServiceError as exc:
        return JsonResponse({"errors": exc.message_dict, "drop": True}, status=400)
    except TransitionNotAllowed as exc:
        return JsonResponse({"detail": str(exc), "drop": True}, status=409)
    return JsonResponse({"ok": True}, status=201 if created else 200)


# --- by link -------------------------------------------------------------------------------------------------


def rate_by_link(request, token: str):
    """The rating page a dossier's link opens (slip QR, lookup page, the "returned" notice)."""
    dossier = selectors.dossier_by_token(token)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ của đường link này."))
    unit = dossier.receiving_unit
    config = services.settings_of(unit)
    positive, negative = _reason_rows(config.codes)
    context = {
        "dossier": dossier,
        "unit": unit,
        "levels": _levels(config.scale),
        "positive": positive,
        "negative": negative,
        "errors": {},
        "values": {"level": "", "reasons": [], "comment": "", "contacts": "", "bodies": ""},
        "contacts_choices": [("0", _("Không lần nào")), ("1", _("Một lần")), ("2", _("Hơn một lần"))],
        "bodies_choices": [
            ("0", _("Không phải đến cơ quan nào (làm trực tuyến)")),
            ("1", _("Chỉ Bộ phận Một cửa")),
            ("2", _("Nhiều hơn một cơ quan")),
        ],
    }
    earlier = selectors.rating_of(dossier.pk)
    if earlier is not None:
        return render(
            request,
            "ratings/link_done.html",
            {**context, "rating": earlier, "already": True},
            status=409 if request.method == "POST" else 200,
        )
    if dossier.status in services.NOT_RATEABLE:
        return render(request, "ratings/link_done.html", {**context, "not_yet": True})
    if request.method == "POST":
        values = {
            "level": request.POST.get("level", ""),
            "reasons": request.POST.getlist("reasons")[:20],
            "comment": request.POST.get("comment", ""),
            "contacts": request.POST.get("contacts", ""),
            "bodies": request.POST.get("bodies", ""),
        }
        context["values"] = values
        if request.POST.get("website"):  # the honeypot field people do not see
            return redirect("ratings:link", token=token)
        if request.user.is_authenticated and user_roles_in(request.user, unit):
            context["errors"] = {
                "form": [_("Cán bộ của đơn vị không đánh giá thay người dân. Xin mời người dân tự đánh giá.")]
            }
            return render(request, "ratings/link.html", context, status=403)
        if rate_limited(request, group="rating-link", rate=LINK_RATE):
            context["errors"] = {"form": [_("Quá nhiều lượt gửi từ thiết bị này. Xin thử lại sau.")]}
            return render(request, "ratings/link.html", context, status=429)
        if not values["level"]:
            context["errors"] = {"level": [_("Xin chọn mức độ hài lòng.")]}
            return render(request, "ratings/link.html", context, status=400)
        try:
            services.rating_submit(
                dossier=dossier,
                level=values["level"],
                reasons=values["reasons"],
                comment=values["comment"],
                contacts=values["contacts"],
                bodies=values["bodies"],
                channel=RatingChannel.WEB,
                source=_source_of(request),
            )
        except ServiceError as exc:
            context["errors"] = exc.message_dict
            return render(request, "ratings/link.html", context, status=400)
        except TransitionNotAllowed as exc:
            flash.info(request, str(exc))
        return redirect("ratings:link", token=token)
    return render(request, "ratings/link.html", context)


# --- staff ---------------------------------------------------------------------------------------------------

STAFF_ROLES = frozenset({Role.LEADER, Role.UNIT_ADMIN, Role.PROVINCIAL_SUPERVISOR, Role.OBSERVER})


def _forbidden(request, refused):
    return render(request, "ratings/forbidden.html", {"reason": str(refused)}, status=403)


def _unit(request, roles=STAFF_ROLES) -> Unit:
    units = units_for(request.user, roles)
    if not units:
        raise PermissionDenied(_("Trang này dành cho lãnh đạo, quản trị đơn vị và giám sát."))
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return units[0]
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
    return unit


def _period(request) -> tuple[str, dt.date, dt.date]:
    text = request.GET.get("period") or rules.quarter_of(timezone.localdate())
    bounds = rules.parse_period(text)
    if bounds is None:
        text = rules.quarter_of(timezone.localdate())
        bounds = rules.parse_period(text)
    return text, bounds[0], bounds[1]


def _periods(today: dt.date) -> list[str]:
    """The current and the seven previous quarters, then this year's months."""
    out, year, q = [], today.year, (today.month - 1) // 3 + 1
    for _i in range(8):
        out.append(f"{year}-Q{q}")
        q -= 1
        if q == 0:
            year, q = year - 1, 4
    out += [f"{today.year}-{m:02d}" for m in range(today.month, 0, -1)]
    return out


def _nav(user, unit: Unit) -> dict:
    roles = user_roles_in(user, unit)
    return {
        "can_review": Role.LEADER in roles,
        "can_admin": Role.UNIT_ADMIN in roles or user.is_superuser,
        "can_officers": bool(roles & {Role.LEADER, Role.UNIT_ADMIN, Role.PROVINCIAL_SUPERVISOR}),
    }


@login_required
def overview(request):
    """The unit's satisfaction and TT 01/2018 indicators for a period, with its officers."""
    try:
        unit = _unit(request)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    period, start, end = _period(request)
    nav = _nav(request.user, unit)
    card = selectors.scorecard(ratings=selectors.unit_ratings(unit=unit, start=start, end=end))
    officers = []
    if nav["can_officers"]:
        for officer in selectors.unit_officers(unit=unit):
            officer_card = selectors.scorecard(
                ratings=selectors.unit_ratings(unit=unit, start=start, end=end).filter(officer=officer)
            )
            if officer_card["count"]:
                officers.append((officer, officer_card))
    flagged = selectors.ratings_for(user=request.user, unit=unit, review=Review.FLAGGED).count()
    return render(
        request,
        "ratings/overview.html",
        {
            "unit": unit,
            "units": units_for(request.user, STAFF_ROLES),
            "period": period,
            "periods": _periods(timezone.localdate()),
            "card": card,
            "levels": [(Level(k).label, n) for k, n in card["by_level"].items()],
            "officers": officers,
            "flagged": flagged,
            **nav,
        },
    )


def _officer_page(request, officer: User, *, own: bool, unit: Unit | None):
    period, start, end = _period(request)
    ratings = selectors.officer_ratings(officer=officer, start=start, end=end)
    if unit is not None:
        ratings = ratings.filter(unit=unit)
    card = selectors.scorecard(ratings=ratings)
    comments = selectors.officer_comments(officer=officer, start=start, end=end) if own else []
    return render(
        request,
        "ratings/officer.html",
        {
            "officer": officer,
            "own": own,
            "unit": unit,
            "period": period,
            "periods": _periods(timezone.localdate()),
            "card": card,
            "levels": [(Level(k).label, n) for k, n in card["by_level"].items()],
            "comments": [(Level(lv).label, text) for lv, text, _r in comments],
        },
    )


@login_required
def my_scorecard(request):
    """The officer's own scorecard: totals and what citizens wrote, never which dossier or who."""
    return _officer_page(request, request.user, own=True, unit=None)


@login_required
def officer_scorecard(request, username: str):
    try:
        unit = _unit(request, {Role.LEADER, Role.UNIT_ADMIN, Role.PROVINCIAL_SUPERVISOR})
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    officer = selectors.unit_officers(unit=unit).filter(username=username).first()
    if officer is None:
        raise Http404(_("Không có cán bộ này trong các đánh giá của đơn vị."))
    return _officer_page(request, officer, own=False, unit=unit)


@login_required
def rating_list(request):
    """The unit's ratings for its leaders, flagged ones to review first."""
    try:
        unit = _unit(request, {Role.LEADER, Role.UNIT_ADMIN, Role.PROVINCIAL_SUPERVISOR})
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    review = request.GET.get("review") or ""
    if review not in Review.values:
        review = ""
    qs = selectors.ratings_for(user=request.user, unit=unit, review=review or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ratings/list.html",
        {
            "unit": unit,
            "page": page,
            "review": review,
            "reviews": Review.choices,
            "flag_labels": rules.FLAG_LABELS,
            **_nav(request.user, unit),
        },
    )


@login_required
@require_POST
def rating_review(request, pk: int):
    rating = selectors.rating_for(user=request.user, pk=pk)
    if rating is None:
        raise Http404(_("Không tìm thấy đánh giá này."))
    try:
        services.rating_review(
            actor=request.user,
            rating=rating,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
        )
        flash.success(
            request, _("Đã ghi kết quả xem xét đánh giá của hồ sơ %(c)s.") % {"c": rating.dossier.code}
        )
    except ServiceError as exc:
        for messages in exc.message_dict.values():
            for m in messages:
                flash.error(request, m)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    return redirect(
        f"{reverse('ratings:list')}?unit={rating.unit.code}&review={request.POST.get('back', '')}"
    )


@login_required
def kiosks(request):
    """The unit's counters and their kiosks: issue a pairing code, unpair a lost tablet."""
    try:
        unit = _unit(request, {Role.UNIT_ADMIN})
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    code = issued_for = None
    if request.method == "POST":
        counter = next(
            (
                c
                for c in selectors.counters_for_admin(user=request.user, unit=unit)
                if str(c.pk) == request.POST.get("counter")
            ),
            None,
        )
        if counter is None:
            raise Http404(_("Không có quầy này ở đơn vị."))
        try:
            if request.POST.get("do") == "unpair":
                services.kiosk_unpair(actor=request.user, counter=counter)
                flash.success(request, _("Đã huỷ ghép nối thiết bị của %(c)s.") % {"c": counter})
                return redirect(f"{reverse('ratings:kiosks')}?unit={unit.code}")
            code, issued_for = services.kiosk_pairing_issue(actor=request.user, counter=counter), counter
        except PermissionDenied as refused:
            return _forbidden(request, refused)
    return render(
        request,
        "ratings/kiosks.html",
        {
            "unit": unit,
            "counters": selectors.counters_for_admin(user=request.user, unit=unit),
            "code": code,
            "issued_for": issued_for,
            "minutes": services.PAIRING_MINUTES,
            **_nav(request.user, unit),
        },
    )


@login_required
def rating_settings(request):
    try:
        unit = _unit(request, {Role.UNIT_ADMIN})
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    config = services.settings_of(unit)
    errors: dict = {}
    if request.method == "POST":
        try:
            scale = int(request.POST.get("scale", "5"))
        except ValueError:
            scale = 0
        try:
            services.settings_update(
                actor=request.user, unit=unit, scale=scale, codes=request.POST.getlist("codes")
            )
            flash.success(request, _("Đã lưu cách đánh giá của đơn vị."))
            return redirect(f"{reverse('ratings:settings')}?unit={unit.code}")
        except ServiceError as exc:
            errors = exc.message_dict
        except PermissionDenied as refused:
            return _forbidden(request, refused)
    return render(
        request,
        "ratings/settings.html",
        {
            "unit": unit,
            "config": config,
            "codes": [(c, ", ".join(str(r.label) for r in c.reasons)) for c in CODES],
            "errors": errors,
            **_nav(request.user, unit),
        },
    )
