"""Renderarna: text som ser ut som en formel förblir text (CSV i båda dialekterna och xlsx), kontroller
identifieras med id och inte med sin text, och arbetsbokens plan mot utfall kommer ur rapporten.

CSV: en textcell som börjar med `=`, `+`, `-`, `@`, tabb eller vagnretur får en inledande `'`
(OWASP:s regel mot formelinjektion); tal, också negativa, skrivs som de är.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import pytest

from vgr_ersattning.kalkyl import kontroll as kontrollmodul
from vgr_ersattning.kalkyl.kontroll import kontrollera_allt
from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.kalkyl.resultat import BRYGGA, RAM, Kontroll
from vgr_ersattning.kalkyl.scenario import Andrat, Scenarioresultat
from vgr_ersattning.kalkyl.utbetalning import berakna
from vgr_ersattning.visning import Rapport, csvformat, xlsx
from vgr_ersattning.visning.strom import Scenarioskrivare

OP = "somatik.operation.allman_kirurgi"
FORMLER = ('=HYPERLINK("http://x")', "+SUM(1;2)", "@SUM(1)", "-1+2", "\tflik", "\rretur")
FORMELTECKEN = ("=", "+", "-", "@", "\t", "\r")


def _scenarier():
    # Namnen ser ut som formler; beloppen är negativa tal (ett med decimaler).
    return [Scenarioresultat(namn, (Andrat("@" + OP, "bas", 1, 2),), Decimal(-5), Decimal("-5.5"), Decimal(3000000))
            for namn in FORMLER]


def _scenariorapport(dialekt: str = "maskin") -> Rapport:
    return Rapport(SimpleNamespace(utforare="SV", resultat=_scenarier(), delegation_kr=Decimal(3000000),
                                    med_utfall=True), csv_dialekt=dialekt)


def _las_csv(text: str, dialekt: str) -> list[list[str]]:
    if dialekt == "excel":
        assert text.startswith(csvformat.BOM)
        return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    return list(csv.reader(io.StringIO(text)))


class _Fil:
    def __init__(self):
        self.buf = io.BytesIO()

    def write(self, data: bytes) -> None:
        self.buf.write(data)


def _strommad(dialekt: str) -> str:
    fil = _Fil()
    skrivare = Scenarioskrivare("csv", dialekt, fil)
    for r in _scenarier():
        skrivare.skriv(r)
    skrivare.klar()
    return fil.buf.getvalue().decode("utf-8")


# --- CSV ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, skyddad", [
    ("=1+1", "'=1+1"), ("+SUM(1;2)", "'+SUM(1;2)"), ("-1", "'-1"), ("@SUM(1)", "'@SUM(1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("vanlig text", "vanlig text"), ("", ""), ("a=1", "a=1"), ("–5", "–5")])
def test_skydda_text(text, skyddad):
    assert csvformat.skydda_text(text) == skyddad


@pytest.mark.parametrize("dialekt, minus", [("maskin", "-5.5"), ("excel", "-5,5")])
@pytest.mark.parametrize("strommad", [False, True])
def test_scenarionamn_som_formler_blir_text_och_belopp_forblir_tal(dialekt, minus, strommad):
    text = _strommad(dialekt) if strommad else csvformat.scenario(_scenariorapport(dialekt))
    rubrik, *rader = _las_csv(text, dialekt)
    assert rubrik == list(csvformat.SCENARIO_KOLUMNER)
    assert [r[0] for r in rader] == ["'" + namn for namn in FORMLER]
    for r in rader:
        # -5 och -5,5 är tal: de skrivs som de är, utan '.
        assert r[1:4] == ["-5", minus, "nej"]
        assert r[4] == f"'@{OP}.bas:1->2"
        assert not any(c.startswith(FORMELTECKEN) for c in r if c not in ("-5", minus))


@pytest.mark.parametrize("dialekt", ["maskin", "excel"])
def test_en_vagnretur_inne_i_en_text_citeras(dialekt):
    """En vagnretur utan citattecken bryter raden för Excel, och det som följer blir en ny rad vars
    första cell kan vara en formel: fältet citeras, också i dialekten maskin (LF)."""
    r = Scenarioresultat("x\r=1+1", (), Decimal(1), None, Decimal(3000000))
    text = csvformat.scenario(Rapport(SimpleNamespace(utforare="SV", resultat=[r], delegation_kr=Decimal(3000000),
                                                       med_utfall=False), csv_dialekt=dialekt))
    assert '"x\r=1+1"' in text
    assert [rad[0] for rad in _las_csv(text, dialekt)] == ["namn", "x\r=1+1"]


@pytest.mark.parametrize("dialekt", ["maskin", "excel"])
def test_kontrollernas_text_blir_text_och_talen_forblir_tal(dialekt):
    k = Kontroll(id="test", namn="=1+1", ok=False, meddelande="-ett meddelande", varde=Decimal(-5),
                 differens=Decimal("-0.5"), enhet="tkr", plats="@plats")
    rader = _las_csv(csvformat.kontrollera(Rapport(SimpleNamespace(kontroller=[k]), csv_dialekt=dialekt)), dialekt)
    assert rader[1] == ["'=1+1", "nej", "'-ett meddelande", "'@plats", "-5",
                        "-0.5" if dialekt == "maskin" else "-0,5", "tkr"]


# --- xlsx ---------------------------------------------------------------------------------------------


def test_ett_namn_som_ser_ut_som_en_formel_ar_en_textcell_i_arbetsboken():
    openpyxl = pytest.importorskip("openpyxl")
    r = Scenarioresultat("=1+1", (Andrat(OP, "bas", 1, 2),), Decimal(-5), None, Decimal(3000000))
    data = xlsx.scenario(Rapport(SimpleNamespace(utforare="SV", resultat=[r], delegation_kr=Decimal(3000000),
                                                  med_utfall=False)))
    ws = openpyxl.load_workbook(io.BytesIO(data))["Scenarier"]
    assert (ws["A3"].value, ws["A3"].data_type) == ("=1+1", "s")
    assert (ws["B3"].value, ws["B3"].data_type) == (-5, "n")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))


def _berakning(uppdrag, priser):
    # Hälften av uppdraget i januari–augusti på varje rad: ett utfall t.o.m. augusti.
    produktion = {rid: [r.uppdrag // 16] * 8 + [0] * 4 for rid, r in uppdrag.utforare["SV"].volymer.rader.items()}
    return berakna(uppdrag, priser, "SV", produktion, till_och_med=8)


def _serier(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/charts/chart1.xml").decode("utf-8").count("<c:ser>")


def test_arbetsbokens_plan_mot_utfall_kommer_ur_rapportens_arsplan(uppdrag, priser):
    """Renderaren räknar inget: med `arsplan` (planens tillägg per månad, räknad av kommandot) ritas
    plan mot utfall, utan den bara utfallet."""
    pytest.importorskip("xlsxwriter")
    b = _berakning(uppdrag, priser)
    plan = tuple(berakna(uppdrag, priser, "SV").tillagg.manader)
    assert _serier(xlsx.berakna(Rapport(b, arsplan=plan))) == 2
    assert _serier(xlsx.berakna(Rapport(b))) == 1


# --- kontrollernas id ---------------------------------------------------------------------------------

ID = {"ar.prisfil", "giltighet.ar", "volymer.rader", "volymer.summa", "volymer.totalsumma", "brygga.upprakning",
      "brygga.delsumma", "brygga.total", "brygga.sista_rad", "avrakning.varav_inom_ram", "priser.rader", "at.totalt"}


def test_varje_kontroll_har_ett_stabilt_id(uppdrag, priser):
    kontroller = kontrollera_allt(uppdrag, priser)
    assert {k.id for k in kontroller} == ID
    assert all(k.id.isascii() and k.id == k.id.lower() and " " not in k.id for k in kontroller)


def test_bryggans_sista_rad_kanns_igen_pa_sitt_id_och_inte_pa_texten(uppdrag, priser, monkeypatch):
    """Texten kan ändras (eller översättas) utan att kontrollen byter vad den rör: bryggans sista rad
    rör också ramen, bryggans övriga steg bara bryggan."""
    brygga = kontrollmodul.kontrollera_brygga
    monkeypatch.setattr(kontrollmodul, "kontrollera_brygga",
                        lambda *a: [k._replace(namn=f"steg {i}") for i, k in enumerate(brygga(*a))])
    omraden = {k.id: k.omraden for k in kontrollera_allt(uppdrag, priser) if k.id.startswith("brygga.")}
    assert omraden == {"brygga.upprakning": (BRYGGA,), "brygga.delsumma": (BRYGGA,), "brygga.total": (BRYGGA,),
                       "brygga.sista_rad": (BRYGGA, RAM)}


def test_kontrollera_i_json_har_kontrollens_id(kor):
    j = json.loads(kor("kontrollera", "--format", "json").ut)
    assert {k["id"] for k in j["kontroller"]} == ID
    assert all(list(k)[:2] == ["id", "namn"] for k in j["kontroller"])


# --- månadernas namn ----------------------------------------------------------------------------------


def test_manadernas_namn_star_en_gang():
    assert MANADSNAMN[0] == "januari" and MANADSNAMN[-1] == "december" and len(MANADSNAMN) == 12


# --- en rapportmodell, skrivarna delade ----------------------------------------------------------------


def test_varje_rapportkommando_byggs_en_gang_och_skrivs_av_de_delade_skrivarna():
    """Varje kommando med --format (utom forklara, som skriver sitt träd själv) har en byggare i
    `rapport.byggare`; terminalen, CSV, xlsx och HTML har ingen egen funktion per kommando."""
    import importlib
    import inspect

    from vgr_ersattning.cli import app
    from vgr_ersattning.rapport.byggare import KOMMANDON

    kommandon = {"kalender"}
    for c in app.registered_commands:
        if "format" in inspect.signature(c.callback).parameters:
            kommandon.add(c.name or c.callback.__name__)
    assert kommandon - {"forklara"} == set(KOMMANDON)
    for modul in ("tabell", "csvformat", "xlsx", "html"):
        m = importlib.import_module(f"vgr_ersattning.visning.{modul}")
        assert not set(vars(m)) & set(KOMMANDON), modul          # inga handskrivna renderare
        assert all(callable(getattr(m, k)) for k in KOMMANDON)


# --- det som syntes när verktyget prövades som en ny användare gör ---------------------------------------


def test_kontrollera_skriver_aret_som_ett_ar(kor, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    t = kor("kontrollera")
    rad = next(r for r in t.ut.splitlines() if r.startswith("Prisfilens år"))
    assert " 2026 " in rad and "2 026" not in rad
    ut = tmp_path / "k.xlsx"
    assert kor("kontrollera", "-f", "xlsx", "--ut", ut).kod == 0
    ws = openpyxl.load_workbook(ut)["Kontroller"]
    cell = next(r[3] for r in ws.iter_rows(min_row=3) if r[0].value == "ar.prisfil")
    assert (cell.value, cell.number_format) == (2026, "0")


def test_utbetala_namnger_raderna_och_arbetsboken_har_json_id(kor):
    t = kor("utbetala", "--manad", "2026-08", "--utfall", "examples/produktion_2026.csv")
    assert "Tillägg somatik, operation/åtgärd: Kardiologi" in t.ut and "tillagg:" not in t.ut


def test_besluten_som_galler_star_under_berakna_och_utbetala(kor, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    val = ("--utfall", "examples/produktion_2026_september.csv", "--beslut", "examples/beslut_2026.yaml")
    for args in (("berakna", *val), ("utbetala", "--manad", "2026-09", *val)):
        rader = kor(*args).ut.splitlines()
        assert any(r.startswith("Beslut i kraft under 2026") for r in rader), args
        tillagg = next(r for r in rader if "Tillägg: Allmän kirurgi (somatik.operation.allman_kirurgi)" in r)
        assert tillagg.split()[-3:] == ["3", "137", "antal"] and "september 2026" in tillagg
        ram = next(r for r in rader if "Ersättningsram  " in r)
        assert ram.split()[-7:] == ["3", "317", "867", "3", "329", "867", "tkr"] and "oktober 2026" in ram
    text = " ".join(kor("berakna", *val).ut.split())
    # Den nya ramen gäller från oktober, inte hela året.
    assert "Ersättningsram 3 317 867 tkr till och med september, 3 329 867 tkr från oktober" in text


def test_titlar_och_termer(kor, monkeypatch):
    """Planens titel bryts inte efter "produktion ="; termerna förklaras där de först syns; prognos
    och berakna säger båda Totalt; AT- och ST-A-platserna står bredvid varandra."""
    monkeypatch.setenv("COLUMNS", "60")
    plan = kor("berakna").ut
    assert not any(r.rstrip().endswith("produktion =") for r in plan.splitlines())
    assert plan.splitlines()[0] == "Tilläggsersättning: Sjukhusen i väster (SV) – plan 2026"
    assert "Planen: produktion = uppdrag (bas + tillägg) på varje rad" in " ".join(plan.split())
    monkeypatch.setenv("COLUMNS", "160")
    utfall = " ".join(kor("berakna", "--utfall", "examples/produktion_2026.csv").ut.split())
    assert "Måluppf. (måluppfyllelse): utfall hittills / plan hittills" in utfall
    prognos = kor("prognos", "--utfall", "examples/produktion_2026.csv").ut.splitlines()
    assert any(r.startswith("Totalt ") for r in prognos) and not any(r.startswith("Summa ") for r in prognos)
    k = kor("kontrollera").ut.splitlines()
    assert "AT- och ST-A-platser" in k
    sv = next(r for r in k if r.startswith("Sjukhusen i väster (SV)"))
    assert sv.split()[4:7] == ["56", "54", "gynekologi"] and "psykiatri 18" in sv
    totalt = next(r for r in k if r.startswith("Totalt"))
    assert totalt.split() == ["Totalt", "292", "54"]
