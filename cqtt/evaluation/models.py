"""Models of the evaluation app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.units.models import Unit

from .criteria_models import *  # noqa: F403
from .reports_models import *  # noqa: F403

# --- read model and indices ----------------------------------------------------------------------------------
# Facts per unit and month, kept by the outbox consumers of `read_model` and rebuilt by `evaluation_rebuild`.
# A quarter or a year is the sum of its months; a province is the sum of the units below it.

FACT_FIELDS = (
    # dossiers of the handling unit: received in the month / finished in the month, by timeliness
    "received",
    "online",
    "finished",
    "early",
    "on_time",
    "late",
    "online_finished",
    "online_late",
    # ratings counted (not excluded), by level and TT 01 indicator sums and counts
    "rated",
    "very_satisfied",
    "satisfied",
    "neutral",
    "unsatisfied",
    "very_unsatisfied",
    "i1_sum",
    "i1_n",
    "i2_sum",
    "i2_n",
    "i3_sum",
    "i3_n",
    "i4_sum",
    "i4_n",
    "i7_sum",
    "i7_n",
    # feedback items received in the month; answered in the month on time or late, and their reactions
    "feedback_received",
    "feedback_on_time",
    "feedback_late",
    "likes",
    "dislikes",
    # letters drafted in the month (not cancelled), by kind
    "letters_apology",
    "letters_error_apology",
    "letters_thanks",
    "letters_congratulation",
    "letters_condolence",
    "letters_custom",
    # dialogue commitments due in the month, and those kept on time
    "commitments_due",
    "commitments_kept",
)
OFFICER_FACT_FIELDS = (
    "rated",
    "i1_sum",
    "i1_n",
    "i2_sum",
    "i2_n",
    "i3_sum",
    "i3_n",
    "i4_sum",
    "i4_n",
    "i7_sum",
    "i7_n",
)


class UnitMonthFact(models.Model):
    """What happened in one unit in one month, counted (the evaluation read model: no personal data)."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("tháng"))
    received = models.PositiveIntegerField(_("hồ sơ tiếp nhận"), default=0)
    online = models.PositiveIntegerField(_("hồ sơ trực tuyến"), default=0)
    finished = models.PositiveIntegerField(_("hồ sơ đã giải quyết"), default=0)
    early = models.PositiveIntegerField(_("trước hạn"), default=0)
    on_time = models.PositiveIntegerField(_("đúng hạn"), default=0)
    late = models.PositiveIntegerField(_("quá hạn"), default=0)
    online_finished = models.PositiveIntegerField(_("hồ sơ trực tuyến đã giải quyết"), default=0)
    online_late = models.PositiveIntegerField(_("hồ sơ trực tuyến quá hạn"), default=0)
    rated = models.PositiveIntegerField(_("lượt đánh giá"), default=0)
    very_satisfied = models.PositiveIntegerField(_("rất hài lòng"), default=0)
    satisfied = models.PositiveIntegerField(_("hài lòng"), default=0)
    neutral = models.PositiveIntegerField(_("bình thường"), default=0)
    unsatisfied = models.PositiveIntegerField(_("không hài lòng"), default=0)
    very_unsatisfied = models.PositiveIntegerField(_("rất không hài lòng"), default=0)
    i1_sum = models.PositiveIntegerField(default=0)
    i1_n = models.PositiveIntegerField(default=0)
    i2_sum = models.PositiveIntegerField(default=0)
    i2_n = models.PositiveIntegerField(default=0)
    i3_sum = models.PositiveIntegerField(default=0)
    i3_n = models.PositiveIntegerField(default=0)
    i4_sum = models.PositiveIntegerField(default=0)
    i4_n = models.PositiveIntegerField(default=0)
    i7_sum = models.PositiveIntegerField(default=0)
    i7_n = models.PositiveIntegerField(default=0)
    feedback_received = models.PositiveIntegerField(_("phản ánh tiếp nhận"), default=0)
    feedback_on_time = models.PositiveIntegerField(_("phản ánh trả lời đúng hạn"), default=0)
    feedback_late = models.PositiveIntegerField(_("phản ánh trả lời quá hạn"), default=0)
    likes = models.PositiveIntegerField(_("lượt hài lòng với trả lời"), default=0)
    dislikes = models.PositiveIntegerField(_("lượt không hài lòng với trả lời"), default=0)
    letters_apology = models.PositiveIntegerField(default=0)
    letters_error_apology = models.PositiveIntegerField(default=0)
    letters_thanks = models.PositiveIntegerField(default=0)
    letters_congratulation = models.PositiveIntegerField(default=0)
    letters_condolence = models.PositiveIntegerField(default=0)
    letters_custom = models.PositiveIntegerField(default=0)
    commitments_due = models.PositiveIntegerField(_("cam kết đến hạn"), default=0)
    commitments_kept = models.PositiveIntegerField(_("cam kết thực hiện đúng hạn"), default=0)

    class Meta:
        verbose_name = _("số liệu tháng của đơn vị")
        verbose_name_plural = _("số liệu tháng của đơn vị")
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="evaluation_unit_month_once")]
        indexes = [models.Index(fields=["month", "unit"], name="evaluation_fact_month_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class OfficerMonthFact(models.Model):
    """TT 01/2018 indicators 1, 2, 3, 4, 7 of the ratings of one officer in one unit and month."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    officer_id = models.IntegerField(_("cán bộ"))
    month = models.DateField(_("tháng"))
    rated = models.PositiveIntegerField(_("lượt đánh giá"), default=0)
    i1_sum = models.PositiveIntegerField(default=0)
    i1_n = models.PositiveIntegerField(default=0)
    i2_sum = models.PositiveIntegerField(default=0)
    i2_n = models.PositiveIntegerField(default=0)
    i3_sum = models.PositiveIntegerField(default=0)
    i3_n = models.PositiveIntegerField(default=0)
    i4_sum = models.PositiveIntegerField(default=0)
    i4_n = models.PositiveIntegerField(default=0)
    i7_sum = models.PositiveIntegerField(default=0)
    i7_n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tháng của cán bộ")
        verbose_name_plural = _("số liệu tháng của cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "officer_id", "month"], name="evaluation_officer_month_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.officer_id} {self.month:%Y-%m}"


# --- end of the read model and indices -----------------------------------------------------------------------
