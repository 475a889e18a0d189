"""How soon a change saved through one app process shows through another: the bound of the caches.

    python -m bench.network --database-url URL --server http://127.0.0.1:8502 [--rounds 10]

Every process keeps what it has read (ui/data.py), keyed on the database's data revision: one number
that every write replaces (migration 0008's triggers, in the write's own transaction) and that each
page run reads once, at its start. So a change shows in another process's page at that page's next run
(the next click or reload), never earlier: nothing is pushed to a page that is open and idle.

What it measures, against a running process (`--server`, e.g. the second of `deploy/run-processes 2`)
on the database `--database-url` names (the one those processes use):
1. a session opens the Partners page on that process;
2. each round reruns the page without a change (warm: every read cached), then renames a partner as the
   Data screen's form does (`db.writes.update_partner`, one transaction, here in this process: another
   process than the server's), and reruns the page at once: the seconds from the save's commit to the end
   of that run, and whether the run showed the new name;
3. at the end the partner's name is put back.
The seconds are how long after a save the next click on another process has the change on screen:
the run itself, with the reads the change made stale read again. Appends to bench/RESULTS-network.md.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, select

from bench.load import percentile
from bench.queries import load_average, machine
from bench.streamlit_client import StreamlitSession
from db.access import COMMAND_LINE
from db.engine import get_write_engine
from db.models import Organization
from db.queries import partner_for_editing
from db.writes import update_partner

DEFAULT_RESULTS = Path(__file__).resolve().parent / "RESULTS-network.md"
PARTNER = "Ларго"  # a demo partner's short name: its full name is what the Partners page lists


def rename(engine: Engine, partner_id: int, name: str) -> None:
    record = partner_for_editing(engine, partner_id)
    if record is None:
        raise SystemExit(f"no partner {partner_id} any more")
    data = {key: value for key, value in record.items() if key not in {"id", "version"}} | {"name": name}
    update_partner(
        engine=engine,
        actor=COMMAND_LINE,
        partner_id=partner_id,
        expected_version=record["version"],
        data=data,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="the database the running processes use")
    parser.add_argument("--server", required=True, help="one running process, e.g. http://127.0.0.1:8502")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--label", default="", help="a few words for the results' heading (e.g. 'under load')")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--no-results", action="store_true", help="print only")
    args = parser.parse_args(argv)
    started_under = load_average()
    engine = get_write_engine(args.database_url)
    with engine.connect() as connection:
        found = connection.execute(select(Organization.id, Organization.name).where(Organization.short_name == PARTNER))
        partner_id, original = found.one()
    warm: list[float] = []
    after_save: list[float] = []
    missed = 0
    with StreamlitSession(args.server, timeout=120) as session:
        session.open("partners")
        try:
            for round_ in range(1, args.rounds + 1):
                warm.append(session.run().seconds)
                name = f"{original} · {round_}"
                rename(engine, partner_id, name)
                saved = time.monotonic()
                run = session.run()
                after_save.append(time.monotonic() - saved)
                # The page writes names as markdown, escaped: compare without the escapes.
                missed += not any(name in text.replace("\\", "") for text in run.texts)
        finally:
            rename(engine, partner_id, original)
    engine.dispose()

    def row(what: str, values: list[float]) -> str:
        return f"| {what} | {len(values)} | {percentile(values, 0.5):.2f} | {max(values):.2f} |"

    text = "\n".join(
        [
            f"## {machine()['date']}: a save, and the next run of a page on another process"
            + (f" — {args.label}" if args.label else ""),
            "",
            f"- load average (1, 5, 15 min) at the start: {started_under}; at the end: {load_average()}",
            f"- server: {args.server}; database: {args.database_url.split('@')[-1]}",
            "",
            "| seconds | runs | p50 | max |",
            "|---|---:|---:|---:|",
            row("a rerun of the Partners page, nothing changed (warm)", warm),
            row("from the save's commit to the end of the next run there", after_save),
            "",
            f"- runs after a save that did not show it: {missed} of {len(after_save)}",
        ]
    )
    print(text)
    if not args.no_results:
        with args.results.open("a") as results:
            results.write("\n" + text + "\n")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
