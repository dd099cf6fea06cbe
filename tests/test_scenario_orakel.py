"""Regelboken §11 mot berakna: en motor som utvärderar många scenarier efter varandra (med sitt minne
per radläge) ger för varje scenario exakt skillnaden i tilläggsersättning som `berakna_tillagg` ger
för ett uppdrag och en prislista där ändringarna är gjorda, vid plan och vid utfall.

Oraklet räknar hela tabellen med berakna:s väg (inte motorns minne eller dess genvägar), så ett
scenario som får ett annat scenarios sparade belopp (samma nyckel för olika lägen), en rad som
räknas två gånger eller inte alls, eller ett pris som hamnar på fel rader syns här."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vgr_ersattning.kalkyl.scenario import Andring, Scenario, Scenariofel, Scenariomotor
from vgr_ersattning.kalkyl.tillagg import berakna_tillagg

SV = "SV"


def _andrad(volymer, priser, andringar):
    """Volymtabellen och prislistan med scenariots ändringar gjorda (uppdrag = bas + tillägg, §3)."""
    rader = dict(volymer.rader)
    nya_priser = dict(priser.tillagg)
    for a in andringar:
        if a.falt == "pris":
            kategori = a.id.partition(".")[0]
            if a.id.endswith(f".{SV}"):
                per = dict(nya_priser[kategori].per_utforare or {})
                per[SV] = Decimal(a.satt)
                nya_priser[kategori] = nya_priser[kategori].model_copy(update={"per_utforare": per})
            else:
                nya_priser[kategori] = nya_priser[kategori].model_copy(
                    update={"pris_kr": Decimal(a.satt), "per_utforare": None})
            continue
        r = rader[a.id]
        varde = a.satt if a.satt is not None else getattr(r, a.falt) + a.andra
        r = r.model_copy(update={a.falt: varde})
        rader[a.id] = r.model_copy(update={"uppdrag": r.bas + r.tillagg})
    return (volymer.model_copy(update={"rader": rader}), priser.model_copy(update={"tillagg": nya_priser}))


def _forandring(sv, priser, andringar, produktion, till_och_med) -> Decimal:
    volymer, nya_priser = _andrad(sv.volymer, priser, andringar)
    fore = berakna_tillagg(sv.volymer, priser, SV, produktion, till_och_med, sv.tillagg).summa_kr
    efter = berakna_tillagg(volymer, nya_priser, SV, produktion, till_och_med, sv.tillagg).summa_kr
    return efter - fore


@st.composite
def _scenarier(draw, sv, priser):
    rader = list(sv.volymer.rader)
    # Prisändringar: regiongemensamma kategorier som "kategori", per utförare som "kategori.SV".
    prisnycklar = sorted(k if p.pris_kr is not None else f"{k}.{SV}" for k, p in priser.tillagg.items()
                         if p.pris_kr is not None or SV in (p.per_utforare or {}))
    ut = []
    for i in range(draw(st.integers(1, 8))):
        andringar = []
        for _ in range(draw(st.integers(1, 4))):
            if draw(st.integers(0, 5)) == 0:
                andringar.append(Andring(draw(st.sampled_from(prisnycklar)), "pris",
                                         satt=draw(st.sampled_from([0, 1000, 2503, 4459, 35795, 60000]))))
                continue
            rid = draw(st.sampled_from(rader))
            falt = draw(st.sampled_from(["bas", "tillagg"]))
            if draw(st.booleans()):
                # 0 ofta: en rad utan bas ger andra belopp vid utfall än samma tillägg med basen kvar
                andringar.append(Andring(rid, falt, satt=draw(st.sampled_from([0, 0, 250, 1000, 3000])
                                                              | st.integers(0, 9000))))
            else:
                andringar.append(Andring(rid, falt, andra=draw(st.integers(0, 700))))
        ut.append(Scenario(f"s{i}", tuple(andringar)))
    return ut


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(data=st.data(), med_utfall=st.booleans())
def test_en_motor_ger_samma_som_berakna_for_varje_scenario(sv, priser, data, med_utfall):
    scenarier = data.draw(_scenarier(sv, priser))
    produktion, till_och_med = None, 12
    if med_utfall:
        rader = list(sv.volymer.rader)
        # Stora månader också, så att utfallet passerar basen (och taket) på en del rader.
        manad = st.sampled_from([0, 60, 400, 1200, 2500]) | st.integers(0, 900)
        produktion = {rid: [data.draw(manad) for _ in range(12)]
                      for rid in data.draw(st.lists(st.sampled_from(rader), max_size=16, unique=True))}
        till_och_med = data.draw(st.integers(1, 12))
    motor = Scenariomotor(sv.volymer, priser, SV, sv.delegation.grans_kr, produktion, till_och_med, sv.tillagg)
    for s in scenarier:
        r = motor.utvardera(s)
        assert r.forandring_plan_kr == _forandring(sv, priser, s.andringar, None, 12), s
        if med_utfall:
            assert r.forandring_utfall_kr == _forandring(sv, priser, s.andringar, produktion, till_och_med), s
        else:
            assert r.forandring_utfall_kr is None
        assert r.kraver_namndbeslut == (abs(r.forandring_plan_kr) > sv.delegation.grans_kr)


def test_samma_radlage_med_olika_pris_och_olika_bas_i_en_motor(sv, priser):
    """För hand: allmän kirurgi (bas 3 543, tillägg 3 057, 35 795 kr) med samma läge tre gånger, men
    med ett annat pris och en annan bas: varje gång sitt eget belopp, inte det förra scenariots."""
    op = "somatik.operation.allman_kirurgi"
    kategori = sv.volymer.rader[op].priskategori
    nyckel = kategori if priser.tillagg[kategori].pris_kr is not None else f"{kategori}.{SV}"
    motor = Scenariomotor(sv.volymer, priser, SV, sv.delegation.grans_kr, regler=sv.tillagg)
    sa = Scenario("a", (Andring(op, "tillagg", andra=100),))
    sb = Scenario("b", (Andring(op, "tillagg", andra=100), Andring(nyckel, "pris", satt=0)))
    sc = Scenario("c", (Andring(op, "tillagg", andra=100), Andring(op, "bas", satt=0)))
    a, b, c = motor.utvardera(sa), motor.utvardera(sb), motor.utvardera(sc)
    assert a.forandring_plan_kr == 100 * 35795                   # full leverans: 100 fler ersatta
    # Priset 0 på kategorin: allmän kirurgi och kategorins andra rader tappar hela sitt belopp.
    assert b.forandring_plan_kr == _forandring(sv, priser, sb.andringar, None, 12) < 0
    # Basen 0: alla 3 057 + 100 är tillägg och ersätts redan vid full leverans (3 157 × 35 795 kr),
    # mot 3 057 × 35 795 kr före: samma belopp som a.
    assert c.forandring_plan_kr == _forandring(sv, priser, sc.andringar, None, 12) == 100 * 35795
    assert motor.utvardera(sa).forandring_plan_kr == a.forandring_plan_kr


def test_negativ_volym_ar_ett_fel_och_paverkar_inte_nasta(sv, priser):
    op = "somatik.operation.allman_kirurgi"
    motor = Scenariomotor(sv.volymer, priser, SV, sv.delegation.grans_kr, regler=sv.tillagg)
    try:
        motor.utvardera(Scenario("fel", (Andring(op, "bas", andra=-10_000),)))
    except Scenariofel:
        pass
    else:
        raise AssertionError("en negativ bas ska vara ett fel")
    r = motor.utvardera(Scenario("ok", (Andring(op, "tillagg", andra=10),)))
    assert r.forandring_plan_kr == 10 * 35795
