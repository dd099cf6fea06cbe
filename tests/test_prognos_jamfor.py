"""Regelboken §16 (prognos, antagande A7) och §17 (jämförelse av två uttag), med handräknade fall."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from vgr_ersattning.kalkyl.jamforelse import jamfor
from vgr_ersattning.kalkyl.parametrar import for_tabell
from vgr_ersattning.kalkyl.prognos import berakna_prognos

HUD = "somatik.forstabesok.hud"          # bas 3 858, tillägg 1 642, uppdrag 5 500, besök 2 503 kr
OP = "somatik.operation.allman_kirurgi"  # bas 3 543, tillägg 3 057, behandling 35 795 kr
ALLERGI = "somatik.forstabesok.allergologi"   # uppdrag 0


def _aug(u: int) -> list[int]:
    """`u` enheter t.o.m. augusti, allt i januari (årsbasen gör fördelningen oviktig)."""
    return [u] + [0] * 11


def _rad(sv, priser, rid, produktion, m=8):
    p = berakna_prognos(for_tabell(sv.volymer, priser, "SV"), {rid: produktion}, m, sv.tillagg)
    return p, next(r for r in p.rader if r.id == rid)


def test_rad_under_basen(sv, priser):
    # Plan t.o.m. augusti 5 500 × 8/12 = 3 666,67; takt 2 000 / 3 666,67 = 6/11; resten 1 833,33 × 6/11 = 1 000.
    p, r = _rad(sv, priser, HUD, _aug(2000))
    assert (r.prognos_antal, r.belopp_kr) == (3000, 0)
    assert r in p.nar_inte_basen and r.tak_manad is None and r.utan_ersattning == 0


def test_rad_inom_bandet(sv, priser):
    # Takt 3 000 / 3 666,67 = 9/11; resten 1 833,33 × 9/11 = 1 500; 4 500 − 3 858 = 642 ersatta × 2 503 kr.
    _, r = _rad(sv, priser, HUD, _aug(3000))
    assert (r.prognos_antal, r.resultat.ersatta, r.belopp_kr) == (4500, 642, 1606926)


def test_rad_som_passerar_taket(sv, priser):
    # Takt 4 400 / 3 666,67 = 1,2; resten 2 200: 6 600 > 5 500. Hela tillägget, 1 642 × 2 503 = 4 109 926 kr,
    # och 1 100 besök utan ersättning. Taket nås i oktober: 4 400 + 2 × 458,33 × 1,2 = 5 500.
    p, r = _rad(sv, priser, HUD, _aug(4400))
    assert (r.prognos_antal, r.belopp_kr, r.utan_ersattning, r.tak_manad) == (6600, 4109926, 1100, 10)
    assert r in p.nar_taket_tidigt and r in p.utan_ersattning


def test_rad_utan_plan_har_takten_ett(sv, priser):
    _, r = _rad(sv, priser, ALLERGI, _aug(5))
    assert (r.takt, r.prognos_antal, r.belopp_kr, r.utan_ersattning) == (1, 5, 0, 5)


def test_prognosen_avrundas_half_up_till_hela_enheter(sv, priser):
    # Resten är halva planen hittills, så prognosen är 1,5 × utfallet: 3 001 ger 4 501,5 → 4 502.
    _, r = _rad(sv, priser, HUD, _aug(3001))
    assert r.prognos_antal == 4502


@settings(max_examples=60, deadline=None)
@given(u=st.integers(0, 20000), m=st.integers(1, 12))
def test_prognosen_betalar_aldrig_mer_an_tillagget(sv, priser, u, m):
    p = berakna_prognos(for_tabell(sv.volymer, priser, "SV"), {HUD: [u] + [0] * 11, OP: [u] * 12}, m, sv.tillagg)
    for r in p.rader:
        assert 0 <= r.belopp_kr <= r.tillagg * r.resultat.pris_kr
        assert r.prognos_antal >= r.utfall


def test_revision_under_basen_och_nya_manader(sv, priser):
    # Före: 3 600 t.o.m. augusti → 57 ersatta = 2 040 315 kr. Efter: januari reviderad till 3 500 (under
    # basen 3 543: hela bandet förloras, −2 040 315 kr) och 200 i september → 3 700, 157 ersatta =
    # 5 619 815 kr. Förändringen 100 × 35 795 = 3 579 500 kr = −2 040 315 + 5 619 815.
    j = jamfor(for_tabell(sv.volymer, priser, "SV"), {OP: _aug(3600)}, 8, {OP: [3500] + [0] * 7 + [200, 0, 0, 0]}, 9, sv.tillagg)
    r = next(x for x in j.rader if x.id == OP)
    assert (r.revision_kr, r.nya_manader_kr, r.forandring_kr) == (-2040315, 5619815, 3579500)
    assert r.korsar == ("basen",)
    assert j.rader[0].id == OP                   # störst effekt först
    assert (j.revision_kr, j.nya_manader_kr, j.forandring_kr) == (-2040315, 5619815, 3579500)


@settings(max_examples=80, deadline=None)
@given(fore=st.lists(st.integers(0, 3000), min_size=12, max_size=12),
       efter=st.lists(st.integers(0, 3000), min_size=12, max_size=12),
       a=st.integers(1, 12), extra=st.integers(0, 11))
def test_revision_plus_nya_manader_ar_forandringen(sv, priser, fore, efter, a, extra):
    b = min(a + extra, 12)
    j = jamfor(for_tabell(sv.volymer, priser, "SV"), {OP: fore, HUD: fore[::-1]}, a, {OP: efter, HUD: efter[::-1]}, b, sv.tillagg)
    for r in j.rader:
        assert r.revision_kr + r.nya_manader_kr == r.forandring_kr
    assert j.revision_kr + j.nya_manader_kr == j.forandring_kr


def test_berakna_sager_vilka_manader_som_saknar_data(kor, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("utforare,rad,manad,antal\nSV,somatik.forstabesok.hud,2026-01,10\nSV,somatik.forstabesok.hud,2026-08,10\n",
                 encoding="utf-8")
    k = kor("berakna", "--utfall", f, "--till-och-med", "2026-10")
    assert k.kod == 0
    assert "ingen produktion för februari, mars, april, maj, juni, juli, september, oktober 2026" in k.ut
    assert "ersattning prognos" in k.ut
    j = json.loads(kor("berakna", "--utfall", f, "--till-och-med", "2026-10", "-f", "json").ut)
    assert j["manader_utan_data"] == ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-09",
                                      "2026-10"]


def test_prognos_och_jamfor_pa_kommandoraden(kor, tmp_path):
    from conftest import ROT

    k = kor("prognos", "--utfall", ROT / "examples/produktion_2026.csv", "-f", "json")
    assert k.kod == 0, k
    j = json.loads(k.ut)
    assert j["prognos"] is True and j["till_och_med"] == "2026-08"
    assert Decimal(j["tillagg_kr"]) == sum(Decimal(r["belopp_kr"]) for r in j["rader"])
    t = kor("prognos", "--utfall", ROT / "examples/produktion_2026.csv")
    assert "PROGNOS" in t.ut and "september (prognos)" in t.ut
    fk = kor("forklara", f"prognos.{OP}", "--utfall", ROT / "examples/produktion_2026.csv")
    assert fk.kod == 0 and "Takt mot planen" in fk.ut and "Plan t.o.m. augusti" in fk.ut
    sep = tmp_path / "sep.csv"
    sep.write_text((ROT / "examples/produktion_2026.csv").read_text(encoding="utf-8")
                   + "SV,somatik.operation.allman_kirurgi,2026-09,600\n", encoding="utf-8")
    jf = json.loads(kor("jamfor", "--fore", ROT / "examples/produktion_2026.csv", "--efter", sep, "-f", "json").ut)
    assert Decimal(jf["revision_kr"]) + Decimal(jf["nya_manader_kr"]) == Decimal(jf["forandring_kr"])
    assert jf["efter_till_och_med"] == "2026-09"
