"""The dialogues app's URLs in the wrong-unit tables of test_wrong_unit.py (each URL must be classified there)."""

from django.urls import reverse


def _dialogues(x):
    """Ward A's dialogues, made once per test: one announced, one held with a question of the dossiers' applicant
    (name and phone, which public pages must never show) and a commitment."""
    if getattr(x, "dialogue_held", None) is None:
        from cqtt.dialogues import services
        from tests.dialogues.conftest import FRONT, at

        w = x.w
        values = {
            "kind": "annual_front",
            "topic": "Trật tự đô thị",
            "place": "Hội trường UBND phường",
            "chair": "Chủ tịch UBND phường",
            "co_organiser": FRONT,
        }
        coming = services.dialogue_plan(
            actor=w.leader, unit=w.a, starts_at=at(2026, 12, 18, 8, 0), at=at(2026, 11, 1, 9, 0), **values
        )
        x.dialogue_announced = services.dialogue_announce(actor=w.leader, dialogue=coming)
        past = services.dialogue_plan(
            actor=w.leader, unit=w.a, starts_at=at(2026, 11, 20, 8, 0), at=at(2026, 11, 1, 9, 0), **values
        )
        past = services.dialogue_announce(actor=w.leader, dialogue=past, at=at(2026, 11, 2, 9, 0))
        question = services.question_ask(
            dialogue=past, text="Khi nào dẹp chợ tạm đường Yersin?", name="Phạm Văn Bình", phone="0912345678"
        )
        x.dialogue_question = services.question_accept(actor=w.leader, question=question)
        x.dialogue_held = services.dialogue_hold(actor=w.leader, dialogue=past, at=at(2026, 11, 20, 11, 0))
        x.dialogue_commitment = services.commitment_add(
            actor=w.leader,
            dialogue=x.dialogue_held,
            text="Dẹp chợ tạm trên đường Yersin",
            owner=w.specialist,
            days=5,
        )
    return x


def register(public_pages: dict, public_api: dict, staff_pages: dict, staff_api: dict) -> None:
    """Add this app's URL names with their builders, in the shapes test_wrong_unit.py's tables use."""
    public_pages.update(
        {
            "dialogues:public_list": lambda x: reverse("dialogues:public_list") + "?unit=25747",
            "dialogues:report": lambda x: reverse(
                "dialogues:report", args=[_dialogues(x).dialogue_held.code]
            ),
            "dialogues:ask": lambda x: reverse("dialogues:ask", args=[_dialogues(x).dialogue_announced.code]),
        }
    )
    public_api.update(
        {
            "api:public-dialogues": lambda x: (
                _dialogues(x),
                reverse("api:public-dialogues") + "?unit=25747",
            )[1],
            "api:public-dialogue": lambda x: reverse(
                "api:public-dialogue", args=[_dialogues(x).dialogue_held.code]
            ),
        }
    )
    staff_pages.update(
        {
            "dialogues:list": ("get", lambda x: reverse("dialogues:list")),
            "dialogues:plan": ("get", lambda x: reverse("dialogues:plan")),
            "dialogues:commitments": ("get", lambda x: reverse("dialogues:commitments")),
            "dialogues:detail": (
                "get",
                lambda x: reverse("dialogues:detail", args=[_dialogues(x).dialogue_held.code]),
            ),
            "dialogues:edit": (
                "get",
                lambda x: reverse("dialogues:edit", args=[_dialogues(x).dialogue_announced.code]),
            ),
            "dialogues:act": (
                "post",
                lambda x: reverse("dialogues:act", args=[_dialogues(x).dialogue_announced.code, "announce"]),
            ),
            "dialogues:question_add": (
                "post",
                lambda x: reverse("dialogues:question_add", args=[_dialogues(x).dialogue_held.code, "floor"]),
            ),
            "dialogues:question_act": (
                "post",
                lambda x: reverse(
                    "dialogues:question_act", args=[_dialogues(x).dialogue_question.pk, "answer"]
                ),
            ),
            "dialogues:commitment_add": (
                "post",
                lambda x: reverse("dialogues:commitment_add", args=[_dialogues(x).dialogue_held.code]),
            ),
            "dialogues:commitment_act": (
                "post",
                lambda x: reverse(
                    "dialogues:commitment_act", args=[_dialogues(x).dialogue_commitment.pk, "complete"]
                ),
            ),
        }
    )
    staff_api.update(
        {
            f"api:dialogue-commitment-{action}": [
                (
                    "post",
                    lambda x, a=action: reverse(
                        f"api:dialogue-commitment-{a}", args=[_dialogues(x).dialogue_commitment.pk]
                    ),
                )
            ]
            for action in ("complete", "drop")
        }
    )
