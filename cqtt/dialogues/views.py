"""Pages of the dialogues app. Public (no account): a unit's announced and past dialogues, a dialogue's
report-back page (questions and answers, minutes, commitments and whether they were kept on time) and its
question form. Staff: the unit's dialogues of a year with the legal minimum, planning, a dialogue's page with its
actions, questions (from the form, the feedback inbox, the floor) and commitments."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cqtt.accounts.permissions import READ_ONLY_ROLES, user_roles_in
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.ratelimit import rate_limited
from cqtt.core.text import search_terms
from cqtt.units.models import Unit, UnitLevel
from cqtt.units.selectors import unit_by_code
from cqtt.workdays.rules import format_day

from . import forms, rules, selectors, services
from .models import CommitmentStatus, Kind, QuestionStatus, Status

RATE_GROUP = "dialogues:ask"


def _too_many(request):
    response = render(request, "portal/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


# --- public ------------------------------------------------------------------------------------------------


def _communes(q: str) -> list[Unit]:
    terms = search_terms(q)[:4]
    if not terms:
        return []
    qs = Unit.objects.filter(is_active=True, level=UnitLevel.COMMUNE)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return list(qs.select_related("parent").order_by("path")[:20])


def _public_unit(code: str) -> Unit | None:
    unit = unit_by_code(code=code) if code and len(code) <= 32 and "\x00" not in code else None
    return unit if unit is not None and unit.is_active and unit.level in services.DIALOGUE_LEVELS else None


def public_list(request):
    unit = _public_unit((request.GET.get("unit") or "").strip())
    if unit is None:
        q = (request.GET.get("q") or "").strip()[:100]
        return render(request, "dialogues/pick_unit.html", {"q": q, "communes": _communes(q)})
    dialogues = list(selectors.dialogue_list_public(unit=unit)[:50])
    now = timezone.now()
    return render(
        request,
        "dialogues/public_list.html",
        {
            "unit": unit,
            "coming": [d for d in dialogues if d.status == Status.ANNOUNCED and d.starts_at >= now],
            "past": [d for d in dialogues if not (d.status == Status.ANNOUNCED and d.starts_at >= now)],
        },
    )


def _public_dialogue(code: str):
    dialogue = selectors.dialogue_public_by_code(code=code)
    if dialogue is None:
        raise Http404(_("Không tìm thấy buổi đối thoại."))
    return dialogue


def report(request, code: str):
    dialogue = _public_dialogue(code)
    commitments = selectors.public_commitments(dialogue=dialogue)
    return render(
        request,
        "dialogues/report.html",
        {
            "dialogue": dialogue,
            "questions": selectors.public_questions(dialogue=dialogue),
            "commitments": commitments,
            "tally": selectors.tally(commitments),
            "can_ask": dialogue.status in rules.PUBLIC_ASK_FOR,
            "Status": Status,
            "CommitmentStatus": CommitmentStatus,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request, code: str):
    dialogue = _public_dialogue(code)
    if dialogue.status not in rules.PUBLIC_ASK_FOR:
        flash.info(request, _("Buổi đối thoại này không còn nhận câu hỏi."))
        return redirect("dialogues:report", code=dialogue.code)
    if request.method == "POST" and rate_limited(
        request, group=RATE_GROUP, rate=settings.FEEDBACK_SUBMIT_RATE
    ):
        return _too_many(request)
    form = forms.QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_robot:
            flash.success(request, _("Đã gửi câu hỏi. Cảm ơn Ông/Bà."))
            return redirect("dialogues:report", code=dialogue.code)
        if form.is_valid():
            v = form.cleaned_data
            try:
                services.question_ask(dialogue=dialogue, text=v["text"], name=v["name"], phone=v["phone"])
            except ServiceError as error:
                forms.add_service_errors(form, error.message_dict)
            except TransitionNotAllowed as error:
                form.add_error(None, str(error))
            else:
                flash.success(
                    request,
                    _(
                        "Đã gửi câu hỏi. Câu hỏi được đưa vào buổi đối thoại sẽ hiện trên trang này cùng câu trả lời."
                    ),
                )
                return redirect("dialogues:report", code=dialogue.code)
    return render(
        request,
        "dialogues/ask.html",
        {"dialogue": dialogue, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- staff -------------------------------------------------------------------------------------------------


def _staff(view):
    """Login required; no unit → 403 page; an object out of scope → 404; a refused role → 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotInScope:
            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem.")) from None
        except PermissionDenied as refused:
            return render(request, "letters/forbidden.html", {"reason": str(refused)}, status=403)
        except TransitionNotAllowed as refused:  # a state the tables refuse, met before any form was read
            return render(request, "letters/forbidden.html", {"reason": str(refused)}, status=409)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _staff_unit(request) -> Unit:
    units = selectors.dialogue_units(request.user)
    if not units:
        raise PermissionDenied(_("Bạn không làm việc ở xã, phường nào."))
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return units[0]
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
    return unit


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@_staff
def dialogue_list(request):
    unit = _staff_unit(request)
    year = _year(request)
    roles = user_roles_in(request.user, unit)
    return render(
        request,
        "dialogues/list.html",
        {
            "unit": unit,
            "units": selectors.dialogue_units(request.user),
            "year": year,
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1),
            "dialogues": selectors.dialogue_list_for(user=request.user, unit=unit, year=year),
            "requirements": selectors.yearly_minimum_for(user=request.user, unit=unit, year=year),
            "Kind": Kind,
            "can_plan": bool(roles & rules.WRITERS),
        },
    )


COMMITMENT_FILTERS = (
    ("", gettext_lazy("Tất cả")),
    ("overdue", gettext_lazy("Quá hạn")),
    (CommitmentStatus.OPEN, CommitmentStatus.OPEN.label),
    (CommitmentStatus.DONE, CommitmentStatus.DONE.label),
    (CommitmentStatus.DROPPED, CommitmentStatus.DROPPED.label),
)


@_staff
def commitments(request):
    """Every commitment of the unit's dialogues: what is due, overdue, done; the user's own with `mine`."""
    unit = _staff_unit(request)
    status = request.GET.get("status") or ""
    if status not in {value for value, _label in COMMITMENT_FILTERS}:
        status = ""
    mine = request.GET.get("mine") == "1"
    rows = selectors.commitment_list_for(
        user=request.user, unit=unit, status=status, owner=request.user if mine else None
    )
    return render(
        request,
        "dialogues/commitments.html",
        {
            "unit": unit,
            "units": selectors.dialogue_units(request.user),
            "rows": rows,
            "status": status,
            "mine": mine,
            "filters": COMMITMENT_FILTERS,
            "tally": selectors.tally(rows),
            "CommitmentStatus": CommitmentStatus,
        },
    )


@_staff
@require_http_methods(["GET", "POST"])
def plan(request):
    unit = _staff_unit(request)
    if not user_roles_in(request.user, unit) & rules.WRITERS:
        raise PermissionDenied(_("Vai trò của bạn không được lập kế hoạch đối thoại."))
    form = forms.DialogueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dialogue = services.dialogue_plan(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã lập kế hoạch đối thoại %(c)s.") % {"c": dialogue.code})
            return redirect("dialogues:detail", code=dialogue.code)
    return render(
        request, "dialogues/plan.html", {"unit": unit, "form": form}, status=400 if form.is_bound else 200
    )


@_staff
@require_http_methods(["GET", "POST"])
def edit(request, code: str):
    """Change a planned or announced dialogue's time, place, chair, co-organiser or topic."""
    dialogue = selectors.access_dialogue(user=request.user, code=code)
    services.action_check(dialogue, "edit", actor=request.user)
    initial = {f: getattr(dialogue, f) for f in ("kind", "topic", "place", "chair", "co_organiser")}
    initial["starts_at"] = timezone.localtime(dialogue.starts_at)
    form = forms.DialogueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.dialogue_edit(
                actor=request.user, dialogue=dialogue, expected_version=_version(request), **form.cleaned_data
            )
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        except TransitionNotAllowed as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, _("Đã lưu thông tin buổi đối thoại."))
            return redirect("dialogues:detail", code=dialogue.code)
    return render(
        request,
        "dialogues/plan.html",
        {"unit": dialogue.unit, "form": form, "dialogue": dialogue},
        status=400 if form.is_bound else 200,
    )


def _question_choices(questions, exclude=None) -> list[tuple[int, str]]:
    return [
        (q.pk, f"#{q.pk} {q.text[:60]}")
        for q in questions
        if q.pk != exclude and q.status not in (QuestionStatus.MERGED, QuestionStatus.REJECTED)
    ]


def _detail(request, dialogue, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    roles = user_roles_in(request.user, dialogue.unit)
    questions = selectors.questions_of(dialogue=dialogue)
    commitments = selectors.commitments_of(dialogue=dialogue)
    dialogue_forms = {
        "announce": None,
        "hold": forms.AttendeesForm,
        "publish_minutes": forms.MinutesForm,
        "cancel": forms.ReasonForm,
    }
    actions = []
    for t in rules.DIALOGUE.available(dialogue.status, roles):
        if t.action not in dialogue_forms:
            continue
        form_class = dialogue_forms[t.action]
        form = bound.get(("dialogue", t.action)) or (form_class(prefix=t.action) if form_class else None)
        actions.append((t.action, t.label, form))
    for q in questions:
        q.actions = []
        if dialogue.status not in rules.QUESTION_OPEN_FOR["accept"] | rules.QUESTION_OPEN_FOR["answer"]:
            continue
        for t in rules.QUESTION.available(q.status, roles):
            if dialogue.status not in rules.QUESTION_OPEN_FOR[t.action]:
                continue
            prefix = f"q{q.pk}-{t.action}"
            maker = {
                "accept": lambda p: None,
                "reject": lambda p: forms.ReasonForm(prefix=p),
                "merge": lambda p, q=q: forms.MergeForm(prefix=p, choices=_question_choices(questions, q.pk)),
                "answer": lambda p, q=q: forms.AnswerForm(
                    prefix=p, initial={"answer": q.answer, "answered_by": q.answered_by}
                ),
            }[t.action]
            q.actions.append((t.action, t.label, bound.get(("question", q.pk, t.action)) or maker(prefix)))
    for c in commitments:
        c.actions = []
        for t in rules.COMMITMENT.available(c.status, roles):
            prefix = f"c{c.pk}-{t.action}"
            maker = forms.CompleteForm if t.action == "complete" else forms.ReasonForm
            form = bound.get(("commitment", c.pk, t.action)) or maker(
                prefix=prefix, initial={"done_on": timezone.localdate()} if t.action == "complete" else None
            )
            c.actions.append((t.action, t.label, form))
        c.explanation = selectors.explanation_of(commitment=c, dialogue=dialogue)
        c.due_label = format_day(c.due_date)
    can_write = bool(roles & rules.WRITERS)
    collecting = dialogue.status in rules.QUESTION_OPEN_FOR["ask"]
    context = {
        "dialogue": dialogue,
        "unit": dialogue.unit,
        "actions": actions,
        "questions": questions,
        "commitments": commitments,
        "tally": selectors.tally(commitments),
        "events": selectors.events_of(dialogue=dialogue),
        "can_write": can_write,
        # the askers' names and phones: not for the read-only observer (ADR 0013)
        "show_personal": bool(roles - READ_ONLY_ROLES),
        "can_edit": any(t.action == "edit" for t in rules.DIALOGUE.available(dialogue.status, roles)),
        "collecting": can_write and collecting,
        "floor_form": bound.get("floor") or forms.FloorQuestionForm(prefix="floor"),
        "pull_form": bound.get("pull") or forms.FeedbackPullForm(prefix="pull"),
        "candidates": selectors.feedback_candidates(user=request.user, unit=dialogue.unit)
        if can_write and collecting
        else [],
        "commitment_form": bound.get("commitment")
        or forms.CommitmentForm(
            prefix="commit",
            owners=selectors.owners_for(unit=dialogue.unit),
            questions=_question_choices(questions),
        ),
        "can_commit": can_write and dialogue.was_held,
        "day": format_day(services.dialogue_day(dialogue)),
        "Status": Status,
        "CommitmentStatus": CommitmentStatus,
    }
    return render(request, "dialogues/detail.html", context, status=status)


@_staff
def detail(request, code: str):
    return _detail(request, selectors.access_dialogue(user=request.user, code=code))


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version") or "") or None
    except ValueError:
        return None


def _refused(request, dialogue, error, bound=None):
    if isinstance(error, ServiceError):
        return _detail(request, dialogue, bound, status=400)
    flash.error(request, str(error))
    return _detail(request, dialogue, bound, status=409)


@_staff
@require_POST
def act(request, code: str, action: str):
    dialogue = selectors.access_dialogue(user=request.user, code=code)
    if action not in services.DIALOGUE_ACTIONS:
        raise Http404(_("Thao tác không tồn tại."))
    form_class = {
        "hold": forms.AttendeesForm,
        "publish_minutes": forms.MinutesForm,
        "cancel": forms.ReasonForm,
    }.get(action)
    form = form_class(request.POST, prefix=action) if form_class else None
    if form is not None and not form.is_valid():
        services.action_check(dialogue, action, actor=request.user)  # a refused role is 403 before its form
        return _detail(request, dialogue, {("dialogue", action): form}, status=400)
    values = form.cleaned_data if form is not None else {}
    try:
        services.dialogue_act(
            action, actor=request.user, dialogue=dialogue, expected_version=_version(request), **values
        )
    except (ServiceError, TransitionNotAllowed) as error:
        if form is not None and isinstance(error, ServiceError):
            forms.add_service_errors(form, error.message_dict)
        return _refused(request, dialogue, error, {("dialogue", action): form})
    flash.success(request, _("Đã lưu: %(a)s.") % {"a": rules.DIALOGUE[action].label})
    return redirect("dialogues:detail", code=dialogue.code)


@_staff
@require_POST
def question_add(request, code: str, source: str):
    """A question raised at the meeting (`floor`) or an item pulled from the feedback inbox (`feedback`)."""
    dialogue = selectors.access_dialogue(user=request.user, code=code)
    if source == "floor":
        form, key = forms.FloorQuestionForm(request.POST, prefix="floor"), "floor"
    elif source == "feedback":
        form, key = forms.FeedbackPullForm(request.POST, prefix="pull"), "pull"
    else:
        raise Http404(_("Thao tác không tồn tại."))
    if not form.is_valid():
        services.action_check_ask(dialogue, actor=request.user)
        return _detail(request, dialogue, {key: form}, status=400)
    v = form.cleaned_data
    try:
        if source == "floor":
            services.question_ask(dialogue=dialogue, text=v["text"], name=v["name"], actor=request.user)
        else:
            services.question_from_feedback(
                actor=request.user, dialogue=dialogue, feedback_code=v["feedback_code"]
            )
    except (ServiceError, TransitionNotAllowed) as error:
        if isinstance(error, ServiceError):
            forms.add_service_errors(form, error.message_dict)
        return _refused(request, dialogue, error, {key: form})
    flash.success(request, _("Đã thêm câu hỏi."))
    return redirect(reverse("dialogues:detail", args=[dialogue.code]) + "#questions")


@_staff
@require_POST
def question_act(request, pk: int, action: str):
    question = selectors.access_question(user=request.user, pk=pk)
    dialogue = question.dialogue
    if action not in services.QUESTION_ACTIONS:
        raise Http404(_("Thao tác không tồn tại."))
    prefix = f"q{question.pk}-{action}"
    questions = selectors.questions_of(dialogue=dialogue)
    form = {
        "accept": lambda: None,
        "reject": lambda: forms.ReasonForm(request.POST, prefix=prefix),
        "merge": lambda: forms.MergeForm(
            request.POST, prefix=prefix, choices=_question_choices(questions, pk)
        ),
        "answer": lambda: forms.AnswerForm(request.POST, prefix=prefix),
    }[action]()
    bound = {("question", question.pk, action): form}
    if form is not None and not form.is_valid():
        services.action_check(question, action, actor=request.user)
        return _detail(request, dialogue, bound, status=400)
    values = dict(form.cleaned_data) if form is not None else {}
    if action == "merge":
        values["into"] = next((q for q in questions if q.pk == values["into"]), None)
    try:
        services.question_act(
            action, actor=request.user, question=question, expected_version=_version(request), **values
        )
    except (ServiceError, TransitionNotAllowed) as error:
        if form is not None and isinstance(error, ServiceError):
            forms.add_service_errors(form, error.message_dict)
        return _refused(request, dialogue, error, bound)
    flash.success(request, _("Đã lưu: %(a)s.") % {"a": rules.QUESTION[action].label})
    return redirect(reverse("dialogues:detail", args=[dialogue.code]) + f"#q{question.pk}")


@_staff
@require_POST
def commitment_add(request, code: str):
    dialogue = selectors.access_dialogue(user=request.user, code=code)
    questions = selectors.questions_of(dialogue=dialogue)
    owners = list(selectors.owners_for(unit=dialogue.unit))
    form = forms.CommitmentForm(
        request.POST, prefix="commit", owners=owners, questions=_question_choices(questions)
    )
    if not form.is_valid():
        services.action_check_commit(dialogue, actor=request.user)
        return _detail(request, dialogue, {"commitment": form}, status=400)
    v = form.cleaned_data
    try:
        services.commitment_add(
            actor=request.user,
            dialogue=dialogue,
            text=v["text"],
            owner=next((u for u in owners if u.pk == v["owner"]), None),
            days=v["due_days"],
            due_date=None if v["due_days"] is not None else v["due_date"],
            question=next((q for q in questions if q.pk == v["question"]), None),
        )
    except (ServiceError, TransitionNotAllowed) as error:
        if isinstance(error, ServiceError):
            forms.add_service_errors(form, error.message_dict)
        return _refused(request, dialogue, error, {"commitment": form})
    flash.success(request, _("Đã ghi cam kết."))
    return redirect(reverse("dialogues:detail", args=[dialogue.code]) + "#commitments")


@_staff
@require_POST
def commitment_act(request, pk: int, action: str):
    commitment = selectors.access_commitment(user=request.user, pk=pk)
    dialogue = commitment.dialogue
    if action not in services.COMMITMENT_ACTIONS:
        raise Http404(_("Thao tác không tồn tại."))
    prefix = f"c{commitment.pk}-{action}"
    form_class = forms.CompleteForm if action == "complete" else forms.ReasonForm
    form = form_class(request.POST, prefix=prefix)
    bound = {("commitment", commitment.pk, action): form}
    if not form.is_valid():
        services.action_check(commitment, action, actor=request.user)
        return _detail(request, dialogue, bound, status=400)
    try:
        services.commitment_act(
            action,
            actor=request.user,
            commitment=commitment,
            expected_version=_version(request),
            **form.cleaned_data,
        )
    except (ServiceError, TransitionNotAllowed) as error:
        if isinstance(error, ServiceError):
            forms.add_service_errors(form, error.message_dict)
        return _refused(request, dialogue, error, bound)
    flash.success(request, _("Đã lưu: %(a)s.") % {"a": rules.COMMITMENT[action].label})
    return redirect(reverse("dialogues:detail", args=[dialogue.code]) + f"#c{commitment.pk}")
