"""Efterreglering: ett beslut vars `fran` ligger före en redan bokförd månad gäller bakåt, och nästa
utbetalning visar den del som räknar om de bokförda månaderna på en egen rad (regelboken §18–§19).

Räkningarna är gjorda för hand ur `data/uppdrag_2026.yaml` (SV), `data/priser_2026.yaml` och
exemplens uttag. Januari–augusti är bokförda ur augustiuttaget (`examples/produktion_2026.csv`) utan
beslutet; september betalas ur septemberuttaget (`examples/produktion_2026_september.csv`) med det.
Septemberuttaget har kardiologins operationer i juli sänkta från 14 till 0 och hudens förstabesök i
juli från 305 till 185, och produktion i september; månaderna januari–juni är desamma.

Operationernas produktion per månad (januari–september, septemberuttaget) och hittills t.o.m. augusti:

    rad              bas  tillägg  per månad                                 t.o.m. aug  ersatta aug
    allman_kirurgi  3543   3057    629 642 696 629 660 593 366 525 2000      4740        1197
    axelprotes        28     62     13  13  13  12  14  12   8  10   10        95          62 (67 − tak)
    gynekologi      1210    640    169 163 176 162 168 162  97 129  129      1226          16
    hoft_knaprotes   525    305     74  75  75  71  77  70  39  62   62       543          18
    kardiologi       137    143     25  27  25  24  25  23   0  19    0       168          31
    urologi          714    736    127 129 136 122 135 117  74 108  108       948         234

Axelprotesernas hittills per månad: 13, 26, 39, 51, 65, 77, 85, 95, 105; ersatta utan beslut
min(max(u − 28, 0), 62): 0, 0, 11, 23, 37, 49, 57, 62, 62. Ingen operationsrad har passerat sin bas
i februari (hittills t.o.m. februari under basen på varje rad), så ersatta t.o.m. februari är 0.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from conftest import ROT
from vgr_ersattning.kalkyl.utbetalning import berakna, ratt_hittills, utbetala
from vgr_ersattning.kommandon.rapporter import Utbetalningsrapport
from vgr_ersattning.modell_indata import Arsbeslut, Beslutsandring
from vgr_ersattning.visning import Rapport, rendera

EX = ROT / "examples"
AUG = EX / "produktion_2026.csv"
SEP = EX / "produktion_2026_september.csv"
OP = "somatik.operation."
AXEL = f"tillagg:{OP}axelprotes"
KARDIO = f"tillagg:{OP}kardiologi"
DRG = 35795


def _produktion(fil: Path) -> dict[str, list[int]]:
    prod: dict[str, list[int]] = {}
    with open(fil, encoding="utf-8", newline="") as f:
        for rad in csv.DictReader(f):
            prod.setdefault(rad["rad"], [0] * 12)[int(rad["manad"][5:]) - 1] += int(rad["antal"])
    return prod


def _beslut(*andringar, organ="delegation", datum="2026-09-10", fran="2026-03") -> Arsbeslut:
    return Arsbeslut(organ=organ, datum=datum, fran=fran, kalla="test",
                     andringar=[Beslutsandring(**a) for a in andringar])


def _september(uppdrag, priser, beslut):
    """September ur septemberuttaget med beslutet, mot en journal med januari–augusti bokförda ur
    augustiuttaget utan beslutet. Det bokförda är summan av månadernas utbetalningar, alltså rätten
    hittills t.o.m. augusti ur augustiuttaget (regelboken §19); `tidigare` är septemberuttaget utan
    beslutet."""
    aug = berakna(uppdrag, priser, "SV", _produktion(AUG), None, 8)
    journal = ratt_hittills(aug, 8)
    sep = _produktion(SEP)
    b = berakna(uppdrag, priser, "SV", sep, None, 9, beslut=[beslut])
    tidigare = berakna(uppdrag, priser, "SV", sep, None, 9)
    return utbetala(b, 9, journal, tidigare), b, tidigare


def _omrakning(b, tidigare, komponent: str) -> list[D]:
    """Rätten hittills med beslutet minus utan, t.o.m. januari … augusti: vilka månader som räknas om."""
    return [ratt_hittills(b, t)[komponent] - ratt_hittills(tidigare, t)[komponent] for t in range(1, 9)]


# --- kärnan ------------------------------------------------------------------------------------------


def test_hojt_tillagg_fran_mars_raknar_om_bara_augusti(uppdrag, priser):
    """Axelproteser: tillägget höjs med 20 till 82 från mars (20 × 35 795 = 715 900 kr vid full leverans,
    inom delegationen). Mars–juli ersattes 11, 23, 37, 49, 57, under både det gamla och det nya taket:
    de månaderna räknas inte om. Augusti: 95 − 28 = 67, utan beslutet taket 62, med det 67: augusti räknas om med
    5 × 35 795 = 178 975 kr. September: 105 − 28 = 77 ≤ 82, månadens egna 10 × 35 795 = 357 950 kr.
    Rätt hittills 77 × 35 795 = 2 756 215, betalt 62 × 35 795 = 2 219 290, belopp 15 × 35 795 = 536 925 =
    178 975 + 357 950. Kardiologin: ingen efterreglering, julirevisionen −14 × 35 795 = −501 130 kr är
    månadens."""
    u, b, tidigare = _september(uppdrag, priser, _beslut({"id": f"{OP}axelprotes", "falt": "tillagg", "andra": 20}))
    assert _omrakning(b, tidigare, AXEL) == [0, 0, 0, 0, 0, 0, 0, 5 * DRG]
    k = {x.komponent: x for x in u.komponenter}
    axel = k[AXEL]
    assert (axel.ratt_kr, axel.betalt_kr, axel.belopp_kr) == (D(2756215), D(2219290), D(536925))
    assert (axel.efterreglering_kr, axel.manadens_kr) == (D(178975), D(357950))
    assert axel.namn == "Tillägg somatik, operation/åtgärd: Axelprotes"
    assert (k[KARDIO].efterreglering_kr, k[KARDIO].manadens_kr, k[KARDIO].belopp_kr) == (0, D(-501130), D(-501130))
    assert {x.komponent for x in u.komponenter if x.efterreglering_kr} == {AXEL}
    assert u.efterreglering_kr == D(178975) and u.efterreglering_for("tillagg") == D(178975)
    assert u.efterreglering_for("anslag") == 0 and u.efterreglering_for("avrakning") == 0
    # Efterregleringen är en del av beloppet, inte ett tillägg till det.
    assert u.summa_kr == sum((x.manadens_kr for x in u.komponenter), D(0)) + u.efterreglering_kr


def test_sankt_tillagg_fran_mars_raknar_om_juli_och_augusti(uppdrag, priser):
    """Axelproteser: tillägget sänks med 10 till 52 från mars. Juli ersattes 57, nu 52 (−5); augusti 62,
    nu 52 (−5 till): t.o.m. juli −5 × 35 795 = −178 975, t.o.m. augusti −10 × 35 795 = −357 950 kr.
    September ersätter inget nytt (taket 52 är nått): hela beloppet −357 950 är efterreglering, en
    kreditering."""
    u, b, tidigare = _september(uppdrag, priser, _beslut({"id": f"{OP}axelprotes", "falt": "tillagg", "andra": -10}))
    assert _omrakning(b, tidigare, AXEL) == [0, 0, 0, 0, 0, 0, -5 * DRG, -10 * DRG]
    axel = next(x for x in u.komponenter if x.komponent == AXEL)
    assert (axel.belopp_kr, axel.efterreglering_kr, axel.manadens_kr, axel.kreditering) == (
        D(-357950), D(-357950), 0, True)
    assert u.efterreglering_kr == D(-357950)


def test_hojt_behandlingspris_fran_mars(uppdrag, priser):
    """DRG-priset 35 795 → 36 000 kr från mars (A6: enheter som blir ersatta från mars betalas med det nya
    priset). Ingen operationsrad hade något ersatt t.o.m. februari, så varje ersatt operation t.o.m.
    augusti räknas om med 205 kr: allmän kirurgi 1 197 × 205 = 245 385, axelproteser 62 × 205 = 12 710,
    gynekologi 16 × 205 = 3 280, höft- och knäproteser 18 × 205 = 3 690, kardiologi 31 × 205 = 6 355
    (septemberuttagets juli), urologi 234 × 205 = 47 970; summa 1 558 × 205 = 319 390 kr. Besöken och
    koloskopierna har andra priser: ingen efterreglering. Allmän kirurgi i september: 6 740 − 3 543 =
    3 197, taket 3 057: 1 860 nya × 36 000 = 66 960 000 kr; beloppet 3 057 × 36 000 − 1 197 × 35 795 =
    110 052 000 − 42 846 615 = 67 205 385 = 245 385 + 66 960 000."""
    u, _, _ = _september(uppdrag, priser, _beslut({"pris": "behandling", "satt": 36000},
                                                  organ="operativa hälso- och sjukvårdsnämnden"))
    vantat = {"allman_kirurgi": 245385, "axelprotes": 12710, "gynekologi": 3280, "hoft_knaprotes": 3690,
              "kardiologi": 6355, "urologi": 47970}
    assert {x.komponent: x.efterreglering_kr for x in u.komponenter if x.efterreglering_kr} == {
        f"tillagg:{OP}{rid}": D(v) for rid, v in vantat.items()}
    assert u.efterreglering_kr == D(319390)
    ak = next(x for x in u.komponenter if x.komponent == f"tillagg:{OP}allman_kirurgi")
    assert (ak.belopp_kr, ak.manadens_kr) == (D(67205385), D(66960000))
    axel = next(x for x in u.komponenter if x.komponent == AXEL)
    assert (axel.belopp_kr, axel.efterreglering_kr, axel.manadens_kr) == (D(12710), D(12710), 0)


def test_hojd_ram_fran_maj(uppdrag, priser):
    """Ramen 3 317 867 → 3 329 867 tkr från maj (§18:s ramregel). Utan beslutet 3 317 867 000 / 12 =
    276 488 916,67 → 276 488 917 kr varje månad januari–november. Med beslutet januari–april
    4 × 276 488 917 = 1 105 955 668; maj (3 329 867 000 − 1 105 955 668) / 8 = 277 988 916,5 → 277 988 917;
    juni 1 945 922 415 / 7 = 277 988 916,43 → 277 988 916; juli 1 667 933 499 / 6 = 277 988 916,5 →
    277 988 917; augusti 1 389 944 582 / 5 = 277 988 916,4 → 277 988 916; september 1 111 955 666 / 4 =
    277 988 916,5 → 277 988 917. Maj–augusti räknas om med 1 500 000 + 1 499 999 + 1 500 000 + 1 499 999 =
    5 999 998 kr. September: rätt 2 495 900 251 − betalt 8 × 276 488 917 = 2 211 911 336 → 283 988 915 =
    5 999 998 + 277 988 917."""
    u, b, tidigare = _september(uppdrag, priser, _beslut({"ram_tkr": 3329867},
                                                         organ="operativa hälso- och sjukvårdsnämnden", fran="2026-05"))
    assert _omrakning(b, tidigare, "anslag") == [0, 0, 0, 0, D(1500000), D(2999999), D(4499999), D(5999998)]
    a = next(x for x in u.komponenter if x.komponent == "anslag")
    assert (a.ratt_kr, a.betalt_kr, a.belopp_kr) == (D(2495900251), D(2211911336), D(283988915))
    assert (a.efterreglering_kr, a.manadens_kr) == (D(5999998), D(277988917))
    assert u.efterreglering_kr == D(5999998) and u.efterreglering_for("tillagg") == 0


def test_utan_tidigare_ingen_efterreglering(uppdrag, priser):
    """Utan `tidigare` (inget nytt beslut) är efterregleringen 0 och månadens del hela beloppet."""
    b = berakna(uppdrag, priser, "SV", _produktion(SEP), None, 9,
                beslut=[_beslut({"id": f"{OP}axelprotes", "falt": "tillagg", "andra": 20})])
    u = utbetala(b, 9, ratt_hittills(b, 8))
    assert u.efterreglering_kr == 0 and all(x.manadens_kr == x.belopp_kr for x in u.komponenter)
    assert all(isinstance(x.efterreglering_kr, D) for x in u.komponenter)


def test_utan_journal_ar_betalt_ratten_med_de_tidigare_besluten(uppdrag, priser):
    """Utan journal med `tidigare`: det betalda är rätten t.o.m. augusti utan beslutet (62 ersatta,
    2 219 290 kr), och efterregleringen 178 975 är en del av septemberbeloppet 536 925, som med journalen."""
    beslut = _beslut({"id": f"{OP}axelprotes", "falt": "tillagg", "andra": 20})
    sep = _produktion(SEP)
    b = berakna(uppdrag, priser, "SV", sep, None, 9, beslut=[beslut])
    u = utbetala(b, 9, None, berakna(uppdrag, priser, "SV", sep, None, 9))
    axel = next(x for x in u.komponenter if x.komponent == AXEL)
    assert u.betalt_ur_journal is False
    assert (axel.betalt_kr, axel.belopp_kr, axel.efterreglering_kr, axel.manadens_kr) == (
        D(2219290), D(536925), D(178975), D(357950))


# --- renderarna med en rapport byggd för hand -----------------------------------------------------------


def _rapport(uppdrag, priser, **falt) -> Utbetalningsrapport:
    u, _, _ = _september(uppdrag, priser, _beslut({"id": f"{OP}axelprotes", "falt": "tillagg", "andra": 20}))
    return Utbetalningsrapport(u, falt.pop("bokford", False), {}, **falt)


def test_renderarna_visar_efterregleringen(uppdrag, priser, tmp_path):
    r = _rapport(uppdrag, priser)
    j = json.loads(rendera("json", "utbetala", Rapport(r)))
    assert (j["efterreglering_kr"], j["kvittens"], j["bokfort_kr"], j["differens_kr"], j["bokford"]) == (
        "178975", None, None, None, False)
    rad = next(x for x in j["rader"] if x["id"] == AXEL)
    assert (rad["namn"], rad["belopp_kr"], rad["efterreglering_kr"], rad["manadens_kr"], rad["bokfort_kr"]) == (
        "Tillägg somatik, operation/åtgärd: Axelprotes", "536925", "178975", "357950", None)
    t = rendera("tabell", "utbetala", Rapport(r, bredd=160))
    rader = t.splitlines()
    i = next(n for n, x in enumerate(rader) if x.startswith("Tillägg somatik, operation/åtgärd: Axelprotes"))
    assert rader[i + 1].split() == ["varav", "efterreglering", "av", "bokförda", "månader", "178", "975"]
    assert "tillagg:" not in t and "tillägg somatik.operation" not in t
    assert "Efterreglering: ett beslut som gäller från en månad som redan är bokförd" in t
    text = rendera("csv", "utbetala", Rapport(r))
    komponenter, summor = text.split("\n\n")
    rubrik, *csvrader = list(csv.reader(komponenter.splitlines()))
    axel = dict(zip(rubrik, next(x for x in csvrader if x[1] == AXEL)))
    assert (axel["namn"], axel["efterreglering_kr"], axel["manadens_kr"], axel["belopp_kr"]) == (
        "Tillägg somatik, operation/åtgärd: Axelprotes", "178975", "357950", "536925")
    assert dict(list(csv.reader(summor.splitlines()))[1:])["efterreglering_kr"] == "178975"
    fil = tmp_path / "u.xlsx"
    fil.write_bytes(rendera("xlsx", "utbetala", Rapport(r)))
    ws = openpyxl.load_workbook(fil)["Utbetalning"]
    rubrik = [c.value for c in ws[2]]
    axel = {h: c.value for h, c in zip(rubrik, next(r for r in ws.iter_rows(min_row=3) if r[0].value == AXEL))}
    assert (axel["Komponent"], axel["Månadens belopp (kr)"], axel["Varav efterreglering (kr)"],
            axel["Utom efterreglering (kr)"]) == ("Tillägg somatik, operation/åtgärd: Axelprotes", 536925, 178975,
                                                  357950)
    summa = {h: c.value for h, c in zip(rubrik, next(r for r in ws.iter_rows(min_row=3)
                                                    if str(r[1].value).startswith("Att betala")))}
    assert (summa["Varav efterreglering (kr)"], summa["Bokfört (kr)"]) == (178975, None)
    fakta = {r[0].value: r[1].value for r in ws.iter_rows(min_row=3) if isinstance(r[0].value, str)}
    assert fakta["Bokförd i journalen"] == "nej" and "Differens mot det bokförda (kr)" not in fakta


def test_renderarna_visar_kvittensen_nar_manaden_bokfors(uppdrag, priser, tmp_path):
    hex_ = "ab" * 32
    r = _rapport(uppdrag, priser, bokford=True, kvittens=hex_)
    assert json.loads(rendera("json", "utbetala", Rapport(r)))["kvittens"] == hex_
    t = rendera("tabell", "utbetala", Rapport(r, bredd=200))
    assert f"Kvittens: {hex_}, spara den utanför journalen." in t and "Bokförd i journalen: september 2026." in t
    assert "redan bokförd" not in t
    summor = dict(list(csv.reader(rendera("csv", "utbetala", Rapport(r)).split("\n\n")[1].splitlines()))[1:])
    assert (summor["bokford"], summor["kvittens"]) == ("ja", hex_)


def test_renderarna_visar_en_redan_bokford_manad(uppdrag, priser, tmp_path):
    """Förhandsvisning av en bokförd månad: det bokförda per komponent, summan och skillnaden. Här är
    september bokförd med 1 000 kr mindre i anslag än uttaget nu ger, och axelprotesernas rad saknas i
    bokföringen (0)."""
    r0 = _rapport(uppdrag, priser)
    u = r0.resultat
    bokfort = {k.komponent: k.belopp_kr for k in u.komponenter if k.komponent != AXEL}
    bokfort["anslag"] -= 1000
    bokfort_kr = u.summa_kr - 1000 - D(536925)
    r = r0._replace(bokford=True, kvittens="cd" * 32, bokfort=bokfort, bokfort_kr=bokfort_kr,
                    differens_kr=D(1000) + D(536925))
    j = json.loads(rendera("json", "utbetala", Rapport(r)))
    assert (j["bokford"], j["bokfort_kr"], j["differens_kr"]) == (True, str(bokfort_kr), "537925")
    rader = {x["id"]: x for x in j["rader"]}
    assert (rader["anslag"]["bokfort_kr"], rader[AXEL]["bokfort_kr"]) == ("276487917", "0")
    t = " ".join(rendera("tabell", "utbetala", Rapport(r, bredd=300)).split())
    assert (f"September 2026 är redan bokförd i journalen: bokfört {_svensk(bokfort_kr)} kr; det nuvarande uttaget "
            f"ger {_svensk(u.summa_kr)} kr, skillnad 537 925 kr") in t
    assert "Kvittens för den bokförda månaden: " + "cd" * 32 in t and "spara den utanför" not in t
    fil = tmp_path / "u.xlsx"
    fil.write_bytes(rendera("xlsx", "utbetala", Rapport(r)))
    ws = openpyxl.load_workbook(fil)["Utbetalning"]
    fakta = {c[0].value: c[1].value for c in ws.iter_rows(min_row=3) if isinstance(c[0].value, str)}
    assert (fakta["Bokförd i journalen"], fakta["Differens mot det bokförda (kr)"]) == ("ja", 537925)
    assert fakta["Kvittens (spara den utanför journalen)"] == "cd" * 32
    rubrik = [c.value for c in ws[2]]
    rader = [{h: c.value for h, c in zip(rubrik, x)} for x in ws.iter_rows(min_row=3)]
    assert next(x for x in rader if x["Id"] == "anslag")["Bokfört (kr)"] == 276487917
    assert next(x for x in rader if x["Id"] == AXEL)["Bokfört (kr)"] == 0
    assert next(x for x in rader if str(x["Komponent"]).startswith("Att betala"))["Bokfört (kr)"] == int(bokfort_kr)


def _svensk(v: D) -> str:
    return f"{int(v):,}".replace(",", " ")


# --- hela kedjan genom CLI:t --------------------------------------------------------------------------


@pytest.fixture
def beslutsfil(tmp_path) -> Path:
    f = tmp_path / "beslut_axel.yaml"
    f.write_text("utforare: SV\nar: 2026\nbeslut:\n  - organ: delegation\n    datum: 2026-09-10\n"
                 "    fran: 2026-03\n    kalla: \"Delegationsbeslut 2026-09-10 om axelproteser (test)\"\n"
                 "    andringar:\n      - {id: somatik.operation.axelprotes, falt: tillagg, andra: 20}\n",
                 encoding="utf-8")
    return f


def test_cli_september_med_beslut_bakat_visar_efterregleringen(kor, tmp_path, beslutsfil):
    """Januari–augusti bokförda utan beslutet; septemberbeslutet gäller från mars. Förhandsvisningen av
    september visar 178 975 kr efterreglering för axelproteserna (se kärnans test); när september bokförs
    med beslutet är beslutet känt, och oktober har ingen efterreglering."""
    journal = tmp_path / "journal.txt"
    for m in range(1, 9):
        k = kor("utbetala", "--manad", f"2026-{m:02d}", "--utfall", AUG, "--journal", journal, "--bokfor", "-f", "json")
        assert k.kod == 0, k
    argv = ("utbetala", "--manad", "2026-09", "--utfall", SEP, "--journal", journal, "--beslut", beslutsfil)
    j = json.loads(kor(*argv, "-f", "json").ut)
    assert j["efterreglering_kr"] == "178975" and j["bokford"] is False and j["kvittens"] is None
    rad = next(x for x in j["rader"] if x["id"] == AXEL)
    assert (rad["belopp_kr"], rad["efterreglering_kr"], rad["manadens_kr"]) == ("536925", "178975", "357950")
    t = kor(*argv)
    assert "varav efterreglering av bokförda månader" in t.ut and "Efterreglering: " in t.ut
    b = kor(*argv, "--bokfor")
    assert b.kod == 0, b
    kvittens = next(x for x in b.ut.splitlines() if x.startswith("Kvittens: "))
    assert kvittens.endswith(", spara den utanför journalen.") and len(kvittens.split()[1].rstrip(",")) == 64
    okt = tmp_path / "okt.csv"
    okt.write_text(SEP.read_text(encoding="utf-8") + "SV,somatik.operation.axelprotes,2026-10,5\n", encoding="utf-8")
    j = json.loads(kor("utbetala", "--manad", "2026-10", "--utfall", okt, "--journal", journal, "--beslut", beslutsfil,
                       "-f", "json").ut)
    # Oktober: 110 − 28 = 82 ≤ 82, 5 nya × 35 795 = 178 975 kr, och ingen efterreglering.
    rad = next(x for x in j["rader"] if x["id"] == AXEL)
    assert (j["efterreglering_kr"], rad["belopp_kr"], rad["efterreglering_kr"]) == ("0", "178975", "0")
