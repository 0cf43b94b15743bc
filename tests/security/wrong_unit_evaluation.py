"""The evaluation app's URLs in the wrong-unit tables of test_wrong_unit.py (each URL must be classified there)."""

from django.urls import reverse


# --- indices and scorecard (indices part) ------------------------------------------------------------------
def _register_indices(public_pages: dict, public_api: dict, staff_pages: dict, staff_api: dict) -> None:
    """The indices' pages and endpoints."""
    public_api.update(
        {
            "api:public-unit-scorecard": lambda x: (
                reverse("api:public-unit-scorecard", args=["25747"]) + "?period=2026-11"
            ),
        }
    )
    staff_pages.update(
        {
            "evaluation:home": ("get", lambda x: reverse("evaluation:home")),
            "evaluation:unit": ("get", lambda x: reverse("evaluation:unit", args=["25747"])),
            "evaluation:officers": ("get", lambda x: reverse("evaluation:officers", args=["25747"])),
            "evaluation:evidence": ("get", lambda x: reverse("evaluation:evidence", args=["25747", "1"])),
        }
    )
    staff_api.update(
        {
            "api:evaluation-indicators": [
                ("get", lambda x: reverse("api:evaluation-indicators") + "?unit=25747")
            ],
            "api:evaluation-ranking": [("get", lambda x: reverse("api:evaluation-ranking") + "?province=79")],
            "api:evaluation-evidence": [
                ("get", lambda x: reverse("api:evaluation-evidence") + "?unit=25747&indicator=1")
            ],
        }
    )


# --- criteria, cycles, inspections and recognition (criteria part) -----------------------------------------
def _criteria(x):
    """A cycle of city 79 with ward A in it, started, with one evidence file: made once per test."""
    if getattr(x, "criteria_assessment", None) is None:
        import datetime as dt

        from django.core.files.uploadedfile import SimpleUploadedFile

        from cqtt.evaluation import criteria_services as services
        from cqtt.evaluation.criteria_models import CriteriaSet

        w = x.w
        cycle = services.cycle_create(
            actor=x.supervisor_79,
            province=w.city,
            name="Đánh giá năm 2026",
            criteria_set=CriteriaSet.objects.get(province__isnull=True, code="BD-TIEU-CHI", version=1),
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
            units=[w.a],
        )
        a = services.assessment_start(actor=w.leader, assessment=cycle.assessments.get())
        crit = a.scores.filter(criterion__kind="self").first().criterion_id
        pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
        x.criteria_evidence = services.evidence_add(actor=w.leader, assessment=a, criterion_id=crit, file=pdf)
        x.criteria_cycle, x.criteria_assessment = cycle, a
    return x


def _register_criteria(staff_pages: dict, staff_api: dict) -> None:
    staff_pages.update(
        {
            "evaluation:criteria-home": ("get", lambda x: reverse("evaluation:criteria-home")),
            "evaluation:criteria-rollout": ("get", lambda x: reverse("evaluation:criteria-rollout")),
            "evaluation:criteria-sets": ("get", lambda x: reverse("evaluation:criteria-sets")),
            "evaluation:criteria-set": (
                "get",
                lambda x: reverse(
                    "evaluation:criteria-set", args=[_criteria(x).criteria_cycle.criteria_set_id]
                ),
            ),
            "evaluation:criteria-cycle": (
                "get",
                lambda x: reverse("evaluation:criteria-cycle", args=[_criteria(x).criteria_cycle.pk]),
            ),
            "evaluation:criteria-report": (
                "get",
                lambda x: reverse("evaluation:criteria-report", args=[_criteria(x).criteria_cycle.pk]),
            ),
            "evaluation:criteria-assessment": (
                "post",
                lambda x: reverse(
                    "evaluation:criteria-assessment", args=[_criteria(x).criteria_assessment.pk]
                ),
            ),
            "evaluation:criteria-evidence": (
                "get",
                lambda x: reverse("evaluation:criteria-evidence", args=[_criteria(x).criteria_evidence.pk]),
            ),
        }
    )
    staff_api.update(
        {
            "api:criteria-targets": [("get", lambda x: reverse("api:criteria-targets") + "?province=79")],
            "api:criteria-outreach": [("get", lambda x: reverse("api:criteria-outreach"))],
            "api:criteria-assessment": [
                (
                    "get",
                    lambda x: reverse("api:criteria-assessment", args=[_criteria(x).criteria_assessment.pk]),
                )
            ],
        }
    )


# --- end of the criteria part ------------------------------------------------------------------------------


# --- reports (reports part) ----------------------------------------------------------------------------------
def _report(x):
    """A one-stop report of ward A asked by its leader (not built): made once per test."""
    if getattr(x, "report", None) is None:
        from django.utils import timezone

        from cqtt.evaluation.reports_models import Report

        x.report = Report.objects.create(
            kind="one_stop",
            unit=x.w.a,
            period="2026-Q4",
            requested_by=x.w.leader,
            requested_at=timezone.now(),
        )
    return x.report


def _register_reports(staff_pages: dict) -> None:
    staff_pages.update(
        {
            "evaluation:reports": ("get", lambda x: reverse("evaluation:reports")),
            "evaluation:report": ("get", lambda x: reverse("evaluation:report", args=[_report(x).pk])),
            "evaluation:report-file": (
                "get",
                lambda x: reverse("evaluation:report-file", args=[_report(x).pk, "pdf"]),
            ),
        }
    )


def register(public_pages: dict, public_api: dict, staff_pages: dict, staff_api: dict) -> None:
    """Add this app's URL names with their builders, in the shapes test_wrong_unit.py's tables use."""
    _register_reports(staff_pages)
    _register_criteria(staff_pages, staff_api)
    _register_indices(public_pages, public_api, staff_pages, staff_api)
