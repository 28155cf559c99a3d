"""Rule 24 (docs/rules.md): a lead offer is open for its response window and not a second longer;
what belongs to the moment - the expiry notice, one reminder - is carried out once, late if
nothing ran, as if on time. On SQLite and PostgreSQL, with a clock the test sets (never a sleep)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from conftest import World
from helpers import (
    StandingClock,
    at_once,
    eventually,
    new_lead,
    open_first_of_mine,
    press,
    pumped_app,
    rendered_text,
    run_cli,
    settle,
    text_of,
)
from serving import Running, ServeProcess, close_signed_in, signed_in
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from leadtui.db.engine import open_database
from leadtui.db.models import LeadShareModel as Share
from leadtui.domain import (
    AccessDenied,
    AlreadyDecided,
    Decline,
    DeclineReason,
    InvalidInput,
    JournalKind,
    ListKind,
    ListQuery,
    NotFound,
    NotificationKind,
    NotUndoable,
    ShareStatus,
)
from leadtui.domain.windows import NO_WINDOW, InvalidWindow, Window, parse_window, time_left
from leadtui.repository.due import DueWork
from leadtui.repository.session import utcnow
from leadtui.ui.screens.dialogs import PassOnDialog
from leadtui.ui.screens.leads import LeadsScreen

START = datetime(2026, 12, 6, 10, 0)
OFFERS = ListQuery(kind=ListKind.OFFERS)


@pytest.fixture
def clocked(any_world):
    """The world on a clock that stands still, with Sonnenstrom's default window to Nordlicht of
    48 hours."""
    any_world.clock = StandingClock(START)
    any_world.repo("anna").set_partner_window(any_world.repo("tim").company_id, 48)
    return any_world


def offered(world, title: str = "Wärmepumpe Hofer", window: Window | None = None):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna, title)
    return anna, tim, lead, anna.offer(lead.id, tim.company_id, window)


def due(world) -> DueWork:
    return DueWork(world.engine, world.clock)


def test_an_offer_gets_the_partnership_s_window_or_the_one_chosen(clocked):
    world = clocked
    anna, tim, lead, share = offered(world)
    assert share.deadline == START + timedelta(hours=48)
    assert [(p.name, p.window_hours) for p in anna.partners()] == [("Nordlicht", 48)]
    assert share.label == "Weitergegeben an Nordlicht – angeboten, Frist bis 08.12.2026 10:00"
    with world.engine.connect() as conn:
        remind = conn.execute(select(Share.remind_at).where(Share.id == share.share_id)).scalar_one()
    assert remind == START + timedelta(hours=36)  # three quarters in
    row = tim.rows(OFFERS, 0, 10)[0]
    assert row.deadline == share.deadline and tim.lead(lead.id).offer_deadline == share.deadline

    chosen = {
        Window(hours=24): START + timedelta(hours=24),
        Window(until=date(2026, 12, 15)): datetime(2026, 12, 15, 23, 59),
        NO_WINDOW: None,
    }
    for window, deadline in chosen.items():
        passed = anna.offer_many((new_lead(anna, f"Lead {window.label}").id,), tim.company_id, window)
        assert passed.deadline == deadline, window
    anna.set_partner_window(tim.company_id, None)
    assert offered(world, "Ohne Frist")[3].deadline is None


def test_windows_that_cannot_be_are_refused_and_nothing_is_offered(clocked):
    world = clocked
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna, "Speicher Mayer")
    for window, message in (
        (Window(hours=0), "mindestens 1 Stunde"),
        (Window(hours=9000), "höchstens ein Jahr"),
        (Window(until=date(2026, 12, 5)), "Vergangenheit"),
        (Window(until=date(2028, 1, 1)), "höchstens ein Jahr"),
    ):
        with pytest.raises(InvalidInput, match=message):
            anna.offer(lead.id, tim.company_id, window)
    assert anna.lead(lead.id).shares == () and tim.rows(OFFERS, 0, 10) == []
    with pytest.raises(InvalidInput, match="mindestens 1 Stunde"):
        anna.set_partner_window(tim.company_id, 0)
    with pytest.raises(AccessDenied, match="Administratoren"):
        world.repo("jonas").set_partner_window(tim.company_id, 24)  # a member
    with pytest.raises(AccessDenied, match="keine Partnerfirma"):
        anna.set_partner_window(world.repo("paul").company_id, 24)  # not a partner
    with pytest.raises(AccessDenied, match="keine Partnerfirma"):
        tim.set_partner_window(anna.company_id, 24)  # the partner has no say over the principal's window
    assert [p.window_hours for p in anna.partners()] == [48]


def test_typed_windows_and_the_countdown():
    today = date(2026, 12, 6)
    assert parse_window("24 Std.", today) == Window(hours=24)
    assert parse_window("3 Tage", today) == Window(hours=72)
    assert parse_window("1 Woche", today) == Window(hours=168)
    assert parse_window("36", today) == Window(hours=36)  # a bare number: hours
    assert parse_window(" 15.12.2026 ", today) == Window(until=date(2026, 12, 15))
    assert parse_window("keine", today) == NO_WINDOW
    for typed in ("0 Std.", "nächste Woche", "31.02.2026", "01.12.2026", "", "-5 Std."):
        with pytest.raises(InvalidWindow):
            parse_window(typed, today)
    deadline = START + timedelta(hours=48)
    assert time_left(deadline, START) == "noch 2 Tage"
    assert time_left(deadline, deadline - timedelta(hours=5, minutes=30)) == "noch 5 Std."
    assert time_left(deadline, deadline - timedelta(seconds=30)) == "noch 1 Min."
    assert time_left(deadline, deadline) == "abgelaufen"


def test_at_the_deadline_the_offer_is_expired_in_every_read_and_write(clocked):
    world = clocked
    anna, tim, lead, share = offered(world)
    world.clock.now = share.deadline - timedelta(seconds=1)
    assert tim.counts()[ListKind.OFFERS] == 1 and len(tim.rows(OFFERS, 0, 10)) == 1

    world.clock.now = share.deadline  # nothing ran at this moment: no due work, no reminder
    assert tim.counts()[ListKind.OFFERS] == 0 and tim.rows(OFFERS, 0, 10) == []
    with pytest.raises(AlreadyDecided, match=r"Frist dieses Leadangebots ist abgelaufen \(08.12.2026 10:00\)"):
        tim.accept_offer(share.share_id)
    with pytest.raises(AlreadyDecided, match="abgelaufen"):
        tim.decline_offer(share.share_id, Decline(DeclineReason.NO_CAPACITY))
    with pytest.raises(NotFound):
        tim.lead(lead.id)
    assert anna.withdraw_offers((share.share_id,)).conflicts == (share.share_id,)
    principal_side = next(s for s in anna.lead(lead.id).shares if s.outgoing)
    assert principal_side.status is ShareStatus.EXPIRED
    assert principal_side.label == "Weitergegeben an Nordlicht – abgelaufen"
    passed = anna.rows(ListQuery(kind=ListKind.PASSED_ON), 0, 10)
    assert [(r.share_status, r.deadline) for r in passed] == [(ShareStatus.EXPIRED, None)]
    line = next(e for e in anna.lead(lead.id).journal if "abgelaufen" in e.text)
    assert line.kind is JournalKind.EVENT and line.at == share.deadline and line.author == "Nordlicht"

    again = anna.offer(lead.id, tim.company_id)  # ready to pass on again, with a fresh window
    assert again.share_id == share.share_id and again.deadline == share.deadline + timedelta(hours=48)
    assert tim.accept_offer(share.share_id).assignee.name == "Tim Krüger"


def test_accepting_a_second_before_the_deadline_wins_and_stays(clocked):
    world = clocked
    anna, tim, lead, share = offered(world)
    world.clock.now = share.deadline - timedelta(seconds=1)
    tim.accept_offer(share.share_id)
    world.clock.now = share.deadline + timedelta(hours=1)
    assert due(world).run().expired == 0
    assert next(s for s in anna.lead(lead.id).shares if s.outgoing).status is ShareStatus.ACCEPTED
    assert tim.lead(lead.id).visible


def test_an_undo_after_the_deadline_does_not_reopen_the_offer(clocked):
    world = clocked
    _, tim, _, share = offered(world)
    world.clock.now = share.deadline - timedelta(seconds=5)
    tim.decline_offer(share.share_id, Decline(DeclineReason.DUPLICATE))
    world.clock.now = share.deadline
    with pytest.raises(NotUndoable, match="Frist"):
        tim.reopen_offer(share.share_id)


def test_the_expiry_is_told_once_and_dated_at_the_deadline_however_late(clocked):
    world = clocked
    anna, tim, _, share = offered(world)
    world.repo("jonas")  # a colleague who did not pass it on hears nothing
    world.clock.now = share.deadline + timedelta(hours=3)  # the app was closed at the moment
    assert due(world).run().expired == 1
    assert due(world).run().expired == 0
    told = [n.text for n in anna.notifications() if n.kind is NotificationKind.DECLINED]
    assert told == [
        "Leadangebot an Nordlicht abgelaufen (Frist 08.12.2026 10:00), jetzt wieder weiterzugeben: Wärmepumpe Hofer"
    ]
    assert not [n for n in world.repo("jonas").notifications() if n.kind is NotificationKind.DECLINED]
    with world.engine.connect() as conn:
        stored = conn.execute(select(Share.status, Share.decided_at).where(Share.id == share.share_id)).one()
    assert tuple(stored) == (ShareStatus.EXPIRED.value, share.deadline)
    assert not any("abgelaufen" in n.text for n in tim.notifications())  # the partner is not told


def test_the_reminder_reaches_the_offer_receivers_once_three_quarters_in(clocked):
    world = clocked
    anna, tim, _, _ = offered(world)
    _, _, _, decided = offered(world, "Schon entschieden")
    tim.accept_offer(decided.share_id)  # a decided offer is not reminded of
    world.clock.now = START + timedelta(hours=36) - timedelta(seconds=1)
    assert due(world).run().reminded == 0
    world.clock.now = START + timedelta(hours=36)
    assert due(world).run().reminded == 1
    assert due(world).run().reminded == 0
    reminders = [n.text for n in tim.notifications() if n.text.startswith("Erinnerung")]
    assert reminders == [
        "Erinnerung: Leadangebot von Sonnenstrom nur noch bis 08.12.2026 10:00 annehmbar: Wärmepumpe Hofer"
    ]
    assert not [n for n in world.repo("julia").notifications() if n.text.startswith("Erinnerung")]  # a member
    assert not [n for n in anna.notifications() if n.text.startswith("Erinnerung")]


def test_many_reminders_at_once_are_one_per_principal(clocked):
    world = clocked
    for i in range(3):
        offered(world, f"Lead {i}")
    world.clock.now = START + timedelta(hours=40)
    assert due(world).run().reminded == 3
    texts = [n.text for n in world.repo("tim").notifications() if n.text.startswith("Erinnerung")]
    assert texts == ["Erinnerung: 3 Leadangebote von Sonnenstrom, das erste nur noch bis 08.12.2026 10:00"]


def test_two_runs_at_once_carry_out_each_thing_once(clocked):
    world = clocked
    shares = [offered(world, f"Lead {i}")[3] for i in range(6)]
    world.clock.now = shares[0].deadline + timedelta(minutes=1)
    outcomes = at_once([due(world).run, due(world).run, due(world).run])
    assert sum(o.expired for o in outcomes) == 6, outcomes
    told = [n for n in world.repo("anna").notifications() if n.kind is NotificationKind.DECLINED]
    assert len(told) == 6


def test_an_accept_and_the_expiry_at_the_same_moment_have_one_outcome(clocked):
    world = clocked
    anna, tim, lead, share = offered(world)
    world.clock.now = share.deadline - timedelta(seconds=1)
    # the partner accepts in the last second while a server's due run (on its own clock, at the
    # deadline) claims the offer: exactly one of them happens
    late = DueWork(world.engine, lambda: share.deadline)
    accepted, ran = at_once([lambda: tim.accept_offer(share.share_id), late.run])
    status = next(s for s in anna.lead(lead.id).shares if s.outgoing).status
    if isinstance(accepted, Exception):
        assert isinstance(accepted, AlreadyDecided) and ran.expired == 1 and status is ShareStatus.EXPIRED
    else:
        assert ran.expired == 0 and status is ShareStatus.ACCEPTED


def test_the_database_refuses_a_window_that_cannot_be(clocked):
    world = clocked
    _, _, _, share = offered(world)
    for statement in (
        "UPDATE lead_shares SET deadline = offered_at WHERE id = :id",
        "UPDATE lead_shares SET deadline = NULL WHERE id = :id",  # a reminder without a window
        "UPDATE lead_shares SET remind_at = '2027-01-01 00:00:00' WHERE id = :id",  # after the deadline
        "UPDATE partnerships SET window_hours = 0",
        "UPDATE lead_shares SET status = 'verfallen' WHERE id = :id",
    ):
        with pytest.raises(DBAPIError), world.engine.begin() as conn:  # noqa: PT012 - the commit may refuse
            conn.execute(text(statement), {"id": share.share_id})
            pytest.fail(f"not refused: {statement}")


async def test_the_partners_app_counts_down_and_drops_the_offer_at_the_deadline(clocked):
    world = clocked
    anna, tim_repo, _, share = offered(world)
    app, feed, timers = pumped_app(tim_repo)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LeadsScreen) and "Frist" in rendered_text(app)
        assert screen.table.current.deadline == share.deadline
        world.clock.now = share.deadline - timedelta(hours=5)
        timers.advance(60)  # a minute on: the due work runs, the countdown reads the new time
        await settle(pilot)
        first = screen.table.render_line(0)
        assert first.text.rstrip().endswith(" 5 Std.")  # "noch 5 Std." where the width allows
        red = [segment for segment in first if "5 Std." in segment.text]
        assert red and red[0].style.color.name == screen.table.get_component_rich_style("lead-table--alarm").color.name
        world.clock.now = share.deadline
        timers.advance(60)
        assert await feed.pump(pilot, change=True)  # the due work marked it expired: both sides refresh
        timers.advance(1)
        await settle(pilot)
        assert screen.table.count == 0
        assert any("abgelaufen" in n.text for n in anna.notifications())


async def test_passing_on_shows_the_window_and_takes_another_typed(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=(120, 36)) as pilot:
        lead = await open_first_of_mine(app, pilot)
        nordlicht = [p.name for p in app.partners].index("Nordlicht Vertrieb GmbH")
        await press(pilot, "w", *["down"] * nordlicht, "enter")
        dialog = app.screen
        assert isinstance(dialog, PassOnDialog)
        assert dialog.query_one("#window").value == "2 Tage"  # the partnership's default
        assert "annehmbar bis 04.11.2026 09:00" in text_of(dialog.query_one("#window-until"))
        await press(pilot, *["backspace"] * 10, *"0 Std.", "enter")
        assert app.screen is dialog and "mindestens 1 Stunde" in text_of(dialog.query_one("#window-error"))
        await press(pilot, *["backspace"] * 10, *"3 Tage", "enter")
        await settle(pilot)
        shares = repo.lead(lead.id).shares
        assert [(s.partner_name, s.deadline) for s in shares] == [("Nordlicht Vertrieb GmbH", datetime(2026, 11, 5, 9))]
        assert any("annehmbar bis 05.11.2026 09:00" in n.message for n in app._notifications)


def test_the_command_line_sets_a_partnership_s_default(capsys, world):
    url = str(world.engine.url)
    code, out, _ = run_cli(capsys, "partner", "window", "Sonnenstrom", "Nordlicht", "72", "--db", url)
    assert code == 0 and out.strip() == "Standardfrist von Sonnenstrom an Nordlicht: 3 Tage."
    assert [p.window_hours for p in world.repo("anna").partners()] == [72]
    code, out, _ = run_cli(capsys, "partner", "window", "Sonnenstrom", "Nordlicht", "keine", "--db", url)
    assert code == 0 and [p.window_hours for p in world.repo("anna").partners()] == [None]
    for bad, message in (("0", "mindestens 1 Stunde"), ("15.12.2026", "Dauer"), ("bald", "z. B.")):
        code, _, err = run_cli(capsys, "partner", "window", "Sonnenstrom", "Nordlicht", bad, "--db", url)
        assert code == 2 and message in err and "Traceback" not in err, (bad, err)
    code, _, err = run_cli(capsys, "partner", "window", "Nordlicht", "Sonnenstrom", "48", "--db", url)
    assert code != 0 and "kein Vertriebspartner" in err


@pytest.fixture
def platform(templates, db_kind, tmp_path):
    """A migrated database for server processes, as a world on a clock the test sets."""
    url = templates.current(db_kind, tmp_path)
    engine = open_database(url, create=True, migrate=True)
    made = World(engine)
    made.url = url
    made.clock = StandingClock(utcnow())  # the server processes decide on the real (database) clock
    made.repo("anna").set_partner_window(made.repo("tim").company_id, 48)
    yield made
    engine.dispose()


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_two_server_processes_expire_and_remind_each_offer_once(platform, tmp_path, monkeypatch):
    world = platform
    now = world.clock.now
    world.clock.now = now - timedelta(hours=50)  # offered 50 hours ago: expired 2 hours ago
    expiring = [offered(world, f"Abgelaufen {i}")[3] for i in range(8)]
    world.clock.now = now - timedelta(hours=40)  # offered 40 hours ago: reminded 4 hours ago
    for i in range(8):
        offered(world, f"Erinnert {i}")
    monkeypatch.setenv("LEADTUI_SERVE_DUE_EVERY_S", "0.05")
    with ServeProcess(world.url, tmp_path), ServeProcess(world.url, tmp_path):  # both run the due work

        def all_done() -> bool:
            with world.engine.connect() as conn:
                statuses = conn.execute(select(Share.status).where(Share.id.in_([s.share_id for s in expiring])))
                reminders_left = conn.execute(select(Share.id).where(Share.remind_at.is_not(None))).all()
            return set(statuses.scalars()) == {ShareStatus.EXPIRED.value} and not reminders_left

        eventually(all_done, "both servers' due work done")
    anna, tim = world.repo("anna"), world.repo("tim")
    assert len([n for n in anna.notifications() if "abgelaufen" in n.text]) == 8
    reminders = [n for n in tim.notifications() if n.text.startswith("Erinnerung")]
    assert sum(n.count for n in reminders) == 8  # however the two processes split them


def test_the_server_runs_the_due_work_by_itself(clocked):
    world = clocked
    _, _, _, share = offered(world)
    world.clock.now = share.deadline
    with Running(world.engine, clock=world.clock, due_every_s=0.05):  # its lifespan starts the timer

        def expired() -> bool:
            with world.engine.connect() as conn:
                status = conn.execute(select(Share.status).where(Share.id == share.share_id)).scalar_one()
            return status == ShareStatus.EXPIRED.value

        eventually(expired, "the server's due work")


def test_a_window_travels_through_the_server(clocked):
    world = clocked
    world.clock.now = utcnow()  # invitations (the sign-in) expire by the real clock
    with Running(world.engine, clock=world.clock) as server:
        anna, tim = signed_in(world, server.url, "anna"), signed_in(world, server.url, "tim")
        try:
            assert [(p.name, p.window_hours) for p in anna.partners()] == [("Nordlicht", 48)]
            lead = new_lead(anna, "Über den Server")
            until = (world.clock.now + timedelta(days=3)).date()
            share = anna.offer(lead.id, tim.company.id, Window(until=until))
            assert share.deadline == datetime.combine(until, datetime.min.time()).replace(hour=23, minute=59)
            assert [r.deadline for r in tim.rows(OFFERS, 0, 10)] == [share.deadline]
            with pytest.raises(InvalidInput, match="mindestens 1 Stunde"):
                anna.offer(new_lead(anna, "Zu kurz").id, tim.company.id, Window(hours=0))
            with pytest.raises(AccessDenied, match="Administratoren"):
                signed_in(world, server.url, "jonas").set_partner_window(tim.company.id, 12)
            assert abs(tim.now() - world.clock.now) < timedelta(minutes=1)  # the server's clock
        finally:
            close_signed_in()
