"""Värdena som gäller varje månad (regelboken §18) och spåret som `forklara` visar (§15).

- `prognos --beslut`, `jamfor --beslut` och `uppfoljning --beslut` räknar med värdena som gäller i varje
  månad; figurerna är handräknade i kommentarerna ur data/ och examples/.
- `forklara` visar det som reglerna antecknade: en regel som ändras (här i en kopia, med monkeypatch)
  ändrar förklaringen utan att `forklara` ändras.
- Källorna står en gång var, numrerade; beloppen i siffrans enhet utan avslutande nollor; samma
  avrundning som kommandot som förklaras.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from conftest import ROT
from vgr_ersattning.kalkyl import tillagg as tillaggsregeln
from vgr_ersattning.kalkyl.parametrar import Varde, konstant
from vgr_ersattning.kalkyl.resultat import PRISER, Kalla
from vgr_ersattning.kalkyl.spar import (
    RAKNA,
    Nod,
    Spar,
    Sparvarde,
    formel,
    kallor,
    los_upp,
    med_enhet,
    tal,
    trad,
)
from vgr_ersattning.kalkyl.utbetalning import berakna

D = Decimal
OP = "somatik.operation.allman_kirurgi"        # bas 3 543, tillägg 3 057, uppdrag 6 600, 35 795 kr
AUGUSTI = ROT / "examples" / "produktion_2026.csv"
SEPTEMBER = ROT / "examples" / "produktion_2026_september.csv"
EXEMPEL = ROT / "examples" / "beslut_2026.yaml"


def _beslutsfil(tmp_path, andringar: str, fran: str = "2026-09", organ: str = "delegation",
                datum: str = "2026-08-20") -> str:
    f = tmp_path / "beslut.yaml"
    f.write_text(f"utforare: SV\nar: 2026\nbeslut:\n  - organ: {organ}\n    datum: {datum}\n    fran: {fran}\n"
                 f"    kalla: Beslut om tillägg (test)\n    andringar:\n{andringar}", encoding="utf-8")
    return str(f)


def _tillagg_80(tmp_path) -> str:
    """Delegationen höjer tillägget för allmän kirurgi med 80 från september (3 057 → 3 137; uppdraget
    6 600 → 6 680): 80 × 35 795 = 2 863 600 kr vid full leverans, inom gränsen 3 000 000 kr."""
    return _beslutsfil(tmp_path, f"      - {{id: {OP}, falt: tillagg, andra: 80}}\n")


def _json(kor, *args):
    k = kor(*args, "-f", "json")
    assert k.kod == 0, k
    return json.loads(k.ut)


# --- prognos och jämförelse med beslut ---------------------------------------------------------------


def test_prognos_med_ett_hojt_tillagg_fran_september(kor, tmp_path):
    """Allmän kirurgi i examples/produktion_2026.csv t.o.m. augusti: 629 + 642 + 696 + 629 + 660 + 593 + 366 +
    525 = 4 740. Planen t.o.m. augusti 6 600 × 8/12 = 4 400, takten 4 740 / 4 400.

    Utan beslut: planen för resten 6 600 × 4/12 = 2 200, prognosen 4 740 + 2 200 × 4 740 / 4 400 = 4 740 +
    2 370 = 7 110 > 6 600: hela tillägget 3 057 × 35 795 = 109 425 315 kr, 7 110 − 6 600 = 510 utan ersättning.

    Med beslutet (uppdraget 6 680 från september): planen för resten är årets plan 6 680 − planen hittills
    4 400 = 2 280, prognosen avrunda(4 740 + 2 280 × 4 740 / 4 400) = avrunda(4 740 + 2 456,18) = 7 196; i
    december gäller tillägget 3 137: min(7 196 − 3 543, 3 137) = 3 137 × 35 795 = 112 288 915 kr, och 7 196 −
    3 543 − 3 137 = 516 utan ersättning. Årets prognos ökar med 80 × 35 795 = 2 863 600 kr (bara den raden
    ändras)."""
    utan = _json(kor, "prognos", "--utfall", AUGUSTI)
    med = _json(kor, "prognos", "--utfall", AUGUSTI, "--beslut", _tillagg_80(tmp_path))
    rad_utan = next(r for r in utan["rader"] if r["id"] == OP)
    rad_med = next(r for r in med["rader"] if r["id"] == OP)
    assert (rad_utan["utfall"], rad_utan["prognos_antal"], rad_utan["belopp_kr"], rad_utan["utan_ersattning"]) == (
        4740, 7110, "109425315", 510)
    assert (rad_med["utfall"], rad_med["prognos_antal"], rad_med["belopp_kr"], rad_med["utan_ersattning"]) == (
        4740, 7196, "112288915", 516)
    assert (rad_med["bas"], rad_med["tillagg"]) == (3543, 3137)
    assert D(med["tillagg_kr"]) - D(utan["tillagg_kr"]) == 2863600
    assert [r for r in med["rader"] if r["id"] != OP] == [r for r in utan["rader"] if r["id"] != OP]


def test_jamfor_varderar_bada_uttagen_med_samma_beslut(kor, tmp_path):
    """Före: produktion_2026.csv t.o.m. augusti, allmän kirurgi 4 740: min(4 740 − 3 543, 3 057) = 1 197 ×
    35 795 = 42 846 615 kr. Efter: produktion_2026_september.csv, samma januari–augusti (revision 0) och 2 000
    i september: 6 740. Med beslutet gäller tillägget 3 137 i september: min(6 740 − 3 543 = 3 197, 3 137) =
    3 137 × 35 795 = 112 288 915 kr; nya månader 112 288 915 − 42 846 615 = 69 442 300 kr. Utan beslutet 3 057
    × 35 795 = 109 425 315, nya månader 66 578 700 kr: skillnaden är 80 × 35 795 = 2 863 600 kr."""
    utan = _json(kor, "jamfor", "--fore", AUGUSTI, "--efter", SEPTEMBER)
    med = _json(kor, "jamfor", "--fore", AUGUSTI, "--efter", SEPTEMBER, "--beslut", _tillagg_80(tmp_path))
    rad = next(r for r in med["rader"] if r["id"] == OP)
    assert (rad["revision_kr"], rad["nya_manader_kr"], rad["forandring_kr"]) == ("0", "69442300", "69442300")
    assert (rad["utfall_fore"], rad["utfall_efter_samma_manader"], rad["utfall_efter"]) == ("4740", "4740", "6740")
    rad_utan = next(r for r in utan["rader"] if r["id"] == OP)
    assert rad_utan["nya_manader_kr"] == "66578700"
    assert D(med["forandring_kr"]) - D(utan["forandring_kr"]) == 2863600
    # Beslutet gäller från september: en jämförelse av juli mot augusti ändras inte.
    juli = ROT / "examples" / "produktion_2026_juli.csv"
    assert _json(kor, "jamfor", "--fore", juli, "--efter", AUGUSTI, "--beslut", _tillagg_80(tmp_path)) == _json(
        kor, "jamfor", "--fore", juli, "--efter", AUGUSTI)


def test_jamfor_och_prognos_vagrar_en_beslutsfil_for_en_annan_utforare(kor, tmp_path):
    f = tmp_path / "rh.yaml"
    f.write_text("utforare: RH\nar: 2026\nbeslut: []\n", encoding="utf-8")
    for args in (["prognos", "--utfall", AUGUSTI], ["jamfor", "--fore", AUGUSTI, "--efter", SEPTEMBER]):
        k = kor(*args, "--beslut", f)
        assert k.kod == 2 and "beslutsfilen gäller RH, beräkningen SV" in k.fel, k


# --- målvärden som ändras genom beslut ------------------------------------------------------------------


def test_ett_beslutat_malvarde_andrar_uppfoljningen_fran_sin_manad(kor, tmp_path):
    """examples/utfall_2026.yaml: ambulansens andel inom 20 minuter (minst 90 %) 88,9 i juli och 90,6 i augusti;
    beläggningsgraden i somatiken (högst 90 %) 84,7 i juli och 92,1 i augusti. Nämnden höjer ambulansens
    målvärde till 91 och beläggningens tak till 93 från augusti. Juli bedöms som förut (88,9 < 90: ej
    uppfyllt; 84,7 ≤ 90: uppfyllt). Augusti: utan beslutet 90,6 ≥ 90 uppfyllt och 92,1 > 90 ej uppfyllt; med
    beslutet 90,6 < 91 ej uppfyllt och 92,1 ≤ 93 uppfyllt."""
    utfall = ROT / "examples" / "utfall_2026.yaml"
    f = _beslutsfil(tmp_path, "      - {indikator: ambulans_prio1a_20_min, malvarde: 91}\n"
                              "      - {indikator: belaggningsgrad_somatik, malvarde: 93}\n",
                    fran="2026-08", organ="operativa hälso- och sjukvårdsnämnden", datum="2026-07-15")

    def status(period, *beslut):
        j = _json(kor, "uppfoljning", "--utfall", utfall, "--period", period, *beslut)
        return {i["id"]: (i["malvarde"], i["status"]) for i in j["indikatorer"]
                if i["id"] in ("ambulans_prio1a_20_min", "belaggningsgrad_somatik")}

    forvantat_juli = {"ambulans_prio1a_20_min": ("90", "ej_uppfyllt"), "belaggningsgrad_somatik": ("90", "uppfyllt")}
    assert status("2026-07") == forvantat_juli == status("2026-07", "--beslut", f)
    assert status("2026-08") == {"ambulans_prio1a_20_min": ("90", "uppfyllt"),
                                 "belaggningsgrad_somatik": ("90", "ej_uppfyllt")}
    assert status("2026-08", "--beslut", f) == {"ambulans_prio1a_20_min": ("91", "ej_uppfyllt"),
                                                "belaggningsgrad_somatik": ("93", "uppfyllt")}
    # Förklaringen citerar beslutet som källa till målvärdet, med värdet före.
    k = kor("forklara", "ambulans_prio1a_20_min", "--utfall", utfall, "--period", "2026-08", "--beslut", f)
    assert k.kod == 0, k
    assert "(90,6 ≥ 91) = nej" in k.ut and "beslut från augusti: 90 → 91 %" in k.ut
    assert re.search(r"beslut\.yaml:\d+:\d+ – Beslut om tillägg \(test\)", k.ut)


def test_ett_malvarde_av_fel_slag_vagras_med_position(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    f = _beslutsfil(tmp_path, "      - {indikator: laro_f112, malvarde: 3}\n", organ="nämnden")
    k = kor("uppfoljning", "--utfall", ROT / "examples" / "utfall_2026.yaml", "--beslut", f)
    assert k.kod == 2
    assert re.match(r"beslut\.yaml:\d+:\d+: beslut\[0\]\.andringar\[0\]\.malvarde: indikatorn laro_f112 är av typen "
                    r"ska_oka, som inget målvärde har", k.fel), k


# --- forklara: spåret, källorna en gång, enheten och avrundningen ------------------------------------


def test_forklara_anslaget_efter_ett_beslut_citerar_beslutet_med_gammalt_och_nytt_varde(kor):
    """Ramen 3 317 867 → 3 329 867 tkr från oktober: (3 329 867 000 − 9 × 276 488 917) / 3 = 280 488 915,67 →
    280 488 916 kr. Den nya ramen har beslutet som källa; värdet före har uppdragets."""
    k = kor("forklara", "anslag.2026-10", "--beslut", EXEMPEL)
    assert k.kod == 0, k
    assert k.ut.startswith("Anslag oktober: 280 488 916 kr")
    assert "Ersättningsram: 3 329 867 tkr  [1]" in k.ut and "beslut från oktober: 3 317 867 → 3 329 867 tkr" in k.ut
    assert "Ersättningsram före beslutet: 3 317 867 tkr  [2]" in k.ut
    kallor_ = k.ut.split("\nKällor\n", 1)[1]
    assert re.match(r"\[1\] examples/beslut_2026\.yaml:\d+:\d+ – Protokoll 2026-09-24 § 201", kallor_)
    assert "[2] data/uppdrag_2026.yaml:57:7 – Uppdrag 2026" in kallor_


def test_forklara_ett_beslutat_pris_citerar_beslutet(kor):
    """Hud med priset 2 600 kr från oktober: priset har beslutet som källa, priset före (2 503 kr) prisfilen."""
    k = kor("forklara", "somatik.forstabesok.hud", "--utfall", SEPTEMBER, "--beslut", EXEMPEL, "--till-och-med",
            "2026-10", "-f", "json")
    assert k.kod == 0, k
    j = json.loads(k.ut)

    def noder(n):
        yield n
        for d in n["delar"]:
            yield from noder(d)
    pris = next(n for n in noder(j["forklaring"]) if n["namn"] == "Pris (besok)" and n["varde"] == "2600")
    assert pris["plats"].startswith("examples/beslut_2026.yaml:") and "Protokoll 2026-09-24 § 201" in pris["kalla"]
    fore = pris["delar"][0]
    assert (fore["namn"], fore["varde"]) == ("Pris (besok) före beslutet", "2503")
    assert fore["plats"].startswith("data/priser_2026.yaml:")
    assert {x["nr"] for x in j["kallor"]} == set(range(1, len(j["kallor"]) + 1))
    assert pris["kalla_nr"] == next(x["nr"] for x in j["kallor"] if x["plats"] == pris["plats"])


def test_forklara_utbetalningen_med_samma_avrundning_som_berakna(kor):
    """Planens augusti: `berakna` visar 305 394 525 kr (tillägget 28 905 608 i hela kronor, kolumnvis); så
    också `forklara`, inte 305 394 525,50."""
    b = _json(kor, "berakna")
    k = kor("forklara", "utbetalning.2026-08")
    assert k.kod == 0, k
    assert k.ut.startswith("Utbetalning augusti: 305 394 525 kr")
    assert "305 394 525,5" not in k.ut and "= 276 488 917 + 28 905 608 = 305 394 525 kr" in k.ut
    tillagg = _json(kor, "forklara", "utbetalning.2026-08")["forklaring"]["delar"][1]
    assert (tillagg["namn"], tillagg["varde"]) == ("Tillägg (avrundad) augusti", "28905608")
    assert tillagg["formel"].endswith("avrunda(51 937 342, 0) − avrunda(23 031 733,5, 0) = 28 905 608 kr")
    tabell = kor("berakna").ut
    assert re.search(r"augusti\s+276 488 917\s+28 905 608\s+305 394 525", tabell), tabell
    assert b["tillagg"]["summa_kr"] == "263497958"


def test_forklara_skriver_varje_kalla_en_gang_och_belopp_utan_nollor(kor):
    """Avräkningen av läkemedel i augusti (examples/utfall_2026.yaml): utfall 1 872,5 tkr, tak och betalt
    8 × 2 883 / 12 = 1 922 tkr: −49,5 tkr, skrivet utan avslutande nollor."""
    k = kor("forklara", "avrakning.lakemedelsleveranser.2026-08", "--utfall", ROT / "examples" / "utfall_2026.yaml")
    assert k.kod == 0, k
    assert "min(1 872,5, 1 922) − 1 922 = −49,5 tkr" in k.ut and ",500" not in k.ut and ",000" not in k.ut
    trad_, kallor_ = k.ut.split("\nKällor\n", 1)
    platser = re.findall(r"^\[\d+\] (\S+)", kallor_, flags=re.M)
    assert len(platser) == len(set(platser)) and "Uppdrag 2026" not in trad_
    assert all(f"[{i}]" in trad_ for i in range(1, len(platser) + 1))


def test_forklara_foljer_en_andrad_regel_utan_att_forklara_andras(kor, monkeypatch, tmp_path):
    """En kopia där regeln för ersatta enheter är en annan (taket dubbelt): beräkningen och förklaringen
    följer båda, fast `forklara` inte ändrats. 7 000 operationer t.o.m. februari: min(max(7 000 − 3 543, 0),
    2 × 3 057) = 3 457 ersatta × 35 795 = 123 743 315 kr (med regeln i uppdraget 3 057 och 109 425 315 kr)."""
    utfall = tmp_path / "u.csv"
    utfall.write_text(f"utforare,rad,manad,antal\nSV,{OP},2026-01,4000\nSV,{OP},2026-02,3000\n", encoding="utf-8")
    fore = kor("forklara", OP, "--utfall", utfall)
    assert "min(max(7 000 − 3 543, 0), 3 057) = 3 057" in fore.ut and "109 425 315 kr" in fore.ut
    andrad = formel("regelboken §4", "ersatta(produktion, bas, tillägg) = min(max(produktion - bas, 0), 2 * tillägg)",
                    "Ersatta enheter", "antal")
    monkeypatch.setattr(tillaggsregeln, "ERSATTA", andrad)
    k = kor("forklara", OP, "--utfall", utfall)
    assert k.kod == 0, k
    assert k.ut.startswith("Tilläggsersättning Allmän kirurgi (somatik.operation.allman_kirurgi) t.o.m. februari: "
                           "123 743 315 kr")
    assert "ersatta = min(max(produktion − bas, 0), 2 × tillägg) = min(max(7 000 − 3 543, 0), 2 × 3 057) = 3 457" \
        in k.ut
    assert "belopp = ersatta × pris = 3 457 × 35 795 = 123 743 315 kr" in k.ut
    assert next(r for r in _json(kor, "berakna", "--utfall", utfall)["tillagg"]["rader"]
                if r["id"] == OP)["belopp_kr"] == "123743315"


def test_regeln_ger_samma_siffror_med_och_utan_skrivare(uppdrag, priser):
    """Skrivaren antecknar bara: `berakna` med och utan den ger samma resultat, månad för månad."""
    prod = {OP: [4000, 3000] + [0] * 10, "somatik.forstabesok.hud": [100] * 12}
    avr = {"lakemedelsleveranser": {4: D(800), 8: D(1150)}}
    beslut = [_arsbeslut({"id": OP, "falt": "tillagg", "andra": 80}),
              _arsbeslut({"ram_tkr": 3329867}, {"pris": "besok", "satt": 2600}, fran="2026-10", organ="nämnden")]
    for args in ((prod, avr, 12, beslut), (None, None, 8, ()), (prod, None, 3, beslut)):
        utan = berakna(uppdrag, priser, "SV", *args)
        med = berakna(uppdrag, priser, "SV", *args, spar=Spar("SV"))
        assert utan.utbetalning == med.utbetalning and utan.tillagg == med.tillagg and utan.anslag == med.anslag
        assert utan.avrakning == med.avrakning


def _arsbeslut(*andringar, fran="2026-09", organ="delegation"):
    from vgr_ersattning.modell_indata import Arsbeslut, Beslutsandring

    return Arsbeslut(organ=organ, datum="2026-08-20", fran=fran, kalla="x",
                     andringar=[Beslutsandring(**a) for a in andringar])


# --- spårets delar -------------------------------------------------------------------------------------


def test_tal_i_enhetens_form():
    assert [tal(D("-82")), tal(D("-136.500"), "tkr"), tal(D("54.5"), "tkr"), tal(D("1922.000"), "tkr")] == [
        "−82", "−136,5", "54,5", "1 922"]
    assert tal(D("0.6666666666666666666666666667"), "andel") == "66,67" and tal(D("0.25"), "andel") == "25"
    assert [tal(D("1815509.333333"), "kr"), tal(D("0.1234567"), "tkr"), tal(D("1.23456"))] == [
        "1 815 509,33", "0,123", "1,2346"]
    assert [tal(None), tal("Ja"), tal(True), tal(False), tal(3057), tal(D("-0.001"), "kr")] == [
        "–", "Ja", "ja", "nej", "3 057", "0"]
    assert tal(((D(75), D(100)), (D(0), D(0)))) == "från 75: 100; från 0: 0"
    assert [med_enhet(D("54.5"), "tkr"), med_enhet(D(109425315), "kr"), med_enhet(D(100), "procent"),
            med_enhet(D("0.5"), "andel"), med_enhet(3057, "antal"), med_enhet(D(2), "mnkr"), med_enhet("Ja", "kr"),
            med_enhet(None, "kr")] == ["54,5 tkr", "109 425 315 kr", "100 %", "50 %", "3 057", "2 mnkr", "Ja", "–"]


def test_formeln_raknar_och_visas_ur_samma_text():
    rakna = formel("regelboken §7", "reglerat(utfall, tak, betalt) = min(utfall, tak) - betalt", "Reglerat hittills",
                   "tkr", antaganden=("A5",))
    f = rakna.formel
    assert (f.regel, f.namn, f.enhet, f.kort, f.parametrar, f.antaganden, f.foljd, f.rakna, rakna.f) == (
        "regelboken §7", "Reglerat hittills", "tkr", "reglerat", ("utfall", "tak", "betalt"), ("A5",), False, rakna,
        f.f)
    assert f.f(D(800), D(961), D(961)) == -161 and repr(f) == "Formel(reglerat = min(utfall, tak) - betalt)"
    # Funktionen som reglerna tillämpar tar perioden först och namnet och antagandena som nyckelord.
    assert rakna(4, D(800), D(961), D(961), namn="x", antaganden=("A1",)) == -161
    with pytest.raises(TypeError):
        rakna(4, D(800), D(961), D(961), "x")
    assert f.visa((D(800), D(961), D(961)), ("tkr", "tkr", "tkr"), D(-161)) == (
        "reglerat = min(utfall, tak) − betalt = min(800, 961) − 961 = −161 tkr")
    assert f.rubrik(4) == "Reglerat hittills t.o.m. april" and f.rubrik(12, "X") == "X t.o.m. december"
    assert f.rubrik("kvartal 2") == "Reglerat hittills kvartal 2" and f.rubrik(None) == f.rubrik("") == f.rubrik(0) \
        == "Reglerat hittills" and f.rubrik(13) == "Reglerat hittills 13"
    manad = formel("§6", "anslag(årsbelopp) = avrunda(årsbelopp / 12)", "Anslag", "kr", hittills=False).formel
    assert manad.rubrik(2) == "Anslag februari" and manad.f(D(1200)) == 100 and manad.antaganden == ()
    # En följd av termer: nollor utelämnas (räknas när de är fler än tre), lika termer i följd som n × t.
    s = formel("§4", "tillägg(*belopp) = summa(belopp)", "Tillägg", "kr").formel
    assert s.foljd and s.parametrar == ("belopp",) and s.f() == 0 and isinstance(s.f(), Decimal)
    assert s.rakna(3, D(1), D(2), namn="n") == 3
    assert s.visa((D(5), D(5), D(0), D(7)), ("kr",) * 4, D(17)) == (
        "tillägg = Σ belopp = 2 × 5 + 7 (och 1 term med 0) = 17 kr")
    assert s.visa((D(5), D(0), D(7)), ("kr",) * 3, D(12)) == "tillägg = Σ belopp = 5 + 7 = 12 kr"
    assert s.visa((D(0),) * 5 + (D(3),), ("kr",) * 6, D(3)) == "tillägg = Σ belopp = 3 (och 5 termer med 0) = 3 kr"
    assert s.visa((D(0), D(0)), ("kr", "kr"), D(0)) == "tillägg = Σ belopp = 0 kr"
    assert s.visa((), (), D(0)) == "tillägg = Σ belopp = 0 kr"
    b = formel("§7", "betalt(*nivå) = summa(nivå) / 12", "Betalt", "tkr").formel
    assert b.visa((D(2883),) * 6 + (D(3600),) * 2, ("tkr",) * 8, D("2041.5")) == (
        "betalt = Σ nivå / 12 = (6 × 2 883 + 2 × 3 600) / 12 = 2 041,5 tkr")
    assert b.visa((D(2883),) * 4, ("tkr",) * 4, D(961)) == "betalt = Σ nivå / 12 = 4 × 2 883 / 12 = 961 tkr"
    # Jämförelser och en parameter utan operator; andel visas i procent.
    j = formel("§10", "uppfyllt(utfall, mål) = (utfall != mål)", "Uppfyllt").formel
    assert j.visa((D(1), D(2)), ("", ""), True) == "uppfyllt = (utfall ≠ mål) = (1 ≠ 2) = ja"
    t = formel("§7", "tak(betalt) = betalt", "Tak", "tkr").formel
    assert t.visa((D(961),), ("tkr",), D(961)) == "tak = betalt = 961 tkr"
    p = formel("§5", "plan(uppdrag, andel) = uppdrag * andel", "Plan", "antal").formel
    assert p.visa((6600, D("0.5")), ("antal", "andel"), D(3300)) == "plan = uppdrag × andel = 6 600 × 50 % = 3 300"
    n = formel("§x", "x(a) = (-a) + 1", "X").formel
    assert formel("§", "ett() = 1", "Ett")(None) == 1
    assert n.visa((D(2),), ("",), D(-1)) == "x = (−a) + 1 = (−2) + 1 = −1"
    for fel in ("x = 1", "x(a) 1", "(a) = a"):
        with pytest.raises(ValueError) as e:
            formel("§", fel, "X")
        assert str(e.value) == f"en formel skrivs `namn(a, b) = uttryck`: {fel!r}"
    with pytest.raises(NameError):
        formel("§", "x(a) = open(a)", "X").f("f")     # inga inbyggda funktioner utöver de tillåtna
    assert formel("§", "x(a) = dubbla(a)", "X", funktioner={"dubbla": lambda v: 2 * v}).f(3) == 6


def test_rakningen_utan_och_med_skrivare():
    f = formel("§4", "belopp(ersatta, pris) = ersatta * pris", "Belopp", "kr")
    pris = Varde(D(2503), Kalla(PRISER, ("tillagg", "besok", "pris_kr")), 1, None, "Pris", "kr")
    # Utan skrivare: bara värdena.
    assert RAKNA.anvand(f, 3, 2, RAKNA.las(pris)) == 5006 and RAKNA.anvand(f, 3, 2, 3, namn="x") == 6
    assert RAKNA.indata("U", 3, 7, "antal", "utfall", "produktion", "x") == 7
    assert RAKNA.spara(("a",), 5) == 5 and RAKNA.ut(5) == 5 and RAKNA.hamta(("a",), 5) == 5
    # Med skrivare: noder, indata med källor och det sparade.
    s = Spar("SV")
    u = s.indata("Produktion hittills", 3, 2, "antal", "utfall", "produktion", "a.b.c")
    p = s.las(pris)
    assert s.las(pris).nod is p.nod      # samma värde läst igen: samma nod
    b = s.anvand(f, 3, u, p, antaganden=("A2", "A2", ""), namn="Belopp hud")
    assert isinstance(b, Sparvarde) and b.varde == 5006 and s.ut(b) == 5006 and s.ut(7) == 7
    assert b.nod == Nod("Belopp hud t.o.m. mars", 5006, "kr", "§4", "belopp = ersatta × pris = 2 × 2 503 = 5 006 kr",
                        None, ("A2",), (u.nod, p.nod))
    assert u.nod == Nod("Produktion hittills t.o.m. mars", 2, "antal", kalla=Kalla("utfall", ("produktion", "SV", "a.b.c")))
    assert p.nod == Nod("Pris", D(2503), "kr", kalla=pris.kalla)
    assert s.indata("Belopp", None, D(1), "mnkr", "uppdrag", "m", "b").nod.kalla == Kalla(
        "uppdrag", ("utforare", "SV", "m", "b"))
    assert s.indata("X", "kvartal 2", 1).nod == Nod("X kvartal 2", 1) and s.indata("Y", None, 1).nod.namn == "Y"
    assert s.spara(("b",), b) == 5006 and s.figurer == {("b",): b.nod} and s.spara(("c",), 3) == 3
    assert s.hamta(("b",), D(5006)) == b and s.hamta(("x",), 4) == 4 and s.hamta(("b",), b).varde == 5006
    # Ett värde som ett beslut satt: regeln, värdet före och dess källa.
    fore = Varde(D(3057), Kalla("uppdrag", ("x",)), 1, None, "Tillägg", "antal")
    ny = Varde(D(3137), Kalla("beslut", ("SV", 0, "andringar", 0, "andra")), 9, fore, "Tillägg", "antal")
    n = s.las(ny).nod
    assert n == Nod("Tillägg", D(3137), "antal", "regelboken §18", "beslut från september: 3 057 → 3 137",
                    ny.kalla, (), (Nod("Tillägg före beslutet", D(3057), "antal", kalla=fore.kalla),))
    # Följden: noder med värdet 0 är inte delar; samma nod en gång.
    summa_ = formel("§4", "s(*t) = summa(t)", "S", "kr")
    noll = s.indata("Noll", None, D(0))
    assert s.anvand(summa_, None, b, noll, b).nod.delar == (b.nod,)


def test_tradet_kallorna_och_antagandena():
    blad = Nod("Blad", D(1), "kr", kalla=Kalla(PRISER, ("tillagg", "besok")), antaganden=("A1",))
    mitt = Nod("Mitt", D(2), "kr", formel="f", delar=(blad,), antaganden=("A14", ""))
    rot = Nod("Rot", D(3), "kr", kalla=Kalla("uppdrag", ("utforare", "SV")), delar=(mitt, mitt, blad),
              antaganden=("A2",))
    # Samma nod igen visas utan delar och formel; ett blad (utan delar) visas som det är.
    t = trad(rot)
    assert [d.namn for d in t.delar] == ["Mitt", "Mitt (se ovan)", "Blad"]
    assert t.delar[1] == Nod("Mitt (se ovan)", D(2), "kr", delar=()) and t.delar[2] == blad
    assert trad(rot, 1).delar[0].delar == () and trad(rot, 2).delar[0].delar == (blad,) and trad(rot, 0).delar == ()
    sedda = []

    def upplosare(k):
        sedda.append(k)
        return f"{k.dokument}.yaml:{len(k.sokvag)}:1", f"dokument om {k.sokvag[-1]}"

    lost = los_upp(t, upplosare)
    assert (lost.plats, lost.dokument) == ("uppdrag.yaml:2:1", "dokument om SV")
    assert (lost.delar[0].plats, lost.delar[0].delar[0].plats) == ("", "priser.yaml:2:1")
    assert sedda == [blad.kalla, blad.kalla, rot.kalla]
    lista, nummer = kallor(lost)
    assert lista == [("uppdrag.yaml:2:1", "dokument om SV"), ("priser.yaml:2:1", "dokument om besok")]
    assert nummer == {lista[0]: 1, lista[1]: 2} and kallor(Nod("x", 1)) == ([], {})
    assert kallor(Nod("x", 1, dokument="d")) == ([("", "d")], {("", "d"): 1})
    # Antagandena i hela trädet i nummerordning, utan tomma.
    assert rot.alla_antaganden() == ("A1", "A2", "A14") and Nod("x", 1).alla_antaganden() == ()


def test_ett_ar_utan_beslut_ar_tolv_lika_varden(sv, priser):
    from vgr_ersattning.kalkyl.parametrar import i_kraft

    p = i_kraft(sv, priser, "SV", 2026)
    assert all(s.byten == () and len(set(map(id, s.varden))) == 1 for _, s in p.serier())
    assert konstant(Varde(1)).manader == (1,) * 12


def test_en_ny_rakning_utan_skrivare():
    """`Rakning()` räknar bara: formeln anropas med perioden först, ett värde som gäller ger sitt värde;
    `_anvand` är samma sak för en Python utan `operator.call` (3.10)."""
    from vgr_ersattning.kalkyl import spar as sparmodulen
    from vgr_ersattning.kalkyl.spar import Rakning

    r = Rakning()
    f = formel("§", "x(a, b) = a * b", "X", "kr")
    assert r.anvand(f, 3, 2, 5) == 10 and r.anvand(f, None, 2, 5, namn="n", antaganden=("A1",)) == 10
    assert r.las(Varde(D(7), None, 1, None, "N", "kr")) == 7
    assert r.indata("U", 1, 4, "antal", "utfall", "produktion", "x") == 4
    assert r.spara(("a",), 5) == 5 and r.ut(6) == 6 and r.hamta(("a",), 8) == 8
    assert sparmodulen._anvand(f, 3, 2, 5) == 10 and sparmodulen._anvand(f, 3, 2, 5, namn="x") == 10


def test_formelns_standardvarden_och_egna_funktioner():
    """En formel utan enhet har ingen; egna funktioner finns i både `f` och funktionen som reglerna tillämpar."""
    ingen = formel("§", "x(a) = a + 1", "X")
    s = Spar()
    n = s.anvand(ingen, None, D(1)).nod
    assert (n.enhet, n.formel, n.namn, s.utforare) == ("", "x = a + 1 = 1 + 1 = 2", "X", "")
    assert ingen.formel.hittills is True and ingen.formel.antaganden == ()
    dubbla = formel("§", "y(a) = dubbla(a)", "Y", funktioner={"dubbla": lambda v: 2 * v})
    assert dubbla(None, 3) == 6 and dubbla.f(3) == 6


def test_avrakningens_nod_utan_postens_namn_och_nivan_i_januari(sv):
    """Utan post heter postningen bara "Avräkning"; postresultatets nivå är den som gäller i den sista
    månaden som räknas (januari när den är 1): 2 883, fast nivån är 3 600 från februari."""
    from vgr_ersattning.kalkyl.avrakning import avrakna_post, berakna_avrakning
    from vgr_ersattning.kalkyl.parametrar import serie

    s = Spar("SV")
    avrakna_post(konstant(Varde(D(2883), None, 1, None, "Nivå", "tkr")), {4: D(800)}, [4], "pro_rata", 4, spar=s)
    assert s.figurer[("avrakning", "", 4)].namn == "Avräkning april"
    nivaer = {pid: konstant(Varde(p.niva_tkr)) for pid, p in sv.avrakning.poster.items()}
    nivaer["lakemedelsleveranser"] = serie([D(2883)] + [D(3600)] * 11)
    res = berakna_avrakning(sv.avrakning, {"lakemedelsleveranser": {1: D(100)}}, 1, nivaer)
    assert next(p for p in res.poster if p.id == "lakemedelsleveranser").niva_tkr == 2883
    res = berakna_avrakning(sv.avrakning, {"lakemedelsleveranser": {1: D(100)}}, 0, nivaer)
    assert next(p for p in res.poster if p.id == "lakemedelsleveranser").niva_tkr == 2883


def test_siffrornas_decimaler_i_sparet():
    """En okänd enhet visas med fyra decimaler; lika termer i följd och värdet före ett beslut i sin enhet."""
    assert tal(D("1.234567"), "okänd") == "1,2346" and tal(D("1.234567"), "tkr") == "1,235"
    s = formel("§", "s(*t) = summa(t)", "S", "kr").formel
    assert s.visa((D("0.12345"), D("0.12345")), ("kr", "kr"), D("0.2469")) == "s = Σ t = 2 × 0,12 = 0,25 kr"
    sp = Spar()
    fore = Varde(D("1.23456"), None, 1, None, "Nivå", "tkr")
    nod = sp.las(Varde(D(2), Kalla("beslut", ("SV", 0, "andringar", 0, "niva_tkr")), 3, fore, "Nivå", "tkr")).nod
    assert nod.formel == "beslut från mars: 1,235 → 2 tkr"
    assert [sp.indata("X", p, 1).nod.namn for p in (1, 12, 13, "", 0, "Q2")] == [
        "X t.o.m. januari", "X t.o.m. december", "X 13", "X", "X 0", "X Q2"]


def test_en_beraknad_indikator_utan_enhet():
    from vgr_ersattning.kalkyl.period import tolka_period
    from vgr_ersattning.kalkyl.uppfoljning import berakna_uppfoljning
    from vgr_ersattning.modell import Indikator

    ind = Indikator(namn="I", omrade="o", typ="minst", malvarde=D(100), tillfallen=["T2"], berakning="produktion")
    s = Spar("SV")
    (b,) = berakna_uppfoljning({"i": ind}, {}, tolka_period("2026-T2"), {"i": {"2026-T2": D(101)}}, None, s)
    utfall = s.figurer[("indikator", "i")].delar[0]
    assert (b.status, utfall.namn, utfall.enhet, utfall.kalla) == (
        "uppfyllt", "Utfall (utfall hittills / plan hittills, §5) 2026-T2", "", None)


def test_malrelaterad_resultatets_belopp_och_antaganden_i_nummerordning(uppdrag):
    """2,70 mnkr / 4 = 675 000 kr per kvartal; antagandena A3, A4 (och A14 på stegen) i nummerordning."""
    from vgr_ersattning.kalkyl.malrelaterad import berakna_malrelaterad
    m = uppdrag.utforare["RH"].malrelaterad_1177
    res = berakna_malrelaterad(m, {2: D("74.99")})
    assert res.kvartalsbelopp_kr == 675000 and res.kvartal[0].belopp_kr == 641250
    assert list(res.antaganden) == sorted(res.antaganden, key=lambda a: int(a[1:])) and res.antaganden[:2] == (
        "A3", "A4")


def test_prognosens_spar_med_ett_pris_och_ett_tillagg_beslutat(sv, priser, uppdrag):
    """Hud t.o.m. augusti i examples/produktion_2026.csv (3 892 besök), priset 2 600 kr från oktober
    (beslutet i examples/beslut_2026.yaml): prognosen t.o.m. september räknas med planen 5 500 × (9/12 −
    8/12) = 458,33 i takten 3 892 / 3 666,67 = 1,0615: 4 378,5 (520,5 ersatta × 2 503 = 1 302 811,5 kr). Året:
    avrunda(3 892 + 1 833,33 × 1,0615) = 5 838, taket 1 642 ersatta; enheterna efter september till 2 600 kr:
    1 302 811,5 + (1 642 − 520,5) × 2 600 = 4 218 711,5 kr. Utfallet t.o.m. en månad före bytet har
    utfallsfilen som källa."""
    from vgr_ersattning.kalkyl.prognos import berakna_prognos

    beslut = [_arsbeslut({"ram_tkr": 3329867}, {"pris": "besok", "satt": 2600}, fran="2026-10", organ="nämnden")]
    from vgr_ersattning.kalkyl.parametrar import i_kraft
    p = i_kraft(sv, priser, "SV", 2026, beslut)
    import csv
    produktion: dict = {}
    with open(AUGUSTI, encoding="utf-8") as f:
        for rad in csv.DictReader(f):
            if rad["utforare"] == "SV":
                produktion.setdefault(rad["rad"], [0] * 12)[int(rad["manad"][5:]) - 1] += int(rad["antal"])
    s = Spar("SV")
    res = berakna_prognos(p, produktion, 8, sv.tillagg, "A7", s)
    hud = next(r for r in res.rader if r.id == "somatik.forstabesok.hud")
    assert (hud.utfall, hud.prognos_antal, hud.belopp_kr, len(hud.kumulativ)) == (3892, 5838, D("4218711.5"), 12)
    nod = s.figurer[("prognos", "somatik.forstabesok.hud")]
    sept = nod.delar[0]
    assert (sept.namn, sept.varde) == ("Tilläggsersättning Hud (somatik.forstabesok.hud) t.o.m. september",
                                       D("1302811.5"))
    prognos_sept = sept.delar[0].delar[0]
    assert (prognos_sept.namn, prognos_sept.formel) == (
        "Prognos t.o.m. september", "prognos = utfall + plan × takt = 3 892 + 458,33 × 1,0615 = 4 378,5")
    plan = prognos_sept.delar[1]
    assert plan.namn == "Plan efter utfallet t.o.m. september" and [d.namn for d in plan.delar] == [
        "Uppdrag", "Kumulativ profilandel t.o.m. september", "Kumulativ profilandel t.o.m. augusti"]
    utfall = prognos_sept.delar[0]
    assert (utfall.namn, utfall.enhet, utfall.kalla) == (
        "Utfall t.o.m. augusti", "antal", Kalla("utfall", ("produktion", "SV", "somatik.forstabesok.hud")))
    # Ett utfall för hela året: prognosen är utfallet, tolv månader.
    helar = berakna_prognos(p, {"somatik.forstabesok.hud": [500] * 12}, 12, sv.tillagg)
    h = next(r for r in helar.rader if r.id == "somatik.forstabesok.hud")
    assert (h.prognos_antal, len(h.kumulativ), h.kumulativ[11]) == (6000, 12, 6000)


def test_prognosens_plan_lasar_uppdraget_i_varje_manad(sv, priser):
    """Allmän kirurgi med tillägget +120 från februari (uppdraget 6 600 → 6 720): planen i januari är
    6 600 / 12 = 550 och i februari 6 720 × 2/12 = 1 120; t.o.m. januari 550 i planen, utfall 550: takten 1."""
    from vgr_ersattning.kalkyl.parametrar import i_kraft
    from vgr_ersattning.kalkyl.prognos import berakna_prognos

    p = i_kraft(sv, priser, "SV", 2026, [_arsbeslut({"id": OP, "falt": "tillagg", "andra": 120}, fran="2026-02")])
    res = berakna_prognos(p, {OP: [550] + [0] * 11}, 1, sv.tillagg)
    op = next(r for r in res.rader if r.id == OP)
    assert (op.plan_hittills, op.takt) == (550, 1)
    # Plan för resten: 6 720 − 550 = 6 170; prognosen 550 + 6 170 = 6 720.
    assert (op.plan_resten, op.prognos_antal) == (6170, 6720)
    utan = berakna_prognos(i_kraft(sv, priser, "SV", 2026), {OP: [550] + [0] * 11}, 1, sv.tillagg)
    # Planen i januari för alla rader är densamma; i februari 120 × 2/12 = 20 mer.
    assert res.plan_per_manad[0] == utan.plan_per_manad[0]
    assert res.plan_per_manad[1] - utan.plan_per_manad[1] == 20
