"""The transitions table of a process (state × action → target state, roles allowed) and its check.

Every process with states (dossier; later complaint, denunciation, feedback item, letter, message) declares one
`Process` in its app's `rules.py` and runs every change of state through its app's runner, which asks
`Process.check` first and applies `Transition.target` afterwards: no service sets a state by hand (ADR 0015).
Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (the action still leaves an event)
    roles: frozenset[str]
    label: object

    def target_from(self, state: str) -> str:
        return state if self.target is None else self.target


def transition(
    action: str, sources: Iterable[str], target: str | None, roles: Iterable[str], label
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label)


class Refusal(Exception):
    """Why a transition is not possible (Vietnamese message); `conflict` → 409 (state), else 403 (role)."""

    def __init__(self, message, *, conflict: bool):
        super().__init__(str(message))
        self.conflict = conflict


class Process:
    """One process's transitions. `state_label(state)` names a state in messages."""

    def __init__(self, name: str, transitions: Iterable[Transition], *, state_label: Callable[[str], object]):
        self.name = name
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.action in self.transitions:
                raise ValueError(f"{name}: action {t.action!r} declared twice")
            self.transitions[t.action] = t
        self.state_label = state_label

    def __getitem__(self, action: str) -> Transition:
        return self.transitions[action]

    def __contains__(self, action: str) -> bool:
        return action in self.transitions

    def check(self, action: str, state: str, roles: set[str]) -> Transition:
        """The transition `action` when one of `roles` may take it from `state`; else `Refusal`."""
        t = self.transitions.get(action)
        if t is None:
            raise Refusal(_("Thao tác không tồn tại."), conflict=True)
        if not (roles & t.roles):
            raise Refusal(
                _("Vai trò của bạn không được thực hiện thao tác “%(a)s”.") % {"a": t.label}, conflict=False
            )
        if state not in t.sources:
            raise Refusal(
                _("Không thể “%(a)s” khi hồ sơ đang ở trạng thái “%(s)s”.")
                % {"a": t.label, "s": self.state_label(state)},
                conflict=True,
            )
        return t

    def available(self, state: str, roles: set[str]) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources and roles & t.roles]
