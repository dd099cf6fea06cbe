"""Regionens vy (`-u alla`): `berakna` för varje utförare med data och summorna, i tabell, JSON, CSV
och xlsx, med exemplet i examples/region (SV:s verkliga uppdrag och ett påhittat uppdrag för SU, de
medföljande priserna).

SU:s siffror är räknade för hand ur exemplets påhittade volymer, uttaget januari–augusti (8 månader)
och de verkliga priserna 2026 (SU:s kolumn), med årsbas (antagande A2): ersatta = min(utfall − bas,
tillägg) när utfallet passerat basen.

    Hud (besök, 2 503 kr):          8 × 140 = 1 120, bas 1 000, tillägg 200 → 120 × 2 503  =   300 360
    Katarakt (behandling, 35 795):  8 ×  60 =   480, bas   400, tillägg 200 →  80 × 35 795 = 2 863 600
    Koloskopi (kologastro, SU 4 914): 8 × 90 =  720, bas   600, tillägg 300 → 120 × 4 914  =   589 680
    Tilläggsersättning                                                                    3 753 640
    Anslag: 100 000 tkr × 100 % / 12 = 8 333 333,33 → 8 333 333 kr i månaden, × 8       66 666 664
    Summa utbetalt                                                                       70 420 304

Prognosen (antagande A7): planen är en tolftedel av uppdraget i månaden (A11), takten utfall / plan
hittills (8 tolftedelar), september–december planen × takten.

    Hud:       plan 100/mån, takt 1 120 / 800 = 1,4; 1 120 + 4 × 140 = 1 680 → min(680, 200) = 200 × 2 503  =   500 600
    Katarakt:  plan  50/mån, takt   480 / 400 = 1,2;   480 + 4 ×  60 =   720 → min(320, 200) = 200 × 35 795 = 7 159 000
    Koloskopi: plan  75/mån, takt   720 / 600 = 1,2;   720 + 4 ×  90 = 1 080 → min(480, 300) = 300 × 4 914  = 1 474 200
    Prognos för tilläggsersättningen                                                                      9 133 800

Utbetalningen i augusti (förhandsvisning utan journal): det som blir ersatt i augusti.

    Hud:       t.o.m. juli 980 (under basen), augusti 1 120 → 120 × 2 503  =   300 360
    Katarakt:  t.o.m. juli 420 → 20, augusti 480 → 80: 60 × 35 795        = 2 147 700
    Koloskopi: t.o.m. juli 630 → 30, augusti 720 → 120: 90 × 4 914        =   442 260
    Tillägg augusti 2 890 320; anslag augusti 8 333 333; summa            11 223 653
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from conftest import ROT

REGION = ROT / "examples" / "region"
UPPDRAG = REGION / "uppdrag_2026.yaml"
UTFALL = REGION / "produktion_2026.csv"
ALLA = ("berakna", "-u", "alla", "--uppdrag", UPPDRAG, "--utfall", UTFALL)

SU_RADER = {"somatik.forstabesok.hud": ("120", "2503", "300360"),
            "somatik.operation.katarakt": ("80", "35795", "2863600"),
            "somatik.undersokning.koloskopi": ("120", "4914", "589680")}
SU_TILLAGG, SU_ANSLAG, SU_SUMMA = Decimal(3753640), Decimal(66666664), Decimal(70420304)


def svensk(v: Decimal) -> str:
    return f"{int(v):,}".replace(",", " ")


@pytest.fixture(scope="module")
def region_json():
    from typer.testing import CliRunner

    from vgr_ersattning.cli import app

    res = CliRunner().invoke(app, [str(a) for a in ALLA] + ["--format", "json"])
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


def test_json_har_regionens_summor_och_varje_utforare(region_json):
    d = region_json
    assert [u["id"] for u in d["utforare"]] == ["SU", "SV"]
    assert set(d) >= {"tillagg_kr", "anslag_kr", "summa_kr", "utforare"}
    su = d["utforare"][0]
    assert su["till_och_med"] == "2026-08"
    assert {r["id"]: (r["ersatta"], r["pris_kr"], r["belopp_kr"]) for r in su["tillagg"]["rader"]} == SU_RADER
    assert Decimal(su["tillagg"]["summa_kr"]) == SU_TILLAGG
    assert Decimal(su["anslag"]["utbetalt_kr"]) == SU_ANSLAG
    assert Decimal(su["summa_kr"]) == SU_SUMMA


def test_regionens_summa_ar_utforarnas(region_json):
    d, u = region_json, region_json["utforare"]
    assert Decimal(d["tillagg_kr"]) == sum(Decimal(x["tillagg"]["summa_kr"]) for x in u)
    assert Decimal(d["anslag_kr"]) == sum(Decimal(x["anslag"]["utbetalt_kr"]) for x in u)
    assert Decimal(d["summa_kr"]) == sum(Decimal(x["summa_kr"]) for x in u)
    assert d["avrakning_kr"] is None


def test_varje_utforare_som_med_egen_korning(kor, region_json):
    for uid in ("SU", "SV"):
        k = kor("berakna", "-u", uid, "--uppdrag", UPPDRAG, "--utfall", UTFALL, "--format", "json")
        assert k.kod == 0, k
        ensam = json.loads(k.ut)
        assert ensam.pop("utforare") == uid
        i_regionen = next(x for x in region_json["utforare"] if x["id"] == uid)
        assert {"id": uid, **ensam} == i_regionen


def test_tabellen_har_ett_block_per_utforare_och_regionens_summa(kor, region_json):
    k = kor(*ALLA)
    assert k.kod == 0, k
    ut = k.ut
    assert ut.index("SAHLGRENSKA UNIVERSITETSSJUKHUSET (SU)") < ut.index("SJUKHUSEN I VÄSTER (SV)") < ut.index("REGIONEN")
    regionen = ut[ut.index("REGIONEN"):]
    su = next(r for r in regionen.splitlines() if r.startswith("SU "))
    assert svensk(SU_TILLAGG) in su and svensk(SU_ANSLAG) in su and svensk(SU_SUMMA) in su
    summa = next(r for r in regionen.splitlines() if r.startswith("Regionen") and "2 utförare" in r)
    for nyckel in ("tillagg_kr", "anslag_kr", "summa_kr"):
        assert svensk(Decimal(region_json[nyckel])) in summa


def test_csv_har_en_rad_per_utforare_och_summorna(kor, region_json):
    k = kor(*ALLA, "--format", "csv")
    assert k.kod == 0, k
    region, summor = k.ut.strip().split("\n\n")
    rader = list(csv.DictReader(io.StringIO(region)))
    assert [r["utforare"] for r in rader] == ["SU", "SV"]
    assert (rader[0]["tillagg_kr"], rader[0]["anslag_kr"], rader[0]["summa_kr"]) == ("3753640", "66666664", "70420304")
    poster = dict(r for r in csv.reader(io.StringIO(summor)))
    assert poster["tillagg_kr"] == region_json["tillagg_kr"] and poster["summa_kr"] == region_json["summa_kr"]


def test_arbetsboken_har_utforarnas_blad_och_regionens(kor, tmp_path, region_json):
    openpyxl = pytest.importorskip("openpyxl")
    ut = tmp_path / "region.xlsx"
    k = kor(*ALLA, "--format", "xlsx", "--ut", ut)
    assert k.kod == 0, k
    wb = openpyxl.load_workbook(ut)
    assert {"SU Rader", "SU Översikt", "SV Rader", "Regionen"} <= set(wb.sheetnames)
    varden = [[c for c in rad] for rad in wb["Regionen"].iter_rows(values_only=True)]
    rubrik = varden[1]
    rad_su = next(r for r in varden if r[0] == "SU")
    assert rad_su[rubrik.index("Tilläggsersättning (kr)")] == 3753640
    summa = next(r for r in varden if r[0] == "Regionen")
    assert summa[rubrik.index("Tilläggsersättning (kr)")] == int(region_json["tillagg_kr"])
    assert summa[rubrik.index("Summa utbetalt (kr)")] == int(region_json["summa_kr"])


def test_utforare_utan_produktion_i_uttaget_ar_inte_med(kor):
    k = kor("berakna", "-u", "alla", "--uppdrag", UPPDRAG, "--utfall", ROT / "examples" / "produktion_2026.csv",
            "--format", "json")
    assert k.kod == 0, k
    d = json.loads(k.ut)
    assert [u["id"] for u in d["utforare"]] == ["SV"]
    assert d["tillagg_kr"] == d["utforare"][0]["tillagg"]["summa_kr"]
    assert "SU har data i uppdraget men ingen produktion i utfallet" in k.fel


def test_rapport_vagrar_regionens_vy(kor):
    k = kor("rapport", "--manad", "2026-08", "-u", "alla", "--uppdrag", UPPDRAG, "--utfall", UTFALL)
    assert k.kod == 2, k
    assert "-u alla (regionens vy) finns för berakna, prognos, utbetala, inte för rapport" in k.fel
    assert k.ut == ""


def test_utbetala_for_regionen_vagrar_en_journal(kor, tmp_path):
    journal = tmp_path / "journal.txt"
    k = kor("utbetala", "--manad", "2026-01", "-u", "alla", "--uppdrag", UPPDRAG, "--utfall", UTFALL,
            "--journal", journal, "--bokfor")
    assert k.kod == 2, k
    assert "en journal gäller en utförare och ett år" in k.fel
    assert not journal.exists()


def test_utbetala_for_regionen(kor):
    argument = ("utbetala", "--manad", "2026-08", "--uppdrag", UPPDRAG, "--utfall", UTFALL, "--format", "json")
    k = kor(*argument[:1], "-u", "alla", *argument[1:])
    assert k.kod == 0, k
    d = json.loads(k.ut)
    assert [u["id"] for u in d["utforare"]] == ["SU", "SV"]
    su = d["utforare"][0]
    assert (su["tillagg_kr"], su["anslag_kr"], su["summa_kr"]) == ("2890320", "8333333", "11223653")
    for nyckel in ("anslag_kr", "tillagg_kr", "avrakning_kr", "efterreglering_kr", "summa_kr"):
        assert Decimal(d[nyckel]) == sum(Decimal(u[nyckel]) for u in d["utforare"]), nyckel
    ensam = kor(*argument[:1], "-u", "SV", *argument[1:])
    assert ensam.kod == 0, ensam
    sv = json.loads(ensam.ut)
    assert sv.pop("utforare") == "SV" and {"id": "SV", **sv} == d["utforare"][1]


def test_prognos_for_regionen(kor):
    k = kor("prognos", "-u", "alla", "--uppdrag", UPPDRAG, "--utfall", UTFALL, "--format", "json")
    assert k.kod == 0, k
    d = json.loads(k.ut)
    assert [u["id"] for u in d["utforare"]] == ["SU", "SV"]
    su = d["utforare"][0]
    assert {r["id"]: (r["prognos_antal"], r["ersatta"], r["belopp_kr"]) for r in su["rader"]} == {
        "somatik.forstabesok.hud": (1680, "200", "500600"),
        "somatik.operation.katarakt": (720, "200", "7159000"),
        "somatik.undersokning.koloskopi": (1080, "300", "1474200")}
    assert Decimal(su["tillagg_kr"]) == Decimal(9133800)
    assert Decimal(d["tillagg_kr"]) == sum(Decimal(u["tillagg_kr"]) for u in d["utforare"])
    ensam = kor("prognos", "-u", "SV", "--uppdrag", UPPDRAG, "--utfall", UTFALL, "--format", "json")
    assert ensam.kod == 0, ensam
    sv = json.loads(ensam.ut)
    assert sv.pop("utforare") == "SV" and {"id": "SV", **sv} == d["utforare"][1]
    tabell = kor("prognos", "-u", "alla", "--uppdrag", UPPDRAG, "--utfall", UTFALL)
    assert tabell.kod == 0, tabell
    summa = next(r for r in tabell.ut.splitlines() if r.startswith("Regionen") and "2 utförare" in r)
    assert svensk(Decimal(d["tillagg_kr"])) in summa


def test_exemplet_ar_de_medfoljande_uppdragen_och_ett_pahittat_su():
    """Exemplets uppdrag är de medföljande, ord för ord, med en rubrik och SU:s påhittade block: ändras
    data/uppdrag_2026.yaml ska exemplet ändras med (SV:s siffror i regionens vy är då de verkliga)."""
    from conftest import UPPDRAG_FIL

    exempel = UPPDRAG.read_text(encoding="utf-8").splitlines()
    assert "PÅHITTAT EXEMPEL" in exempel[0] and "inte ett beslut" in exempel[0]
    su = exempel.index("    at_platser: 60") + 1
    slut = next(i for i in range(su, len(exempel)) if exempel[i].startswith("  ") and not exempel[i].startswith("   "))
    utan_su = [r for i, r in enumerate(exempel) if not i < 4 and not su <= i < slut]
    assert utan_su == UPPDRAG_FIL.read_text(encoding="utf-8").splitlines(), \
        "examples/region/uppdrag_2026.yaml följer inte data/uppdrag_2026.yaml utanför SU:s påhittade block"
    assert all("PÅHITTAT EXEMPEL" in r for r in exempel[su:slut] if "kalla:" in r)


def test_exemplet_klarar_kontrollerna(kor):
    k = kor("kontrollera", "--uppdrag", UPPDRAG)
    assert k.kod == 0, k


def test_beslutsfilen_galler_sin_utforare_i_regionens_vy(kor):
    beslut = ROT / "examples" / "beslut_2026.yaml"          # beslut för SV
    argument = ("--uppdrag", UPPDRAG, "--utfall", UTFALL, "--beslut", beslut, "--format", "json")
    k = kor("prognos", "-u", "alla", *argument)
    assert k.kod == 0, k
    d = json.loads(k.ut)
    assert d["utforare"][0]["tillagg_kr"] == "9133800"       # SU: inga beslut, samma prognos som utan
    sv = json.loads(kor("prognos", "-u", "SV", *argument).ut)
    assert sv.pop("utforare") == "SV" and {"id": "SV", **sv} == d["utforare"][1]


def test_utbetala_for_regionen_med_regionhalsans_1177(kor):
    """Regionens utbetalning i juni med RH:s 1177 (`examples/rh_2026.yaml`) bredvid SU:s och SV:s produktion.
    RH:s uppdrag har bara 1177: juni betalar Q2, 68,4 % → 95 % × 675 000 = 641 250 kr (Q1 betalades i mars),
    och RH har inget anslag, tillägg eller avräkning (null, "–" i tabellen). Regionens kolumn för 1177 gör att
    varje rad summerar: anslag + tillägg + avräkning + 1177 = summa, per utförare och för regionen. Utan
    RH:s uttag är RH inte med, och en rad säger det."""
    rh = ROT / "examples" / "rh_2026.yaml"
    argument = ("utbetala", "-u", "alla", "--manad", "2026-06", "--uppdrag", UPPDRAG, "--utfall", UTFALL,
                "--utfall", rh)
    k = kor(*argument, "--format", "json")
    assert k.kod == 0, k
    d = json.loads(k.ut)
    assert [u["id"] for u in d["utforare"]] == ["SU", "SV", "RH"]
    r = d["utforare"][2]
    assert (r["anslag_kr"], r["tillagg_kr"], r["avrakning_kr"], r["malrelaterad_kr"], r["summa_kr"]) == (
        None, None, None, "641250", "641250")
    slag = ("anslag_kr", "tillagg_kr", "avrakning_kr", "malrelaterad_kr")
    for u in [*d["utforare"], d]:
        assert sum(Decimal(u[s]) for s in slag if u[s] is not None) == Decimal(u["summa_kr"]), u.get("id")
    for s in slag:
        assert Decimal(d[s]) == sum(Decimal(u[s]) for u in d["utforare"] if u[s] is not None), s
    assert d["malrelaterad_kr"] == "641250"
    csvtext = kor(*argument, "--format", "csv").ut
    tabell, summor = csvtext.split("\n\n")
    assert [(x["utforare"], x["anslag_kr"], x["malrelaterad_kr"], x["summa_kr"])
            for x in csv.DictReader(io.StringIO(tabell))][2:] == [("RH", "", "641250", "641250")]
    assert dict(list(csv.reader(io.StringIO(summor)))[1:])["malrelaterad_kr"] == "641250"
    t = kor(*argument).ut
    regionen = t[t.index("Regionen: utbetalning juni 2026"):].splitlines()
    assert "Målrelaterad 1177" in regionen[1]
    assert next(x for x in regionen if x.startswith("RH ")).split() == [
        "RH", "Regionhälsan", "–", "–", "–", "641", "250", "0", "641", "250"]
    utan = kor("utbetala", "-u", "alla", "--manad", "2026-06", "--uppdrag", UPPDRAG, "--utfall", UTFALL, "-f", "json")
    assert [u["id"] for u in json.loads(utan.ut)["utforare"]] == ["SU", "SV"]
    assert json.loads(utan.ut)["malrelaterad_kr"] is None
    assert ("-u alla: RH har bara målrelaterad ersättning 1177 i uppdraget men inget 1177-resultat i utfallet och "
            "är inte med") in utan.fel
