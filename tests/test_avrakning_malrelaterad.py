"""regelboken §7 avräkning och §9 1177:s målrelaterade ersättning."""

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from vgr_ersattning.kalkyl.avrakning import avrakna_post
from vgr_ersattning.kalkyl.malrelaterad import andel_procent, berakna_malrelaterad, kvartalsbelopp_kr
from vgr_ersattning.kalkyl.parametrar import Varde, konstant, serie

L = Decimal(2883)   # Läkemedelsleveranser, tkr


def test_avrakning_negativ_noll_och_positiv_postning():
    # April: utfall 800 < 961 (pro rata) → −161. Augusti: i fas, 1 922 → +161 (ikapp).
    # December: 2 883 → 0.
    utfall = {4: Decimal(800), 8: Decimal(1122), 12: Decimal(961)}
    t = avrakna_post(konstant(Varde(L)), utfall, [4, 8, 12], "pro_rata", 12)
    assert [x.utbetalt_tkr for x in t] == [961, 1922, 2883]
    assert [x.reglerat_hittills_tkr for x in t] == [-161, 0, 0]
    assert [x.reglering_tkr for x in t] == [-161, 161, 0]


def test_avrakning_taket_haller_vid_overskridande():
    t = avrakna_post(konstant(Varde(L)), {1: Decimal(3000)}, [4, 8, 12], "pro_rata", 12)
    assert [x.tak_tkr for x in t] == [961, 1922, 2883]
    assert [x.reglering_tkr for x in t] == [0, 0, 0]


def test_avrakning_med_decimaler():
    t = avrakna_post(konstant(Varde(L)), {1: Decimal("250.5"), 2: Decimal(231)}, [4, 8, 12], "pro_rata", 4)
    assert len(t) == 1 and t[0].reglering_tkr == Decimal("481.5") - 961


@given(st.lists(st.decimals(min_value=0, max_value=5000, places=1), min_size=12, max_size=12))
def test_arets_reglering_aldrig_positiv_och_aldrig_under_minus_nivan(manader):
    t = avrakna_post(konstant(Varde(L)), dict(enumerate(manader, 1)), [4, 8, 12], "pro_rata", 12)
    total = sum(x.reglering_tkr for x in t)
    assert -L <= total <= 0
    assert total == t[-1].reglerat_hittills_tkr


def test_avrakning_cli(kor, tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text("utforare: SV\nar: 2026\navrakning:\n  lakemedelsleveranser: {2026-01: 250.5, 2026-02: 231, "
                 "2026-05: 700}\n  specialistutbildning_sjukskoterskor: {2026-04: 1953}\n")
    j = json.loads(kor("avrakning", "--utfall", f, "--format", "json").ut)
    lak = next(p for p in j["poster"] if p["id"] == "lakemedelsleveranser")
    assert [t["manad"] for t in lak["tillfallen"]] == ["2026-04"]
    assert lak["tillfallen"][0] == {"manad": "2026-04", "utfall_tkr": "481.5", "tak_tkr": "961", "utbetalt_tkr": "961",
                                    "reglerat_hittills_tkr": "-479.5", "reglering_tkr": "-479.5"}
    assert j["summa_reglering_tkr"] == "-479.5"
    # Postningarna ingår i berakna:s summa.
    prod = tmp_path / "p.csv"
    prod.write_text("utforare,rad,manad,antal\nSV,somatik.forstabesok.hud,2026-05,10\n")
    b = json.loads(kor("berakna", "--utfall", f, "--utfall", prod, "--format", "json").ut)
    assert Decimal(b["summa_kr"]) == Decimal(b["anslag"]["utbetalt_kr"]) + Decimal(b["tillagg"]["summa_kr"]) - 479500


def test_avrakning_felaktig_indata(kor, tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text("utforare: SV\nar: 2026\navrakning:\n  okand_post: {2026-01: 1}\n"
                 "  lakemedelsleveranser: {2026-01: -5, 2026-13: 1}\n")
    k = kor("avrakning", "--utfall", f)
    assert k.kod == 2
    rader = k.fel.strip().splitlines()
    assert len(rader) == 3
    assert "u.yaml:4:3: avrakning.okand_post: okänd post med avräkning" in rader[0]
    assert "negativt" in rader[1] and "2026-13 finns inte" in rader[2]


def test_1177_kvartalsbelopp(uppdrag):
    assert kvartalsbelopp_kr(uppdrag.utforare["RH"].malrelaterad_1177) == 675000


def test_trappans_kanter(uppdrag):
    m = uppdrag.utforare["RH"].malrelaterad_1177
    fall = {Decimal("24.99"): 0, Decimal(25): 50, Decimal("29.99"): 50, Decimal(30): 60, Decimal("39.99"): 60,
            Decimal(40): 80, Decimal(50): 95, Decimal("74.99"): 95, Decimal(75): 100, Decimal(100): 100}
    res = berakna_malrelaterad(m, {1: Decimal(0)})
    assert res.kvartal[0].belopp_kr == 0
    for p, procent in fall.items():
        r = berakna_malrelaterad(m, {1: p}).kvartal[0]
        assert r.utbetalning_procent == procent, p
        assert r.belopp_kr == {0: 0, 50: 337500, 60: 405000, 80: 540000, 95: 641250, 100: 675000}[procent]


@given(st.decimals(min_value=0, max_value=100, places=3), st.decimals(min_value=0, max_value=100, places=3))
def test_utbetalningen_minskar_aldrig_nar_andelen_okar(uppdrag, a, b):
    m = uppdrag.utforare["RH"].malrelaterad_1177
    lo, hi = sorted((a, b))
    r = berakna_malrelaterad(m, {1: lo, 2: hi}).kvartal
    assert r[0].belopp_kr <= r[1].belopp_kr


def test_andel_ur_antal_ar_oavrundad():
    assert andel_procent(7499, 10000) == Decimal("74.99")


def test_malrelaterad_cli(kor, tmp_path):
    f = tmp_path / "rh.yaml"
    f.write_text("utforare: RH\nar: 2026\nmalrelaterad_1177:\n  2026-Q1: {besvarade_inom_8_min: 81234, samtal: 100000}\n"
                 "  2026-Q2: {andel_procent: 74.99}\n  2026-Q3: {andel_procent: 24.99}\n")
    j = json.loads(kor("malrelaterad", "--utfall", f, "--format", "json").ut)
    assert [(k["kvartal"], k["utbetalning_procent"], k["belopp_kr"]) for k in j["kvartal"]] == [
        ("2026-Q1", "100", "675000"), ("2026-Q2", "95", "641250"), ("2026-Q3", "0", "0")]
    assert j["kvartal"][0]["andel_procent"] == "81.234"
    assert j["summa_kr"] == "1316250"
    t = kor("malrelaterad", "--utfall", f)
    assert t.kod == 0 and "Antagande A3" in t.ut and "Antagande A4" in t.ut


def test_malrelaterad_felaktig_indata(kor, tmp_path):
    f = tmp_path / "rh.yaml"
    f.write_text("utforare: RH\nar: 2026\nmalrelaterad_1177:\n"
                 "  2026-Q5: {andel_procent: 50}\n"
                 "  2026-Q1: {besvarade_inom_8_min: 10, samtal: 100, andel_procent: 10}\n"
                 "  2026-Q2: {besvarade_inom_8_min: 101, samtal: 100}\n"
                 "  2026-Q3: {andel_procent: 100.5}\n")
    k = kor("malrelaterad", "--utfall", f)
    assert k.kod == 2
    rader = k.fel.strip().splitlines()
    assert len(rader) == 4
    assert ":4:3: malrelaterad_1177.2026-Q5: 2026-Q5 finns inte (ange ÅÅÅÅ-Q1 … ÅÅÅÅ-Q4)" in rader[0]
    assert "inte båda" in rader[1] and "fler besvarade (101) än samtal (100)" in rader[2]
    assert "mellan 0 och 100" in rader[3]


def test_helt_med_daterade_nivaer_lika_hela_aret_ger_nivan_som_tak():
    """Regeln `helt` när en nivå är beslutad (samma hela året, så som vid ett beslut från januari):
    taket i april är hela nivån 1 200 tkr, inte pro rata 400 tkr. Utfallet 1 000 tkr ligger under
    taket: regleringen är 1 000 − betalt (1 200 × 4/12 = 400) = 600 tkr."""
    (april, *_) = avrakna_post(serie([Decimal(1200)] * 12), {1: Decimal(1000)}, [4, 8, 12], "helt", 12)
    assert (april.manad, april.tak_tkr, april.utbetalt_tkr, april.reglerat_hittills_tkr) == (4, 1200, 400, 600)
