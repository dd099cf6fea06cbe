"""Regelboken §9 och §19, antagande A10: Regionhälsans 1177-kvartal som en komponent i `utbetala -u RH`.

Ett kvartal förfaller från sin sista månad och betalas i den första utbetalningen vars uttag har kvartalets
resultat; som varje komponent är det rätten hittills minus det som betalats, så ett reviderat resultat
regleras i nästa utbetalning.

Två uppdrag. Det medföljande (`data/uppdrag_2026.yaml`), där RH bara har 1177 (inga volymer, ingen ram,
inget anslag): utbetalningens enda komponenter är de förfallna kvartalen, och anslag, tillägg och
avräkning finns inte (null i JSON, ingen rad i tabellen). Och en kopia där RH också har ett påhittat
uppdrag för att pröva 1177 bredvid de andra komponenterna: ram 12 000 tkr med 100 % fast andel, alltså ett
anslag på 12 000 000 / 12 = 1 000 000 kr i månaden, och en rad (Hud, bas 100, tillägg 50) som har 0 i
produktion, så tillägget är 0. 1177-delen är RH:s riktiga i båda: 2,70 mnkr om året, 675 000 kr i
kvartalet (A4), trappan 75/50/40/30/25 % → 100/95/80/60/50 %, under 25 % 0 % (A3, A14).

`examples/rh_2026.yaml`, räknat för hand:

    Q1: 61 874 / 78 215 = 0,7911 = 79,1 % ≥ 75       → 100 % → 675 000 kr, förfaller i mars
    Q2: 68,4 %, 50 ≤ 68,4 < 75                        →  95 % → 0,95 × 675 000 = 641 250 kr, i juni
    Q3: 74,99 % < 75 (oavrundat, A14)                 →  95 % → 641 250 kr, först i september
    Rätt hittills t.o.m. juni: 675 000 + 641 250 = 1 316 250 kr
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROT, UPPDRAG_FIL
from vgr_ersattning.inlasning.dokument import las_uppdrag
from vgr_ersattning.kalkyl.utbetalning import berakna, ratt_hittills, utbetala

D = Decimal
HUD = "somatik.forstabesok.hud"
Q1, Q2 = "malrelaterad:2026-Q1", "malrelaterad:2026-Q2"
TEST = '"TESTUPPDRAG för 1177 i utbetala, inget beslut"'
RH_UPPDRAG = f"""    ersattningsram:
      belopp_tkr: 12000
      kalla: {TEST}
    anslag:
      fast_andel_procent: 100
      kalla: {TEST}
    volymer:
      kalla: {TEST}
      totaler:
        somatik: {{uppdrag: 150, bas: 100, tillagg: 50}}
        somatik.forstabesok: {{uppdrag: 150, bas: 100, tillagg: 50}}
      totalsumma: {{uppdrag: 150, bas: 100, tillagg: 50}}
      grupper:
        somatik: "Somatik"
        somatik.forstabesok: "Förstabesök"
      rader:
        {HUD}: {{namn: "Hud", uppdrag: 150, bas: 100, tillagg: 50, priskategori: besok}}
"""
RH_HUVUD = '  RH:\n    namn: "Regionhälsan"\n'


@pytest.fixture(scope="module")
def katalog(tmp_path_factory):
    """Testuppdraget (RH med ram, anslag och en rad) och ett produktionsuttag januari–december med 0."""
    d = tmp_path_factory.mktemp("rh1177")
    text = UPPDRAG_FIL.read_text(encoding="utf-8")
    assert text.count(RH_HUVUD) == 1
    (d / "uppdrag_2026.yaml").write_text(text.replace(RH_HUVUD, RH_HUVUD + RH_UPPDRAG), encoding="utf-8")
    (d / "prod.csv").write_text("utforare,rad,manad,antal\n" + "".join(
        f"RH,{HUD},2026-{m:02d},0\n" for m in range(1, 13)), encoding="utf-8")
    return d


def _resultat(katalog, namn: str, **kvartal: str):
    """En utfallsfil för RH med 1177-resultat, t.ex. `Q1="92"` (andel i procent)."""
    f = katalog / namn
    f.write_text("utforare: RH\nar: 2026\nmalrelaterad_1177:\n" + "".join(
        f"  2026-{q}: {{andel_procent: {v}}}\n" for q, v in kvartal.items()), encoding="utf-8")
    return f


def _utbetala(kor, katalog, manad: int, *utfall, journal=None, bokfor=False):
    args = ["utbetala", "--uppdrag", katalog / "uppdrag_2026.yaml", "-u", "RH", "--manad", f"2026-{manad:02d}",
            "--utfall", katalog / "prod.csv"]
    for f in utfall:
        args += ["--utfall", f]
    if journal is not None:
        args += ["--journal", journal]
    if bokfor:
        args.append("--bokfor")
    return kor(*args, "-f", "json")


def _rader(k) -> dict:
    assert k.kod == 0, k
    return {r["id"]: r for r in json.loads(k.ut)["rader"]}


# --- kärnan -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def testuppdrag(katalog):
    return las_uppdrag(katalog / "uppdrag_2026.yaml").modell


def test_kvartalet_forfaller_fran_sin_sista_manad(testuppdrag, priser):
    """Q1 92 %: 92 ≥ 75 → 100 % → 675 000 × 100 % = 675 000 kr. Q2 62 %: 50 ≤ 62 < 75 → 95 % → 641 250 kr.
    Q1:s sista månad är mars, Q2:s juni: i februari har rätten inget kvartal (fast uttaget har Q1), i mars
    Q1, i maj fortfarande bara Q1, i juni båda."""
    andelar = {1: D(92), 2: D(62)}

    def ratt(m):
        b = berakna(testuppdrag, priser, "RH", {HUD: [0] * 12}, None, m, malrelaterad=andelar)
        return {k: v for k, v in ratt_hittills(b, m).items() if k.startswith("malrelaterad:")}
    assert ratt(2) == {}
    assert ratt(3) == {Q1: D(675000)}
    assert ratt(5) == {Q1: D(675000)}
    assert ratt(6) == {Q1: D(675000), Q2: D(641250)}


def test_utan_1177_data_ar_ratten_som_forut(testuppdrag, priser):
    """Utan 1177-resultat: anslaget 4 × 1 000 000 = 4 000 000 kr t.o.m. april och raden Hud med 0, inget mer."""
    b = berakna(testuppdrag, priser, "RH", {HUD: [0] * 12}, None, 4)
    assert ratt_hittills(b, 4) == {"anslag": D(4000000), f"tillagg:{HUD}": 0}
    assert b.malrelaterad is None and "A10" not in b.antaganden


def test_en_revision_regleras_i_nasta_utbetalning(testuppdrag, priser):
    """Q1 betalt med 675 000 kr (92 % → 100 %). Majuttaget reviderar Q1 till 45 %: 40 ≤ 45 < 50 → 80 % →
    540 000 kr; maj betalar 540 000 − 675 000 = −135 000 kr (en kreditering)."""
    b = berakna(testuppdrag, priser, "RH", {HUD: [0] * 12}, None, 5, malrelaterad={1: D(45)})
    u = utbetala(b, 5, {"anslag": D(4000000), f"tillagg:{HUD}": D(0), Q1: D(675000)})
    k = {x.komponent: x for x in u.komponenter}[Q1]
    assert (k.ratt_kr, k.betalt_kr, k.belopp_kr, k.kreditering) == (D(540000), D(675000), D(-135000), True)
    assert u.malrelaterad_kr == D(-135000) and u.summa_kr == D(1000000 - 135000)


# Ett uttag per månad: för varje kvartal den månad resultatet först finns i uttaget (None: aldrig) och
# andelen i varje uttag från den månaden (en revision är en ny andel).
_ANDEL = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(forst=st.lists(st.one_of(st.none(), st.integers(1, 12)), min_size=4, max_size=4),
       andelar=st.lists(st.lists(_ANDEL, min_size=12, max_size=12), min_size=4, max_size=4))
def test_det_betalda_ar_rattens_sista_varde_och_inget_betalas_fore_sista_manaden(testuppdrag, priser, forst,
                                                                               andelar):
    """Invariant (A10 och §19): med journalen som summan av det betalda blir det betalda för ett kvartal
    efter december kvartalets belopp i decemberuttaget (trappan × 675 000 kr), och ingenting betalas för
    kvartalet före dess sista månad eller före den första månaden vars uttag har resultatet."""
    betalt: dict[str, Decimal] = {}
    forsta_betalning: dict[str, int] = {}
    for m in range(1, 13):
        uttag = {q: andelar[q - 1][m - 1] for q in range(1, 5) if forst[q - 1] is not None and forst[q - 1] <= m}
        b = berakna(testuppdrag, priser, "RH", {HUD: [0] * 12}, None, m, malrelaterad=uttag)
        for k in utbetala(b, m, dict(betalt)).komponenter:
            betalt[k.komponent] = betalt.get(k.komponent, D(0)) + k.belopp_kr
            if k.komponent.startswith("malrelaterad:") and k.belopp_kr and k.komponent not in forsta_betalning:
                forsta_betalning[k.komponent] = m
    steg = [(75, 100), (50, 95), (40, 80), (30, 60), (25, 50), (0, 0)]
    for q in range(1, 5):
        namn = f"malrelaterad:2026-Q{q}"
        if forst[q - 1] is None:
            assert namn not in betalt
            continue
        andel = andelar[q - 1][11]
        procent = next(u for fran, u in steg if andel >= fran)
        assert betalt[namn] == D(675000) * procent / 100
        if namn in forsta_betalning:
            assert forsta_betalning[namn] >= max(3 * q, forst[q - 1])


# --- kommandot, med journalen ----------------------------------------------------------------------------


def test_q1_betalas_i_mars_nar_marsuttaget_har_det_och_inte_i_februari(kor, katalog, tmp_path):
    """Q1 92 % → 100 % → 675 000 kr. Februariuttaget har redan Q1, men kvartalet förfaller först i mars:
    februari betalar bara anslaget, 1 000 000 kr. Mars betalar 1 000 000 + 675 000 = 1 675 000 kr, och
    journalens mars har raden `malrelaterad:2026-Q1: 675000`."""
    q1 = _resultat(katalog, "q1_92.yaml", Q1="92")
    journal = tmp_path / "journal.txt"
    assert _rader(_utbetala(kor, katalog, 1, journal=journal, bokfor=True)).keys() == {"anslag", f"tillagg:{HUD}"}
    februari = _utbetala(kor, katalog, 2, q1, journal=journal, bokfor=True)
    assert Q1 not in _rader(februari) and json.loads(februari.ut)["summa_kr"] == "1000000"
    mars = _utbetala(kor, katalog, 3, q1, journal=journal, bokfor=True)
    rad = _rader(mars)[Q1]
    assert (rad["ratt_hittills_kr"], rad["betalt_fore_kr"], rad["belopp_kr"]) == ("675000", "0", "675000")
    assert rad["namn"] == "Målrelaterad ersättning 1177: 2026-Q1"
    j = json.loads(mars.ut)
    assert (j["malrelaterad_kr"], j["summa_kr"]) == ("675000", "1675000")
    assert "A10" in j["antaganden"] and "A4" in j["antaganden"]
    text = journal.read_text(encoding="utf-8")
    mars_block = text[text.index("manad: 2026-03"):]
    assert "  malrelaterad:2026-Q1: 675000\n" in mars_block and "  summa: 1675000\n" in mars_block
    assert kor("kontrollera", "--journal", journal).kod == 0
    # En förhandsvisning av den bokförda mars ger samma belopp, utan skillnad.
    igen = json.loads(_utbetala(kor, katalog, 3, q1, journal=journal).ut)
    assert (igen["bokfort_kr"], igen["differens_kr"]) == ("1675000", "0")


def test_q1_betalas_i_april_nar_det_forst_finns_i_aprils_uttag(kor, katalog, tmp_path):
    """Marsuttaget saknar Q1: mars betalar bara anslaget (1 000 000 kr) och säger att Q1 väntar (A10).
    Aprils uttag har Q1 62 %: 50 ≤ 62 < 75 → 95 % → 0,95 × 675 000 = 641 250 kr, betalt i april:
    1 000 000 + 641 250 = 1 641 250 kr."""
    journal = tmp_path / "journal.txt"
    for m in (1, 2):
        _rader(_utbetala(kor, katalog, m, journal=journal, bokfor=True))
    mars = _utbetala(kor, katalog, 3, journal=journal, bokfor=True)
    assert Q1 not in _rader(mars) and json.loads(mars.ut)["summa_kr"] == "1000000"
    tabell = kor("utbetala", "--uppdrag", katalog / "uppdrag_2026.yaml", "-u", "RH", "--manad", "2026-03",
                 "--utfall", katalog / "prod.csv")
    assert "Uttaget har inget 1177-resultat för 2026-Q1" in " ".join(tabell.ut.split())
    april = _utbetala(kor, katalog, 4, _resultat(katalog, "q1_62.yaml", Q1="62"), journal=journal, bokfor=True)
    rad = _rader(april)[Q1]
    assert (rad["ratt_hittills_kr"], rad["betalt_fore_kr"], rad["belopp_kr"]) == ("641250", "0", "641250")
    assert json.loads(april.ut)["summa_kr"] == "1641250"


def test_ett_reviderat_resultat_i_maj_regleras_och_ett_uttag_utan_resultatet_vagras(kor, katalog, tmp_path):
    """Q1 92 % → 675 000 kr betalt i mars. Aprils uttag har samma Q1: 675 000 − 675 000 = 0. Majuttaget
    reviderar Q1 till 62 % → 95 % → 641 250 kr: maj krediterar 641 250 − 675 000 = −33 750 kr och betalar
    1 000 000 − 33 750 = 966 250 kr. Ett junisuttag utan Q1 skulle kreditera hela kvartalet; det vägras
    med journalens rad där Q1 bokfördes (slutkod 2), och journalen är orörd."""
    q1, rev = _resultat(katalog, "q1_92.yaml", Q1="92"), _resultat(katalog, "q1_62.yaml", Q1="62")
    journal = tmp_path / "journal.txt"
    for m in (1, 2):
        _rader(_utbetala(kor, katalog, m, journal=journal, bokfor=True))
    _rader(_utbetala(kor, katalog, 3, q1, journal=journal, bokfor=True))
    april = _rader(_utbetala(kor, katalog, 4, q1, journal=journal, bokfor=True))
    assert (april[Q1]["ratt_hittills_kr"], april[Q1]["betalt_fore_kr"], april[Q1]["belopp_kr"]) == (
        "675000", "675000", "0")
    maj = _utbetala(kor, katalog, 5, rev, journal=journal, bokfor=True)
    rad = _rader(maj)[Q1]
    assert (rad["ratt_hittills_kr"], rad["betalt_fore_kr"], rad["belopp_kr"], rad["kreditering"]) == (
        "641250", "675000", "-33750", True)
    assert (json.loads(maj.ut)["malrelaterad_kr"], json.loads(maj.ut)["summa_kr"]) == ("-33750", "966250")
    fore = journal.read_bytes()
    rad_i_journalen = next(i for i, r in enumerate(fore.decode().splitlines(), start=1)
                           if r == "  malrelaterad:2026-Q1: -33750")
    juni = _utbetala(kor, katalog, 6, journal=journal, bokfor=True)
    assert juni.kod == 2 and juni.ut == ""
    assert juni.fel.strip() == (f"{journal}:{rad_i_journalen}:3: malrelaterad:2026-Q1 är betald med 641 250 kr, men "
                                "uttaget har inget resultat för 2026-Q1: ange utfallsfilen med avsnittet "
                                "malrelaterad_1177 (utan resultatet skulle hela kvartalet krediteras)")
    assert journal.read_bytes() == fore


def test_utan_1177_data_ar_utbetalningen_som_forut(kor, katalog):
    """Utan 1177-resultat i uttaget: samma komponenter som förut (anslag och raden), mars betalar
    1 000 000 kr och `malrelaterad_kr` är 0 (uppdraget har 1177, men inget kvartal har ett resultat)."""
    k = _utbetala(kor, katalog, 3)
    assert _rader(k).keys() == {"anslag", f"tillagg:{HUD}"}
    j = json.loads(k.ut)
    assert (j["summa_kr"], j["malrelaterad_kr"], j["anslag_kr"], j["tillagg_kr"]) == ("1000000", "0", "1000000", "0")


def test_raden_har_kalla_i_utfallsfilen_och_forklaras_av_kvartalets_belopp(kor, katalog, tmp_path):
    """Rapportens 1177-rad har sin källa: resultatets plats i utfallsfilen (rad 4, kolumn 3, där
    `2026-Q1:` står) och trappan i uppdraget; `forklara malrelaterad.2026-Q1` ger samma 675 000 kr ur
    samma spår som beloppet (92 % → 100 % × 675 000)."""
    openpyxl = pytest.importorskip("openpyxl")
    q1 = _resultat(katalog, "q1_kalla.yaml", Q1="92")
    ut = tmp_path / "u.xlsx"
    k = kor("utbetala", "--uppdrag", katalog / "uppdrag_2026.yaml", "-u", "RH", "--manad", "2026-03",
            "--utfall", katalog / "prod.csv", "--utfall", q1, "-f", "xlsx", "--ut", ut)
    assert k.kod == 0, k
    ws = openpyxl.load_workbook(ut)["Källor och antaganden"]
    rubrik = [c.value for c in ws[2]]
    rader = [dict(zip(rubrik, (c.value for c in r))) for r in ws.iter_rows(min_row=3)]
    platser = {r["Vad"]: r["Plats (fil:rad:kolumn)"] for r in rader if r.get("Figur") == Q1}
    assert platser["andel besvarade inom 8 minuter"].endswith("q1_kalla.yaml:4:3")
    assert "uppdrag_2026.yaml:" in platser["belopp och trappa"]
    f = kor("forklara", "malrelaterad.2026-Q1", "--uppdrag", katalog / "uppdrag_2026.yaml", "-u", "RH",
            "--utfall", q1, "-f", "json")
    assert f.kod == 0, f
    assert json.loads(f.ut)["forklaring"]["varde"] == "675000"


# --- Regionhälsan med uppdragets data: bara 1177 -----------------------------------------------------------

RH_UTFALL = ROT / "examples" / "rh_2026.yaml"
D675, D641 = D(675000), D(641250)      # Q1 100 % och Q2 95 % av 675 000 kr (se modulens början)


def _rh(kor, manad: int, *extra, format: str = "json"):
    return kor("utbetala", "-u", "RH", "--manad", f"2026-{manad:02d}", "--utfall", RH_UTFALL, *extra, "-f", format)


def test_berakningen_for_rh_har_inget_tillagg_och_inget_anslag(uppdrag, priser):
    """Kärnan med uppdragets data: RH har varken volymer eller ram, så beräkningen har inget tillägg, inget
    anslag, ingen avräkning och ingen utbetalning enligt §4–§7 (None, inte nollor), och rätten hittills är
    bara kvartalen: i juni Q1 675 000 och Q2 641 250 kr (andelarna 79,1 % och 68,4 %), inte Q3 (september)."""
    andelar = {1: D(61874) / D(78215) * 100, 2: D("68.4"), 3: D("74.99")}
    b = berakna(uppdrag, priser, "RH", None, None, 6, malrelaterad=andelar)
    assert (b.tillagg, b.anslag, b.avrakning, b.utbetalning, b.har_ersattning) == (None, None, None, None, False)
    assert ratt_hittills(b, 6) == {Q1: D675, Q2: D641}
    assert ratt_hittills(b, 2) == {}
    with pytest.raises(ValueError, match="RH har ingen ersättning enligt §4–§7"):
        _ = b.summa_kr
    u = utbetala(b, 6)
    assert (u.anslag_kr, u.tillagg_kr, u.avrakning_kr) == (None, None, None)
    assert (u.malrelaterad_kr, u.summa_kr) == (D641, D641)


@settings(max_examples=40, deadline=None)
@given(manad=st.integers(1, 12), andelar=st.dictionaries(st.integers(1, 4), _ANDEL, max_size=4))
def test_rh_betalar_bara_de_forfallna_kvartalen_med_resultat(uppdrag, priser, manad, andelar):
    """Invariant för en utförare med bara 1177: komponenterna är exakt kvartalen som förfallit t.o.m.
    månaden (sista månaden 3, 6, 9, 12) och har ett resultat, inget anslag, tillägg eller avräkning, och
    summan är 1177-summan; rätten hittills per kvartal är trappan × 675 000 kr."""
    b = berakna(uppdrag, priser, "RH", None, None, manad, malrelaterad=andelar)
    u = utbetala(b, manad)
    assert {k.komponent for k in u.komponenter} == {f"malrelaterad:2026-Q{q}" for q in andelar if 3 * q <= manad}
    assert (u.anslag_kr, u.tillagg_kr, u.avrakning_kr) == (None, None, None)
    assert u.summa_kr == u.malrelaterad_kr == sum((k.belopp_kr for k in u.komponenter), D(0))
    steg = [(75, 100), (50, 95), (40, 80), (30, 60), (25, 50), (0, 0)]
    for k in u.komponenter:
        andel = andelar[int(k.komponent[-1])]
        assert k.ratt_kr == D(675000) * next(p for fran, p in steg if andel >= fran) / 100


def test_rh_juni_utan_journal(kor):
    """`utbetala -u RH --manad 2026-06 --utfall examples/rh_2026.yaml`: rätten hittills 675 000 + 641 250 =
    1 316 250 kr för året. Utan journal är det betalda rätten t.o.m. maj ur samma uttag (Q1, 675 000 kr),
    så juni betalar Q2: 641 250 kr. Anslag, tillägg och avräkning är null, inte 0."""
    k = _rh(kor, 6)
    assert k.kod == 0, k
    j = json.loads(k.ut)
    assert [(r["id"], r["ratt_hittills_kr"], r["betalt_fore_kr"], r["belopp_kr"]) for r in j["rader"]] == [
        (Q1, "675000", "675000", "0"), (Q2, "641250", "0", "641250")]
    assert sum(D(r["ratt_hittills_kr"]) for r in j["rader"]) == D(1316250)
    assert (j["anslag_kr"], j["tillagg_kr"], j["avrakning_kr"]) == (None, None, None)
    assert (j["malrelaterad_kr"], j["summa_kr"], j["efterreglering_kr"], j["betalt_enligt"]) == (
        "641250", "641250", "0", "berakning")
    assert {"A4", "A10", "A14"} <= set(j["antaganden"])
    # Mars betalar Q1 (675 000 kr); Q2:s resultat finns redan i uttaget men förfaller först i juni.
    mars = json.loads(_rh(kor, 3).ut)
    assert [(r["id"], r["belopp_kr"]) for r in mars["rader"]] == [(Q1, "675000")] and mars["summa_kr"] == "675000"
    # Februari: inget har förfallit, inga komponenter och 0 kr, och tabellen säger varför.
    februari = json.loads(_rh(kor, 2).ut)
    assert (februari["rader"], februari["summa_kr"], februari["malrelaterad_kr"]) == ([], "0", "0")
    t = " ".join(_rh(kor, 2, format="tabell").ut.split())
    assert ("Inget 1177-kvartal har förfallit t.o.m. februari 2026: 2026-Q1 förfaller i mars 2026 (antagande A10), "
            "och uppdraget har inget anslag och inget tillägg.") in t


def test_rh_i_varje_format_utan_rader_for_anslag_tillagg_och_avrakning(kor, tmp_path):
    """Juni (641 250 kr) i tabell, CSV, xlsx och HTML: kvartalsraderna och 1177-summan, ingen rad för
    anslag, tillägg eller avräkning (inte ens 0), och i CSV:s summor är de tomma (null i JSON)."""
    openpyxl = pytest.importorskip("openpyxl")
    t = _rh(kor, 6, format="tabell").ut
    rader = [r.split("  ")[0].strip() for r in t.splitlines()]
    assert "Målrelaterad ersättning 1177: 2026-Q2 (A10)" in rader and "Målrelaterad ersättning 1177" in rader
    assert not {"Anslag", "Tillägg", "Avräkning"} & set(rader)
    assert " ".join(next(r for r in t.splitlines() if r.startswith("Att betala")).split()) == (
        "Att betala juni 2026 641 250")
    komponenter, summor = _rh(kor, 6, format="csv").ut.split("\n\n")
    assert [r[1] for r in list(csv.reader(komponenter.splitlines()))[1:]] == [Q1, Q2]
    post = dict(list(csv.reader(summor.splitlines()))[1:])
    assert (post["anslag_kr"], post["tillagg_kr"], post["avrakning_kr"], post["malrelaterad_kr"], post["summa_kr"]) == (
        "", "", "", "641250", "641250")
    ut = tmp_path / "rh.xlsx"
    assert _rh(kor, 6, "--ut", ut, format="xlsx").kod == 0
    ws = openpyxl.load_workbook(ut)["Utbetalning"]
    tabellen = list(ws.iter_rows(min_row=3, values_only=True))
    namn = [r[1] for r in tabellen[:tabellen.index((None,) * len(tabellen[0]))]]      # till den tomma raden
    assert namn == ["Målrelaterad ersättning 1177: 2026-Q1", "Målrelaterad ersättning 1177: 2026-Q2",
                    "Målrelaterad ersättning 1177", "Att betala juni 2026"]
    html = tmp_path / "rh.html"
    assert _rh(kor, 6, "--ut", html, format="html").kod == 0
    h = html.read_text(encoding="utf-8")
    assert 'data-id="malrelaterad:2026-Q2"' in h and 'data-varde="641250"' in h
    assert not any(f'<td data-nyckel="namn">{x}</td>' in h for x in ("Anslag", "Tillägg", "Avräkning"))


def test_rh_bokfor_januari_till_juni_i_journalen(kor, tmp_path):
    """Journalen för RH, januari–juni ur examples/rh_2026.yaml: januari och februari har inget att betala
    (ett block utan komponenter, summa 0), mars betalar Q1 675 000 kr, april och maj 0 (Q1 redan betalt),
    juni Q2 641 250 kr; `kontrollera --journal` godtar journalen, och en förhandsvisning av den bokförda
    juni ger samma belopp utan skillnad. Det bokförda är 675 000 + 641 250 = 1 316 250 kr."""
    journal = tmp_path / "journal.txt"
    summor = {}
    for m in range(1, 7):
        k = _rh(kor, m, "--journal", journal, "--bokfor")
        assert k.kod == 0, k
        summor[m] = json.loads(k.ut)["summa_kr"]
    assert summor == {1: "0", 2: "0", 3: "675000", 4: "0", 5: "0", 6: "641250"}
    block = {b.split("\n")[0]: b for b in journal.read_text(encoding="utf-8").split("\n\n")[1:]}
    assert [r.split(":")[0].strip() for r in block["manad: 2026-01"].splitlines()] == [
        "manad", "korning", "indata", "summa", "kedja"]
    assert "  malrelaterad:2026-Q1: 675000\n  summa: 675000\n" in block["manad: 2026-03"]
    assert "  malrelaterad:2026-Q1: 0\n  malrelaterad:2026-Q2: 641250\n  summa: 641250\n" in block["manad: 2026-06"]
    assert "anslag" not in journal.read_text(encoding="utf-8")
    assert kor("kontrollera", "--journal", journal).kod == 0
    igen = json.loads(_rh(kor, 6, "--journal", journal).ut)
    assert (igen["bokford"], igen["bokfort_kr"], igen["differens_kr"], igen["summa_kr"]) == (True, "641250", "0", "641250")
    assert sum(D(r["betalt_fore_kr"]) + D(r["belopp_kr"]) for r in igen["rader"]) == D(1316250)


def test_rh_med_beslut_efterreglering_och_ett_beslut_om_ram(kor, tmp_path):
    """Efterregleringens väg för RH: januari–juni bokförda utan beslut, juli förhandsvisas med ett nytt
    beslut (målvärdet för bum_90_dagar från april, en ändring som inte rör pengarna): beräkningen med och
    utan beslutet är samma, så efterregleringen är 0 och juli betalar 0 kr (Q1 och Q2 betalda, Q3
    förfaller i september). Ett beslut om ram för RH, som inte har någon ram, vägras med beslutets
    plats (slutkod 2) och journalen är orörd."""
    journal = tmp_path / "journal.txt"
    for m in range(1, 7):
        assert _rh(kor, m, "--journal", journal, "--bokfor").kod == 0
    huvud = "utforare: RH\nar: 2026\nbeslut:\n  - organ: operativa hälso- och sjukvårdsnämnden\n" \
            "    datum: 2026-03-20\n    fran: 2026-04\n    kalla: \"TESTBESLUT\"\n    andringar:\n"
    malvarde = tmp_path / "malvarde.yaml"
    malvarde.write_text(huvud + "      - {indikator: bum_90_dagar, malvarde: 90}\n", encoding="utf-8")
    juli = _rh(kor, 7, "--journal", journal, "--beslut", malvarde)
    assert juli.kod == 0, juli
    j = json.loads(juli.ut)
    assert (j["summa_kr"], j["efterreglering_kr"], j["anslag_kr"]) == ("0", "0", None)
    assert [(r["id"], r["betalt_fore_kr"], r["belopp_kr"]) for r in j["rader"]] == [(Q1, "675000", "0"),
                                                                                    (Q2, "641250", "0")]
    assert "Målvärde: bum_90_dagar" in _rh(kor, 7, "--journal", journal, "--beslut", malvarde, format="tabell").ut
    ram = tmp_path / "ram.yaml"
    ram.write_text(huvud + "      - {ram_tkr: 1200}\n", encoding="utf-8")
    fore = journal.read_bytes()
    k = _rh(kor, 7, "--journal", journal, "--beslut", ram, "--bokfor")
    assert k.kod == 2 and k.ut == ""
    assert k.fel.strip() == (f"{ram}:9:10: beslut[0].andringar[0].ram_tkr: RH har ingen ersättningsram i uppdraget "
                             "(bara målrelaterad ersättning 1177); utbetala räknar inget anslag ur ett beslut om ram")
    assert journal.read_bytes() == fore


@pytest.mark.parametrize("kommando", [("berakna",), ("prognos",), ("rapport", "--manad", "2026-06"),
                                      ("forklara", "utbetalning.2026-06")])
def test_kommandon_som_bygger_pa_volymerna_vagrar_rh_med_en_rad(kor, kommando):
    """`berakna`, `prognos`, `rapport` (månadens rapport bygger på produktionen mot planen och prognosen)
    och `forklara utbetalning.…` räknar inte på data som RH inte har: en rad, slutkod 2, ingen utdata."""
    k = kor(*kommando, "-u", "RH", "--utfall", RH_UTFALL)
    assert (k.kod, k.ut) == (2, "")
    assert k.fel.strip().startswith("ersattning: RH saknar volymer i ") and len(k.fel.strip().splitlines()) == 1


def test_utbetala_valjer_utforaren_ur_uttaget_och_vagrar_en_utan_data(kor):
    """Utan `-u` väljs RH när uttaget bara har RH:s 1177, SV när det bara har SV:s produktion; med båda
    måste `-u` anges. En utförare utan volymer, ram och 1177 (SU) vägras med en rad som listar SV och RH."""
    assert json.loads(kor("utbetala", "--manad", "2026-06", "--utfall", RH_UTFALL, "-f", "json").ut)["utforare"] == "RH"
    sv_uttag = ROT / "examples" / "produktion_2026.csv"
    assert json.loads(kor("utbetala", "--manad", "2026-06", "--utfall", sv_uttag, "-f", "json").ut)["utforare"] == "SV"
    bada = kor("utbetala", "--manad", "2026-06", "--utfall", RH_UTFALL, "--utfall", sv_uttag)
    assert bada.kod == 2 and "ange utförare med --utforare/-u (utförare med data för kommandot: SV, RH)" in bada.fel
    su = kor("utbetala", "-u", "SU", "--manad", "2026-06", "--utfall", RH_UTFALL)
    assert su.kod == 2 and "SU saknar volymer och ersattningsram (eller malrelaterad_1177)" in su.fel
    assert "(utförare med data för kommandot: SV, RH)" in su.fel


def test_antagandena_for_1177_i_nummerordning_och_kvartalen_i_sparet(uppdrag, testuppdrag, priser):
    """Antagande A10 (när kvartalet betalas) hör till beräkningen när ett kvartal förfallit, och för RH,
    som bara har 1177, alltid: i januari har RH A10 men inte §9:s A3, A4 och A14 (inget kvartal har
    förfallit). Testuppdragets RH har också anslag: i februari inget A10. I juni har RH A3, A4, A10 och
    A14 i nummerordning (A10 efter A4, inte som text före A3). Med en skrivare antecknas kvartalens
    belopp: Q1 79,1 % → 100 % → 675 000 kr."""
    from vgr_ersattning.kalkyl.spar import Spar

    andelar = {1: D(61874) / D(78215) * 100, 2: D("68.4")}
    jan = berakna(uppdrag, priser, "RH", None, None, 1, malrelaterad=andelar)
    assert list(jan.antaganden) == ["A10"]
    feb = berakna(testuppdrag, priser, "RH", {HUD: [0] * 12}, None, 2, malrelaterad=andelar)
    assert "A10" not in feb.antaganden
    s = Spar("RH")
    juni = berakna(uppdrag, priser, "RH", None, None, 6, malrelaterad=andelar, spar=s)
    assert [a for a in juni.antaganden if a in ("A3", "A4", "A10", "A14")] == ["A3", "A4", "A10", "A14"]
    assert s.figurer[("malrelaterad", 1)].varde == D675
