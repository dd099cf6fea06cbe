"""README:n och docs/ är sanna.

- Varje exempel `ersattning …` i ett ```sh-block i README.md, docs/utveckling.md och docs/json.md,
  och varje `ersattning …` i examples/README.md, körs som det står, från repots rot, och slutar med slutkod 0 – eller med den slutkod som en
  avslutande kommentar `# slutkod N` anger för ett exempel som visar ett fel. Filer som ett exempel
  nämner måste finnas, och inget exempel skriver en fil (`--ut`).
- README:ns första år, blocken ```sh forlopp, körs i ordning i en tom katalog: `ersattning …` som
  ovan (där får `--ut` skriva), `cd KATALOG` byter katalog, och inget annat får stå där.
- Ett ```text-block som börjar med `$ ersattning …` och visar utdata jämförs med kommandots utdata:
  blanksteg i följd räknas som ett, en rad `…` hoppar över rader, `…` i en rad hoppar över text, och
  en rad av bara ━ är tabellens linje. Kommandot är det som förloppet körde med samma rad, annars
  körs det från repots rot.
- Varje stort tal i README:ns löptext (utanför kod) räknas om här (SIFFROR) eller står i utdata som
  jämförs.
"""

from __future__ import annotations

import json
import re
import shlex
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from vgr_ersattning.cli import app

ROT = Path(__file__).resolve().parents[1]
README = ROT / "README.md"
DOKUMENT = [README, ROT / "docs" / "utveckling.md", ROT / "docs" / "json.md"]

# mutmut kör testerna i en kopia (mutants/) som bara har det `[tool.mutmut] also_copy` nämner.
pytestmark = pytest.mark.skipif(not README.exists(), reason=f"{README} finns inte (kopia utan README.md)")

FILVAL = {"--utfall", "--uppdrag", "--priser", "--scenariofil", "--beslut", "--fore", "--efter"}
FILANDELSER = (".csv", ".yaml", ".yml", ".json")
SKALTECKEN = ("|", ">", "<", ";", "&", "$", "`")
SLUTKOD = re.compile(r"^slutkod (\d+)(?:\b(?![/\d]).*)?$")
BREDD = "120"          # tabellernas bredd i exemplens utdata: samma som i en pipe
MAX_README = 26_000    # "högst omkring 25 KB"


def las(fil: Path) -> str:
    return fil.read_text(encoding="utf-8") if fil.exists() else ""


def block(text: str) -> list[tuple[str, int, list[tuple[int, str]]]]:
    """Varje kodblock: (infosträngen, radnumret, raderna med radnummer); rader som slutar med \\
    slås ihop."""
    ut: list[tuple[str, int, list[tuple[int, str]]]] = []
    aktuellt: tuple[str, int, list[tuple[int, str]]] | None = None
    fortsatt: tuple[int, str] | None = None
    for nr, rad in enumerate(text.splitlines(), start=1):
        staket = rad.strip()
        if staket.startswith("```"):
            if aktuellt is None:
                aktuellt = (staket[3:].strip(), nr, [])
            else:
                ut.append(aktuellt)
                aktuellt = None
            continue
        if aktuellt is None:
            continue
        if fortsatt is not None:
            rad = fortsatt[1] + " " + rad.strip()
            nr = fortsatt[0]
            fortsatt = None
        if rad.rstrip().endswith("\\"):
            fortsatt = (nr, rad.rstrip()[:-1].rstrip())
            continue
        aktuellt[2].append((nr, rad.rstrip()))
    return ut


def sh_block(text: str, slag: str = "sh") -> list[tuple[int, str]]:
    """Raderna i blocken med infosträngen `slag`, med radnummer."""
    return [(nr, rad.strip()) for info, _, rader in block(text) if info == slag for nr, rad in rader]


def exempel(text: str, slag: str = "sh") -> list[tuple[int, str, str]]:
    """(radnummer, kommandot, kommentaren) för varje rad som börjar med `ersattning `."""
    ut = []
    for nr, rad in sh_block(text, slag):
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
        elif i > 0 and argument[i - 1] in ("--ut", "--som-beslut", "--journal"):
            continue
        elif not a.startswith("-") and (a.lower().endswith(FILANDELSER) or a.startswith(("examples/", "data/", "docs/"))):
            filer.append(a)
    return [f for f in filer if f != "-"]


def har_ut(argument: list[str]) -> bool:
    return "--ut" in argument or any(a.startswith("--ut=") for a in argument)


def skriver(argument: list[str], kod: int) -> bool:
    """Exemplet skulle skriva en fil där det körs: `--ut`, ett utkast till beslut, en bokföring,
    eller `init` som lyckas."""
    return har_ut(argument) or any(a.split("=")[0] in ("--som-beslut", "--bokfor") for a in argument) \
        or (argument[:1] == ["init"] and kod == 0)


def kor(argument: list[str], katalog: Path, monkeypatch):
    monkeypatch.chdir(katalog)
    monkeypatch.setenv("COLUMNS", BREDD)
    monkeypatch.delenv("VGR_ERSATTNING_DATA", raising=False)
    return CliRunner().invoke(app, argument)


def granska(var: str, kommando: str, res, kod: int) -> None:
    ut, fel = res.stdout, res.stderr
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"{var}: oväntat undantag {res.exception!r}") from res.exception
    assert "Traceback" not in ut and "Traceback" not in fel
    assert res.exit_code == kod, f"{var}: {kommando}\nslutkod {res.exit_code}, väntade {kod}\n" \
                                 f"ut: {ut[-1500:]}\nfel: {fel[-1500:]}"
    if kod == 0:
        assert (ut + fel).strip(), f"{var}: {kommando} skrev ingenting"
    else:
        assert fel.strip(), f"{var}: {kommando} slutade med {kod} utan en felrad"


def exempel_i_tabell(text: str) -> list[tuple[int, str, str]]:
    """(radnummer, kommandot, "") för varje `ersattning …` i en tabellrad (exemplens README)."""
    return [(nr, m, "") for nr, rad in enumerate(text.splitlines(), start=1) if rad.startswith("|")
            for m in re.findall(r"`(ersattning [^`]+)`", rad)]


TEXT = las(README)
EXEMPELFILER = ROT / "examples" / "README.md"
EXEMPEL = [(fil, nr, k, c) for fil in DOKUMENT for nr, k, c in exempel(las(fil))] \
    + [(EXEMPELFILER, nr, k, c) for nr, k, c in exempel_i_tabell(las(EXEMPELFILER))]


def test_readme_har_exempel_for_varje_kommando():
    readme = exempel(TEXT) + exempel(TEXT, "sh forlopp")
    assert len(readme) >= 20, readme
    namn = {shlex.split(k)[1] for _, k, _ in readme}
    kommandon = {c.name or c.callback.__name__ for c in app.registered_commands}
    saknas = kommandon - namn
    assert not saknas, f"README:n har inget exempel för {sorted(saknas)}"
    assert any(shlex.split(k)[1:] == ["--version"] for _, k, _ in readme)


def test_readme_namner_inga_filer_utanfor_repot():
    for fil in (*DOKUMENT, EXEMPELFILER):
        text = las(fil)
        for ord_ in ("../shared", "REGLER", "seeds"):
            assert ord_ not in text, f"{fil.name} nämner {ord_!r}"


def test_readme_har_kom_igang_kommandona():
    assert "pip install . && ersattning berakna" in TEXT
    assert 'pip install ".[test]" && ruff check && pytest' in TEXT
    ci = ROT / ".ci" / "run"
    if ci.exists():
        assert 'pip install ".[test]" && ruff check && pytest' in ci.read_text(encoding="utf-8")


def test_readme_ar_for_anvandare():
    """README:n är kort, börjar en ny användare på januari med en journal som inte finns än, och
    länkar utvecklarnas material i docs/."""
    assert len(TEXT.encode("utf-8")) <= MAX_README, len(TEXT.encode("utf-8"))
    forlopp = [k for _, k, _ in exempel(TEXT, "sh forlopp")]
    forsta_bokforing = next(k for k in forlopp if "--bokfor" in k)
    assert "--manad 2026-01" in forsta_bokforing and "--journal journal.txt" in forsta_bokforing
    assert not any("--journal journal.txt" in k for k in forlopp[: forlopp.index(forsta_bokforing)])
    for lank in ("docs/utveckling.md", "docs/json.md", "docs/regler.md"):
        assert f"]({lank})" in TEXT, lank
        assert (ROT / lank).is_file(), lank
    for ord_ in ("## Ordlista", "**Ersatta**", "**Måluppfyllelse**", "**Rätt hittills**", "**Kreditering**",
                 "**Efterreglering**", "**Kvittens**", "## Antaganden", "**141**", "journal.txt.las"):
        assert ord_ in TEXT, ord_
    for rubrik in re.findall(r"\]\(#([^)]+)\)", TEXT):
        assert rubrik in {ankare(r) for r in re.findall(r"(?m)^#{2,3} (.+)$", TEXT)}, rubrik


def ankare(rubrik: str) -> str:
    """GitHubs ankare för en rubrik: gemener, bara bokstäver, siffror, - och _, blanksteg som -."""
    return re.sub(r"[^\w\- ]", "", rubrik.lower()).replace(" ", "-")


@pytest.mark.parametrize("fil,nr,kommando,kommentar", EXEMPEL,
                         ids=[f"{f.relative_to(ROT)}:{nr}: {k}" for f, nr, k, _ in EXEMPEL])
def test_exemplet_kor_som_det_star(fil, nr, kommando, kommentar, monkeypatch):
    var = f"{fil.relative_to(ROT)} rad {nr}"
    assert not any(t in kommando for t in SKALTECKEN), \
        f"{var}: {kommando!r} använder skalets tecken och kan inte köras som ett kommando"
    argument = shlex.split(kommando)[1:]
    kod = forvantad_slutkod(kommentar)
    assert not skriver(argument, kod), f"{var}: exemplet skulle skriva en fil i repot (--ut, --bokfor, init …)"
    for f in filer_som_namns(argument):
        assert (ROT / f).is_file(), f"{var}: {f} finns inte i repot"
    granska(var, kommando, kor(argument, ROT, monkeypatch), kod)


# Förloppet och utdata i ```text-block

def normalisera(rad: str) -> str:
    return " ".join(rad.split())


def stammer(monster: str, rad: str) -> bool:
    if set(monster.strip()) == {"━"}:
        return bool(rad.strip()) and set(rad.strip()) == {"━"}
    delar = [re.escape(d) for d in normalisera(monster).split("…")]
    return re.fullmatch(".*?".join(delar), normalisera(rad)) is not None


def jamfor_utdata(var: str, visad: list[str], utdata: str) -> None:
    """Raderna i `visad` står i `utdata` i samma ordning; rader mellan två `…` står i följd."""
    rader = utdata.splitlines()
    avsnitt: list[list[str]] = [[]]
    for rad in visad:
        if rad.strip() == "…":
            avsnitt.append([])
        else:
            avsnitt[-1].append(rad)
    i = 0
    for delar in (a for a in avsnitt if a):
        while i + len(delar) <= len(rader) and not all(stammer(m, rader[i + j]) for j, m in enumerate(delar)):
            i += 1
        assert i + len(delar) <= len(rader), \
            f"{var}: raderna\n" + "\n".join(delar) + "\nstår inte i utdata:\n" + utdata[-4000:]
        i += len(delar)


def utdata_i_block(info: str, rader: list[tuple[int, str]]) -> tuple[int, str, list[str]] | None:
    """(radnummer, kommandot, de visade raderna) för ett ```text-block som börjar med
    `$ ersattning ` och visar utdata; annars None."""
    if info != "text" or not rader or not rader[0][1].startswith("$ ersattning "):
        return None
    visade = [r for _, r in rader[1:]]
    if any(r.startswith("$ ") for r in visade) or not any(r.strip() for r in visade):
        return None
    return rader[0][0], rader[0][1][2:].strip(), visade


def textblock_med_utdata(text: str) -> list[tuple[int, str, list[str]]]:
    return [u for info, _, rader in block(text) if (u := utdata_i_block(info, rader)) is not None]


def test_forloppet_och_utdata_stammer(tmp_path, monkeypatch):
    """Förloppet körs i ordning i en tom katalog, och varje text-block med utdata visar det som
    kommandot skriver."""
    katalog = tmp_path
    korda: dict[str, str] = {}
    forlopp = 0
    for info, _, rader in block(TEXT):
        if info == "sh forlopp":
            for nr, rad in rader:
                var = f"README rad {nr}"
                rad = rad.strip()
                if not rad or rad.startswith("#"):
                    continue
                if rad.startswith("cd "):
                    katalog = (katalog / rad[3:].strip()).resolve()
                    assert katalog.is_dir() and tmp_path in (katalog, *katalog.parents), f"{var}: {rad}"
                    continue
                assert rad.startswith("ersattning "), f"{var}: {rad!r} är inget kommando i förloppet"
                kommando, kommentar = dela_kommentar(rad)
                assert not any(t in kommando for t in SKALTECKEN), f"{var}: {kommando!r}"
                argument = shlex.split(kommando)[1:]
                for f in filer_som_namns(argument):
                    assert (katalog / f).is_file(), f"{var}: {f} finns inte i förloppets katalog"
                res = kor(argument, katalog, monkeypatch)
                granska(var, kommando, res, forvantad_slutkod(kommentar))
                if har_ut(argument):
                    assert (katalog / argument[argument.index("--ut") + 1]).is_file(), f"{var}: ingen fil"
                korda[kommando] = res.stdout
                forlopp += 1
        elif (visad := utdata_i_block(info, rader)) is not None:
            nr, kommando, visade = visad
            var = f"README rad {nr}"
            if kommando in korda:
                utdata = korda[kommando]
            else:
                argument = shlex.split(kommando)[1:]
                assert not skriver(argument, 0), f"{var}: {kommando} körs inte i förloppet och skriver en fil"
                res = kor(argument, ROT, monkeypatch)
                utdata = res.stdout + res.stderr
            jamfor_utdata(var, visade, utdata)
    assert forlopp >= 10


# Siffrorna i README:ns löptext

def json_ut(*argument: str, katalog: Path = ROT) -> dict:
    mp = pytest.MonkeyPatch()
    try:
        res = kor([*argument, "--format", "json"], katalog, mp)
    finally:
        mp.undo()
    assert res.exit_code == 0, (argument, res.stdout, res.stderr)
    return json.loads(res.stdout)


def rad(berakna: dict, id_: str) -> dict:
    """En volymrad i `berakna`:s JSON."""
    return next(r for r in berakna["tillagg"]["rader"] if r["id"] == id_)


AUG = "examples/produktion_2026.csv"
SEP = "examples/produktion_2026_september.csv"
KARDIO = "somatik.operation.kardiologi"
AXEL = "somatik.operation.axelprotes"


@pytest.fixture(scope="module")
def september(tmp_path_factory):
    """Januari–augusti bokförda i en ny journal; septembers förhandsvisning utan och med besluten
    (exemplets två och en höjning av axelprotesernas tilläggsvolym från augusti)."""
    katalog = tmp_path_factory.mktemp("ar")
    mp = pytest.MonkeyPatch()
    try:
        for f in (AUG, SEP, "examples/beslut_2026.yaml"):
            (katalog / f).parent.mkdir(exist_ok=True)
            (katalog / f).write_bytes((ROT / f).read_bytes())
        for m in range(1, 9):
            res = kor(["utbetala", "--manad", f"2026-{m:02}", "--utfall", AUG, "--journal", "j.txt", "--bokfor"],
                      katalog, mp)
            assert res.exit_code == 0, res.stderr
        res = kor(["scenario", "--andra", f"{AXEL}.tillagg=+10", "--som-beslut", "axel.yaml", "--fran", "2026-08"],
                  katalog, mp)
        assert res.exit_code == 0, res.stderr
    finally:
        mp.undo()
    bas = ("utbetala", "--manad", "2026-09", "--utfall", SEP, "--journal", "j.txt")
    return (json_ut(*bas, katalog=katalog),
            json_ut(*bas, "--beslut", "examples/beslut_2026.yaml", "--beslut", "axel.yaml", katalog=katalog))


def plan_med_drg_for_psykiatrin(tmp_path_factory) -> str:
    """Planen om psykiatrins utredning och behandling (raderna med antagande A1) hade DRG-priset."""
    text = (ROT / "data" / "uppdrag_2026.yaml").read_text(encoding="utf-8")
    andrad = text.replace("priskategori: besok, antagande: A1", "priskategori: behandling, antagande: A1")
    assert andrad.count("priskategori: behandling, antagande: A1") == 4
    fil = tmp_path_factory.mktemp("a1") / "uppdrag_2026.yaml"
    fil.write_text(andrad, encoding="utf-8")
    return json_ut("berakna", "--uppdrag", str(fil))["tillagg"]["summa_kr"]


def siffror(tmp_path_factory, september) -> list[tuple[str, list]]:
    """(texten i README:n, siffrorna den säger, räknade av verktyget) – i textens ordning."""
    plan = json_ut("berakna")
    augusti = json_ut("utbetala", "--manad", "2026-08", "--utfall", AUG)
    pris_drg = rad(plan, KARDIO)["pris_kr"]
    utan, med = september
    kardio = next(r for r in utan["rader"] if r["id"] == f"tillagg:{KARDIO}")
    axel = next(r for r in med["rader"] if r["id"] == f"tillagg:{AXEL}")
    revision = int(rad(json_ut("berakna", "--utfall", SEP), KARDIO)["ersatta"]) \
        - int(rad(json_ut("berakna", "--utfall", AUG), KARDIO)["ersatta"])
    efter = Decimal(axel["efterreglering_kr"])
    rh = json_ut("malrelaterad", "--utfall", "examples/rh_2026.yaml")
    q3 = next(k for k in rh["kvartal"] if k["kvartal"] == "2026-Q3")
    uppdrag = yaml.safe_load((ROT / "data" / "uppdrag_2026.yaml").read_text(encoding="utf-8"))
    return [
        ("tilläggsersättning vid full leverans 263 497 958 kr", [plan["tillagg"]["summa_kr"]]),
        ("Att betala augusti 2026 303 480 608", [2026, augusti["summa_kr"]]),
        ("−14 × 35 795 = −501 130 kr", [revision, pris_drg, kardio["belopp_kr"]]),
        ("5 × 35 795 = 178 975 kr", [efter / Decimal(pris_drg), pris_drg, efter]),
        ("i delegationen (3 000 000 kr)", [uppdrag["utforare"]["SV"]["delegation"]["grans_kr"]]),
        ("besökspriset (2 503 kr)", [rad(plan, "psykiatri.utredning.bup")["pris_kr"]]),
        ("Med DRG-priset blev planen 302 782 518 kr i stället för 263 497 958 kr",
         [plan_med_drg_for_psykiatrin(tmp_path_factory), plan["tillagg"]["summa_kr"]]),
        ("2,70 mnkr gäller per år och betalas per kvartal, en fjärdedel (675 000 kr)",
         [uppdrag["utforare"]["RH"]["malrelaterad_1177"]["belopp_mnkr"], rh["kvartalsbelopp_kr"]]),
        ("halvöppna: 74,99 % ger 95 %", [q3["andel_procent"], q3["utbetalning_procent"]]),
    ]


TAL = re.compile(r"[−-]?\d{1,3}(?: \d{3})+(?:,\d+)?|[−-]?\d+(?:,\d+)?")
STORT_TAL = re.compile(r"\d{1,3}(?: \d{3})+(?:,\d+)?|\d+,\d+")


def tal(text: str) -> list[Decimal]:
    return [Decimal(t.replace(" ", "").replace("−", "-").replace(",", ".")) for t in TAL.findall(text)]


def loptext(text: str) -> str:
    """README:n utan kodblock och `kod`, med blanksteg i följd som ett."""
    utan_block = re.sub(r"(?ms)^```.*?^```", "", text)
    return normalisera(re.sub(r"`[^`]*`", "", utan_block))


def test_siffrorna_i_readme_stammer(tmp_path_factory, september):
    text = normalisera(TEXT)
    kontrollerade = set()
    for utdrag, varden in siffror(tmp_path_factory, september):
        assert utdrag in text, f"README:n säger inte {utdrag!r}"
        assert tal(utdrag) == [Decimal(str(v)) for v in varden], f"{utdrag!r}: verktyget räknar {varden}"
        kontrollerade |= set(STORT_TAL.findall(utdrag))
    visade = {t for _, _, v in textblock_med_utdata(TEXT) for r in v for t in STORT_TAL.findall(normalisera(r))}
    okontrollerade = set(STORT_TAL.findall(loptext(TEXT))) - kontrollerade - visade
    assert not okontrollerade, f"tal i README:n som inget test räknar om: {sorted(okontrollerade)}"
