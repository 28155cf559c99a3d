"""Rule 21 (docs/rules.md): a new lead offer reaches the partner - its offer receivers (its
admins, unless an admin names others) are told, by the principal company's name only, once for
many offers passed on at once; each can turn it off (rule 16). On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from helpers import new_lead

from leadtui.domain import AccessDenied, ListKind, ListQuery, NewLead, NotFound, NotificationKind


def offers_told(repo) -> list[tuple[str, int | None, int]]:
    return [(n.text, n.lead_id, n.count) for n in repo.notifications() if n.kind is NotificationKind.OFFER]


def test_a_new_offer_tells_the_partners_admin_by_the_principals_name(any_world):
    anna, tim, julia = any_world.repo("anna"), any_world.repo("tim"), any_world.repo("julia")
    lead = new_lead(any_world.repo("jonas"), "Wärmepumpe Hofer")
    anna.offer(lead.id, tim.company_id)
    assert offers_told(tim) == [("Neues Leadangebot von Sonnenstrom: Wärmepumpe Hofer", lead.id, 1)]
    assert "Anna" not in tim.notifications()[0].text  # the company, never a person of it
    assert offers_told(julia) == []  # a member receives offers only when an admin names them
    assert offers_told(anna) == [] and offers_told(any_world.repo("paul")) == []
    assert tim.me.receives_offers and not julia.me.receives_offers


def test_an_admin_names_who_receives_offers(any_world):
    tim, julia = any_world.repo("tim"), any_world.repo("julia")
    with pytest.raises(AccessDenied, match="Nur Administratoren"):
        julia.set_offer_receiver(julia.me.id, True)
    tim.set_offer_receiver(any_world.ids["julia"], True)
    tim.set_offer_receiver(any_world.ids["tim"], False)
    receivers = {c.name: c.receives_offers for c in tim.colleagues()}
    assert receivers == {"Julia Neumann": True, "Tim Krüger": False}
    with pytest.raises(NotFound):  # another company's colleague: as if there were none
        tim.set_offer_receiver(any_world.ids["jonas"], True)
    anna = any_world.repo("anna")
    anna.offer(new_lead(anna, "Speicher").id, tim.company_id)
    assert len(offers_told(julia)) == 1 and offers_told(tim) == []


def test_many_leads_passed_on_at_once_are_one_digest(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    leads = [new_lead(anna, f"Dach {n}").id for n in range(3)]
    anna.offer(leads[0], tim.company_id)
    passed = anna.offer_many((*leads, leads[1]), tim.company_id)
    assert passed.offered == (leads[1], leads[2]) and passed.skipped == (leads[0],)
    assert offers_told(tim)[0] == ("2 neue Leadangebote von Sonnenstrom", None, 2)
    assert tim.count(ListQuery(kind=ListKind.OFFERS)) == 3
    assert anna.count(ListQuery(kind=ListKind.PASSED_ON)) == 3


def test_offers_can_be_turned_off_like_every_kind(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    tim.save_notification_preferences({NotificationKind.OFFER: False})
    anna.offer(new_lead(anna).id, tim.company_id)
    assert offers_told(tim) == []


def test_a_deactivated_receiver_is_not_told(any_world):
    tim = any_world.repo("tim")
    tim.set_offer_receiver(any_world.ids["julia"], True)
    tim.deactivate(any_world.ids["julia"])
    anna = any_world.repo("anna")
    anna.offer(new_lead(anna).id, tim.company_id)
    assert len(offers_told(tim)) == 1
    any_world.repo("tim").activate(any_world.ids["julia"])
    assert offers_told(any_world.repo("julia")) == []


# --- in the app and on the command line ---------------------------------------------------------


async def test_the_partners_open_app_toasts_a_new_offer_and_ctrl_o_opens_it(world):
    """Anna passes a lead on: Tim's open app shows it as a toast naming Sonnenstrom, ctrl+o opens
    the offer (accept or decline there); two passed on in one step open "Leadangebote"."""
    from helpers import press, pumped_app, settle

    from leadtui.ui.app import COALESCE_S
    from leadtui.ui.screens.detail import LeadDetailScreen
    from leadtui.ui.screens.leads import LeadsScreen

    anna = world.repo("anna")
    single = new_lead(anna, "Wärmepumpe Hofer")
    pair = [new_lead(anna, f"Dach {n}").id for n in range(2)]
    tim, feed, timers = pumped_app(world.repo("tim"))
    async with tim.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        anna.offer(single.id, tim.repository.company.id)
        assert await feed.pump(pilot, change=True)
        timers.advance(COALESCE_S)
        await settle(pilot)
        toasts = [n.message for n in tim._notifications if "Leadangebot" in n.message]
        assert toasts == ["Neues Leadangebot von Sonnenstrom: Wärmepumpe Hofer · Strg+O: öffnen"]
        await press(pilot, "ctrl+o")
        assert isinstance(tim.screen, LeadDetailScreen) and tim.screen.lead.pending_offer_id is not None
        await press(pilot, "escape")
        anna.offer_many(tuple(pair), tim.repository.company.id)
        assert await feed.pump(pilot, change=True)
        timers.advance(COALESCE_S)
        await settle(pilot)
        await press(pilot, "ctrl+o")
        assert isinstance(tim.screen, LeadsScreen) and tim.screen.list_query.kind is ListKind.OFFERS
        table = tim.screen.table
        assert {table.cache.row(i).title for i in range(2)} == {"Dach 0", "Dach 1"}  # the newest first
        assert table.cache.row(2).title == "Wärmepumpe Hofer"


async def test_w_passes_the_marked_leads_on_in_one_step(make_app):
    from helpers import press, settle

    from leadtui.repository import Repository
    from leadtui.seed import DEMO_NOW
    from leadtui.ui.screens.dialogs import PassOn

    app = make_app()
    for title in ("Frisch A", "Frisch B"):  # the newest in "Nicht zugewiesen", offered to nobody yet
        app.repository.create_lead(NewLead(title=title), unassigned=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        first = app.screen.table.current
        await press(pilot, "space", "space")  # marks it and the next one
        marked = set(app.screen.table.marked)
        assert len(marked) == 2 and first.key in marked
        await press(pilot, "w")
        dialog = app.screen
        assert isinstance(dialog, PassOn)
        names = [partner.name for partner in dialog.partners]
        await press(pilot, *["down"] * names.index("Nordlicht Vertrieb GmbH"), "enter", "enter")
        await settle(pilot)
        assert any("2 Leads an Nordlicht Vertrieb GmbH weitergegeben" in n.message for n in app._notifications)
        assert not app.screen.table.marked
        tim = Repository.for_email(app.repository.session.engine, "tim.krueger@nordlicht.example", lambda: DEMO_NOW)
        offered = {row.id for row in tim.rows(ListQuery(kind=ListKind.OFFERS), 0, 100)}
        assert marked <= offered
        told = next(n for n in tim.notifications() if n.kind is NotificationKind.OFFER)
        assert (told.count, told.lead_id) == (2, None)


async def test_an_admin_names_offer_receivers_with_l_in_the_team_workload(make_app):
    from helpers import press, settle

    from leadtui.ui.screens.workload import WorkloadScreen

    app = make_app("tim.krueger@nordlicht.example")  # Nordlicht's admin
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        screen = app.screen
        assert isinstance(screen, WorkloadScreen)
        julia = next(i for i, w in enumerate(screen.workloads) if w.colleague.name == "Julia Neumann")
        screen.table.move_cursor(row=julia)
        await press(pilot, "l")
        await settle(pilot)
        assert {c.name for c in app.repository.colleagues() if c.receives_offers} == {"Julia Neumann", "Tim Krüger"}
    member = make_app("julia.neumann@nordlicht.example")
    async with member.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "t", "l")  # not an admin: the key does nothing
        await settle(pilot)
        assert {c.name for c in member.repository.colleagues() if c.receives_offers} == {"Julia Neumann", "Tim Krüger"}


def test_the_command_line_names_offer_receivers(any_world, capsys):
    from helpers import run_cli

    url = any_world.engine.url.render_as_string(hide_password=False)
    code, out, err = run_cli(capsys, "colleague", "offers", "julia@example.org", "an", "--db", url)
    assert code == 0 and "Julia Neumann erhält jetzt Leadangebote." in out
    code, out, _ = run_cli(capsys, "colleague", "list", "--company", "Nordlicht", "--db", url)
    assert "julia@example.org\tJulia Neumann\tNordlicht\taktiv\tMitglied\terhält Leadangebote" in out
    code, out, err = run_cli(capsys, "colleague", "offers", "julia@example.org", "vielleicht", "--db", url)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
