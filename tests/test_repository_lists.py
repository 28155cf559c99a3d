"""Lead lists are windowed queries: kinds, search, colleague filter, sort, count."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import new_lead

from leadtui.domain import LeadStatus, ListKind, ListQuery, NewLead, SortKey


@pytest.fixture
def anna_with_leads(world):
    anna = world.repo("anna")
    specs = [
        ("Wärmepumpe Neubau", "Bäckerei Huber", "München", 12000, "jonas"),
        ("PV-Anlage 10 kWp", "Schreinerei Maier", "Augsburg", 25000, None),
        ("Wallbox Firmenhof", "Autohaus Schmidt", "Ulm", None, "anna"),
        ("Stromspeicher", "Hotel Adler", "München", 8000, "markus"),
        ("Solarcarport", "Spedition Wolf", "Passau", 90000, "anna"),
    ]
    for title, prospect, city, value, who in specs:
        lead = anna.create_lead(NewLead(title=title, prospect=prospect, city=city, value=value))
        target = world.ids[who] if who else None
        anna.assign(lead.id, target, lead.assignment.version)
    return anna


def titles(repo, query, offset=0, limit=50):
    return [row.title for row in repo.rows(query, offset, limit)]


def test_list_kinds(world, anna_with_leads):
    anna = anna_with_leads
    world.repo("anna").deactivate(world.ids["markus"])
    counts = anna.counts()
    assert counts[ListKind.ALL] == 5
    assert counts[ListKind.MINE] == 2
    assert counts[ListKind.UNASSIGNED] == 1
    assert counts[ListKind.ORPHANED] == 1
    assert counts[ListKind.PASSED_ON] == 0
    assert counts[ListKind.OFFERS] == 0
    assert titles(anna, ListQuery(kind=ListKind.ORPHANED)) == ["Stromspeicher"]


def test_search_matches_title_prospect_contact_city_case_insensitively(anna_with_leads):
    anna = anna_with_leads
    assert set(titles(anna, ListQuery(search="münchen"))) == {"Wärmepumpe Neubau", "Stromspeicher"}
    assert titles(anna, ListQuery(search="HUBER")) == ["Wärmepumpe Neubau"]
    assert titles(anna, ListQuery(search="münchen adler")) == ["Stromspeicher"]
    assert titles(anna, ListQuery(search="100%")) == []
    assert anna.count(ListQuery(search="münchen")) == 2


def test_search_covers_the_own_kollege_name(world, anna_with_leads):
    """A word may match the lead's text or its Kollege's name (word parts too, any case); every
    word must match one of them."""
    anna = anna_with_leads
    assert set(titles(anna, ListQuery(search="jonas"))) == {"Wärmepumpe Neubau"}
    assert set(titles(anna, ListQuery(search="BECKER"))) == {"Wallbox Firmenhof", "Solarcarport"}
    assert titles(anna, ListQuery(search="becker passau")) == ["Solarcarport"]
    assert titles(anna, ListQuery(search="schul münchen")) == ["Stromspeicher"]  # Markus Schulz
    assert titles(anna, ListQuery(search="becker münchen")) == []
    assert anna.count(ListQuery(search="anna")) == 2
    assert anna.count(ListQuery(kind=ListKind.MINE, search="solar")) == 1
    # a word that names a colleague still finds leads by their text ("Huber" is no colleague)
    lead = anna.create_lead(NewLead(title="Anbau Becker", prospect="Jonas Bäckerei"), unassigned=True)
    assert lead.id in {r.id for r in anna.rows(ListQuery(search="jonas"), 0, 50)}
    assert lead.id in {r.id for r in anna.rows(ListQuery(search="becker"), 0, 50)}


def test_search_never_matches_the_other_companys_kollege(world):
    """The partner company finds a shared lead by its own Kollege's name, never by ours."""
    from helpers import passed_on_lead

    lead_id = passed_on_lead(world, "Gewerbedach 40 kWp")
    anna, tim = world.repo("anna"), world.repo("tim")
    assert anna.assignment(lead_id).assignee.name == "Anna Becker"
    assert tim.assignment(lead_id).assignee.name == "Tim Krüger"
    assert [r.id for r in tim.rows(ListQuery(search="krüger"), 0, 50)] == [lead_id]
    assert tim.rows(ListQuery(search="becker"), 0, 50) == []
    assert tim.count(ListQuery(search="becker")) == 0
    assert [r.id for r in anna.rows(ListQuery(search="becker gewerbedach"), 0, 50)] == [lead_id]
    assert anna.rows(ListQuery(search="krüger"), 0, 50) == []


def test_colleague_filter(world, anna_with_leads):
    assert set(titles(anna_with_leads, ListQuery(colleague_id=world.ids["anna"]))) == {
        "Wallbox Firmenhof",
        "Solarcarport",
    }


def test_sort_by_colleague_groups_unassigned_together(anna_with_leads):
    """Unassigned leads form one block: first when ascending (triage starts there), last when
    descending - on SQLite and PostgreSQL alike."""
    rows = anna_with_leads.rows(ListQuery(sort=SortKey.COLLEAGUE, descending=False), 0, 10)
    names = [row.assignee.name if row.assignee else None for row in rows]
    assert names == [None, "Anna Becker", "Anna Becker", "Jonas Weber", "Markus Schulz"]
    rows = anna_with_leads.rows(ListQuery(sort=SortKey.COLLEAGUE, descending=True), 0, 10)
    assert [row.assignee.name if row.assignee else None for row in rows] == names[::-1]


def test_the_first_window_brings_every_count_the_total_and_the_first_rows(anna_with_leads):
    """One call shows a list: a list with a counter knows its total at once; a filtered list
    knows it only when its first rows are all there is (else it is counted afterwards)."""
    anna = anna_with_leads
    window = anna.first_window(ListQuery(sort=SortKey.TITLE), 3)
    assert window.counts == anna.counts()
    assert window.total == anna.count(ListQuery()) == 5
    assert [r.id for r in window.first] == [r.id for r in anna.rows(ListQuery(sort=SortKey.TITLE), 0, 3)]
    mine = ListQuery(colleague_id=anna.me.id)
    assert anna.count(mine) == 2
    assert anna.first_window(mine, 1).total is None and len(anna.first_window(mine, 1).first) == 1
    assert anna.first_window(mine, 10).total == 2


def test_windows_past_the_middle_read_backwards_identically(anna_with_leads):
    anna = anna_with_leads
    for sort in SortKey:
        query = ListQuery(sort=sort)
        forwards = [r.id for r in anna.rows(query, 3, 2)]
        assert [r.id for r in anna.rows(query, 3, 2, total=5)] == forwards
        assert [r.id for r in anna.rows(query, 4, 10, total=5)] == forwards[1:]


@pytest.mark.parametrize("sort", list(SortKey))
def test_every_sort_is_total_and_windows_tile_the_list(anna_with_leads, sort):
    anna = anna_with_leads
    for descending in (False, True):
        query = ListQuery(sort=sort, descending=descending)
        whole = [row.id for row in anna.rows(query, 0, 50)]
        windows = [row.id for offset in range(0, 5, 2) for row in anna.rows(query, offset, 2)]
        assert whole == windows and len(set(whole)) == 5


def test_sort_by_value_and_title(anna_with_leads):
    assert titles(anna_with_leads, ListQuery(sort=SortKey.VALUE, descending=True))[0] == "Solarcarport"
    assert titles(anna_with_leads, ListQuery(sort=SortKey.VALUE, descending=False))[0] == "Wallbox Firmenhof"
    assert titles(anna_with_leads, ListQuery(sort=SortKey.TITLE, descending=False))[0] == "PV-Anlage 10 kWp"
    assert titles(anna_with_leads, ListQuery(sort=SortKey.TITLE, descending=True))[0] == "Wärmepumpe Neubau"


def test_passed_on_list_shows_share_status(world, anna_with_leads):
    anna, tim = anna_with_leads, world.repo("tim")
    lead = anna.rows(ListQuery(search="wallbox"), 0, 1)[0]
    share = anna.offer(lead.id, tim.company_id)
    rows = anna.rows(ListQuery(kind=ListKind.PASSED_ON), 0, 10)
    assert [(r.id, r.partner_name, r.share_status.value) for r in rows] == [(lead.id, "Nordlicht", "angeboten")]
    tim.accept_offer(share.share_id)
    assert anna.rows(ListQuery(kind=ListKind.PASSED_ON), 0, 10)[0].share_status.value == "angenommen"
    assert anna.lead(lead.id).shares[0].label == "Weitergegeben an Nordlicht – angenommen"
    assert tim.lead(lead.id).shares[0].label == "Von Sonnenstrom"


def test_a_search_with_a_control_character_finds_nothing_and_fails_nowhere(anna_with_leads):
    """PostgreSQL refuses a NUL in a statement ("cannot contain NUL"): no match instead."""
    anna = anna_with_leads
    for search in ("münchen\x00", "\x00", "hu\x1bber"):
        assert titles(anna, ListQuery(search=search)) == []
        assert anna.count(ListQuery(search=search)) == 0


def test_a_search_counts_its_first_words_each_of_bounded_length(anna_with_leads):
    """A pasted page of words: the first eight decide (so the database is not kept busy by
    thousands of them), a word is cut at 100 characters."""
    anna = anna_with_leads
    page = " ".join(["münchen", "adler", *["hotel"] * 6, *[f"rest{i}" for i in range(5_000)]])
    assert titles(anna, ListQuery(search=page)) == ["Stromspeicher"]
    assert titles(anna, ListQuery(search="x" * 10_000)) == []


def test_one_read_returns_at_most_a_bounded_window(any_world, monkeypatch):
    """However many rows a caller asks for - a client of the server may ask for a billion -
    one read returns at most MAX_WINDOW of them; a negative limit returns none."""
    monkeypatch.setattr("leadtui.repository.lists.MAX_WINDOW", 3)
    anna = any_world.repo("anna")
    for n in range(5):
        new_lead(anna, f"Lead {n}")
    assert len(anna.rows(ListQuery(), 0, 10**9)) == 3
    assert len(anna.rows(ListQuery(), 0, 10**9, 5)) == 3
    assert anna.rows(ListQuery(), 0, -1) == []


def test_status_sorts_in_the_order_of_the_work_along_an_index(any_world):
    """Issue 22: neu, in Bearbeitung, gewonnen, verloren (not the alphabet), both ways and in
    windows; on SQLite the window walks the status rank's index instead of sorting the list."""
    from sqlalchemy import event

    anna = any_world.repo("anna")
    for status in (LeadStatus.LOST, LeadStatus.WON, LeadStatus.NEW, LeadStatus.IN_PROGRESS, LeadStatus.NEW):
        anna.create_lead(NewLead(title=f"Lead {status.value}", status=status))
    work = ["neu", "neu", "in Bearbeitung", "gewonnen", "verloren"]
    up = ListQuery(sort=SortKey.STATUS, descending=False)

    def statuses(query, offset=0, limit=50):
        return [row.status.value for row in anna.rows(query, offset, limit)]

    ascending = statuses(up)
    descending = statuses(replace(up, descending=True))
    windows = [status for offset in (0, 2, 4) for status in statuses(up, offset, 2)]
    searched = statuses(replace(up, search="lead"))
    assert ascending == windows == searched == work and descending == work[::-1]
    if any_world.engine.dialect.name != "sqlite":
        return
    statements: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "ORDER BY" in statement and "company_leads" in statement:
            statements.append((statement, parameters))

    event.listen(any_world.engine, "before_cursor_execute", seen)
    try:
        anna.rows(up, 0, 2)
    finally:
        event.remove(any_world.engine, "before_cursor_execute", seen)
    statement, parameters = statements[-1]
    with any_world.engine.connect() as conn:
        plan = " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
    assert "ix_company_leads_sort_status_rank" in plan and "TEMP B-TREE" not in plan.split("ix_company")[0], plan
