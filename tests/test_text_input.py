"""Rule 11 (docs/rules.md): text written by people is checked on the way in - no control
characters, no bidi overrides, and the same length limits with German messages on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest

from leadtui.domain import InvalidInput, ListQuery, NewLead

CONTROLS = [
    "\x1b]0;pwned\x07",  # OSC: renames the terminal window
    "\x1b]52;c;SGFsbG8=\x07",  # OSC 52: writes the clipboard
    "\x1b[2J",  # CSI: wipes the screen
    "\x00",
    "\x7f",
    "\x9b31m",  # C1 CSI
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
]
FIELDS = ("title", "prospect", "contact", "phone", "city", "source")


@pytest.mark.parametrize("field", FIELDS)
def test_control_characters_are_refused_in_every_lead_field(world, field):
    anna = world.repo("anna")
    for control in CONTROLS:  # one world for all of them: a world per control cost more than the checks
        values = {"title": "PV-Anlage", field: f"Wärme{control}pumpe"}
        with pytest.raises(InvalidInput) as error:
            anna.create_lead(NewLead(**values))
        assert set(error.value.errors) == {field}, repr(control)
        assert "Steuerzeichen" in error.value.errors[field], repr(control)
    assert anna.count(ListQuery()) == 0


def test_tabs_and_line_breaks_become_spaces(world):
    lead = world.repo("anna").create_lead(NewLead(title="PV-Anlage\t12 kWp\nDach", city="Ulm\r\n"))
    assert lead.title == "PV-Anlage 12 kWp Dach" and lead.city == "Ulm"


def test_emoji_combining_marks_and_brackets_are_kept(world):
    title = "Wärmepumpe [dringend] 👩‍🔧 Cafe\u0301 [/] [@click=app.quit]x"
    lead = world.repo("anna").create_lead(NewLead(title=title))
    assert lead.title == title


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [
        ("title", 200, "Titel"),
        ("prospect", 200, "Firma"),
        ("contact", 200, "Ansprechpartner"),
        ("phone", 50, "Telefon"),
        ("city", 100, "Ort"),
        ("source", 100, "Quelle"),
    ],
)
def test_length_limits_are_checked_in_the_repository_with_a_german_message(world, field, limit, label):
    anna = world.repo("anna")
    values = {"title": "PV-Anlage", field: "ä" * limit}
    anna.create_lead(NewLead(**values))
    values[field] = "ä" * (limit + 1)
    with pytest.raises(InvalidInput) as error:
        anna.create_lead(NewLead(**values))
    assert error.value.errors == {field: f"{label} ist zu lang (höchstens {limit} Zeichen)."}
    assert anna.count(ListQuery()) == 1


def test_a_hundred_thousand_characters_are_refused_not_stored(world):
    anna = world.repo("anna")
    with pytest.raises(InvalidInput, match="Titel ist zu lang"):
        anna.create_lead(NewLead(title="x" * 100_000))


def test_admin_names_are_checked_the_same_way(world):
    with pytest.raises(InvalidInput, match="Firma ist zu lang \\(höchstens 200 Zeichen\\)"):
        world.admin.add_company("A" * 201)
    with pytest.raises(InvalidInput, match="Steuerzeichen"):
        world.admin.add_company("Evil\x1b[2J AG")
    with pytest.raises(InvalidInput, match="Steuerzeichen"):
        world.admin.add_colleague("Sonnenstrom", "Eve\u202eliF", "eve@example.org")
    with pytest.raises(InvalidInput, match="Name ist zu lang"):
        world.admin.add_colleague("Sonnenstrom", "N" * 201, "n@example.org")
    assert [c.name for c in world.admin.companies()] == ["Nordlicht", "Rheinwerk", "Sonnenstrom"]
