"""The inlet (issue 20, rule 20): JSON lines from web forms and scripts - one answer a line,
idempotent by external_id per company, a line that is no JSON answered and the rest taken;
`leadtui ingest` locally and through a server, and `POST /api/v1/ingest` with an API key."""

from __future__ import annotations

import io
import json

import pytest
from helpers import run_cli

from leadtui.domain import AccessDenied, ListKind, ListQuery, NewLead
from leadtui.domain.imports import ImportOptions
from leadtui.domain.ingest import IngestLine, answered, read_line

pytestmark = pytest.mark.usefixtures("isolated_data_dir")


def sent(repo, *lines: str | dict) -> list[dict]:
    texts = [line if isinstance(line, str) else json.dumps(line) for line in lines]
    return [
        json.loads(a.as_json()) for group in answered(repo.ingest_leads, ImportOptions(), texts, 500) for a in group
    ]


def test_every_line_gets_one_answer_and_a_broken_line_does_not_stop_the_rest(any_world):
    anna = any_world.repo("anna")
    held = anna.create_lead(NewLead(title="Da", email="da@x.de"))
    answers = sent(
        anna,
        {"Titel": "Vom Formular", "E-Mail": "neu@kunde.de", "Telefon": "0711 123-45", "Wert": "1.200,00 €"},
        "{kaputt",
        "",
        '["keine", "Felder"]',
        {"title": "Schon da", "email": "DA@x.de"},
        {"title": "", "email": "ohne-titel@x.de"},
        {"title": "Farbe", "farbe": "blau"},
        {"title": "Kollege", "kollege": "tim@example.org"},
    )
    assert [(a["line"], a["result"]) for a in answers] == [
        (1, "created"), (2, "invalid"), (4, "invalid"), (5, "duplicate"), (6, "invalid"), (7, "invalid"), (8, "invalid")
    ]  # fmt: skip
    assert answers[1]["reason"] == "Die Zeile ist kein JSON."
    assert answers[3]["lead_id"] == held.id and answers[3]["reason"] == "E-Mail"
    assert answers[4]["field"] == "title" and "Titel ist erforderlich" in answers[4]["reason"]
    assert answers[5]["field"] == "farbe"
    assert answers[6]["field"] == "colleague" and "kein Kollege Ihrer Firma" in answers[6]["reason"]
    lead = anna.lead(answers[0]["lead_id"])
    assert (lead.title, lead.value, lead.assignment.assignee.id) == ("Vom Formular", 1200, anna.me.id)


def test_a_repeated_external_id_updates_or_does_nothing_never_a_second_lead(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    line = {"external_id": "form-17", "title": "Anfrage Wärmepumpe", "phone": "0711 1"}
    first = sent(anna, line, line)  # twice in one request: one lead
    assert [a["result"] for a in first] == ["created", "duplicate"] and first[0]["lead_id"] == first[1]["lead_id"]
    again = sent(anna, line)
    assert again[0]["result"] == "duplicate" and again[0]["lead_id"] == first[0]["lead_id"]
    changed = sent(anna, {"external_id": "form-17", "status": "in Bearbeitung", "contact": "Eva Hofer"})
    assert changed[0]["result"] == "updated"
    lead = anna.lead(first[0]["lead_id"])
    assert (lead.title, lead.status.value, lead.contact, lead.phone) == (
        "Anfrage Wärmepumpe",
        "in Bearbeitung",
        "Eva Hofer",
        "0711 1",
    )
    assert anna.count(ListQuery()) == 1
    # Another company's system may use the same id: its own lead, and nothing of Sonnenstrom's.
    theirs = sent(tim, line)
    assert theirs[0]["result"] == "created" and theirs[0]["lead_id"] != first[0]["lead_id"]
    assert tim.count(ListQuery()) == 1 and anna.count(ListQuery()) == 1


def test_an_ingested_lead_a_partner_holds_keeps_its_origin(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    made = sent(anna, {"external_id": "crm-1", "title": "Gewerbedach"})[0]
    share = anna.offer(made["lead_id"], anna.partners()[0].id)
    tim.accept_offer(share.share_id)
    assert tim.ingest_leads([IngestLine(1, {"title": "Anders"}, "crm-1")], ImportOptions())[0].result == "created"
    assert anna.lead(made["lead_id"]).title == "Gewerbedach"


def test_read_line_refuses_what_is_no_lead():
    assert read_line(3, "x" * 70_000).reason.startswith("Die Zeile ist länger")
    assert read_line(1, '{"title": true}').field == "title"
    assert read_line(1, '{"external_id": "' + "e" * 201 + '"}').field == "external_id"
    line = read_line(9, '{"Firma": "Müller", "Wert": 1234.5, "title": "X", "notiz": null}')
    assert line == IngestLine(9, {"prospect": "Müller", "value": "1234.50", "title": "X"}, "")


def test_the_command_line_answers_each_line_and_says_in_its_exit_code_whether_all_were_taken(
    any_world, capsys, monkeypatch
):
    url = any_world.engine.url.render_as_string(hide_password=False)
    base = ("--db", url, "--user", "anna@example.org")
    monkeypatch.setattr("sys.stdin", io.StringIO('{"title": "Cron 1", "external_id": "c1"}\n{"title": "Cron 2"}\n'))
    code, out, err = run_cli(capsys, "ingest", *base)
    assert code == 0 and err == ""
    assert [json.loads(line)["result"] for line in out.splitlines()] == ["created", "created"]
    monkeypatch.setattr("sys.stdin", io.StringIO('{"title": "Cron 1", "external_id": "c1"}\nkein json\n'))
    code, out, _ = run_cli(capsys, "ingest", *base)
    assert code == 1 and [json.loads(line)["result"] for line in out.splitlines()] == ["duplicate", "invalid"]
    monkeypatch.setattr("sys.stdin", io.StringIO('{"title": "Für Jonas"}\n'))
    code, out, _ = run_cli(capsys, "ingest", "--kollege", "jonas@example.org", *base)
    assert code == 0 and any_world.repo("jonas").count(ListQuery(kind=ListKind.MINE)) == 1
    assert any_world.repo("anna").import_batches()[0].name == "Eingang (leadtui ingest)"


def test_api_keys_are_an_admins_and_post_leads_over_http(world, capsys, monkeypatch):
    import httpx
    from serving import PASSWORD, Running

    anna, jonas = world.repo("anna"), world.repo("jonas")
    with pytest.raises(AccessDenied):
        jonas.create_api_key("Website")
    with Running(world.engine, clock=world.clock) as running:
        made = anna.create_api_key("Website-Formular")
        assert made.secret.startswith("ltk_") and [k.name for k in anna.api_keys()] == ["Website-Formular"]
        body = '{"external_id": "w1", "Titel": "Über das Formular", "E-Mail": "kunde@web.de"}\nkein json\n'
        post = httpx.post(
            f"{running.url}/api/v1/ingest",
            content=body.encode(),
            headers={"Authorization": f"Bearer {made.secret}"},
        )
        assert post.status_code == 200 and post.headers["content-type"] == "application/x-ndjson"
        assert [json.loads(line)["result"] for line in post.text.splitlines()] == ["created", "invalid"]
        assert world.repo("tim").count(ListQuery()) == 0 and anna.count(ListQuery(search="formular")) == 1
        for key in ("ltk_falsch", "ltk_", made.secret.replace("ltk_", "")):
            refused = httpx.post(
                f"{running.url}/api/v1/ingest", content=b"{}", headers={"Authorization": f"Bearer {key}"},
            )  # fmt: skip
            assert refused.status_code == 401 and "Traceback" not in refused.text
        # The CLI manages keys through the server too; a revoked key is refused at once.
        code = anna.invite("Jonas Weber", "jonas@example.org", admin=False).code
        monkeypatch.setenv("LEADTUI_PASSWORD", PASSWORD)
        assert run_cli(capsys, "login", running.url, "--einladung", code)[0] == 0
        status, _, err = run_cli(capsys, "apikey", "list", "--server", running.url)
        assert status == 2 and "Nur Administratoren" in err
        anna.revoke_api_key(made.key.id)
        gone = httpx.post(
            f"{running.url}/api/v1/ingest", content=body.encode(), headers={"Authorization": f"Bearer {made.secret}"},
        )  # fmt: skip
        assert gone.status_code == 401
    assert anna.api_keys()[0].revoked_at is not None


# The server's side of the inlet; the inlet itself runs on both databases in the tests above.
@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_ingest_runs_against_the_server_as_the_signed_in_colleague(world, capsys, monkeypatch):
    from serving import PASSWORD, Running

    with Running(world.engine, clock=world.clock) as running:
        code = world.repo("anna").invite("Jonas Weber", "jonas@example.org").code
        monkeypatch.setenv("LEADTUI_PASSWORD", PASSWORD)
        assert run_cli(capsys, "login", running.url, "--einladung", code)[0] == 0
        lines = "".join(json.dumps({"title": f"Lead {i}", "external_id": f"n8n-{i}"}) + "\n" for i in range(1200))
        monkeypatch.setattr("sys.stdin", io.StringIO(lines))
        status, out, err = run_cli(capsys, "ingest", "--server", running.url)
        assert status == 0, err
        assert len(out.splitlines()) == 1200 and all('"created"' in line for line in out.splitlines())
        monkeypatch.setattr("sys.stdin", io.StringIO(lines))
        status, out, _ = run_cli(capsys, "ingest", "--server", running.url)
        assert status == 0 and all('"duplicate"' in line for line in out.splitlines())
    assert world.repo("jonas").count(ListQuery(kind=ListKind.MINE)) == 1200
