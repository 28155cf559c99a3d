"""A killed bulk load never leaves a degraded database behind, and `leadtui db check` finds and
mends whatever is out of step with the data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select, text, update

from leadtui.cli import main
from leadtui.db.engine import open_database
from leadtui.db.maintenance import _present_names, bulk_load, bulk_load_state, check
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import LeadCountModel
from leadtui.db.models import LeadModel as Lead
from leadtui.domain import ListKind, ListQuery, NewLead
from leadtui.repository import Repository
from leadtui.seed import DEMO_USER, generate

pytestmark = pytest.mark.usefixtures("isolated_data_dir")

# `leadtui seed` as the command line runs it, in chunks of 2,000 leads instead of 20,000: the
# kill still lands between chunks of a load that has many more to go, and the repair after it
# costs a tenth.
SEED_IN_SMALL_CHUNKS = "import sys, leadtui.seed, leadtui.cli; leadtui.seed.CHUNK = 2_000; sys.exit(leadtui.cli.main())"


def assert_whole(url: str) -> None:
    """The app opens (repairing a killed load first) with counts and search that match the data."""
    code = main(["company", "list", "--db", url])
    assert code == 0
    engine = open_database(url)
    assert check(engine) == []
    with engine.connect() as conn:
        has_user = conn.execute(text("SELECT count(*) FROM colleagues")).scalar_one() > 0
    if has_user:
        anna = Repository.for_email(engine, DEMO_USER)
        with engine.connect() as conn:
            seen = conn.execute(select(func.count()).select_from(CL).where(CL.company_id == anna.company_id)).scalar()
            matching = conn.execute(
                select(func.count())
                .select_from(CL)
                .join(Lead, Lead.id == CL.lead_id)
                .where(CL.company_id == anna.company_id, Lead.search_text.like("%wärmepumpe%"))
            ).scalar()
        assert anna.counts()[ListKind.ALL] == seen
        assert anna.count(ListQuery(search="wärmepumpe")) == matching
        assert len(anna.rows(ListQuery(kind=ListKind.UNASSIGNED), 0, 100_000)) == anna.counts()[ListKind.UNASSIGNED]
    engine.dispose()


@pytest.mark.parametrize(
    ("point", "chunks", "how"),
    [
        ("starting", 0, signal.SIGKILL),  # at once: still importing or migrating, before any load
        ("loading", 1, signal.SIGKILL),  # after the first chunk of leads
        ("loading", 1, signal.SIGTERM),
    ],
)
def test_a_killed_seed_is_repaired_at_the_next_start(db_url, tmp_path, point, chunks, how):
    env = {**os.environ, "LEADTUI_DATA_DIR": str(tmp_path / "data")}
    if db_url.startswith("postgresql"):  # a team database is set up by its administrator first
        assert main(["db", "upgrade", "--db", db_url]) == 0
    seed = subprocess.Popen(
        [sys.executable, "-c", SEED_IN_SMALL_CHUNKS, "seed", "--leads", "150000", "--db", db_url, "--create"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert seed.stderr is not None
    for _ in range(chunks):  # each line: one more chunk written, the indexes set aside
        while "Leads …" not in seed.stderr.readline():
            assert seed.poll() is None, "the seed ended before it loaded that much"
    seed.send_signal(how)
    seed.wait(timeout=60)
    assert seed.returncode != 0, "the seed finished before it was killed: kill it sooner"
    if db_url.startswith("sqlite") and not os.path.exists(db_url.removeprefix("sqlite:///")):
        assert point == "starting"  # killed before it created anything: nothing to repair
        return
    engine = open_database(db_url)
    interrupted, running = bulk_load_state(engine)
    engine.dispose()
    assert not running
    assert (interrupted is not None) == (point == "loading")  # killed mid-load: indexes set aside
    assert_whole(db_url)


def test_db_check_finds_and_repairs_what_drifted(db_url, capsys):
    engine = open_database(db_url, create=True, migrate=True)
    generate(engine, 600, seed=3)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_company_leads_sort_title")
        conn.execute(update(LeadCountModel).where(LeadCountModel.slot == 0).values(n=LeadCountModel.n + 5))
        conn.execute(update(CL).where(CL.lead_id == 1).values(sort_title="zzz falsch"))
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER leads_fts_insert")
    engine.dispose()
    assert main(["db", "check", "--db", db_url]) == 1
    found = capsys.readouterr().out
    assert "Index fehlt: ix_company_leads_sort_title" in found
    assert "Zähler falsch" in found and "Sortier- oder Suchtexte veraltet: 1 Zeilen" in found
    assert main(["db", "check", "--repair", "--db", db_url]) == 0
    assert "behoben" in capsys.readouterr().out
    assert main(["db", "check", "--db", db_url]) == 0
    assert capsys.readouterr().out == "Alles in Ordnung.\n"
    assert_whole(db_url)


def test_seeding_a_database_in_use_keeps_every_index(db_url):
    engine = open_database(db_url, create=True, migrate=True)
    generate(engine, 50, seed=1)
    with engine.connect() as conn:
        before = _present_names(conn)
    with bulk_load(engine) as fast, engine.connect() as conn:
        assert not fast and _present_names(conn) == before
    engine.dispose()


def test_an_empty_postgresql_database_with_a_colleague_connected_keeps_its_indexes(pg_url):
    engine = open_database(pg_url, migrate=True)
    colleagues_engine = open_database(pg_url)
    with colleagues_engine.connect() as colleague:
        colleague.execute(text("SELECT 1"))
        with bulk_load(engine) as fast:
            assert not fast
    colleagues_engine.dispose()
    with bulk_load(engine) as fast:
        assert fast
    engine.dispose()


def test_the_repository_still_writes_after_a_repaired_load(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = open_database(url, create=True, migrate=True)
    generate(engine, 30, seed=5)
    anna = Repository.for_email(engine, DEMO_USER)
    before = anna.counts()[ListKind.ALL]
    anna.create_lead(NewLead(title="Wärmepumpe nach Reparatur"))
    assert anna.counts()[ListKind.ALL] == before + 1
    assert anna.count(ListQuery(search="reparatur")) == 1
    engine.dispose()


# `leadtui import` that, once every row of its transaction is written and before it commits,
# says so and waits: the test kills it exactly there.
IMPORT_HELD_BEFORE_COMMIT = """
import sys, threading, leadtui.cli
from leadtui.repository import imports
tell = imports.Imports._tell_assignees
def held(self, *args):
    tell(self, *args)
    print("WRITTEN", flush=True)
    threading.Event().wait()
imports.Imports._tell_assignees = held
sys.exit(leadtui.cli.main())
"""


def test_an_import_killed_before_it_commits_leaves_nothing(db_url, tmp_path):
    """kill -9 when all of an import's rows are written but not committed: no lead, no batch,
    the database whole; the same file then imports at once."""
    env = {**os.environ, "LEADTUI_DATA_DIR": str(tmp_path / "data")}
    create = ["--create"] if db_url.startswith("sqlite") else []
    if not create:
        assert main(["db", "upgrade", "--db", db_url]) == 0
    assert main(["company", "add", "Sonnenstrom", "--db", db_url, *create]) == 0
    assert main(["colleague", "add", "Sonnenstrom", "Anna Becker", "anna@example.org", "--db", db_url]) == 0
    path = tmp_path / "leads.csv"
    path.write_text("Titel;Ort\n" + "".join(f"Lead {i};Ulm\n" for i in range(500)), encoding="utf-8")
    argv = ["import", str(path), "--ja", "--db", db_url, "--user", "anna@example.org"]
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORT_HELD_BEFORE_COMMIT, *argv], env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    while "WRITTEN" not in child.stdout.readline():
        assert child.poll() is None, "the import ended before it wrote its rows"
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=60) == -signal.SIGKILL
    engine = open_database(db_url)
    anna = Repository.for_email(engine, "anna@example.org")
    assert anna.count(ListQuery()) == 0 and anna.import_batches() == []
    assert check(engine) == []
    assert main(argv) == 0
    assert anna.count(ListQuery()) == 500 and check(engine) == []
    engine.dispose()
