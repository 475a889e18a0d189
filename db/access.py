"""Who may do what. Every write checks the actor here, whatever screen or command called it.

An account's role holds either across the network (`school_id` None: every account of a single school,
and the network's viewers, editors and admins) or in one school only: there it is what it says, and
anywhere else it is a viewer's. What belongs to a school (its activities) needs the role in that school
(`require_school`); what belongs to the network (restoring a backup, the schools, the vocabularies,
the network's accounts) needs it across the network (`require_network`); the shared directory of
partners takes a new partner from any editor (`require`).
"""

from __future__ import annotations

from dataclasses import dataclass

RANKS = {"viewer": 0, "editor": 1, "admin": 2}


class PermissionDenied(Exception):
    """The actor's role does not allow this. `school_id`: the school the role was needed in, if one."""

    def __init__(self, needed: str, school_id: int | None = None, *, network: bool = False) -> None:
        super().__init__(needed)
        self.needed = needed
        self.school_id = school_id
        self.network = network


@dataclass(frozen=True)
class Actor:
    """A person acting on the record: their login (for the audit log), their role, and where it holds."""

    login: str
    role: str = "viewer"
    school_id: int | None = None  # None: across the network

    def can(self, role: str) -> bool:
        return RANKS.get(self.role, -1) >= RANKS[role]

    def can_in(self, role: str, school_id: int) -> bool:
        """Whether the role holds in that school."""
        return self.can(role) and (self.school_id is None or self.school_id == school_id)

    @property
    def of_network(self) -> bool:
        return self.school_id is None


ANONYMOUS = Actor("anonymous", "viewer")
COMMAND_LINE = Actor("command-line", "admin")


def require(actor: Actor | None, role: str) -> Actor:
    """The actor, if their role is at least `role` (in their own school or across the network)."""
    if actor is None or not actor.can(role):
        raise PermissionDenied(role)
    return actor


def require_school(actor: Actor | None, role: str, *school_ids: int) -> Actor:
    """The actor, if their role is at least `role` in every one of the schools (a record moved from one
    school to another needs it in both)."""
    actor = require(actor, role)
    for school_id in school_ids:
        if not actor.can_in(role, school_id):
            raise PermissionDenied(role, school_id)
    return actor


def require_network(actor: Actor | None, role: str) -> Actor:
    """The actor, if their role is at least `role` across the network."""
    actor = require(actor, role)
    if not actor.of_network:
        raise PermissionDenied(role, network=True)
    return actor
