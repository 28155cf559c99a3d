"""Text from other companies is data: never markup, never terminal control, on every screen,
dialog, toast and CLI listing, as either company of a shared lead.

Two layers: a source check that fails when a markup-parsing API gets anything but a literal or a
safe builder (leadtui/ui/safe.py), and a hostile-strings corpus stored as a company, colleagues
and leads written before the input checks existed (raw rows), shown through every screen.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import press, rendered_text, settle
from sqlalchemy import insert, update

from leadtui.cli import main
from leadtui.db.models import ColleagueModel, CompanyModel
from leadtui.domain.text import CONTROL_RE
from leadtui.repository import Repository
from leadtui.seed import DEMO_NOW, DEMO_USER
from leadtui.ui.app import LeadtuiApp

UI = Path(__file__).resolve().parent.parent / "leadtui" / "ui"
MARKUP_APIS = {"notify", "Label", "Static", "Option", "Button", "Selection", "update", "Confirm", "toast"}
SAFE_BUILDERS = {"data", "line", "plain", "_history", "history_entry"}


# The parameters through which each markup-parsing API takes its text, besides the first one.
TEXT_KEYWORDS = {"content", "renderable", "message", "prompt", "label", "question", "title"}


def is_safe(node: ast.expr) -> bool:
    """A literal; a safe builder's result (or a method named *_text); a variable named *_text
    (which by the project's convention holds a rich Text); or a choice between such. A bare
    `Text(...)` is safe only around literals: it keeps the control characters of data."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.IfExp):
        return is_safe(node.body) and is_safe(node.orelse)
    if isinstance(node, ast.Call):
        called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if called in ("Text", "assemble", "join"):  # rich's own: as safe as what they are given
            return all(is_safe(part) for part in node.args)
        return called in SAFE_BUILDERS or called.endswith("_text")
    if isinstance(node, ast.Tuple) and node.elts:  # ("text", "style") in Text.assemble
        return is_safe(node.elts[0])
    if isinstance(node, ast.GeneratorExp | ast.ListComp):  # Text("\n").join(data(p) for p in …)
        return is_safe(node.elt)
    named = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return named.endswith("_text")


def offences(source: str, where: str = "") -> list[str]:
    """Every call of a markup-parsing API whose text - first argument or a text keyword - is
    neither a literal nor a safe builder, unless it says markup=False."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in MARKUP_APIS or name == "toast":
            continue
        if any(
            k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False for k in node.keywords
        ):
            continue
        texts = [*node.args[:1], *(k.value for k in node.keywords if k.arg in TEXT_KEYWORDS)]
        found += [f"{where}:{node.lineno} {name}({ast.unparse(text)[:60]})" for text in texts if not is_safe(text)]
    return found


def test_no_markup_parsing_api_gets_unchecked_text():
    """Every call of a markup-parsing API passes a literal, a safe builder, or markup=False."""
    found = []
    for path in sorted(UI.rglob("*.py")):
        if path.name != "safe.py":
            found += offences(path.read_text(), str(path.relative_to(UI)))
    assert found == []


@pytest.mark.parametrize(
    "call",
    [
        'self.notify(f"Abgelehnt: {row.title}")',
        "self.notify(message=row.title)",
        "Label(content=lead.title)",
        "Static(renderable=name)",
        "Option(prompt=row.title)",
        "Button(label=colleague.name)",
        "Label(Text(row.title))",
        "Static(Text.assemble(lead.title, line(x)))",
        'Label(Text("\\n").join(row.title for row in rows))',
        'Confirm(question=f"{lead.title} löschen?")',
        "widget.update(lead.city)",
    ],
)
def test_the_source_check_catches_each_form(call):
    assert offences(call) != []


@pytest.mark.parametrize(
    "call",
    [
        'Label("Kollege")',
        "Label(line(lead.title))",
        'Static(Text("fest"))',
        'Static(Text.assemble(line(a), "\\n", (b_text, "bold")))',
        'Label(Text("\\n").join(data(part) for part in parts))',
        "self.notify(row.title, markup=False)",
        "Option(prompt=data(row.title))",
        "Button(label=title_text)",
    ],
)
def test_the_source_check_lets_safe_forms_pass(call):
    assert offences(call) == []


KEYS_PRINCIPAL = [
    ["1"],
    ["b"],
    ["enter"],
    ["x"],
    ["escape"],
    ["m"],
    ["escape"],
    ["2"],
    ["5"],
    ["c", *["down"] * 6, "space", "enter"],
    ["s", "s", "s", "s", "s", "s", "s"],
    ["slash", *"zzhostil", "enter"],
    ["enter"],
    ["k"],
    ["escape"],
    ["w"],
    ["escape"],
    ["escape"],
    ["a"],
    ["escape"],
    ["i"],
    ["j"],
    ["space", "space", "a", *"jo", "enter"],
    ["j"],
]
KEYS_PARTNER = [
    ["1", "enter"],
    ["e"],
    ["escape"],
    ["escape"],
    ["6"],
    ["enter"],
    ["escape"],
    ["space", "space"],
    ["a"],
    ["j"],
    ["d"],
    ["5", *"Gebiet", "enter"],
    ["1"],
    ["c", *["down"] * 6, "space", "enter"],
    ["enter"],
    ["k"],
    ["escape"],
    ["escape"],
]


async def walk_every_screen(app: LeadtuiApp, steps: list[list[str]], tmp_path: Path, monkeypatch) -> None:
    """Every step's keys, then the screen: no control character on it, no markup action run by
    a click on a toast, no file written where the text chose, the markup shown as text."""
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    ran: list[str] = []
    monkeypatch.setattr(LeadtuiApp, "action_screenshot", lambda self, *a: ran.append("screenshot"))
    seen = ""
    async with app.run_test(size=(120, 36), notifications=True) as pilot:  # toasts shown, as for a user
        await settle(pilot)
        for keys in steps:
            await press(pilot, *keys)
            text = rendered_text(app)
            assert not CONTROL_RE.search(text), (keys, repr(CONTROL_RE.search(text)))
            seen += text
            for toast in list(app.screen.query("Toast")):  # clicked where its text is: no markup action may run
                if toast.is_attached:
                    await pilot.click(toast, offset=(toast.region.width // 2, toast.region.height // 2))
        assert app.is_running and not app.closing and ran == []
    assert (
        not list(elsewhere.iterdir()) and not Path("/tmp/pwned.svg").exists()
    )  # no file written at a place a partner chose
    for literal in ("[@click=app.quit]", "[dringend]", "[bold red]", "Titel [/] kaputt"):
        assert literal in seen


# Each company's walk once: the partner's in the app on the database, the principal's through a
# server (what the partner wrote crosses JSON and HTTP); the screens are the same either way.
@pytest.mark.parametrize(("user", "steps"), [("tim.krueger@nordlicht.example", KEYS_PARTNER)], ids=["partner"])
async def test_hostile_text_through_every_screen(demo_engine, hostile, tmp_path, monkeypatch, user, steps):
    app = LeadtuiApp(Repository.for_email(demo_engine, user, clock=lambda: DEMO_NOW))
    await walk_every_screen(app, steps, tmp_path, monkeypatch)


@pytest.mark.parametrize(("user", "steps"), [(DEMO_USER, KEYS_PRINCIPAL)], ids=["principal"])
async def test_hostile_text_through_the_server_to_the_other_companys_app(
    demo_engine, hostile, tmp_path, monkeypatch, user, steps
):
    """The same walk with the app signed in to a server: what the other company wrote crosses
    JSON and HTTP (NUL, bidi controls, 100,000 characters, markup) and stays inert data."""
    from serving import PASSWORD, Running, close_signed_in

    from leadtui.admin import Admin
    from leadtui.remote.repository import connect
    from leadtui.remote.server import Server
    from leadtui.remote.sign_in import redeem

    admin = Admin(demo_engine)
    colleague = admin.colleague(user)
    inviting = Repository(demo_engine, admin.admin_of(colleague).id, clock=lambda: DEMO_NOW)
    with Running(demo_engine, clock=lambda: DEMO_NOW) as running:
        server = Server.at(running.url)
        code = inviting.invite(colleague.name, colleague.email).code
        remote = connect(server, redeem(server, code, PASSWORD).token)
        try:
            await walk_every_screen(LeadtuiApp(remote), steps, tmp_path, monkeypatch)
        finally:
            remote.close()
            close_signed_in()


def test_cli_listings_print_no_control_characters(demo_engine, capsys, tmp_path, monkeypatch):
    with demo_engine.begin() as conn:
        conn.execute(insert(CompanyModel).values(name="Böse\x1b]0;weg\x07 [/] AG"))
        conn.execute(
            update(ColleagueModel)
            .where(ColleagueModel.email == "paul.richter@rheinwerk.example")
            .values(name="Paul\x1b[2J [@click=app.quit]R[/]")
        )
    url = str(demo_engine.url)
    for argv in (("company", "list"), ("colleague", "list")):
        assert main([*argv, "--db", url]) == 0
        for printed in capsys.readouterr().out.splitlines():
            assert not CONTROL_RE.search(printed.replace("\t", "")), repr(printed)
    assert main(["colleague", "list", "--db", url]) == 0
    assert "[@click=app.quit]R[/]" in capsys.readouterr().out
