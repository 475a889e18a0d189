"""Who may do what. Every write checks the actor here, whatever screen or command called it."""

from __future__ import annotations

from dataclasses import dataclass

RANKS = {"viewer": 0, "editor": 1, "admin": 2}


class PermissionDenied(Exception):
    """The actor's role does not allow this."""

    def __init__(self, needed: str) -> None:
        super().__init__(needed)
        self.needed = needed


@dataclass(frozen=True)
class Actor:
    """A person acting on the record: their login (for the audit log) and their role."""

    login: str
    role: str = "viewer"

    def can(self, role: str) -> bool:
        return RANKS.get(self.role, -1) >= RANKS[role]


ANONYMOUS = Actor("anonymous", "viewer")
COMMAND_LINE = Actor("command-line", "admin")


def require(actor: Actor | None, role: str) -> Actor:
    """The actor, if their role is at least `role`; else PermissionDenied."""
    if actor is None or not actor.can(role):
        raise PermissionDenied(role)
    return actor
