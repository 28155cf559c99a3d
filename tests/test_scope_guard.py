"""The scope guard refuses a repository statement that reaches a company-owned table without the
acting company's predicate. It checks every statement of every repository test; these tests show
it catches a missing filter - including one removed from the real repository code."""

from __future__ import annotations

import pytest
from sqlalchemy import and_, delete, exists, insert, or_, select, text, update
from sqlalchemy.orm import aliased

from leadtui.db.models import AssignmentHistoryModel as History
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import ColleagueSettingModel as Setting
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import LeadModel as Lead
from leadtui.db.models import LeadShareModel as Share
from leadtui.db.models import MaintenanceModel
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.domain import ListQuery
from leadtui.repository.colleagues import Colleagues
from leadtui.repository.guard import Acting, UnscopedStatement, check_statement
from leadtui.repository.lists import Lists

ACTING = Acting(company_id=7, colleague_id=70)
OTHER = aliased(Col, name="other")

SCOPED = {
    "view of the company": select(CL.lead_id).where(CL.company_id == 7),
    "assignee joined on its company": select(CL.lead_id, OTHER.name)
    .outerjoin(OTHER, and_(OTHER.id == CL.colleague_id, OTHER.company_id == CL.company_id))
    .where(CL.company_id == 7),
    "correlated exists": select(CL.lead_id).where(
        CL.company_id == 7, exists().where(Share.lead_id == CL.lead_id, Share.principal_company_id == 7)
    ),
    "either side of an offer": select(Share.id).where(
        or_(Share.principal_company_id == 7, and_(Share.partner_company_id == 7, Share.status == "angenommen"))
    ),
    "shared lead through a scoped view": select(Lead.title).join(CL, CL.lead_id == Lead.id).where(CL.company_id == 7),
    "own settings": select(Setting.value).where(Setting.colleague_id == 70),
    "update of the company view": update(CL).where(CL.company_id == 7, CL.lead_id == 1).values(version=2),
    "insert into own history": insert(History).values(company_id=7, lead_id=1, by_id=70),
    "insert of several own rows": insert(History).values(
        [dict(company_id=7, lead_id=1, by_id=70), dict(company_id=7, lead_id=2, by_id=70)]
    ),
    "search index": text("SELECT rowid FROM leads_fts WHERE leads_fts MATCH :p"),
}
UNSCOPED = {
    "view without company": select(CL.lead_id).where(CL.lead_id == 1),
    "view of another company": select(CL.lead_id).where(CL.company_id == 8),
    "assignee joined by id alone": select(CL.lead_id, OTHER.name)
    .outerjoin(OTHER, OTHER.id == CL.colleague_id)
    .where(CL.company_id == 7),
    "scoped on one branch of an OR only": select(Share.id).where(or_(Share.principal_company_id == 7, Share.id == 3)),
    "subquery without company": select(CL.lead_id).where(
        CL.company_id == 7, CL.colleague_id.in_(select(Col.id).where(Col.active.is_(False)))
    ),
    "settings of the company id instead of the colleague": select(Setting.value).where(Setting.colleague_id == 7),
    "partnerships of anyone": select(Partnership.partner_id),
    "update without company": update(CL).where(CL.lead_id == 1).values(version=2),
    "delete without company": delete(History).where(History.lead_id == 1),
    "insert into another company": insert(History).values(company_id=8, lead_id=1, by_id=70),
    "one of several inserted rows for another company": insert(History).values(
        [dict(company_id=7, lead_id=1, by_id=70), dict(company_id=8, lead_id=2, by_id=70)]
    ),
    "raw SQL on a company table": text("SELECT * FROM company_leads"),
    "a table that declares no scope": select(MaintenanceModel.name),
}


@pytest.mark.parametrize("stmt", SCOPED.values(), ids=SCOPED.keys())
def test_scoped_statements_pass(stmt):
    check_statement(stmt, ACTING)


@pytest.mark.parametrize("stmt", UNSCOPED.values(), ids=UNSCOPED.keys())
def test_unscoped_statements_are_refused(stmt):
    with pytest.raises(UnscopedStatement):
        check_statement(stmt, ACTING)


def test_a_filter_removed_from_the_repository_is_caught(world, monkeypatch):
    """Take the company filter out of the colleague list and the ORPHANED list: the repository
    refuses to run them instead of answering with every company's colleagues."""
    anna = world.repo("anna")
    assert [c.name for c in anna.colleagues()] == ["Anna Becker", "Jonas Weber", "Markus Schulz"]

    def colleagues_of_everyone(self, include_inactive=False):
        with self._session.read() as conn:
            return list(conn.execute(select(Col.name).order_by(Col.name)).scalars())

    monkeypatch.setattr(Colleagues, "colleagues", colleagues_of_everyone)
    with pytest.raises(UnscopedStatement, match="colleagues"):
        anna.colleagues()

    def orphaned_of_everyone(self, query, stmt, lead_joined, walk):
        return stmt.where(CL.colleague_id.in_(select(Col.id).where(Col.active.is_(False))))

    monkeypatch.setattr(Lists, "_filtered", orphaned_of_everyone)
    with pytest.raises(UnscopedStatement, match="colleagues"):
        anna.rows(ListQuery(), 0, 10)
