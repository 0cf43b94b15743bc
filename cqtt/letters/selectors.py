"""Reads of the letters, scoped to the units where the user works (not the Fatherland Front observer)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from cqtt.dossiers.models import Dossier
from cqtt.dossiers.printouts.printing import commune_of
from cqtt.notifications.selectors import STAFF_ROLES as STAFF_ROLES  # the same staff as the notices'
from cqtt.notifications.selectors import staff_unit_ids
from cqtt.units.models import Unit

from .models import Letter, LetterKind, LetterStatus, LetterTemplate

TEMPLATE_ROLES = frozenset({"leader", "unit_admin"})  # a unit's wording and its own kinds of letter


def letters_for(
    *,
    user,
    unit: Unit | None = None,
    dossier_code: str | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> QuerySet[Letter]:
    ids = staff_unit_ids(user)
    qs = Letter.objects.all() if ids is None else Letter.objects.filter(unit_id__in=ids)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if dossier_code:
        qs = qs.filter(dossier__code=dossier_code)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("unit", "dossier", "signer").order_by("-created_at", "pk")


def issuer_of(*, dossier: Dossier) -> Unit:
    """The unit that issues a dossier's letters: the commune (or province) of the unit that received it."""
    return commune_of(dossier.receiving_unit)


def letter_for(*, user, pk: str) -> Letter | None:
    if not pk or len(pk) > 16:
        return None
    return letters_for(user=user).select_related("dossier__procedure").filter(pk=pk).first()


def counts_by_kind(*, unit: Unit, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Letters signed by the unit in [start, end), per kind (the seeds' "132 congratulations, 36 condolences")."""
    rows = (
        Letter.objects.filter(unit=unit, signed_at__gte=start, signed_at__lt=end)
        .exclude(status=LetterStatus.CANCELLED)
        .values("kind")
        .annotate(n=Count("pk"))
    )
    return {r["kind"]: r["n"] for r in rows}


def custom_kinds_of(*, unit: Unit, archived: bool = True) -> list[LetterTemplate]:
    """The unit's own kinds of letter by name (`archived=False`: only those still offered for new letters), each
    with `letters`, the number of letters made from it."""
    qs = LetterTemplate.objects.filter(unit=unit, kind=LetterKind.CUSTOM)
    if not archived:
        qs = qs.filter(archived_at__isnull=True)
    kinds = list(qs.order_by("title", "pk"))
    used = dict(
        Letter.objects.filter(template__in=kinds)
        .values("template")
        .annotate(n=Count("pk"))
        .values_list("template", "n")
    )
    for t in kinds:
        t.letters = used.get(t.pk, 0)
    return kinds


def custom_kind_for(*, user, pk: int) -> LetterTemplate | None:
    """One of the own kinds of letter of a unit where the user works (None: no such kind, or another unit's)."""
    ids = staff_unit_ids(user)
    qs = LetterTemplate.objects.filter(kind=LetterKind.CUSTOM)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    return qs.select_related("unit").filter(pk=pk).first()
