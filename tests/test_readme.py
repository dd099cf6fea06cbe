"""README:n är sann: varje exempel `ersattning …` i dess ```sh-block körs som det står, från repots
rot, och slutar med slutkod 0 – eller med den slutkod som en avslutande kommentar `# slutkod N`
anger för ett exempel som visar ett fel. Filer som ett exempel nämner måste finnas.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vgr_ersattning.cli import app

ROT = Path(__file__).resolve().parents[1]
README = ROT / "README.md"

# mutmut kör testerna i en kopia (mutants/) som bara har det `[tool.mutmut] also_copy` nämner.
pytestmark = pytest.mark.skipif(not README.exists(), reason=f"{README} finns inte (kopia utan README.md)")

FILVAL = {"--utfall", "--uppdrag", "--priser", "--scenariofil"}
FILANDELSER = (".csv", ".yaml", ".yml", ".json")
SKALTECKEN = ("|", ">", "<", ";", "&", "$", "`")
SLUTKOD = re.compile(r"^slutkod (\d+)(?:\b(?![/\d]).*)?$")


def sh_block(text: str) -> list[tuple[int, str]]:
    """Raderna i README:ns ```sh-block, med radnummer; rader som slutar med \\ slås ihop."""
    rader: list[tuple[int, str]] = []
    i_block = False
    fortsatt: tuple[int, str] | None = None
    for nr, rad in enumerate(text.splitlines(), start=1):
        staket = rad.strip()
        if staket.startswith("```"):
            i_block = (not i_block) and staket[3:].strip() == "sh"
            continue
        if not i_block:
            continue
        if fortsatt is not None:
            rad = fortsatt[1] + " " + rad.strip()
            nr = fortsatt[0]
            fortsatt = None
        if rad.rstrip().endswith("\\"):
            fortsatt = (nr, rad.rstrip()[:-1].rstrip())
            continue
        rader.append((nr, rad.strip()))
    return rader


def exempel(text: str) -> list[tuple[int, str, str]]:
    """(radnummer, kommandot, kommentaren) för varje rad som börjar med `ersattning `."""
    ut = []
    for nr, rad in sh_block(text):
        if not rad.startswith("ersattning "):
            continue
        kommando, kommentar = dela_kommentar(rad)
        ut.append((nr, kommando, kommentar))
    return ut


def dela_kommentar(rad: str) -> tuple[str, str]:
    """Kommandot och texten i en avslutande `# kommentar` (ett # efter ett blanksteg)."""
    m = re.search(r"\s#(.*)$", rad)
    if m is None:
        return rad.strip(), ""
    return rad[: m.start()].strip(), m.group(1).strip()


def forvantad_slutkod(kommentar: str) -> int:
    if not kommentar.lower().startswith("slutkod"):
        return 0
    m = SLUTKOD.match(kommentar)
    assert m, f"kommentaren {kommentar!r} ska vara `# slutkod N` (ett heltal)"
    return int(m.group(1))


def filer_som_namns(argument: list[str]) -> list[str]:
    """Sökvägar i argumenten: värdet till ett filval och allt som ser ut som en fil."""
    filer = []
    for i, a in enumerate(argument):
        if "=" in a and a.split("=", 1)[0] in FILVAL:
            filer.append(a.split("=", 1)[1])
        elif i > 0 and argument[i - 1] in FILVAL:
            filer.append(a)
        elif not a.startswith("-") and (a.lower().endswith(FILANDELSER) or a.startswith(("examples/", "data/", "docs/"))):
            filer.append(a)
    return [f for f in filer if f != "-"]


TEXT = README.read_text(encoding="utf-8") if README.exists() else ""
EXEMPEL = exempel(TEXT)


def test_readme_har_exempel_for_varje_kommando():
    assert len(EXEMPEL) >= 20, EXEMPEL
    namn = {shlex.split(k)[1] for _, k, _ in EXEMPEL}
    kommandon = {c.name or c.callback.__name__ for c in app.registered_commands}
    saknas = kommandon - namn
    assert not saknas, f"README:n har inget exempel för {sorted(saknas)}"
    assert any(shlex.split(k)[1:] == ["--version"] for _, k, _ in EXEMPEL)


def test_readme_namner_inga_filer_utanfor_repot():
    for ord_ in ("../shared", "REGLER", "seeds"):
        assert ord_ not in TEXT, f"README:n nämner {ord_!r}"


def test_readme_har_kom_igang_kommandona():
    assert "pip install . && ersattning berakna" in TEXT
    assert 'pip install ".[test]" && ruff check && pytest' in TEXT
    ci = ROT / ".ci" / "run"
    if ci.exists():
        assert 'pip install ".[test]" && ruff check && pytest' in ci.read_text(encoding="utf-8")


@pytest.mark.parametrize("nr,kommando,kommentar", EXEMPEL, ids=[f"rad{nr}: {k}" for nr, k, _ in EXEMPEL])
def test_exemplet_kor_som_det_star(nr, kommando, kommentar, monkeypatch):
    assert not any(t in kommando for t in SKALTECKEN), \
        f"README rad {nr}: {kommando!r} använder skalets tecken och kan inte köras som ett kommando"
    argument = shlex.split(kommando)[1:]
    assert "--ut" not in argument and not any(a.startswith("--ut=") for a in argument), \
        f"README rad {nr}: ett exempel med --ut skulle skriva en fil i repot"
    kod = forvantad_slutkod(kommentar)

    monkeypatch.chdir(ROT)
    for fil in filer_som_namns(argument):
        assert (ROT / fil).is_file(), f"README rad {nr}: {fil} finns inte i repot"

    res = CliRunner().invoke(app, argument)
    ut, fel = res.stdout, res.stderr
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"README rad {nr}: oväntat undantag {res.exception!r}") from res.exception
    assert "Traceback" not in ut and "Traceback" not in fel
    assert res.exit_code == kod, f"README rad {nr}: {kommando}\nslutkod {res.exit_code}, väntade {kod}\n" \
                                 f"ut: {ut[-1500:]}\nfel: {fel[-1500:]}"
    if kod == 0:
        assert ut.strip(), f"README rad {nr}: {kommando} skrev ingenting"
    else:
        assert fel.strip(), f"README rad {nr}: {kommando} slutade med {kod} utan en felrad"
