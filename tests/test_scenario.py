"""regelboken §11: scenarier och delegationsgränsen."""

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from vgr_ersattning.kalkyl.scenario import Andring, Scenario, Scenariomotor

OP = "somatik.operation.allman_kirurgi"


def motor(sv, priser, utfall=None):
    """`utfall` är produktionen hittills per rad; den läggs i januari och räknas t.o.m. januari."""
    produktion = None if utfall is None else {rid: [u] + [0] * 11 for rid, u in utfall.items()}
    return Scenariomotor(sv.volymer, priser, "SV", sv.delegation.grans_kr, produktion, 1, sv.tillagg)


def test_dokumentexemplen(sv, priser):
    m = motor(sv, priser)
    plus100 = m.utvardera(Scenario("a", (Andring(OP, "tillagg", andra=100),)))
    assert (plus100.forandring_plan_kr, plus100.kraver_namndbeslut) == (3579500, True)
    plus80 = m.utvardera(Scenario("b", (Andring(OP, "tillagg", andra=80),)))
    assert (plus80.forandring_plan_kr, plus80.kraver_namndbeslut) == (2863600, False)
    minus100 = m.utvardera(Scenario("c", (Andring(OP, "tillagg", andra=-100),)))
    assert (minus100.forandring_plan_kr, minus100.kraver_namndbeslut) == (-3579500, True)


def test_exakt_vid_delegationsgransen_ryms(sv, priser):
    # 1 198,56… besök ger inte exakt 3 000 000; ett pris som gör det: 30 000 kr × 100 = 3 000 000.
    r = motor(sv, priser).utvardera(Scenario("g", (Andring(OP, "tillagg", satt=3057 + 100), Andring("behandling", "pris", satt=35795))))
    assert r.forandring_plan_kr == 3579500
    gräns = Scenariomotor(sv.volymer, priser, "SV", Decimal(3579500)).utvardera(
        Scenario("g", (Andring(OP, "tillagg", andra=100),)))
    assert gräns.kraver_namndbeslut is False


def test_prisandring_rör_bara_sin_kategori_och_sitt_sjukhus(sv, priser):
    m = motor(sv, priser)
    r = m.utvardera(Scenario("p", (Andring("kologastro.SV", "pris", satt=4500),)))
    assert r.forandring_plan_kr == (1159 + 2713) * (4500 - 4459)
    r2 = m.utvardera(Scenario("p", (Andring("kologastro.NU", "pris", satt=9999),)))
    assert r2.forandring_plan_kr == 0
    r3 = m.utvardera(Scenario("p", (Andring("besok", "pris", satt=2600),)))
    # Besöksradernas tillägg summerar till 12 570 (volymtabellen); 12 570 × 97 kr = 1 219 290 kr.
    assert r3.forandring_plan_kr == 1219290


def test_basandring_paverkar_bara_utfallet(sv, priser):
    m = motor(sv, priser, {OP: 4000})
    r = m.utvardera(Scenario("b", (Andring(OP, "bas", andra=-200),)))
    assert r.forandring_plan_kr == 0
    assert r.forandring_utfall_kr == 200 * 35795


@given(st.just(None))
def test_inga_andringar_ger_noll(sv, priser, _):
    r = motor(sv, priser, {OP: 5000}).utvardera(Scenario("tom", ()))
    assert r.forandring_plan_kr == 0 and r.forandring_utfall_kr == 0


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(["somatik.operation.allman_kirurgi", "somatik.forstabesok.hud",
                                                   "psykiatri.utredning.vup", "somatik.undersokning.koloskopi",
                                                   "somatik.operation.urologi"])),
                          st.sampled_from(["bas", "tillagg"]), st.integers(-50, 500)), max_size=5, unique_by=lambda x: x[0]))
def test_forandringen_ar_additiv_over_rader(sv, priser, andringar):
    m = motor(sv, priser, {"somatik.operation.allman_kirurgi": 3600, "somatik.forstabesok.hud": 4000})
    helt = m.utvardera(Scenario("x", tuple(Andring(i, f, andra=n) for i, f, n in andringar)))
    var_for_sig = [m.utvardera(Scenario("y", (Andring(i, f, andra=n),))) for i, f, n in andringar]
    assert helt.forandring_plan_kr == sum((r.forandring_plan_kr for r in var_for_sig), Decimal(0))
    assert helt.forandring_utfall_kr == sum((r.forandring_utfall_kr for r in var_for_sig), Decimal(0))


def test_cli_tabell_och_json(kor):
    k = kor("scenario", "--andra", f"{OP}.tillagg=+100")
    assert k.kod == 0 and "3 579 500 kr" in k.ut and "Kräver beslut i nämnden" in k.ut
    k = kor("scenario", "--andra", f"{OP}.tillagg=+80")
    assert "2 863 600 kr" in k.ut and "Inom delegationen" in k.ut
    j = json.loads(kor("scenario", "--andra", f"{OP}.tillagg=-100", "--format", "json").ut)
    (s,) = j["scenarier"]
    assert s["forandring_plan_kr"] == "-3579500" and s["kraver_namndbeslut"] is True
    assert s["forandring_utfall_kr"] is None
    assert s["andringar"] == [{"id": OP, "falt": "tillagg", "fran": "3057", "till": "2957"}]


def test_scenariofil_ger_samma_som_enskilda(kor, tmp_path):
    csvfil = tmp_path / "s.csv"
    csvfil.write_text("namn,id,falt,satt,andra\n"
                      f"ett,{OP},tillagg,,+100\n"
                      "tva,somatik.forstabesok.hud,bas,3000,\n"
                      "tva,besok,pris,2600,\n"
                      f"ett,{OP},bas,,-43\n")
    yamlfil = tmp_path / "s.yaml"
    yamlfil.write_text(f"- namn: ett\n  andringar:\n    - {{id: {OP}, falt: tillagg, andra: 100}}\n"
                       f"    - {{id: {OP}, falt: bas, andra: -43}}\n"
                       "- namn: tva\n  andringar:\n    - {id: somatik.forstabesok.hud, falt: bas, satt: 3000}\n"
                       "    - {pris: besok, satt: 2600}\n")
    jsonfil = tmp_path / "s.json"
    jsonfil.write_text(json.dumps([{"namn": "ett", "andringar": [{"id": OP, "falt": "tillagg", "andra": 100},
                                                                  {"id": OP, "falt": "bas", "andra": -43}]},
                                   {"namn": "tva", "andringar": [{"id": "somatik.forstabesok.hud", "falt": "bas", "satt": 3000},
                                                                  {"pris": "besok", "satt": 2600}]}]))
    ut = [json.loads(kor("scenario", "--scenariofil", f, "--format", "json").ut) for f in (csvfil, yamlfil, jsonfil)]
    assert ut[0] == ut[1] == ut[2]
    assert [s["namn"] for s in ut[0]["scenarier"]] == ["ett", "tva"]
    ett = json.loads(kor("scenario", "--andra", f"{OP}.tillagg=+100", "--andra", f"{OP}.bas=-43", "-f", "json").ut)
    assert ett["scenarier"][0]["forandring_plan_kr"] == ut[0]["scenarier"][0]["forandring_plan_kr"]
    tva = json.loads(kor("scenario", "--satt", "somatik.forstabesok.hud.bas=3000", "--pris", "besok=2600", "-f", "json").ut)
    assert tva["scenarier"][0]["forandring_plan_kr"] == ut[0]["scenarier"][1]["forandring_plan_kr"]


def test_felaktiga_scenarier(kor, tmp_path):
    for args, text in [
        (["--andra", "somatik.operation.finns_inte.tillagg=+1"], "okänt rad-id"),
        (["--andra", f"{OP}.uppdrag=+1"], "okänt fält"),
        (["--pris", "okand=1"], "okänd priskategori"),
        (["--andra", f"{OP}.tillagg=+1.5"], "heltal"),
        (["--andra", f"{OP}.tillagg=-4000"], "volymen blir negativ (-943)"),
    ]:
        k = kor("scenario", *args)
        assert k.kod == 2 and text in k.fel, (args, k)
    f = tmp_path / "s.csv"
    f.write_text(f"namn,id,falt,satt,andra\nett,{OP},tillagg,,+1\ntva,{OP},tillagg,,-9999\n")
    k = kor("scenario", "--scenariofil", f)
    assert k.kod == 2 and "s.csv:3:5: tva: somatik.operation.allman_kirurgi.tillagg: volymen blir negativ" in k.fel
    f.write_text("namn,id,falt,satt,andra\nett,x,bas,1.5,\n")
    k = kor("scenario", "--scenariofil", f)
    assert k.kod == 2 and "s.csv:2:" in k.fel and "inte ett heltal" in k.fel
