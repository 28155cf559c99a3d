"""Random sequences of everything colleagues can do, checked against a small model of the rules.

After every step: each company sees exactly its own and accepted leads, with at most one assignee
that belongs to the company, is shown inactive when deactivated, and equals the model's - so no
company ever sees another company's assignment, and assigning never changes visibility; no
notification reaches a company that may not read the journal entry it is about; and no offer is
open, or accepted, after its response window (rule 24), whether or not the due work ran - the
clock only moves when a step moves it; and no partner reads the contact data of an offer it has
not accepted (rule 26). On SQLite and on PostgreSQL (fewer examples there: each
needs a database of its own).
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers import NO_CAPACITY, ReusedPostgres, StandingClock
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import Engine, func, select

from leadtui.admin import Admin
from leadtui.db.engine import open_database
from leadtui.db.models import LeadShareModel, NotificationModel
from leadtui.domain import (
    AccessDenied,
    AlreadyDecided,
    Conflict,
    LeadStatus,
    ListKind,
    ListQuery,
    NewLead,
    NotAssignable,
    NotFound,
)
from leadtui.domain.windows import Window
from leadtui.repository import Repository
from leadtui.repository.due import DueWork

_TEMPLATE: Path | None = None


def migrated_template() -> Path:
    """One migrated SQLite file, copied for every example (migrating each time is slow)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        path = Path(tempfile.mkdtemp(prefix="leadtui-hypo-")) / "template.db"
        open_database(f"sqlite:///{path}", create=True).dispose()
        _TEMPLATE = path
    return _TEMPLATE


class Outcome(Exception):
    """Marker for 'the model expects success'."""


class LeadRules(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.engine = self._fresh_database()
        self.clock = StandingClock(datetime(2026, 12, 6, 9, 0))
        self.admin = Admin(self.engine)
        self.emails = itertools.count()
        self.companies: dict[int, str] = {}
        self.colleagues: dict[int, list] = {}  # id -> [company, active]
        self.names: dict[int, str] = {}
        self.admins: set[int] = set()  # the first colleague of each company
        self.partnerships: set[tuple[int, int]] = set()
        self.leads: dict[int, int] = {}  # lead -> owner
        self.views: dict[tuple[int, int], list] = {}  # (company, lead) -> [assignee, version]
        self.shares: dict[int, dict] = {}
        self.tasks: dict[int, list] = {}  # task entry -> [lead, author company, done]
        self.notified = 0  # the newest notification checked
        self.entries_told: dict[int, tuple[int, int]] = {}  # notification -> (lead, entry's company)
        self.touched: set[int] = set()  # leads a step acted on since the journals were last read
        self.checks = 0
        self.readers: dict[int, Repository] = {}  # the invariant's repository per colleague, kept as an app keeps it
        for name in ("Sonnenstrom", "Nordlicht", "Alpenland"):
            company = self.admin.add_company(name)
            self.companies[company.id] = name
            for _ in range(3):
                self._add_colleague(company.id)
        # A chain: the first company's partner has a partner of its own, which is the first's too.
        first, second, third = sorted(self.companies)
        for principal, partner in ((first, second), (second, third), (first, third)):
            self.admin.add_partnership(self.companies[principal], self.companies[partner])
            self.partnerships.add((principal, partner))
        for colleague, (company, _) in list(self.colleagues.items())[::3]:
            self._create(Repository(self.engine, colleague, self.clock), company, "Startlead")

    def _fresh_database(self) -> Engine:
        self.dir = Path(tempfile.mkdtemp(prefix="leadtui-hypo-run-"))
        shutil.copy(migrated_template(), self.dir / "db.sqlite")
        return open_database(f"sqlite:///{self.dir / 'db.sqlite'}")

    def teardown(self):
        self.engine.dispose()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- helpers ----------------------------------------------------------------------------

    def _add_colleague(self, company_id: int) -> None:
        n = next(self.emails)
        colleague = self.admin.add_colleague(self.companies[company_id], f"Kollege {n}", f"k{n}@example.org")
        if not any(c == company_id for c, _ in self.colleagues.values()):
            self.admins.add(colleague.id)
        assert colleague.is_admin == (colleague.id in self.admins)
        self.colleagues[colleague.id] = [company_id, True]
        self.names[colleague.id] = colleague.name

    def _actor(self, data, company: int | None = None) -> tuple[int, Repository]:
        """A random active colleague; with `company`, mostly one of that company."""
        anyone = st.sampled_from(sorted(i for i, (_, active) in self.colleagues.items() if active))
        inside = sorted(i for i, (c, active) in self.colleagues.items() if active and c == company)
        actor = data.draw(st.one_of(st.sampled_from(inside), anyone) if inside else anyone)
        return self.colleagues[actor][0], Repository(self.engine, actor, self.clock)

    def _own_lead(self, data, company: int) -> int:
        """Mostly a lead the company sees, sometimes any lead."""
        own = sorted(lead for (c, lead) in self.views if c == company)
        everything = st.sampled_from(sorted(self.leads))
        lead = data.draw(st.one_of(st.sampled_from(own), everything) if own else everything)
        self.touched.add(lead)
        return lead

    def _status(self, share: dict) -> str:
        """An offer's status as every read and write must take it: pending past its deadline is
        expired, marked so or not (rule 24)."""
        if share["status"] == "angeboten" and share["deadline"] is not None and share["deadline"] <= self.clock.now:
            return "abgelaufen"
        return share["status"]

    def _expect(self, expected: type[Exception], call):
        try:
            result = call()
        except (NotFound, NotAssignable, Conflict, AlreadyDecided, AccessDenied) as error:
            assert type(error) is expected, f"model expected {expected.__name__}, got {error!r}"
            return None
        assert expected is Outcome, f"model expected {expected.__name__}, call succeeded"
        return result

    def _assignable_error(self, company: int, target: int | None) -> type[Exception] | None:
        if target is None:
            return None
        if target not in self.colleagues or self.colleagues[target][0] != company:
            return NotAssignable
        return None if self.colleagues[target][1] else NotAssignable

    def _target(self, data, company: int) -> int | None:
        """Mostly a colleague of the own company (active or not), sometimes anyone or nobody."""
        own = sorted(i for i, (c, _) in self.colleagues.items() if c == company)
        return data.draw(
            st.one_of(
                st.sampled_from(own),
                st.sampled_from(own),
                st.sampled_from(sorted(self.colleagues)),
                st.none(),
                st.just(10_000),
            )
        )

    # --- rules ------------------------------------------------------------------------------

    @rule(data=st.data())
    def add_colleague(self, data):
        self._add_colleague(data.draw(st.sampled_from(sorted(self.companies))))

    @rule(data=st.data())
    def add_partnership(self, data):
        principal, partner = data.draw(st.permutations(sorted(self.companies)))[:2]
        if (principal, partner) in self.partnerships:
            return
        self.admin.add_partnership(self.companies[principal], self.companies[partner])
        self.partnerships.add((principal, partner))

    def _create(self, repo: Repository, company: int, title: str, status: LeadStatus = LeadStatus.NEW) -> None:
        contact = dict(contact="Erika Muster", email="erika@kunde.example", phone="+49 30 1234567")
        lead = repo.create_lead(NewLead(title=title, status=status, **contact))
        self.touched.add(lead.id)
        self.leads[lead.id] = company
        self.views[(company, lead.id)] = [repo.me.id, 1]

    @rule(data=st.data())
    def create_lead(self, data):
        company, repo = self._actor(data)
        title = data.draw(st.sampled_from(["PV", "Wärmepumpe", "Wallbox"]))
        self._create(repo, company, title, data.draw(st.sampled_from(LeadStatus)))

    @rule(data=st.data())
    def offer(self, data):
        self._time_passes(data)
        company, repo = self._actor(data)
        lead = self._own_lead(data, company)
        partners = sorted(q for p, q in self.partnerships if p == company)
        everyone = st.sampled_from(sorted(self.companies))
        partner = data.draw(st.one_of(st.sampled_from(partners), everyone) if partners else everyone)
        # An offer is a relation of one principal and one partner: only the principal's own
        # earlier offer to this partner matters, never what anybody else did with the lead.
        previous = [
            s for s in self.shares.values() if (s["lead"], s["principal"], s["partner"]) == (lead, company, partner)
        ]
        if (company, lead) not in self.views:
            expected = NotFound
        elif (company, partner) not in self.partnerships:
            expected = AccessDenied
        elif previous and self._status(previous[0]) not in ("abgelehnt", "zurückgezogen", "abgelaufen"):
            expected = AlreadyDecided
        else:
            expected = Outcome
        hours = data.draw(st.sampled_from([None, 1, 1, 2, 5]))
        window = Window(hours=hours) if hours else None  # None: the partnership's (none here)
        others = [q for q in partners if q != partner] if expected is Outcome else []
        then = tuple(data.draw(st.lists(st.sampled_from(others), max_size=2, unique=True))) if others else ()
        share = self._expect(expected, lambda: repo.offer(lead, partner, window, then))
        if share:
            deadline = self.clock.now + timedelta(hours=hours) if hours else None
            assert share.deadline == deadline
            self.shares[share.share_id] = dict(
                lead=lead, principal=company, partner=partner, status="angeboten", deadline=deadline, ladder=list(then)
            )

    @precondition(lambda self: self.shares)
    @rule(data=st.data())
    def withdraw(self, data):
        """Rule 22: only the principal withdraws, and only a pending offer; a decided one stays."""
        self._time_passes(data)
        share_id = data.draw(st.sampled_from(sorted(self.shares)))
        share = self.shares[share_id]
        company, repo = self._actor(data, share["principal"])
        if share["principal"] != company:
            self._expect(NotFound, lambda: repo.withdraw_offers((share_id,)))
            return
        result = self._expect(Outcome, lambda: repo.withdraw_offers((share_id,)))
        if self._status(share) == "angeboten":
            assert (result.assigned, result.conflicts) == (1, ())
            share["status"] = "zurückgezogen"
            share["ladder"] = []  # withdrawn: to nobody else either
        else:
            assert (result.assigned, result.conflicts) == (0, (share_id,))

    @precondition(lambda self: self.shares)
    @rule(data=st.data(), accept=st.booleans())
    def decide(self, data, accept):
        self._time_passes(data)
        share_id = data.draw(st.sampled_from(sorted(self.shares)))
        share = self.shares[share_id]
        self.touched.add(share["lead"])
        company, repo = self._actor(data, share["partner"])
        if share["partner"] != company:
            expected = NotFound
        elif self._status(share) != "angeboten":
            expected = AlreadyDecided
        else:
            expected = Outcome
        call = (
            (lambda: repo.accept_offer(share_id))
            if accept
            else (lambda: repo.decline_offer(share_id, NO_CAPACITY) or True)
        )
        if self._expect(expected, call):
            share["status"] = "angenommen" if accept else "abgelehnt"
            if accept and (company, share["lead"]) not in self.views:
                self.views[(company, share["lead"])] = [repo.me.id, 1]  # a lead worked already stays as it is

    def _time_passes(self, data) -> None:
        """Before a step on offers, often: the clock moves (nothing runs at the moment, the app
        may be closed), and sometimes a server's or the app's due work runs then - it marks
        exactly the offers whose window ended, once. (Folded into the offer steps, so that few
        examples still reach an offer's deadline.)"""
        self.clock.now += timedelta(minutes=data.draw(st.sampled_from([0, 0, 1, 59, 60, 61, 300])))
        if data.draw(st.booleans()):
            lapsed = [s for s in self.shares.values() if s["status"] == "angeboten" and self._status(s) == "abgelaufen"]
            done = DueWork(self.engine, self.clock).run()
            assert done.expired == len(lapsed)
            for share in lapsed:
                share["status"] = "abgelaufen"
            assert done.escalated == self._climb()

    def _climb(self) -> int:
        """Rule 25 in the model: each declined or expired offer with a ladder goes, in the order
        of the offers, to the next partner on it that is still one and has no standing offer
        of the lead; its ladder is used up either way. Returns the steps taken."""
        steps = 0
        for share_id in sorted(self.shares):
            share = self.shares[share_id]
            if not share["ladder"] or share["status"] not in ("abgelehnt", "abgelaufen"):
                continue
            ladder, share["ladder"] = share["ladder"], []
            for i, partner in enumerate(ladder):
                if (share["principal"], partner) not in self.partnerships:
                    continue
                key = (share["lead"], share["principal"], partner)
                standing = [s for s in self.shares.values() if (s["lead"], s["principal"], s["partner"]) == key]
                if standing and self._status(standing[0]) not in ("abgelehnt", "zurückgezogen", "abgelaufen"):
                    continue
                step = dict(
                    lead=share["lead"], principal=share["principal"], partner=partner, status="angeboten",
                    deadline=None, ladder=ladder[i + 1 :],
                )  # fmt: skip
                if standing:
                    standing[0].update(step)
                else:
                    with self.engine.connect() as conn:
                        made = conn.execute(
                            select(LeadShareModel.id).where(
                                LeadShareModel.lead_id == share["lead"],
                                LeadShareModel.principal_company_id == share["principal"],
                                LeadShareModel.partner_company_id == partner,
                            )
                        ).scalar_one()
                    self.shares[made] = step
                steps += 1
                break
        return steps

    @rule(data=st.data(), stale=st.booleans())
    def assign(self, data, stale):
        company, repo = self._actor(data)
        lead = self._own_lead(data, company)
        target = self._target(data, company)
        view = self.views.get((company, lead))
        version = (view[1] + (1 if stale else 0)) if view else 1
        if view is None:
            expected = NotFound
        else:
            expected = self._assignable_error(company, target) or (Conflict if stale else Outcome)
        if self._expect(expected, lambda: repo.assign(lead, target, version)) and view[0] != target:
            view[0], view[1] = target, view[1] + 1

    @rule(data=st.data(), stale=st.booleans())
    def reassign(self, data, stale):
        """Assignment is what colleagues do most; give it twice the weight."""
        self.assign(data, stale)

    @rule(data=st.data())
    def assign_many(self, data):
        company, repo = self._actor(data)
        own = sorted(lead for (c, lead) in self.views if c == company)
        if not own:
            return
        chosen = data.draw(st.lists(st.sampled_from(own), min_size=1, max_size=4, unique=True))
        stale = data.draw(st.sets(st.sampled_from(chosen)))
        target = self._target(data, company)
        versions = {lead: self.views[(company, lead)][1] + (lead in stale) for lead in chosen}
        expected = self._assignable_error(company, target) or Outcome
        result = self._expect(expected, lambda: repo.assign_many(versions, target))
        if result is None:
            return
        assert set(result.conflicts) == stale
        for lead in chosen:
            view = self.views[(company, lead)]
            if lead not in stale and view[0] != target:
                view[0], view[1] = target, view[1] + 1

    @rule(data=st.data(), active=st.booleans())
    def set_active(self, data, active):
        company, repo = self._actor(data)
        target = self._target(data, company) or repo.me.id
        if target not in self.colleagues:
            return
        if not active and target == repo.me.id:
            expected = NotAssignable
        elif repo.me.id not in self.admins:
            expected = AccessDenied  # only a company's admins (de)activate colleagues
        elif self.colleagues[target][0] != company:
            expected = NotFound
        else:
            expected = Outcome
        call = (lambda: repo.activate(target) or True) if active else (lambda: repo.deactivate(target) or True)
        if self._expect(expected, call):
            self.colleagues[target][1] = active

    @rule(data=st.data())
    def hand_over(self, data):
        company, repo = self._actor(data)
        source = self._target(data, company)
        if source not in self.colleagues:
            return
        target = self._target(data, company)
        if self.colleagues[source][0] != company:
            expected = NotFound
        elif self.colleagues[source][1] or target is None:
            expected = NotAssignable
        else:
            expected = self._assignable_error(company, target) or Outcome
        moved = self._expect(expected, lambda: repo.hand_over(source, target))
        if expected is Outcome:
            owned = [v for (c, _), v in self.views.items() if c == company and v[0] == source]
            assert moved == len(owned)
            for view in owned:
                view[0], view[1] = target, view[1] + 1

    # --- working a lead: journal, edits, notifications --------------------------------------

    def _direct(self, lead: int, c: int, d: int) -> bool:
        """Whether companies c and d hold `lead` through an accepted offer between them."""
        return any(
            s["lead"] == lead and s["status"] == "angenommen" and {s["principal"], s["partner"]} == {c, d}
            for s in self.shares.values()
        )

    def _reads(self, lead: int, entry_company: int, company: int) -> bool:
        """Rule 13: `company` reads the journal entries `entry_company` wrote on `lead`."""
        return company == entry_company or self._direct(lead, entry_company, company)

    def _expect_notified(self, actor: int, company: int, lead: int, entry_company: int | None = None) -> None:
        """Rule 15: the new notifications went to exactly the current, active assignees of the
        companies holding the lead directly with the actor's that read the entry (rule 13), never
        the actor; the actor is named inside the company, only the company across."""
        entry_company = company if entry_company is None else entry_company
        with self.engine.connect() as conn:
            fresh = conn.execute(
                select(
                    NotificationModel.id,
                    NotificationModel.colleague_id,
                    NotificationModel.company_id,
                    NotificationModel.body,
                ).where(NotificationModel.id > self.notified)
            ).all()
            self.notified = conn.execute(select(func.coalesce(func.max(NotificationModel.id), 0))).scalar_one()
        for notification_id, *_ in fresh:
            self.entries_told[notification_id] = (lead, entry_company)
        expected = set()
        for (d, held), (assignee, _) in self.views.items():
            if held != lead or assignee is None or assignee == actor or not self.colleagues[assignee][1]:
                continue
            if (d == company or self._direct(lead, company, d)) and self._reads(lead, entry_company, d):
                expected.add(assignee)
        assert {recipient for _, recipient, _, _ in fresh} == expected
        actor_name = self.names[actor]
        for _, recipient, recipient_company, body in fresh:
            assert self.colleagues[recipient][0] == recipient_company
            who = actor_name if recipient_company == company else self.companies[company]
            assert body.startswith(f"{who} hat "), body

    def _skip_old_notifications(self) -> None:
        with self.engine.connect() as conn:
            self.notified = conn.execute(select(func.coalesce(func.max(NotificationModel.id), 0))).scalar_one()

    @rule(data=st.data(), kind=st.sampled_from(["note", "task", "status"]))
    def work_on_a_lead(self, data, kind):
        company, repo = self._actor(data)
        lead = self._own_lead(data, company)
        held = (company, lead) in self.views
        self._skip_old_notifications()
        if kind == "note":
            done = self._expect(Outcome if held else NotFound, lambda: repo.add_note(lead, "Notiz"))
        elif kind == "task":
            done = self._expect(Outcome if held else NotFound, lambda: repo.add_task(lead, "Aufgabe", None))
            if done:
                self.tasks[done.id] = [lead, company, False]
        else:
            if not held:
                self._expect(NotFound, lambda: repo.lead(lead) and repo.add_note(lead, "x"))
                return
            current = repo.lead(lead)
            seen = NewLead(title=current.title, status=current.status, source=current.source)
            other = data.draw(st.sampled_from([s for s in LeadStatus if s is not current.status]))
            done = self._expect(
                Outcome, lambda: repo.edit_lead(lead, NewLead(title=current.title, status=other), current.version, seen)
            )
        if done:
            self._expect_notified(repo.me.id, company, lead)

    @precondition(lambda self: self.tasks)
    @rule(data=st.data())
    def tick_a_task(self, data):
        task_id = data.draw(st.sampled_from(sorted(self.tasks)))
        lead, author_company, done = self.tasks[task_id]
        self.touched.add(lead)
        company, repo = self._actor(data, author_company)
        readable = (company, lead) in self.views and (
            company == author_company or self._direct(lead, company, author_company)
        )
        self._skip_old_notifications()
        if self._expect(Outcome if readable else NotFound, lambda: repo.complete_task(task_id, not done) or True):
            self.tasks[task_id][2] = not done
            self._expect_notified(repo.me.id, company, lead, author_company)

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def no_notification_reaches_a_company_that_may_not_read_its_entry(self):
        """Rule 13: a notification of journal activity, its text and its lead, stays with the
        companies that read the entry it is about."""
        if not hasattr(self, "engine") or not self.entries_told:
            return
        with self.engine.connect() as conn:
            told = conn.execute(
                select(NotificationModel.id, NotificationModel.company_id, NotificationModel.lead_id).where(
                    NotificationModel.id.in_(self.entries_told)
                )
            ).all()
        for notification_id, company, lead_id in told:
            lead, entry_company = self.entries_told[notification_id]
            assert lead_id == lead and self._reads(lead, entry_company, company)

    @invariant()
    def no_offer_is_accepted_after_its_deadline(self):
        if not hasattr(self, "engine"):
            return
        with self.engine.connect() as conn:
            stored = conn.execute(
                select(LeadShareModel.id, LeadShareModel.status, LeadShareModel.decided_at, LeadShareModel.deadline)
            ).all()
        for share_id, status, decided_at, deadline in stored:
            assert status == self.shares[share_id]["status"]
            if status == "angenommen" and deadline is not None:
                assert decided_at < deadline

    @invariant()
    def every_company_sees_its_own_truth(self):
        if not hasattr(self, "engine"):
            return
        # Journals are read where a step acted on the lead (only such a step writes to one or
        # lets another company read it), and every journal at every tenth check.
        self.checks += 1
        journals = set(self.leads) if self.checks % 10 == 1 else self.touched
        self.touched = set()
        for company in self.companies:
            actor = min(i for i, (c, active) in self.colleagues.items() if c == company and active)
            repo = self.readers.get(actor) or self.readers.setdefault(actor, Repository(self.engine, actor, self.clock))
            expected = {lead: view for (c, lead), view in self.views.items() if c == company}
            rows = repo.rows(ListQuery(kind=ListKind.ALL), 0, 10_000)
            assert {row.id for row in rows} == set(expected)
            for row in rows:
                assignee, version = expected[row.id]
                assert row.version == version
                if assignee is None:
                    assert row.assignee is None
                else:
                    assert row.assignee.id == assignee
                    assert self.colleagues[assignee][0] == company
                    assert row.assignee.active == self.colleagues[assignee][1]
            counts = repo.counts()
            assert counts[ListKind.MINE] == sum(1 for a, _ in expected.values() if a == actor)
            assert counts[ListKind.UNASSIGNED] == sum(1 for a, _ in expected.values() if a is None)
            assert counts[ListKind.ORPHANED] == sum(
                1 for a, _ in expected.values() if a is not None and not self.colleagues[a][1]
            )
            assert counts[ListKind.OFFERS] == sum(
                1 for s in self.shares.values() if s["partner"] == company and self._status(s) == "angeboten"
            )
            status = {row.id: row.status for row in rows}
            workload = {w.colleague.id: (w.leads, w.open, w.new) for w in repo.workload(include_inactive=True)}
            for colleague, (c, _) in self.colleagues.items():
                if c == company:
                    theirs = [status[lead] for lead, (a, _) in expected.items() if a == colleague]
                    assert workload[colleague] == (
                        len(theirs),
                        sum(s in (LeadStatus.NEW, LeadStatus.IN_PROGRESS) for s in theirs),
                        sum(s is LeadStatus.NEW for s in theirs),
                    )
            passed_on = {s["lead"] for s in self.shares.values() if s["principal"] == company}
            assert counts[ListKind.PASSED_ON] == len(passed_on)
            passed_rows = repo.rows(ListQuery(kind=ListKind.PASSED_ON), 0, 10_000)
            assert {r.id for r in passed_rows} == passed_on
            for row in passed_rows:  # each principal sees exactly its own offers of the lead
                mine = [s for s in self.shares.values() if s["principal"] == company and s["lead"] == row.id]
                assert sorted((row.partner_name or "").split(", ")) == sorted(
                    self.companies[s["partner"]] for s in mine
                )
            # the journal names another company's author by the company, never the person
            names = {self.names[i] for i, (c, _) in self.colleagues.items() if c != company}
            for lead in {lead for (c, lead) in self.views if c == company} & journals:
                for entry in repo.lead(lead).journal:
                    if entry.own:
                        assert entry.author not in names
                    else:
                        assert entry.author in self.companies.values() and entry.author != self.companies[company]
                        assert entry.done_by is None or entry.done_by not in names
            offers = repo.rows(ListQuery(kind=ListKind.OFFERS), 0, 10_000)
            open_offers = {
                i: s for i, s in self.shares.items() if s["partner"] == company and self._status(s) == "angeboten"
            }
            assert {r.share_id: r.partner_name for r in offers} == {
                i: self.companies[s["principal"]] for i, s in open_offers.items()
            }
            # rule 26: no contact data of an offer the company has not accepted (nor holds otherwise)
            for share in open_offers.values():
                if (company, share["lead"]) not in self.views:
                    detail = repo.lead(share["lead"])
                    assert detail.contact_hidden and (detail.contact, detail.email, detail.phone) == ("", "", "")
                    assert repo.rows(ListQuery(kind=ListKind.OFFERS, search="erika"), 0, 100) == []


PROFILE_SCALE = settings.default.max_examples / 100  # the "long" profile runs ten times as many
LeadRules.TestCase.settings = settings(
    max_examples=int(6 * PROFILE_SCALE),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestLeadRules = LeadRules.TestCase


class MoreLeadRules(LeadRules):
    """The same machine once more, with its own examples: 2 x 12 examples of up to 40 steps on
    SQLite, as two tests so that the suite's workers run them side by side."""


MoreLeadRules.TestCase.settings = LeadRules.TestCase.settings
TestMoreLeadRules = MoreLeadRules.TestCase


class LeadRulesOnPostgres(LeadRules):
    """The same rules on PostgreSQL, each example on the process's one migrated database,
    emptied before it, worked as one server connection binds each call to its colleague (the
    way `leadtui serve` does)."""

    reused: ReusedPostgres | None = None

    def _fresh_database(self) -> Engine:
        cls = type(self)
        if cls.reused is None:
            cls.reused = ReusedPostgres()
        return open_database(cls.reused.fresh())

    def teardown(self):
        self.engine.dispose()


LeadRulesOnPostgres.TestCase.settings = settings(
    LeadRules.TestCase.settings,
    max_examples=int(2 * PROFILE_SCALE),  # the rules are the same; each example costs more
)
TestLeadRulesOnPostgres = LeadRulesOnPostgres.TestCase


@pytest.fixture(scope="module", autouse=True)
def _drop_postgres_database():
    yield
    if LeadRulesOnPostgres.reused is not None:
        LeadRulesOnPostgres.reused.drop()
        LeadRulesOnPostgres.reused = None
