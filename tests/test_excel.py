"""Excel in och ut (regelboken §20): varje rapport som arbetsbok med samma tal som JSON, CSV för svenska
Excel, och uttag sparade av Excel (semikolon, decimalkomma, BOM, cp1252, xlsx) som ger samma beräkning.

Arbetsböckerna läses tillbaka med openpyxl, och varje talcell jämförs exakt med JSON-utdata från samma
kommando (eller med en summa eller kvot av JSON:s tal, där arbetsboken visar en summarad eller en
procentsats som andel).
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vgr_ersattning.cli import app

openpyxl = pytest.importorskip("openpyxl")
xlsxwriter = pytest.importorskip("xlsxwriter")

ROT = Path(__file__).resolve().parents[1]
EX = ROT / "examples"
TALFORMAT = {"#,##0", "#,##0.00", "0.0%", "0"}     # "0": ett år (2026, inte 2 026)
HUD = "somatik.forstabesok.hud"


def D(v) -> Decimal:
    """Ett cellvärde (int, float) eller ett JSON-värde (sträng, int) som exakt decimaltal."""
    if isinstance(v, float):
        return Decimal(repr(v))
    return Decimal(v)


def ar_tal(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def ar_taltext(v) -> bool:
    """Ett tal i JSON:s maskinformat ("84.7"), inte text ("Ja", "uppfyllt")."""
    try:
        Decimal(v)
        return isinstance(v, (str, int)) and not isinstance(v, bool)
    except (ArithmeticError, TypeError, ValueError):
        return False


class Jamforelse:
    """Jämför talceller med väntade värden och håller reda på att varje talcell jämförts."""

    def __init__(self, wb):
        self.kvar = {(ws.title, c.coordinate) for ws in wb.worksheets for rad in ws.iter_rows() for c in rad
                     if ar_tal(c.value)}

    def __call__(self, cell, vantat) -> None:
        plats = f"{cell.parent.title}!{cell.coordinate}"
        if vantat is None:
            assert cell.value is None, f"{plats}: {cell.value!r}, väntade en tom cell"
            return
        assert ar_tal(cell.value), f"{plats}: {cell.value!r} är ingen talcell (väntade {vantat})"
        assert D(cell.value) == D(vantat), f"{plats}: {cell.value!r} ≠ {vantat!r}"
        self.kvar.discard((cell.parent.title, cell.coordinate))

    def text(self, cell, vantat) -> None:
        assert cell.value == vantat, f"{cell.parent.title}!{cell.coordinate}: {cell.value!r} ≠ {vantat!r}"

    def alla_jamforda(self) -> None:
        assert not self.kvar, f"talceller som inte jämförts med JSON: {sorted(self.kvar)[:20]}"


def tabell(ws):
    """Tabellens rader (rad 3 och framåt till första tomma raden) som {rubrik: cell}, och raderna under
    tabellen med en etikett i A och ett värde i B ({etikett: cell})."""
    rubrik = [c.value for c in ws[2]]
    rader, r = [], 3
    while r <= ws.max_row and any(c.value not in (None, "") for c in ws[r]):
        rader.append({h: ws.cell(r, i + 1) for i, h in enumerate(rubrik) if h})
        r += 1
    fakta = {}
    r += 1
    while r <= ws.max_row and ws.cell(r, 1).value and ws.cell(r, 2).value is not None:
        fakta[ws.cell(r, 1).value] = ws.cell(r, 2)
        r += 1
    return rader, fakta


@pytest.fixture(autouse=True)
def _i_tmp(tmp_path, monkeypatch):
    """Filnamnen i felen är relativa arbetskatalogen: kör i tmp_path så att de blir korta."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def kor_in():
    runner = CliRunner()

    def _kor(*args, input: bytes | None = None):
        res = runner.invoke(app, [str(a) for a in args], input=input)
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            raise AssertionError(f"oväntat undantag: {res.exception!r}") from res.exception
        assert "Traceback" not in res.stderr
        return res
    return _kor


def arbetsbok(kor, tmp_path, *args, kod=0):
    ut = tmp_path / "rapport.xlsx"
    k = kor(*args, "--format", "xlsx", "--ut", ut)
    assert k.kod == kod, k
    assert k.ut == ""
    j = kor(*args, "--format", "json")
    assert j.kod == kod, j
    return openpyxl.load_workbook(ut), json.loads(j.ut), ut


# --- varje kommando: bladen, formaten och talen ---------------------------------------------------------


def kontrollera_blad(wb, namn: list[str]) -> None:
    assert wb.sheetnames == namn + ["Källor och antaganden"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3", ws.title          # titel och kolumnrubriker låsta
        assert ws["A1"].font.b and all(c.font.b for c in ws[2] if c.value), ws.title
        for rad in ws.iter_rows(min_row=3):
            for c in rad:
                if ar_tal(c.value):
                    assert c.number_format in TALFORMAT, (ws.title, c.coordinate, c.number_format)
        for rad in tabell(ws)[0]:
            for rubrik, c in rad.items():
                if "(%)" in rubrik and ar_tal(c.value):
                    assert c.number_format == "0.0%", (ws.title, c.coordinate)
        bredder = {k: d.width for k, d in ws.column_dimensions.items()}
        assert bredder, ws.title                           # kolumnerna har satta bredder
    kallor = wb["Källor och antaganden"]
    assert [c.value for c in kallor[2]] == ["Gäller", "Figur", "Vad", "Plats (fil:rad:kolumn)", "Dokument"]


def antaganden_i_kallbladet(wb) -> list[str]:
    rader, _ = tabell(wb["Källor och antaganden"])
    return [r["Figur"].value for r in rader if r["Gäller"].value == "Antagande"]


def jamfor_avrakningsblad(jmf, ws, ja) -> None:
    rader, _ = tabell(ws)
    poster = {p["id"]: p for p in ja["poster"]}
    tf = {(p["id"], t["manad"]): (p, t) for p in ja["poster"] for t in p["tillfallen"]}
    for r in rader:
        if r["Id"].value == "Summa reglering":
            jmf(r["Reglering (tkr)"], ja["summa_reglering_tkr"])
            continue
        if r["Tillfälle"].value is None:
            jmf(r["Nivå (tkr)"], poster[r["Id"].value]["niva_tkr"])
            continue
        p, t = tf[(r["Id"].value, r["Tillfälle"].value)]
        jmf(r["Nivå (tkr)"], p["niva_tkr"])
        for h, k in (("Utfall hittills (tkr)", "utfall_tkr"), ("Tak (tkr)", "tak_tkr"),
                     ("Utbetalt hittills (tkr)", "utbetalt_tkr"), ("Reglerat hittills (tkr)", "reglerat_hittills_tkr"),
                     ("Reglering (tkr)", "reglering_tkr")):
            jmf(r[h], t[k])


def jamfor_berakna(wb, j, plan) -> None:
    jmf = Jamforelse(wb)
    t = j["tillagg"]
    avr = {}
    if j["avrakning"]:
        for p in j["avrakning"]["poster"]:
            for tf in p["tillfallen"]:
                avr[tf["manad"]] = avr.get(tf["manad"], Decimal(0)) + D(tf["reglering_tkr"]) * 1000
    ov = {r["Uppgift"].value: r["Värde"] for r in tabell(wb["Översikt"])[0]}
    jmf(ov["Tilläggsersättning"], t["summa_kr"])
    jmf(ov["Måluppfyllelse"], t["maluppfyllelse"])
    jmf(ov["Ersättningsram"], j["anslag"]["ram_tkr"])
    jmf(ov["Anslag utbetalt"], j["anslag"]["utbetalt_kr"])
    jmf(ov["Summa utbetalt"], j["summa_kr"])
    if j["avrakning"]:
        jmf(ov["Avräkning"], sum(avr.values()))

    jr = {r["id"]: r for r in t["rader"]}
    rader, _ = tabell(wb["Rader"])
    assert [r["Id"].value for r in rader] == list(jr) + ["Totalt"]
    for r in rader:
        if r["Id"].value == "Totalt":
            jmf(r["Bas (antal)"], sum(x["bas"] for x in t["rader"]))
            jmf(r["Tillägg (antal)"], sum(x["tillagg"] for x in t["rader"]))
            for h, k in (("Utfall (antal)", "utfall"), ("Ersatta (antal)", "ersatta")):
                if r[h].value is not None:
                    jmf(r[h], sum(D(x[k]) for x in t["rader"]))
            jmf(r["Belopp (kr)"], t["summa_kr"])
            jmf(r["Måluppfyllelse (%)"], t["maluppfyllelse"])
            continue
        x = jr[r["Id"].value]
        for h, k in (("Bas (antal)", "bas"), ("Tillägg (antal)", "tillagg"), ("Utfall (antal)", "utfall"),
                     ("Plan (antal)", "plan"), ("Ersatta (antal)", "ersatta"), ("Pris (kr)", "pris_kr"),
                     ("Belopp (kr)", "belopp_kr"), ("Måluppfyllelse (%)", "maluppfyllelse")):
            jmf(r[h], x[k])

    jg = {g["id"]: g for g in t["grupper"]}
    grupper, _ = tabell(wb["Grupper"])
    for r in grupper:
        if r["Id"].value == "Totalt":
            jmf(r["Bas (antal)"], sum(x["bas"] for x in t["rader"]))
            jmf(r["Tillägg (antal)"], sum(x["tillagg"] for x in t["rader"]))
            for h, k in (("Utfall (antal)", "utfall"), ("Ersatta (antal)", "ersatta")):
                if r[h].value is not None:
                    jmf(r[h], sum(D(x[k]) for x in t["rader"]))
            jmf(r["Belopp (kr)"], t["summa_kr"])
            jmf(r["Måluppfyllelse (%)"], t["maluppfyllelse"])
            continue
        g = jg[r["Id"].value]
        for h, k in (("Bas (antal)", "bas"), ("Tillägg (antal)", "tillagg"), ("Utfall (antal)", "utfall"),
                     ("Ersatta (antal)", "ersatta"), ("Belopp (kr)", "belopp_kr"),
                     ("Måluppfyllelse (%)", "maluppfyllelse")):
            jmf(r[h], g[k])

    jt = {m["manad"]: D(m["belopp_kr"]) for m in t["manader"]}
    ja = {m["manad"]: D(m["belopp_kr"]) for m in j["anslag"]["manader"]}
    jp = {m["manad"]: D(m["belopp_kr"]) for m in plan["tillagg"]["manader"]} if plan is not None else {}
    hittills = plan_hittills = Decimal(0)
    manader, _ = tabell(wb["Månader"])
    for r in manader:
        etikett = r["Månad"].value
        if etikett == "Summa":
            jmf(r["Anslag (kr)"], j["anslag"]["utbetalt_kr"])
            jmf(r["Tillägg (kr)"], t["summa_kr"])
            if "Avräkning (kr)" in r:
                jmf(r["Avräkning (kr)"], sum(avr.values()))
            jmf(r["Summa (kr)"], j["summa_kr"])
            if "Plan: tillägg (kr)" in r:
                jmf(r["Plan: tillägg (kr)"], plan["tillagg"]["summa_kr"])
            continue
        m = etikett[:7]
        if m in jt:
            hittills += jt[m]
            jmf(r["Anslag (kr)"], ja[m])
            jmf(r["Tillägg (kr)"], jt[m])
            if "Avräkning (kr)" in r:
                jmf(r["Avräkning (kr)"], avr.get(m))
            jmf(r["Summa (kr)"], ja[m] + jt[m] + avr.get(m, Decimal(0)))
            jmf(r["Tillägg hittills (kr)"], hittills)
        else:
            assert r["Tillägg (kr)"].value is None and r["Anslag (kr)"].value is None
        if "Plan: tillägg (kr)" in r:
            plan_hittills += jp[m]
            jmf(r["Plan: tillägg (kr)"], jp[m])
            jmf(r["Plan: tillägg hittills (kr)"], plan_hittills)

    anslag, fakta = tabell(wb["Anslag"])
    for r in anslag:
        if r["Månad"].value == "Utbetalt hittills":
            jmf(r["Anslag (kr)"], j["anslag"]["utbetalt_kr"])
        else:
            jmf(r["Anslag (kr)"], ja[r["Månad"].value])
    jmf(fakta["Ersättningsram (tkr)"], j["anslag"]["ram_tkr"])
    if j["avrakning"]:
        jamfor_avrakningsblad(jmf, wb["Avräkning"], j["avrakning"])
    jmf.alla_jamforda()
    assert antaganden_i_kallbladet(wb) == j["antaganden"]


def test_berakna_plan_som_arbetsbok(kor, tmp_path):
    wb, j, ut = arbetsbok(kor, tmp_path, "berakna")
    kontrollera_blad(wb, ["Översikt", "Rader", "Grupper", "Månader", "Anslag"])
    jamfor_berakna(wb, j, None)
    # Planens tolftedelar står avrundade till öre kumulativt, och noten säger det.
    manader = wb["Månader"]
    assert any("avrundade till öre" in str(c.value) for rad in manader.iter_rows() for c in rad)
    summa = next(r for r in tabell(manader)[0] if r["Månad"].value == "Summa")
    assert D(summa["Tillägg (kr)"].value) == Decimal(263497958)
    # Diagrammet: ett linjediagram över planen hittills.
    assert len(manader._charts) == 1
    with zipfile.ZipFile(ut) as z:
        xml = z.read("xl/charts/chart1.xml").decode("utf-8")
    assert "<c:lineChart>" in xml and xml.count("<c:ser>") == 1 and "Månader!$E$3:$E$14" in xml


def test_berakna_med_utfall_och_avrakning_som_arbetsbok(kor, tmp_path):
    wb, j, ut = arbetsbok(kor, tmp_path, "berakna", "--utfall", EX / "utfall_2026.yaml")
    plan = json.loads(kor("berakna", "--format", "json").ut)
    kontrollera_blad(wb, ["Översikt", "Rader", "Grupper", "Månader", "Anslag", "Avräkning"])
    jamfor_berakna(wb, j, plan)
    # Plan mot utfall: två serier, planen över tolv månader och utfallet över de åtta med utfall.
    with zipfile.ZipFile(ut) as z:
        xml = z.read("xl/charts/chart1.xml").decode("utf-8")
    assert "<c:lineChart>" in xml and xml.count("<c:ser>") == 2
    assert "Plan: tilläggsersättning hittills" in xml and "Utfall: tilläggsersättning hittills" in xml
    # Källorna: varje rad pekar på sin plats i uppdraget (samma som JSON:s plats) och på utfallsfilen.
    kallor = tabell(wb["Källor och antaganden"])[0]
    platser = {(r["Figur"].value, r["Vad"].value): r["Plats (fil:rad:kolumn)"].value for r in kallor}
    for x in j["tillagg"]["rader"]:
        assert platser[(x["id"], "bas, tillägg och uppdrag")] == x["plats"]
    assert any("utfall_2026.yaml" in str(r["Plats (fil:rad:kolumn)"].value)
               for r in kallor if r["Vad"].value == "utfall")
    assert all(r["Dokument"].value for r in kallor)


def test_berakna_till_och_med_ger_plan_for_aret_i_diagrammet(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "berakna", "--utfall", EX / "produktion_2026.csv", "-t", "2026-06")
    plan = json.loads(kor("berakna", "--format", "json").ut)
    jamfor_berakna(wb, j, plan)


def test_kontrollera_som_arbetsbok(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "kontrollera")
    kontrollera_blad(wb, ["Kontroller", "Platser", "Anmärkningar"])
    jmf = Jamforelse(wb)
    rader, _ = tabell(wb["Kontroller"])
    assert len(rader) == len(j["kontroller"])
    for r, k in zip(rader, j["kontroller"]):
        jmf.text(r["Kontroll"], k["namn"])
        jmf(r["Värde"], k["varde"])
        jmf(r["Differens"], k["differens"])
    # AT- och ST-A-platserna bredvid varandra, per utförare, och summorna.
    platser, _ = tabell(wb["Platser"])
    assert [r["Id"].value for r in platser] == [p["utforare"] for p in j["platser"]] + ["Totalt"]
    for r, p in zip(platser, j["platser"]):
        jmf(r["AT-platser (antal)"], p["at_platser"])
        jmf(r["ST-A-platser (antal)"], sum(p["st_a_platser"].values()) if p["st_a_platser"] else None)
    jmf(platser[-1]["AT-platser (antal)"], sum(p["at_platser"] or 0 for p in j["platser"]))
    jmf(platser[-1]["ST-A-platser (antal)"], sum(sum(p["st_a_platser"].values()) for p in j["platser"]))
    jmf.alla_jamforda()
    assert [r["Anmärkning"].value for r in tabell(wb["Anmärkningar"])[0]] == [a["text"] for a in j["anmarkningar"]]


def test_avrakning_som_arbetsbok(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "avrakning", "--utfall", EX / "utfall_2026.yaml")
    kontrollera_blad(wb, ["Avräkning"])
    jmf = Jamforelse(wb)
    jamfor_avrakningsblad(jmf, wb["Avräkning"], j)
    jmf.alla_jamforda()
    assert antaganden_i_kallbladet(wb) == j["antaganden"]


def test_brygga_som_arbetsbok(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "brygga")
    kontrollera_blad(wb, ["Brygga", "Avstämning"])
    jmf = Jamforelse(wb)
    rader, _ = tabell(wb["Brygga"])
    assert len(rader) == 3 + len(j["justeringar"]) + 1
    jmf(rader[0]["Belopp (tkr)"], j["fran_tkr"])
    jmf(rader[1]["Belopp (tkr)"], j["upprakning_tryckt_tkr"])
    jmf(rader[1]["Räknat (tkr)"], j["upprakning_tkr"])
    jmf(rader[1]["Index (%)"], j["index"])
    jmf(rader[2]["Belopp (tkr)"], j["delsumma_angiven_tkr"])
    for r, x in zip(rader[3:-1], j["justeringar"]):
        jmf.text(r["Rad"], x["namn"])
        jmf(r["Belopp (tkr)"], x["belopp_tkr"])
    jmf(rader[-1]["Belopp (tkr)"], j["angiven_tkr"])
    (ds, tot), fakta = tabell(wb["Avstämning"])
    jmf(ds["Angiven (tkr)"], j["delsumma_angiven_tkr"])
    jmf(ds["Summa av tryckta termer (tkr)"], D(j["fran_tkr"]) + D(j["upprakning_tryckt_tkr"]))
    jmf(ds["Differens (tkr)"], j["delsumma_differens_tkr"])
    # Regelboken §8: Delsumma 1 har två avrundade termer (föregående ram och uppräkningen), 0,5 tkr var.
    jmf(ds["Avrundade termer (antal)"], 2)
    jmf(ds["Tolerans (tkr)"], Decimal("0.5") * 2)
    jmf(tot["Angiven (tkr)"], j["angiven_tkr"])
    jmf(tot["Summa av tryckta termer (tkr)"], j["summa_tryckta_tkr"])
    jmf(tot["Differens (tkr)"], j["differens_tkr"])
    jmf(tot["Tolerans (tkr)"], j["tolerans_tkr"])
    jmf(tot["Avrundade termer (antal)"], 1 + len(j["justeringar"]))
    assert fakta["Bryggan stämmer"].value == ("ja" if j["stammer"] else "nej")
    jmf.alla_jamforda()


def test_malrelaterad_som_arbetsbok(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "malrelaterad", "--utfall", EX / "rh_2026.yaml")
    kontrollera_blad(wb, ["Kvartal"])
    jmf = Jamforelse(wb)
    rader, fakta = tabell(wb["Kvartal"])
    for r, k in zip(rader, j["kvartal"]):
        jmf.text(r["Kvartal"], k["kvartal"])
        jmf(r["Andel inom 8 min (%)"], D(k["andel_procent"]) / 100)      # procent som andel
        jmf(r["Utbetalning (%)"], D(k["utbetalning_procent"]) / 100)
        jmf(r["Belopp (kr)"], k["belopp_kr"])
    jmf(rader[-1]["Belopp (kr)"], j["summa_kr"])
    jmf(fakta["Ett kvartals belopp vid 100 % (kr)"], j["kvartalsbelopp_kr"])
    jmf.alla_jamforda()
    assert antaganden_i_kallbladet(wb) == j["antaganden"]


def test_uppfoljning_och_kalender_som_arbetsbok(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "uppfoljning", "--utfall", EX / "utfall_2026.yaml", "--period", "2026-08")
    kontrollera_blad(wb, ["Indikatorer"])
    jmf = Jamforelse(wb)
    rader, fakta = tabell(wb["Indikatorer"])
    ji = {x["id"]: x for x in j["indikatorer"]}
    assert [r["Id"].value for r in rader] == list(ji)
    for r in rader:
        x = ji[r["Id"].value]
        for h, k in (("Målvärde", "malvarde"), ("Utfall", "utfall"), ("Föregående", "foregaende")):
            v = x[k]
            if v is None or not ar_taltext(v):
                jmf.text(r[h], v)
            else:
                jmf(r[h], D(v) / 100 if x["enhet"] == "procent" else v)
    bedomda = [x for x in j["indikatorer"] if x["status"] != "information"]
    jmf(fakta["Uppfyllda"], sum(1 for x in bedomda if x["status"] == "uppfyllt"))
    jmf(fakta["Bedömda"], len(bedomda))
    jmf.alla_jamforda()

    (tmp_path / "k").mkdir()
    wb, j, _ = arbetsbok(kor, tmp_path / "k", "uppfoljning", "--kalender", "-u", "SV")
    kontrollera_blad(wb, ["Kalender"])
    rader, _ = tabell(wb["Kalender"])
    assert [(r["Tillfälle"].value, r["Id"].value) for r in rader] == [
        (t["period"], i["id"]) for t in j["tillfallen"] for i in t["indikatorer"]]
    Jamforelse(wb).alla_jamforda()


def test_scenario_som_arbetsbok(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "scenario", "--scenariofil", EX / "scenarier.csv",
                         "--utfall", EX / "produktion_2026.csv")
    kontrollera_blad(wb, ["Scenarier", "Ändringar"])
    jmf = Jamforelse(wb)
    rader, _ = tabell(wb["Scenarier"])
    assert len(rader) == len(j["scenarier"]) + 1
    for r, s in zip(rader, j["scenarier"]):
        jmf.text(r["Scenario"], s["namn"])
        jmf(r["Förändring vid plan (kr)"], s["forandring_plan_kr"])
        jmf(r["Förändring vid utfall (kr)"], s["forandring_utfall_kr"])
    jmf(rader[-1]["Förändring vid plan (kr)"], sum(D(s["forandring_plan_kr"]) for s in j["scenarier"]))
    andringar, _ = tabell(wb["Ändringar"])
    alla = [(s["namn"], a) for s in j["scenarier"] for a in s["andringar"]]
    assert len(andringar) == len(alla)
    for r, (namn, a) in zip(andringar, alla):
        jmf.text(r["Scenario"], namn)
        jmf(r["Från"], a["fran"])
        jmf(r["Till"], a["till"])
    jmf.alla_jamforda()


def test_prognos_som_arbetsbok(kor, tmp_path):
    wb, j, ut = arbetsbok(kor, tmp_path, "prognos", "--utfall", EX / "produktion_2026.csv")
    kontrollera_blad(wb, ["Rader", "Månader", "Att agera på"])
    assert wb["Rader"]["A1"].value.startswith("PROGNOS 2026")
    jmf = Jamforelse(wb)
    jr = {x["id"]: x for x in j["rader"]}
    rader, _ = tabell(wb["Rader"])
    for r in rader:
        if r["Id"].value == "Totalt":
            for h, k in (("Bas (antal)", "bas"), ("Tillägg (antal)", "tillagg"), ("Utfall hittills (antal)", "utfall"),
                         ("Prognos (antal)", "prognos_antal"), ("Utan ersättning (antal)", "utan_ersattning")):
                jmf(r[h], sum(x[k] for x in j["rader"]))
            jmf(r["Prognos (kr)"], j["tillagg_kr"])
            continue
        x = jr[r["Id"].value]
        for h, k in (("Bas (antal)", "bas"), ("Tillägg (antal)", "tillagg"), ("Utfall hittills (antal)", "utfall"),
                     ("Plan hittills (antal)", "plan_hittills"), ("Takt (%)", "takt"),
                     ("Prognos (antal)", "prognos_antal"), ("Ersatta (antal)", "ersatta"),
                     ("Prognos (kr)", "belopp_kr"), ("Utan ersättning (antal)", "utan_ersattning")):
            jmf(r[h], x[k])
    manader, _ = tabell(wb["Månader"])
    for r, m in zip(manader, j["manader"]):
        jmf(r["Plan hittills (antal)"], m["plan"])
        jmf(r["Utfall hittills (antal)"], m["utfall"])
        jmf(r["Prognos hittills (antal)"], m["prognos"])
        assert r["Prognos"].value == ("ja" if m["ar_prognos"] else "nej")
    utan = {x["id"]: x["antal"] for x in j["utan_ersattning"]}
    for r in tabell(wb["Att agera på"])[0]:
        if r["Lista"].value == "Når inte basen":
            assert r["Id"].value in j["nar_inte_basen"]
            jmf(r["Antal"], jr[r["Id"].value]["prognos_antal"])
        elif r["Lista"].value == "Produktion utan ersättning":
            jmf(r["Antal"], utan[r["Id"].value])
    jmf.alla_jamforda()
    with zipfile.ZipFile(ut) as z:
        xml = z.read("xl/charts/chart1.xml").decode("utf-8")
    assert "<c:lineChart>" in xml and xml.count("<c:ser>") == 3
    assert antaganden_i_kallbladet(wb) == j["antaganden"]


def test_jamfor_som_arbetsbok(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "jamfor", "--fore", EX / "produktion_2026_juli.csv",
                         "--efter", EX / "produktion_2026.csv")
    kontrollera_blad(wb, ["Rader"])
    jmf = Jamforelse(wb)
    jr = {x["id"]: x for x in j["rader"]}
    for r in tabell(wb["Rader"])[0]:
        if r["Id"].value == "Totalt":
            for h, k in (("Revision (kr)", "revision_kr"), ("Nya månader (kr)", "nya_manader_kr"),
                         ("Förändring (kr)", "forandring_kr")):
                jmf(r[h], j[k])
            continue
        x = jr[r["Id"].value]
        for h, k in (("Revision (kr)", "revision_kr"), ("Nya månader (kr)", "nya_manader_kr"),
                     ("Förändring (kr)", "forandring_kr"), ("Utfall före (antal)", "utfall_fore"),
                     ("Utfall efter, samma månader (antal)", "utfall_efter_samma_manader"),
                     ("Utfall efter (antal)", "utfall_efter")):
            jmf(r[h], x[k])
    jmf.alla_jamforda()


def _noder(n, djup=0):
    yield djup, n
    for d in n["delar"]:
        yield from _noder(d, djup + 1)


@pytest.mark.parametrize("figur", ["anslag.2026-12", "somatik.operation.allman_kirurgi", "brygga"])
def test_forklara_som_arbetsbok(kor, tmp_path, figur):
    wb, j, _ = arbetsbok(kor, tmp_path, "forklara", figur)
    kontrollera_blad(wb, ["Förklaring"])
    jmf = Jamforelse(wb)
    rader, _ = tabell(wb["Förklaring"])
    noder = list(_noder(j["forklaring"]))
    assert len(rader) == len(noder)
    for r, (djup, n) in zip(rader, noder):
        jmf(r["Nivå"], djup)
        assert r["Namn"].value.strip() == n["namn"]
        v = n["varde"]
        if v is None or not ar_taltext(v):
            jmf.text(r["Värde"], v)
        else:
            jmf(r["Värde"], D(v) / 100 if n["enhet"] == "procent" else v)
        assert (r["Plats"].value or None) == n["plats"]
    jmf.alla_jamforda()
    assert antaganden_i_kallbladet(wb) == [a["id"] for a in j["antaganden"]]


def test_forklara_lista_och_antaganden_som_arbetsbok(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "forklara", "--lista")
    kontrollera_blad(wb, ["Figurer"])
    assert [r["Figur"].value for r in tabell(wb["Figurer"])[0]] == [f["figur"] for f in j["figurer"]]
    (tmp_path / "a").mkdir()
    wb, j, _ = arbetsbok(kor, tmp_path / "a", "antaganden")
    kontrollera_blad(wb, ["Antaganden"])
    rader, _ = tabell(wb["Antaganden"])
    assert [(r["Id"].value, r["Antagande"].value) for r in rader] == [(a["id"], a["text"]) for a in j["antaganden"]]
    assert antaganden_i_kallbladet(wb) == [a["id"] for a in j["antaganden"]]
    Jamforelse(wb).alla_jamforda()


# --- vägrade arbetsböcker --------------------------------------------------------------------------------


@pytest.mark.parametrize("args,text", [
    (["berakna", "--format", "xlsx"], "--format xlsx skriver en arbetsbok och behöver --ut FIL.xlsx"),
    (["kontrollera", "-f", "xlsx", "--ut", "{tmp}/r.json"], "slutar inte på .xlsx"),
    (["berakna", "--ut", "{tmp}/r.xlsx"], "en .xlsx-fil skrivs med --format xlsx (nu --format tabell)"),
    (["berakna", "-f", "json", "--csv-dialekt", "excel"], "--csv-dialekt excel gäller bara --format csv"),
])
def test_felaktiga_val_vagras_med_en_rad(kor, tmp_path, args, text):
    k = kor(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert k.kod == 2 and k.ut == ""
    assert k.fel.startswith("ersattning: ") and text in k.fel and len(k.fel.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_ett_tal_med_fler_an_15_vardesiffror_vagras(kor, tmp_path):
    """Elva rader med tio miljoner i tillägg till ett besökspris på tio miljoner: förändringen har
    16 värdesiffror, och Excel skulle avrunda den. Ingen arbetsbok skrivs; JSON visar talet exakt."""
    satt = [a for r in ("allergologi", "allman_kirurgi", "barnkirurgi", "bum", "gynekologi", "handkirurgi", "hud",
                        "internmedicin", "kardiologi", "karlkirurgi", "logopedi")
            for a in ("--satt", f"somatik.forstabesok.{r}.tillagg=9999999")]
    args = ["scenario", "--pris", "besok=9999999", *satt]
    exakt = json.loads(kor(*args, "-f", "json").ut)["scenarier"][0]["forandring_plan_kr"]
    assert len(exakt.strip("0")) > 15
    ut = tmp_path / "stor.xlsx"
    k = kor(*args, "-f", "xlsx", "--ut", ut)
    assert k.kod == 2 and not ut.exists() and list(tmp_path.iterdir()) == []
    assert k.fel == (f"ersattning: arbetsboken skrevs inte: Scenarier!B3 (kommandoraden, Förändring vid plan (kr)) = "
                     f"{exakt} har 16 värdesiffror, men en Excel-cell håller högst 15 exakt; Excel skulle avrunda "
                     "talet, och --format json eller csv visar det exakt\n")


def test_excelvarde_bara_exakta_tal():
    from vgr_ersattning.visning.xlsx import excelvarde

    for ok in ("263497958", "1234.666667", "0.305784", "-136.5", "999999999999999", "0.000001", "1E+20"):
        assert Decimal(repr(float(excelvarde(Decimal(ok))))) == Decimal(ok)
    for fel in ("1234567890123456", "0.1234567890123456", "12345678901234.56"):
        with pytest.raises(ValueError, match="16 värdesiffror"):
            excelvarde(Decimal(fel))


# --- uppstarten -------------------------------------------------------------------------------------------


def test_uppstarten_importerar_inga_excelbibliotek():
    """`import vgr_ersattning.cli`, `--help` och `berakna` (också med CSV för Excel) importerar varken
    xlsxwriter eller openpyxl; de importeras först när en arbetsbok skrivs eller läses."""
    kod = (
        "import sys\n"
        "import vgr_ersattning.cli as cli\n"
        "fore = [m for m in ('xlsxwriter', 'openpyxl') if m in sys.modules]\n"
        "for argv in (['--help'], ['berakna'], ['berakna', '--utfall', sys.argv[1], '-f', 'csv', "
        "'--csv-dialekt', 'excel']):\n"
        "    sys.argv = ['ersattning'] + argv\n"
        "    try:\n"
        "        cli.main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "efter = [m for m in ('xlsxwriter', 'openpyxl') if m in sys.modules]\n"
        "sys.stderr.write(repr((fore, efter)))\n"
    )
    res = subprocess.run([sys.executable, "-c", kod, str(EX / "produktion_2026.csv")], capture_output=True,
                         text=True, cwd=ROT, check=False)
    assert res.stderr.strip().endswith("([], [])"), res.stderr[-2000:]


# --- CSV för svenska Excel ----------------------------------------------------------------------------------


def test_csv_for_svenska_excel(kor, kor_in):
    maskin = kor("berakna", "--utfall", EX / "utfall_2026.yaml", "-f", "csv")
    excel = kor_in("berakna", "--utfall", EX / "utfall_2026.yaml", "-f", "csv", "--csv-dialekt", "excel")
    assert maskin.kod == excel.exit_code == 0
    data = excel.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")                         # UTF-8 med BOM
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")    # CRLF
    assert "Allmän kirurgi" in text
    import csv

    m_avsnitt = [list(csv.reader(a.splitlines())) for a in maskin.ut.split("\n\n")]
    e_avsnitt = [list(csv.reader(a.splitlines(), delimiter=";")) for a in text.split("\r\n\r\n")]
    assert [a[0] for a in m_avsnitt] == [a[0] for a in e_avsnitt] == [
        ["id", "namn", "bas", "tillagg", "utfall", "ersatta", "pris_kr", "belopp_kr", "maluppfyllelse", "kalla",
         "plats"],
        ["manad", "anslag_kr", "tillagg_kr", "avrakning_kr", "summa_kr"], ["post", "varde"]]
    for ma, ea in zip(m_avsnitt, e_avsnitt):
        assert len(ma) == len(ea)
        for mr, er in zip(ma, ea):
            for mv, ev in zip(mr, er):
                if mv.replace(".", "", 1).lstrip("-").isdigit():       # ett tal: decimalkomma
                    assert ev == mv.replace(".", ","), (mv, ev)
                else:
                    assert ev == mv
    # Decimaler finns (måluppfyllelsen), så decimalkommat prövas på riktigt.
    assert any("," in v and v.replace(",", "").isdigit() for a in e_avsnitt for r in a for v in r)


def test_berakna_csv_har_manader_och_summor(kor):
    ut = kor("berakna", "-f", "csv").ut
    _rader, manader, summor = ut.split("\n\n")
    m = manader.splitlines()
    assert m[0] == "manad,anslag_kr,tillagg_kr,avrakning_kr,summa_kr" and len(m) == 13
    j = json.loads(kor("berakna", "-f", "json").ut)
    assert [r.split(",")[2] for r in m[1:]] == [x["belopp_kr"] for x in j["tillagg"]["manader"]]
    s = dict(r.split(",") for r in summor.strip().splitlines()[1:])
    assert s["tillagg_kr"] == "263497958" and s["summa_kr"] == j["summa_kr"]
    assert sum(D(r.split(",")[4]) for r in m[1:]) == D(j["summa_kr"])


# --- uttag sparade av Excel ---------------------------------------------------------------------------------


def _uttag() -> list[tuple[str, str, str, int]]:
    """Exempeluttaget, med några antal över tusen (så att tusentalsavgränsaren prövas)."""
    rader = []
    for i, rad in enumerate((EX / "produktion_2026.csv").read_text(encoding="utf-8").splitlines()[1:]):
        u, r, m, a = rad.split(",")
        rader.append((u, r, m, int(a) * (17 if i % 5 == 0 else 1)))
    return rader


def _svenskt_antal(a: int, i: int, mellanrum: str = "\u00a0") -> str:
    text = f"{a:,}".replace(",", mellanrum)
    return text + (",00" if i % 3 == 0 else "")


def skriv_uttag(tmp_path: Path) -> dict[str, Path]:
    rader = _uttag()
    filer = {}
    filer["maskin"] = tmp_path / "maskin.csv"
    filer["maskin"].write_text("utforare,rad,manad,antal\n" + "".join(f"{u},{r},{m},{a}\n" for u, r, m, a in rader),
                               encoding="utf-8")
    excel = "Utforare;Rad;Manad;Antal\r\n" + "".join(f"{u};{r};{m};{_svenskt_antal(a, i)}\r\n"
                                                      for i, (u, r, m, a) in enumerate(rader))
    filer["excel"] = tmp_path / "excel.csv"
    filer["excel"].write_bytes(b"\xef\xbb\xbf" + excel.encode("utf-8"))
    filer["cp1252"] = tmp_path / "cp1252.csv"
    filer["cp1252"].write_bytes(excel.encode("cp1252"))
    assert b"\xa0" in filer["cp1252"].read_bytes()           # hårt mellanslag i cp1252: inte UTF-8
    filer["xlsx"] = tmp_path / "uttag.xlsx"
    wb = xlsxwriter.Workbook(str(filer["xlsx"]))
    ws = wb.add_worksheet("Uttag")
    ws.write_row(0, 0, ["UTFORARE", "Rad", "manad", "Antal"])
    datum = wb.add_format({"num_format": "yyyy-mm"})
    from datetime import datetime

    for i, (u, r, m, a) in enumerate(rader, start=1):
        ws.write_string(i, 0, u)
        ws.write_string(i, 1, r)
        if i % 4 == 0:          # Excel gör "2026-03" till ett datum, 2026-03-01
            ws.write_datetime(i, 2, datetime(int(m[:4]), int(m[5:]), 1), datum)
        else:
            ws.write_string(i, 2, m)
        ws.write_number(i, 3, float(a) if i % 2 else a)
    wb.close()
    return filer


def test_samma_uttag_i_varje_excelformat_ger_samma_berakning(kor, kor_in, tmp_path):
    filer = skriv_uttag(tmp_path)
    resultat = {}
    for namn, fil in filer.items():
        k = kor("berakna", "--utfall", fil, "-f", "json")
        assert k.kod == 0, (namn, k)
        resultat[namn] = json.loads(k.ut)
    k = kor_in("berakna", "--utfall", "-", "-f", "json", input=filer["xlsx"].read_bytes())
    assert k.exit_code == 0, k.stderr
    resultat["xlsx på standard in"] = json.loads(k.stdout)
    k = kor_in("berakna", "--utfall", "-", "-f", "json", input=filer["cp1252"].read_bytes())
    assert k.exit_code == 0, k.stderr
    resultat["cp1252 på standard in"] = json.loads(k.stdout)
    forvantat = resultat.pop("maskin")
    assert forvantat["tillagg"]["summa_kr"] != "0"
    for namn, r in resultat.items():
        # Källornas platser skiljer sig mellan filerna; siffrorna gör det inte.
        assert r == forvantat, namn


def test_uttagets_platser_i_xlsx_namnger_blad_och_cell(kor, tmp_path):
    filer = skriv_uttag(tmp_path)
    k = kor("forklara", HUD, "--utfall", filer["xlsx"])
    assert k.kod == 0
    assert "uttag.xlsx:Uttag!A" in k.ut


def test_felaktiga_celler_i_xlsx_far_blad_och_cell(kor, tmp_path):
    p = tmp_path / "utfall.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Blad1")
    ws.write_row(0, 0, ["utforare", "rad", "manad", "antal"])
    for i in range(1, 16):
        ws.write_row(i, 0, ["SV", HUD, f"2026-{(i % 12) + 1:02d}", 1])
    ws.write_row(16, 0, ["SV", HUD, "2026-01", 12.5])          # D17
    ws.write_row(17, 0, ["XX", "okand.rad", "2026-13", -1])     # A18, C18, D18
    ws.write_row(18, 0, ["SV", HUD, "2026-02"])                 # D19 saknas
    ws.write_row(19, 0, ["SV", HUD, "2026-02", "tio"])          # D20
    wb.close()
    k = kor("berakna", "--utfall", p)
    assert k.kod == 2 and k.ut == ""
    assert k.fel.splitlines() == [
        "utfall.xlsx:Blad1!D17: antal: antal 12.5 är inte ett heltal",
        "utfall.xlsx:Blad1!A18: utforare: okänd utförare 'XX' (med volymer: SV)",
        "utfall.xlsx:Blad1!C18: manad: 2026-13 finns inte (ange ÅÅÅÅ-MM)",
        "utfall.xlsx:Blad1!D18: antal: antal -1 är negativt; ska vara ett icke-negativt heltal",
        "utfall.xlsx:Blad1!D19: antal: antal saknas",
        "utfall.xlsx:Blad1!D20: antal: antal 'tio' är inte ett tal; ska vara ett icke-negativt heltal"]


def test_bladet_valjs_med_blad(kor, tmp_path):
    p = tmp_path / "tva.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    forst = wb.add_worksheet("Anteckningar")
    forst.write(0, 0, "inget uttag här")
    ws = wb.add_worksheet("Produktion juli")
    ws.write_row(0, 0, ["utforare", "rad", "manad", "antal"])
    ws.write_row(1, 0, ["SV", HUD, "2026-07", 4000])
    ws.write_row(2, 0, ["SV", "x", "2026-07", 1])
    wb.close()
    k = kor("berakna", "--utfall", p)
    assert k.kod == 2 and "tva.xlsx:Anteckningar!A1: okänd kolumn 'inget uttag här'" in k.fel
    k = kor("berakna", "--utfall", p, "--blad", "produktion juli")
    assert k.kod == 2 and k.fel.strip() == "tva.xlsx:'Produktion juli'!B3: rad: okänt rad-id 'x' för SV"
    k = kor("berakna", "--utfall", p, "--blad", "Saknas")
    assert k.kod == 2 and k.fel.strip() == ("tva.xlsx:1:1: bladet 'Saknas' finns inte (bladen: Anteckningar, "
                                            "Produktion juli; --blad)")
    k = kor("berakna", "--utfall", EX / "produktion_2026.csv", "--blad", "Blad1")
    assert k.kod == 2 and k.fel.strip() == ("--blad: 'Blad1': bladet gäller utfallsfiler i xlsx, och ingen av "
                                            "utfallsfilerna är en arbetsbok")


def test_xls_och_trasig_zip_vagras_med_en_rad(kor, tmp_path):
    xls = tmp_path / "gammal.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    k = kor("berakna", "--utfall", xls)
    assert k.kod == 2 and k.fel.strip() == ("gammal.xls:1:1: filen är en .xls (Excel 97–2003); spara den som "
                                            "Excel-arbetsbok (.xlsx) eller som CSV och läs den igen")
    trasig = tmp_path / "trasig.xlsx"
    trasig.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    k = kor("berakna", "--utfall", trasig)
    assert k.kod == 2 and "trasig.xlsx:1:1: filen ser ut som en zip-fil (xlsx) men går inte att läsa" in k.fel
    zipfil = tmp_path / "annat.zip"
    with zipfile.ZipFile(zipfil, "w") as z:
        z.writestr("hej.txt", "hej")
    k = kor("berakna", "--utfall", zipfil)
    assert k.kod == 2 and "annat.zip:1:1: filen är en zip-fil men ingen Excel-arbetsbok (xlsx)" in k.fel


def test_svenska_antal_i_semikolonfil(kor, tmp_path):
    """I en semikolonfil är `1 234` och `12,00` heltal; `12,5` är inget antal. I en kommafil gäller
    maskinformatet."""
    p = tmp_path / "s.csv"
    p.write_text(f"utforare;rad;manad;antal\nSV;{HUD};2026-01;4 000\nSV;{HUD};2026-02;12,00\n"
                 f"SV;{HUD};2026-03;12,5\n", encoding="utf-8")
    k = kor("berakna", "--utfall", p)
    kolumn = len(f"SV;{HUD};2026-03;") + 1
    assert k.kod == 2 and k.fel.strip() == f"s.csv:4:{kolumn}: antal: antal 12,5 är inte ett heltal"
    p.write_text(f"utforare;rad;manad;antal\nSV;{HUD};2026-01;4 000\nSV;{HUD};2026-02;12,00\n", encoding="utf-8")
    j = json.loads(kor("berakna", "--utfall", p, "-f", "json").ut)
    assert next(r for r in j["tillagg"]["rader"] if r["id"] == HUD)["utfall"] == "4012"
    q = tmp_path / "k.csv"
    q.write_text(f'utforare,rad,manad,antal\nSV,{HUD},2026-01,"4 000"\n', encoding="utf-8")
    k = kor("berakna", "--utfall", q)
    assert k.kod == 2 and "antal" in k.fel


def test_rubriker_i_valfritt_skiftlage(kor, tmp_path):
    p = tmp_path / "u.csv"
    p.write_text(f"UTFORARE,Rad,Manad,ANTAL\nSV,{HUD},2026-01,4000\n", encoding="utf-8")
    a = json.loads(kor("berakna", "--utfall", p, "-f", "json").ut)
    p.write_text(f"utforare,rad,manad,antal\nSV,{HUD},2026-01,4000\n", encoding="utf-8")
    b = json.loads(kor("berakna", "--utfall", p, "-f", "json").ut)
    assert a == b


def test_bade_utf8_och_cp1252_som_inte_gar_att_lasa(kor, tmp_path):
    p = tmp_path / "u.csv"
    p.write_bytes(f"utforare;rad;manad;antal\nSV;{HUD};2026-01;1\xa0000\nSV;x\x81;2026-01;1\n".encode("latin-1"))
    k = kor("berakna", "--utfall", p)
    assert k.kod == 2 and k.fel.splitlines() == [
        "u.csv:2:37: filen är inte UTF-8 (byte 0xa0); den lästes som Windows-1252 (cp1252)",
        "u.csv:3:5: filen är varken UTF-8 eller Windows-1252 (byte 0x81)"]


def test_utbetala_som_arbetsbok(kor, tmp_path):
    wb, j, _ = arbetsbok(kor, tmp_path, "utbetala", "--manad", "2026-08", "--utfall", EX / "produktion_2026.csv")
    kontrollera_blad(wb, ["Utbetalning"])
    jmf = Jamforelse(wb)
    rader, fakta = tabell(wb["Utbetalning"])
    komponenter, summor = rader[:len(j["rader"])], rader[len(j["rader"]):]
    for r, k in zip(komponenter, j["rader"]):
        assert (r["Id"].value, r["Komponent"].value) == (k["id"], k["namn"])
        jmf(r["Rätt hittills (kr)"], k["ratt_hittills_kr"])
        jmf(r["Betalt före (kr)"], k["betalt_fore_kr"])
        jmf(r["Månadens belopp (kr)"], k["belopp_kr"])
        jmf(r["Varav efterreglering (kr)"], k["efterreglering_kr"])
        jmf(r["Utom efterreglering (kr)"], k["manadens_kr"])
        jmf(r["Bokfört (kr)"], k["bokfort_kr"])
        assert r["Kreditering"].value == ("ja" if k["kreditering"] else "nej")
    assert len(summor) == 4
    for r, nyckel in zip(summor, ("anslag_kr", "tillagg_kr", "avrakning_kr", "summa_kr")):
        jmf(r["Månadens belopp (kr)"], j[nyckel])
    jmf(summor[-1]["Varav efterreglering (kr)"], j["efterreglering_kr"])
    jmf(summor[-1]["Bokfört (kr)"], j["bokfort_kr"])
    assert fakta["Bokförd i journalen"].value == ("ja" if j["bokford"] else "nej")
    jmf.alla_jamforda()
    assert antaganden_i_kallbladet(wb) == j["antaganden"]


def test_varje_rapportkommando_finns_i_varje_format():
    """Registret i visning: varje kommando som tar --format har en funktion i varje formatmodul, också
    xlsx (ett nytt kommando utan arbetsbok ger annars ett fel i stället för en arbetsbok)."""
    import importlib
    import inspect

    from vgr_ersattning.visning import FORMAT

    kommandon = {"kalender"}
    for c in app.registered_commands:
        namn = c.name or c.callback.__name__
        if "format" in inspect.signature(c.callback).parameters:
            kommandon.add(namn)
    assert {"berakna", "kontrollera", "prognos", "antaganden"} <= kommandon
    for format, modul in FORMAT.items():
        m = importlib.import_module(modul)
        saknas = sorted(k for k in kommandon if not callable(getattr(m, k, None)))
        assert not saknas, f"{format} saknar {saknas}"
