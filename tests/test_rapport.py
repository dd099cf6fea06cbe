"""Månadens rapport till nämnden (regelboken §25): dess delar är samma siffror som kommandona den samlar
(`utbetala`, `berakna`, `prognos`, `uppfoljning`), i JSON, i terminalen och i arbetsboken, som läses
tillbaka med openpyxl och jämförs cell för cell med JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

ROT = Path(__file__).resolve().parents[1]
EX = ROT / "examples"
AUGUSTI = ("rapport", "--manad", "2026-08", "--utfall", EX / "produktion_2026.csv")


def _json(kor, *args):
    k = kor(*args, "-f", "json")
    assert k.kod == 0, k
    return json.loads(k.ut)


def D(v) -> Decimal:
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


def test_rapportens_delar_ar_kommandonas_siffror(kor):
    j = _json(kor, *AUGUSTI)
    utfall = EX / "produktion_2026.csv"
    assert (j["utforare"], j["namn"], j["manad"]) == ("SV", "Sjukhusen i väster", "2026-08")
    assert j["utbetalning"] == _json(kor, "utbetala", "--manad", "2026-08", "--utfall", utfall)
    assert j["prognos"] == _json(kor, "prognos", "--utfall", utfall, "-t", "2026-08")
    # Indikatorerna som ska rapporteras i augusti: månadens och delåret (tertial 2).
    assert [t["period"] for t in j["uppfoljning"]] == ["2026-08", "2026-T2"]
    for t in j["uppfoljning"]:
        assert t == _json(kor, "uppfoljning", "--utfall", utfall, "--period", t["period"])
    b = _json(kor, "berakna", "--utfall", utfall, "-t", "2026-08")
    # Produktionen hittills per rad är berakna:s; månaden är skillnaden mot juli.
    juli = {r["id"]: r for r in _json(kor, "berakna", "--utfall", utfall, "-t", "2026-07")["tillagg"]["rader"]}
    for x, r in zip(j["produktion"]["rader"], b["tillagg"]["rader"]):
        assert (x["id"], x["namn"], str(x["utfall_hittills"]), x["plan_hittills"]) == (r["id"], r["namn"], r["utfall"],
                                                                                      r["plan"])
        assert x["utfall_manad"] == int(r["utfall"]) - int(juli[r["id"]]["utfall"])
        assert abs(D(x["plan_manad"]) - (D(r["plan"]) - D(juli[r["id"]]["plan"]))) <= Decimal("0.000002")
    kat = {k["id"]: k for k in j["produktion"]["kategorier"]}
    assert sum(k["utfall_hittills"] for k in kat.values()) == sum(x["utfall_hittills"] for x in j["produktion"]["rader"])
    assert kat["somatik.operation"]["namn"] == "Somatik, operation/åtgärd"
    # Året hittills: tillägget och summan är berakna:s t.o.m. augusti; månadens belopp är utbetala:s.
    ar = {x["id"]: x for x in j["ar_hittills"]}
    assert ar["tillagg"]["hittills_kr"] == b["tillagg"]["summa_kr"]
    assert ar["anslag"]["hittills_kr"] == b["anslag"]["utbetalt_kr"]
    assert ar["summa"]["hittills_kr"] == b["summa_kr"]
    assert ar["summa"]["belopp_kr"] == j["utbetalning"]["summa_kr"] == "303480608"
    # Augusti är en avräkningsmånad; utfallet har inget avräkningsutfall.
    assert j["avrakningsmanad"] is True and j["avrakning"] is None
    assert j["beslut"] == [] and j["indata"] == [str(utfall)]
    assert {"utbetalning.2026-08", "anslag", "anslag.2026-08", "tillagg", "somatik.operation.allman_kirurgi",
            "prognos.somatik.operation.allman_kirurgi"} <= set(j["forklarade"])
    assert [a["id"] for a in j["antaganden"]] == sorted((a["id"] for a in j["antaganden"]), key=lambda a: int(a[1:]))


def test_rapport_med_journal_och_beslut(kor, tmp_path):
    """Med journalen är det betalda det bokförda, och med besluten står de som gäller och
    efterregleringen: samma siffror som `utbetala` med samma val."""
    journal = tmp_path / "journal.txt"
    for m in range(1, 9):
        assert kor("utbetala", "--manad", f"2026-{m:02d}", "--utfall", EX / "produktion_2026.csv", "--journal", journal,
                   "--bokfor").kod == 0
    val = ("--manad", "2026-09", "--utfall", EX / "produktion_2026_september.csv", "--journal", journal,
           "--beslut", EX / "beslut_2026.yaml")
    fore = journal.read_bytes()
    j = _json(kor, "rapport", *val)
    assert journal.read_bytes() == fore                       # rapporten bokför aldrig
    assert j["utbetalning"] == _json(kor, "utbetala", *val)
    assert j["utbetalning"]["betalt_enligt"] == "journal"
    assert [b["nyckel"] for b in j["beslut"]] == ["tillagg.somatik.operation.allman_kirurgi", "pris.besok", "ram"]
    assert j["beslut"][2]["fore"] == "3317867" and j["beslut"][2]["efter"] == "3329867"
    assert j["avrakningsmanad"] is False and [t["period"] for t in j["uppfoljning"]] == ["2026-09"]
    t = kor("rapport", *val)
    assert t.kod == 0 and "BESLUT OCH EFTERREGLERING" in t.ut and "Beslut i kraft under 2026" in t.ut


def test_rapport_i_terminalen(kor):
    k = kor(*AUGUSTI)
    assert k.kod == 0, k
    for rubrik in ("UTBETALNING AUGUSTI 2026", "PRODUKTION MOT PLAN", "PROGNOS FÖR 2026", "AVRÄKNING AUGUSTI 2026",
                   "UPPFÖLJNING 2026-08", "UPPFÖLJNING 2026-T2", "BESLUT OCH EFTERREGLERING"):
        assert rubrik in k.ut, rubrik
    assert "Att betala augusti 2026" in k.ut and "303 480 608" in k.ut
    assert "Allmän kirurgi" in k.ut and "Antagande A7" in k.ut


def test_rapport_vagrar_en_manad_utanfor_uttaget(kor):
    k = kor("rapport", "--manad", "2026-12", "--utfall", EX / "produktion_2026.csv")
    assert k.kod == 2 and "täcker månaden" in k.fel and k.ut == ""


# --- arbetsboken ------------------------------------------------------------------------------------------


def _tabell(ws):
    """{rubrik: cell} per rad från rad 3 till första tomma raden, och etikett → cell under tabellen."""
    rubrik = [c.value for c in ws[2]]
    rader, r = [], 3
    while r <= ws.max_row and any(c.value not in (None, "") for c in ws[r]):
        rader.append({h: ws.cell(r, i + 1) for i, h in enumerate(rubrik) if h})
        r += 1
    fakta = {}
    for rad in range(r + 1, ws.max_row + 1):
        if ws.cell(rad, 1).value and ws.cell(rad, 2).value is not None:
            fakta[ws.cell(rad, 1).value] = ws.cell(rad, 2)
    return rader, fakta


class _Jamforda:
    """Varje talcell jämförs med JSON:s värde, och till sist ska alla ha jämförts."""

    def __init__(self, wb):
        self.kvar = {(ws.title, c.coordinate) for ws in wb.worksheets for rad in ws.iter_rows() for c in rad
                     if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)}

    def __call__(self, cell, vantat, delat_med=1):
        plats = f"{cell.parent.title}!{cell.coordinate}"
        if vantat is None:
            assert cell.value is None, f"{plats}: {cell.value!r}, väntade en tom cell"
            return
        assert isinstance(cell.value, (int, float)), f"{plats}: {cell.value!r} är ingen talcell"
        assert D(cell.value) == D(vantat) / delat_med, f"{plats}: {cell.value!r} ≠ {vantat!r}"
        self.kvar.discard((cell.parent.title, cell.coordinate))


def test_rapport_som_arbetsbok(kor, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    ut = tmp_path / "r.xlsx"
    k = kor(*AUGUSTI, "--format", "xlsx", "--ut", ut)
    assert k.kod == 0, k
    j = _json(kor, *AUGUSTI)
    wb = openpyxl.load_workbook(ut)
    assert wb.sheetnames == ["Utbetalning", "Året hittills", "Produktion per kategori", "Produktion per rad", "Månader",
                             "Att agera på", "Rader", "Uppföljning 2026-08", "Uppföljning 2026-T2",
                             "Källor och antaganden"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3", ws.title
    jmf = _Jamforda(wb)
    # Månadens utbetalning som en talcell: samma som utbetala.
    u = j["utbetalning"]
    rader, fakta = _tabell(wb["Utbetalning"])
    att_betala = next(r for r in rader if r["Komponent"].value == "Att betala augusti 2026")
    assert att_betala["Månadens belopp (kr)"].value == 303480608 == int(u["summa_kr"])
    assert att_betala["Månadens belopp (kr)"].number_format == "#,##0"
    per_id = {x["id"]: x for x in u["rader"]}
    for r in rader:
        x = per_id.get(r["Id"].value)
        if x is None:
            nyckel = {"Anslag": "anslag_kr", "Tillägg": "tillagg_kr", "Avräkning": "avrakning_kr"}.get(
                r["Komponent"].value, "summa_kr")
            jmf(r["Månadens belopp (kr)"], u[nyckel])
            if nyckel == "summa_kr":
                jmf(r["Varav efterreglering (kr)"], u["efterreglering_kr"])
            continue
        assert r["Komponent"].value == x["namn"]
        for h, n in (("Rätt hittills (kr)", "ratt_hittills_kr"), ("Betalt före (kr)", "betalt_fore_kr"),
                     ("Månadens belopp (kr)", "belopp_kr"), ("Varav efterreglering (kr)", "efterreglering_kr"),
                     ("Utom efterreglering (kr)", "manadens_kr"), ("Bokfört (kr)", "bokfort_kr")):
            jmf(r[h], x[n])
    per_id = {x["id"]: x for x in j["ar_hittills"]}
    for r in _tabell(wb["Året hittills"])[0]:
        x = per_id[r["Id"].value]
        for h, n in (("Betalt före månaden (kr)", "betalt_fore_kr"), ("Månadens belopp (kr)", "belopp_kr"),
                     ("Hittills i år (kr)", "hittills_kr")):
            jmf(r[h], x[n])
    for blad, lista in (("Produktion per kategori", j["produktion"]["kategorier"]),
                        ("Produktion per rad", j["produktion"]["rader"])):
        per_id = {x["id"]: x for x in lista}
        rader = _tabell(wb[blad])[0]
        for r in rader:
            if r["Id"].value == "Totalt":
                for h, n in (("Utfall i månaden (antal)", "utfall_manad"), ("Utfall hittills (antal)", "utfall_hittills")):
                    jmf(r[h], sum(x[n] for x in lista))
                for h, n in (("Plan i månaden (antal)", "plan_manad"), ("Plan hittills (antal)", "plan_hittills")):
                    assert abs(D(r[h].value) - sum(D(x[n]) for x in lista)) < Decimal("0.0001")
                    jmf.kvar.discard((blad, r[h].coordinate))
                hittills = sum(x["utfall_hittills"] for x in lista) / sum(D(x["plan_hittills"]) for x in lista)
                assert abs(D(r["Måluppfyllelse hittills (%)"].value) - hittills) < Decimal("0.000001")
                jmf.kvar.discard((blad, r["Måluppfyllelse hittills (%)"].coordinate))
                continue
            x = per_id[r["Id"].value]
            for h, n in (("Plan i månaden (antal)", "plan_manad"), ("Utfall i månaden (antal)", "utfall_manad"),
                         ("Plan hittills (antal)", "plan_hittills"), ("Utfall hittills (antal)", "utfall_hittills"),
                         ("Måluppfyllelse hittills (%)", "maluppfyllelse")):
                jmf(r[h], x[n])
        assert len(rader) == len(lista) + (blad == "Produktion per rad")
    p = j["prognos"]
    rader, fakta = _tabell(wb["Månader"])
    for r, m in zip(rader, p["manader"]):
        jmf(r["Plan hittills (antal)"], m["plan"])
        jmf(r["Utfall hittills (antal)"], m["utfall"])
        jmf(r["Prognos hittills (antal)"], m["prognos"])
    jmf(fakta["Tilläggsersättning för året, prognos (kr)"], p["tillagg_kr"])
    jmf(fakta["Rader som inte når basen"], len(p["nar_inte_basen"]))
    jmf(fakta["Rader som når taket före december"], len(p["nar_taket_tidigt"]))
    jmf(fakta["Rader med produktion utan ersättning"], len(p["utan_ersattning"]))
    per_id = {x["id"]: x for x in p["rader"]}
    utan = {x["id"]: x["antal"] for x in p["utan_ersattning"]}
    for r in _tabell(wb["Att agera på"])[0]:
        if r["Lista"].value == "Når inte basen":
            jmf(r["Antal"], per_id[r["Id"].value]["prognos_antal"])
        elif r["Lista"].value == "Produktion utan ersättning":
            jmf(r["Antal"], utan[r["Id"].value])
    for r in _tabell(wb["Rader"])[0]:
        if r["Id"].value == "Totalt":
            jmf(r["Prognos (kr)"], p["tillagg_kr"])
            for h, n in (("Bas (antal)", "bas"), ("Tillägg (antal)", "tillagg"), ("Utfall hittills (antal)", "utfall"),
                         ("Prognos (antal)", "prognos_antal"), ("Utan ersättning (antal)", "utan_ersattning")):
                jmf(r[h], sum(x[n] for x in p["rader"]))
            continue
        x = per_id[r["Id"].value]
        for h, n in (("Bas (antal)", "bas"), ("Tillägg (antal)", "tillagg"), ("Utfall hittills (antal)", "utfall"),
                     ("Plan hittills (antal)", "plan_hittills"), ("Takt (%)", "takt"), ("Prognos (antal)", "prognos_antal"),
                     ("Ersatta (antal)", "ersatta"), ("Prognos (kr)", "belopp_kr"),
                     ("Utan ersättning (antal)", "utan_ersattning")):
            jmf(r[h], x[n])
    for t in j["uppfoljning"]:
        per_id = {x["id"]: x for x in t["indikatorer"]}
        rader, fakta = _tabell(wb[f"Uppföljning {t['period']}"])
        assert [r["Id"].value for r in rader] == list(per_id)
        for r in rader:
            x = per_id[r["Id"].value]
            for h, n in (("Målvärde", "malvarde"), ("Utfall", "utfall"), ("Föregående", "foregaende")):
                v = x[n]
                if v is None or not isinstance(r[h].value, (int, float)):
                    assert r[h].value == v, (t["period"], x["id"], h)
                else:
                    jmf(r[h], v, 100 if x["enhet"] == "procent" else 1)
        bedomda = [x for x in t["indikatorer"] if x["status"] != "information"]
        jmf(fakta["Uppfyllda"], sum(1 for x in bedomda if x["status"] == "uppfyllt"))
        jmf(fakta["Bedömda"], len(bedomda))
    assert not jmf.kvar, f"talceller som inte jämförts med JSON: {sorted(jmf.kvar)[:20]}"
    kallor = _tabell(wb["Källor och antaganden"])[0]
    assert [r["Figur"].value for r in kallor if r["Gäller"].value == "Antagande"] == [a["id"] for a in j["antaganden"]]
