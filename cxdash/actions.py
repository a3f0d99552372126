"""Actions captured during a review or workshop: what to fix, at which touchpoint, who owns it.

Stored in the workspace (table ``actions``, migration 4) so they outlive the session and
travel with the data they were decided on. ``view`` keeps the filters (as a URL query
string) of the screen the action was captured from, so it can be reopened later.
"""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd

from cxdash.errors import CxdashError
from cxdash.workspace import Workspace, register_migration

STATUSES: tuple[str, ...] = ("open", "done")

register_migration(
    4,
    "actions captured from the dashboard",
    """
    CREATE TABLE actions (
        action_id   VARCHAR PRIMARY KEY,
        created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
        touchpoint  VARCHAR,
        text        VARCHAR NOT NULL,
        owner       VARCHAR,
        due         DATE,
        status      VARCHAR NOT NULL DEFAULT 'open',
        view        VARCHAR                      -- URL query string of the screen it came from
    );
    """,
)


def add_action(
    ws: Workspace,
    text: str,
    *,
    touchpoint: str | None = None,
    owner: str | None = None,
    due: date | None = None,
    view: str | None = None,
) -> str:
    """Record an action; returns its id. The text is required, everything else optional."""
    text = (text or "").strip()
    if not text:
        raise CxdashError("Write what should be done: an action needs a sentence.")
    action_id = uuid.uuid4().hex[:8]
    with ws.transaction() as cur:
        cur.execute(
            "INSERT INTO actions (action_id, touchpoint, text, owner, due, view)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [action_id, touchpoint or None, text, (owner or "").strip() or None, due, view or None],
        )
    return action_id


def list_actions(ws: Workspace, status: str | None = None) -> pd.DataFrame:
    """Actions, open ones first, then by due date and age."""
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    return ws.query_df(
        "SELECT action_id, touchpoint, text, owner, due, status, created_at, view FROM actions "
        f"{where} ORDER BY status = 'done', due NULLS LAST, created_at",
        params,
    )


def set_status(ws: Workspace, action_id: str, status: str) -> None:
    if status not in STATUSES:
        raise CxdashError(f"An action is {' or '.join(STATUSES)}, not {status!r}.")
    with ws.transaction() as cur:
        found = cur.execute(
            "UPDATE actions SET status = ? WHERE action_id = ? RETURNING action_id",
            [status, action_id],
        ).fetchall()
        if not found:
            raise CxdashError(f"There is no action with id {action_id}.")
