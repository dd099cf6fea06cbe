"""Paketets lager, lästa ur källkoden (alla import-satser, också de inuti funktioner):

- ingen importcirkel mellan paketets moduler;
- kärnan (`kalkyl/`) importerar bara sig själv, modellerna och `pengar`;
- renderarna (`visning/`) importerar ingen inläsare (`inlasning/`) och inga kommandon;
- ingenting importerar kommandoraden (`cli`);
- ingen `pickle`, ingen modul över 600 rader, och bara en modul som döper om filer på plats.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAKET = "vgr_ersattning"
ROT = Path(__file__).resolve().parent.parent / "src" / PAKET


def _modulnamn(fil: Path) -> str:
    delar = list(fil.relative_to(ROT.parent).with_suffix("").parts)
    if delar[-1] == "__init__":
        delar.pop()
    return ".".join(delar)


MODULER = {_modulnamn(f): f for f in sorted(ROT.rglob("*.py"))}


def _importer(namn: str) -> set[str]:
    """Paketets moduler som `namn` importerar, var i filen det än sker. `from a import b` räknas som
    modulen `a.b` när den finns, annars `a`."""
    fil = MODULER[namn]
    paket = namn if fil.name == "__init__.py" else namn.rpartition(".")[0]
    ut: set[str] = set()
    for nod in ast.walk(ast.parse(fil.read_text(encoding="utf-8"))):
        if isinstance(nod, ast.Import):
            ut |= {a.name for a in nod.names}
        elif isinstance(nod, ast.ImportFrom):
            if nod.level:
                bas = paket.split(".")
                bas = bas[:len(bas) - nod.level + 1]
                modul = ".".join(bas + ([nod.module] if nod.module else []))
            else:
                modul = nod.module or ""
            for a in nod.names:
                ut.add(f"{modul}.{a.name}" if f"{modul}.{a.name}" in MODULER else modul)
    return {m for m in ut if m in MODULER and m != namn}


GRAF = {m: _importer(m) for m in MODULER}


def test_modulerna_hittas():
    assert f"{PAKET}.cli" in MODULER and f"{PAKET}.kalkyl.tillagg" in MODULER
    assert f"{PAKET}.kalkyl.tillagg" in GRAF[f"{PAKET}.kalkyl.utbetalning"]


def _cirklar() -> list[list[str]]:
    """Starkt sammanhängande komponenter med mer än en modul (Tarjan)."""
    index: dict[str, int] = {}
    lag: dict[str, int] = {}
    stack: list[str] = []
    pa_stack: set[str] = set()
    ut: list[list[str]] = []
    raknare = [0]

    def besok(v: str) -> None:
        index[v] = lag[v] = raknare[0]
        raknare[0] += 1
        stack.append(v)
        pa_stack.add(v)
        for w in GRAF[v]:
            if w not in index:
                besok(w)
                lag[v] = min(lag[v], lag[w])
            elif w in pa_stack:
                lag[v] = min(lag[v], index[w])
        if lag[v] == index[v]:
            komponent = []
            while True:
                w = stack.pop()
                pa_stack.discard(w)
                komponent.append(w)
                if w == v:
                    break
            if len(komponent) > 1:
                ut.append(sorted(komponent))

    for v in GRAF:
        if v not in index:
            besok(v)
    return ut


def test_ingen_importcirkel():
    assert _cirklar() == []


def test_en_cirkel_hittas_av_testet(monkeypatch):
    tal = f"{PAKET}.inlasning.tal"
    assert tal in GRAF[f"{PAKET}.modell"]
    monkeypatch.setitem(GRAF, tal, GRAF[tal] | {f"{PAKET}.modell"})
    assert any(tal in c for c in _cirklar())


def _under(prefix: str) -> list[str]:
    return [m for m in MODULER if m == f"{PAKET}.{prefix}" or m.startswith(f"{PAKET}.{prefix}.")]


def test_karnan_importerar_bara_sig_sjalv_modellerna_och_pengar():
    tillatna = {f"{PAKET}.{m}" for m in ("modell", "modell_indata", "pengar")}
    for m in _under("kalkyl"):
        fel = {i for i in GRAF[m] if not i.startswith(f"{PAKET}.kalkyl") and i not in tillatna}
        assert not fel, (m, fel)


def test_renderarna_importerar_ingen_inlasare_och_inga_kommandon():
    for m in _under("visning"):
        fel = {i for i in GRAF[m] if i.startswith((f"{PAKET}.inlasning", f"{PAKET}.kommandon", f"{PAKET}.korning"))}
        assert not fel, (m, fel)


def test_inget_importerar_kommandoraden():
    for m, importer in GRAF.items():
        assert f"{PAKET}.cli" not in importer or m == f"{PAKET}.konsol", m


def test_ingen_pickle():
    """Inget pickle eller marshal (inga sparade modeller eller andra filer i de formaten). Undantaget är
    förstarten, som tar emot sitt resultat genom ett rör från en process den själv startat med fork
    (som concurrent.futures gör mellan `parallell` och dess arbetare); marshal inte heller där."""
    for m, fil in MODULER.items():
        for nod in ast.walk(ast.parse(fil.read_text(encoding="utf-8"))):
            if isinstance(nod, (ast.Import, ast.ImportFrom)):
                namn = [a.name for a in nod.names] + [getattr(nod, "module", None) or ""]
                if m == f"{PAKET}.forstart":
                    assert not any(n.split(".")[0] == "marshal" for n in namn), m
                    continue
                assert not any(n.split(".")[0] in ("pickle", "cPickle", "marshal") for n in namn), m


@pytest.mark.parametrize("modul", sorted(MODULER))
def test_ingen_modul_over_600_rader(modul):
    rader = MODULER[modul].read_text(encoding="utf-8").count("\n")
    assert rader <= 600, f"{modul}: {rader} rader"


def test_en_modul_doper_om_filer_pa_plats():
    """os.link/os.rename/os.replace (som gör en färdig fil synlig) bara i `filer` (och init, som byter
    en hel temporär katalog mot målet)."""
    anrop = {"link", "rename", "replace"}
    hittade = set()
    for m, fil in MODULER.items():
        for nod in ast.walk(ast.parse(fil.read_text(encoding="utf-8"))):
            if (isinstance(nod, ast.Call) and isinstance(nod.func, ast.Attribute) and nod.func.attr in anrop
                    and isinstance(nod.func.value, ast.Name) and nod.func.value.id == "os"):
                hittade.add(m)
    assert hittade <= {f"{PAKET}.filer"}, hittade


def test_manadernas_namn_star_en_gang():
    forekomster = [m for m, fil in MODULER.items() if '"september"' in fil.read_text(encoding="utf-8")]
    assert forekomster == [f"{PAKET}.kalkyl.period"], forekomster


@pytest.mark.parametrize("namn", ["STANDARDKATALOG", "TOLFTEDEL", "STANDARD_UPPDRAG", "STANDARD_PRISER",
                                  "csv_kolumn", "produktion_hittills", "las_yaml_utfall", "CSV_DIALEKTER",
                                  "med_journal"])
def test_doda_namn_ar_borta(namn):
    for m, fil in MODULER.items():
        assert namn not in fil.read_text(encoding="utf-8"), (m, namn)
