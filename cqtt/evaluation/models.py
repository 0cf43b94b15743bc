"""Models of the evaluation app."""

from .criteria_models import *  # noqa: F403
