"""One read model, whichever path wrote the rows: the repository, the seed, or a database that
migration 0002 filled with SQL lower() (which folds only ASCII on SQLite)."""

from __future__ import annotations

from helpers import migrate
from sqlalchemy import text

from leadtui.admin import Admin
from leadtui.db.engine import make_engine, open_database, upgrade
from leadtui.db.maintenance import check, rebuild_derived
from leadtui.domain import ListQuery, NewLead, SortKey
from leadtui.repository import Repository
from leadtui.seed import DEMO_USER, generate

TITLES = ("Straße zum Ärztehaus", "Öko-Strom", "ÄRZTEHAUS Süd", "strasse Nord", "oeko", "Zoë Ökostrom")
SEARCHES = ("straße", "STRASSE", "ärztehaus", "ÖKO", "öko", "zoë")


def listing(repo: Repository) -> tuple[list[str], dict[str, list[str]]]:
    order = [r.title for r in repo.rows(ListQuery(sort=SortKey.TITLE, descending=False), 0, 100)]
    found = {s: sorted(r.title for r in repo.rows(ListQuery(search=s), 0, 100)) for s in SEARCHES}
    return order, found


def by_repository(url: str) -> tuple[list[str], dict[str, list[str]]]:
    engine = open_database(url, create=True, migrate=True)
    admin = Admin(engine)
    admin.add_company("Sonnenstrom")
    repo = Repository(engine, admin.add_colleague("Sonnenstrom", "Anna Becker", "anna@x.example").id)
    for title in TITLES:
        repo.create_lead(NewLead(title=title, city="Düsseldorf"))
    result = listing(repo)
    engine.dispose()
    return result


def by_migration(url: str) -> tuple[list[str], dict[str, list[str]]]:
    """Rows as they stood after migration 0002 (SQL lower()), then migrated to the head."""
    engine = make_engine(url, create=True)
    with engine.begin() as conn:
        migrate(conn, "0002")
        conn.execute(text("INSERT INTO companies (id, name) VALUES (1, 'Sonnenstrom')"))
        conn.execute(
            text("INSERT INTO colleagues (id, company_id, name, email, active) VALUES (1, 1, 'Anna', 'a@x.ex', :yes)"),
            {"yes": True},
        )
        for i, title in enumerate(TITLES, start=1):
            conn.execute(
                text(
                    "INSERT INTO leads (id, owner_company_id, title, prospect, contact, email, phone, city, status,"
                    " source, search_text, created_at, updated_at) VALUES (:id, 1, :t, '', '', '', '', 'Düsseldorf',"
                    " 'neu', 'manuell', lower(CAST(:low AS TEXT) || ' düsseldorf'), '2026-11-01 09:00:00',"
                    " '2026-11-01 09:00:00')"
                ),
                {"id": i, "t": title, "low": title},
            )
            conn.execute(
                text(
                    "INSERT INTO company_leads (company_id, lead_id, colleague_id, version, via, sort_created,"
                    " sort_title, sort_prospect, sort_city, sort_status, sort_value, sort_assignee) VALUES"
                    " (1, :id, 1, 1, 'own', '2026-11-01 09:00:00', lower(CAST(:t AS TEXT)), '',"
                    " lower('Düsseldorf'), 'neu', -1, 'anna')"
                ),
                {"id": i, "t": title},
            )
        if conn.dialect.name == "sqlite":
            conn.execute(text("INSERT INTO leads_fts(leads_fts) VALUES ('rebuild')"))
        # the counters as the old schema kept them: migration 0007 fills in the open and new leads
        conn.execute(text(f"INSERT INTO company_lead_counts (company_id, slot, n) VALUES (1, 1, {len(TITLES)})"))
    upgrade(engine)
    assert check(engine) == []
    result = listing(Repository(engine, 1))
    engine.dispose()
    return result


def test_umlauts_and_sharp_s_sort_and_match_alike_whichever_path_wrote_them(fresh_url):
    order, found = by_repository(fresh_url())
    assert found["STRASSE"] == found["straße"] == sorted(["Straße zum Ärztehaus", "strasse Nord"])
    assert found["ÖKO"] == found["öko"] == sorted(["Zoë Ökostrom", "Öko-Strom"])
    assert found["ärztehaus"] == sorted(["ÄRZTEHAUS Süd", "Straße zum Ärztehaus"])
    assert order.index("ÄRZTEHAUS Süd") < order.index("Öko-Strom")  # case never splits a letter
    assert by_migration(fresh_url()) == (order, found)


def test_the_seed_writes_the_read_model_the_repository_reads(db_url):
    engine = open_database(db_url, create=True, migrate=True)
    generate(engine, 400, seed=9)
    with engine.begin() as conn:
        assert rebuild_derived(conn, apply=False) == 0
    anna = Repository.for_email(engine, DEMO_USER)
    for word in ("düsseldorf", "DÜSSELDORF", "gärtnerei", "köln"):
        rows = anna.rows(ListQuery(search=word), 0, 1000)
        assert rows and all(word.casefold() in repr(r).casefold() for r in rows)
    engine.dispose()
