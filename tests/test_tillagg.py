"""regelboken §4–§6: tilläggsersättning, plan, måluppfyllelse och anslag."""

import json
import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from vgr_ersattning.kalkyl.anslag import berakna_anslag, manadsbelopp
from vgr_ersattning.kalkyl.parametrar import Varde, for_tabell, konstant
from vgr_ersattning.kalkyl.plan import maluppfyllelse_hittills
from vgr_ersattning.kalkyl.tillagg import berakna_tillagg, ersatta, pris_for

OP = "somatik.operation.allman_kirurgi"   # bas 3 543, tillägg 3 057, 35 795 kr


def test_planen_for_sv_2026_ar_263_497_958_kr(sv, priser):
    res = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"))
    assert res.summa_kr == Decimal("263497958")
    assert sum(res.manader) == res.summa_kr
    # handräknat: Σ tillägg × pris per kategori
    besok = 1754 * 2503 + 10816 * 2503
    assert besok + 6000 * 35795 + 3872 * 4459 == 263497958


def test_plan_utan_a1_skulle_ge_annat_belopp(sv, priser):
    """Antagandet syns i siffran: prissätts psykiatrins utredning och behandling som DRG blir planen en annan."""
    a1 = [rid for rid, r in sv.volymer.rader.items() if r.antagande == "A1"]
    rader = {rid: (r.model_copy(update={"priskategori": "behandling"}) if rid in a1 else r)
             for rid, r in sv.volymer.rader.items()}
    volymer = sv.volymer.model_copy(update={"rader": rader})
    # A1-radernas tillägg 70 + 116 + 587 + 407 = 1 180, med DRG-priset i stället för besökspriset:
    # 263 497 958 + 1 180 × (35 795 − 2 503) = 302 782 518 kr.
    assert len(a1) == 4
    assert berakna_tillagg(for_tabell(volymer, priser, "SV")).summa_kr == 302782518


def test_ersatta_i_varje_regim():
    bas, tillagg = 3543, 3057
    assert ersatta(0, bas, tillagg) == 0            # långt under basen
    assert ersatta(3542, bas, tillagg) == 0         # under basen
    assert ersatta(3543, bas, tillagg) == 0         # exakt vid basen
    assert ersatta(3544, bas, tillagg) == 1         # i bandet
    assert ersatta(5000, bas, tillagg) == 1457      # i bandet
    assert ersatta(6600, bas, tillagg) == 3057      # exakt vid taket
    assert ersatta(9000, bas, tillagg) == 3057      # över taket


def _prod(manader: dict[int, int]) -> list[int]:
    return [manader.get(m, 0) for m in range(1, 13)]


def test_handraknat_utfall_med_kreditering(sv, priser):
    # Januari 3 000 (under basen), februari 700 (passerar basen med 157), mars 100 till:
    prod = {OP: _prod({1: 3000, 2: 700, 3: 100})}
    res = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), prod, 3)
    rad = next(r for r in res.rader if r.id == OP)
    assert (rad.utfall, rad.ersatta, rad.belopp_kr) == (3800, 257, 257 * 35795)
    assert res.manader == (0, 157 * 35795, 100 * 35795)
    # En nedrevidering av februari ger en negativ utbetalning (kreditering) i den månaden.
    prod2 = {OP: _prod({1: 3000, 2: 600, 3: 0})}
    res2 = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), prod2, 3)
    assert res2.summa_kr == 57 * 35795
    assert res2.manader[1] - res.manader[1] == -100 * 35795


def test_kolo_gastro_har_sjukhusets_pris(priser):
    assert pris_for(priser, "kologastro", "SV") == 4459
    assert pris_for(priser, "kologastro", "SAS") == 4997
    assert pris_for(priser, "kologastro", "RH") is None


def test_maluppfyllelse_mot_manadsplanen(sv):
    # Planen för hud t.o.m. mars är 5 500 × 3/12 = 1 375; över hela tabellen 81 739 × 3/12.
    prod = {"somatik.forstabesok.hud": _prod({1: 480, 2: 510, 3: 385})}
    v = maluppfyllelse_hittills(sv.volymer, prod, 3)
    # 1 375 / 20 434,75 = 6,7287341416 % (för hand, tio decimaler)
    assert round(v, 10) == Decimal("6.7287341416")


def test_anslaget_sv_2026(sv):
    a = berakna_anslag(konstant(Varde(sv.ersattningsram.belopp_tkr)), Varde(sv.anslag.fast_andel_procent))
    assert a.manader[:11] == (Decimal(276488917),) * 11
    assert a.manader[11] == 276488913
    assert a.arsbelopp_kr == 3317867000
    assert berakna_anslag(konstant(Varde(sv.ersattningsram.belopp_tkr)), Varde(100), 8).utbetalt_kr == 8 * 276488917


@given(st.integers(min_value=0, max_value=10**12))
def test_anslagets_tolv_belopp_summerar_exakt_till_ramen(ram_kr):
    m = manadsbelopp((Decimal(ram_kr),) * 12)
    assert sum(m) == ram_kr and len(m) == 12
    assert all(x == x.to_integral_value() for x in m)


@given(st.integers(0, 20000), st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 500))
def test_ersatta_haller_taket_och_okar_aldrig_baklanges(u, bas, tillagg, mer):
    e = ersatta(u, bas, tillagg)
    assert 0 <= e <= tillagg
    assert ersatta(u + mer, bas, tillagg) >= e


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([OP, "somatik.forstabesok.hud", "somatik.undersokning.koloskopi"]),
                          st.integers(1, 12), st.integers(0, 3000)), max_size=30),
       st.integers(1, 12))
def test_belopp_inom_tak_och_manaderna_summerar(sv, priser, rader, tom):
    prod: dict[str, list[int]] = {}
    for rid, m, n in rader:
        prod.setdefault(rid, [0] * 12)[m - 1] += n
    res = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), prod, tom)
    assert sum(res.manader) == res.summa_kr
    for r in res.rader:
        assert 0 <= r.belopp_kr <= r.tillagg * r.pris_kr
    # Mer produktion betalar aldrig mindre.
    mer = {rid: [v + 1 for v in varden] for rid, varden in prod.items()}
    assert berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), mer, tom).summa_kr >= res.summa_kr


def test_cli_plan(kor):
    k = kor("berakna")
    assert k.kod == 0
    assert "263 497 958" in k.ut
    assert "Antagande A1" in k.ut
    j = json.loads(kor("berakna", "--format", "json").ut)
    assert j["tillagg"]["summa_kr"] == "263497958"
    assert j["anslag"]["ram_tkr"] == "3317867"
    assert j["anslag"]["utbetalt_kr"] == "3317867000"
    assert j["summa_kr"] == str(3317867000 + 263497958)
    assert j["anslag"]["manader"][11] == {"manad": "2026-12", "belopp_kr": "276488913"}


def test_manadsfil_och_radnivafil_ger_identisk_json(kor, tmp_path):
    rng = random.Random(2026)
    manadsrader = [("SV", OP, "2026-01", 2000), ("SV", OP, "2026-02", 1900), ("SV", "somatik.forstabesok.hud", "2026-02", 300),
                   ("SV", "somatik.undersokning.koloskopi", "2026-03", 1200), ("SV", OP, "2026-03", 0)]
    manad = tmp_path / "manad.csv"
    manad.write_text("utforare,rad,manad,antal\n" + "".join(f"{u},{r},{m},{n}\n" for u, r, m, n in manadsrader))
    enskilda = [f"{u},{r},{m},1\n" for u, r, m, n in manadsrader for _ in range(n)]
    enskilda.append(f"SV,{OP},2026-03,0\n")
    rng.shuffle(enskilda)
    radniva = tmp_path / "radniva.csv"
    radniva.write_text("antal,manad,rad,utforare\n" + "".join(
        ",".join(reversed(rad.strip().split(","))) + "\n" for rad in enskilda))
    a = kor("berakna", "--utfall", manad, "--format", "json")
    b = kor("berakna", "--utfall", radniva, "--format", "json")
    assert a.kod == b.kod == 0
    assert a.ut == b.ut
    j = json.loads(a.ut)
    assert j["till_och_med"] == "2026-03"
    op = next(r for r in j["tillagg"]["rader"] if r["id"] == OP)
    assert (op["utfall"], op["ersatta"], op["belopp_kr"]) == ("3900", "357", str(357 * 35795))
    assert sum(Decimal(m["belopp_kr"]) for m in j["tillagg"]["manader"]) == Decimal(j["tillagg"]["summa_kr"])


def test_yaml_och_csv_utfall_samma_resultat(kor, tmp_path):
    y = tmp_path / "u.yaml"
    y.write_text(f"utforare: SV\nar: 2026\nproduktion:\n  {OP}: {{2026-01: 4000, 2026-02: 100}}\n")
    c = tmp_path / "u.csv"
    c.write_text(f"utforare,rad,manad,antal\nSV,{OP},2026-01,4000\nSV,{OP},2026-02,100\n")
    assert kor("berakna", "--utfall", y, "-f", "json").ut == kor("berakna", "--utfall", c, "-f", "json").ut


def test_samma_nyckel_i_tva_filer_ar_fel(kor, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(f"utforare,rad,manad,antal\nSV,{OP},2026-01,5\n")
    b.write_text(f"utforare,rad,manad,antal\nSV,{OP},2026-02,5\nSV,{OP},2026-01,5\n")
    k = kor("berakna", "--utfall", a, "--utfall", b)
    assert k.kod == 2
    assert "b.csv:3:1" in k.fel and "a.csv:2" in k.fel


def test_csv_utdata_en_rad_per_volymrad(kor):
    rader = kor("berakna", "--format", "csv").ut.strip().splitlines()
    assert rader[0] == "id,namn,bas,tillagg,utfall,ersatta,pris_kr,belopp_kr,maluppfyllelse,kalla,plats"
    assert rader.index("") == 1 + 49      # sedan månaderna och summorna, efter en tom rad (README: Excel)
    op = next(r for r in rader if r.startswith(OP + ","))
    assert op.startswith(f"{OP},Allmän kirurgi,3543,3057,6600,3057,35795,109425315,1,")
    assert op.endswith(",data/uppdrag_2026.yaml:136:9")


def test_till_och_med_utanfor_aret(kor):
    k = kor("berakna", "--till-och-med", "2026-13")
    assert k.kod == 2 and "ÅÅÅÅ-MM" in k.fel


def test_periodiserad_bas_fylls_efter_profilen(sv, priser):
    """Alternativet till antagande A2: basen t.o.m. mars är 3/12 av årsbasen."""
    prod = {OP: _prod({1: 1000, 2: 1000, 3: 500})}
    res = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), prod, 3, sv.tillagg.model_copy(update={"basmodell": "periodiserad"}))
    rad = next(r for r in res.rader if r.id == OP)
    assert rad.ersatta == Decimal("1614.25")            # 2 500 − 3 543 × 3/12 = 2 500 − 885,75
    # Under årsbas (A2) betalas ingenting: 2 500 < 3 543.
    assert next(r for r in berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), prod, 3).rader if r.id == OP).ersatta == 0


def test_profil_per_grupp_styr_planen(sv):
    from vgr_ersattning.kalkyl.plan import plan_hittills

    profil = [Decimal(0)] * 6 + [Decimal("0.5"), Decimal("0.5")] + [Decimal(0)] * 4
    volymer = sv.volymer.model_copy(update={"profiler": {"somatik.operation": profil}})
    assert plan_hittills(volymer, OP, 6) == 0
    assert plan_hittills(volymer, OP, 7) == 3300
    assert plan_hittills(volymer, OP, 12) == 6600
    assert plan_hittills(volymer, "somatik.forstabesok.hud", 6) == 2750          # 5 500 × 6/12
