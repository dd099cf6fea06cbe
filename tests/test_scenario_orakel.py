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

from vgr_ersattning.kalkyl.parametrar import for_tabell
from vgr_ersattning.kalkyl.scenario import Andring, Scenario, Scenarioblock, Scenariofel, Scenariomotor
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
    fore = berakna_tillagg(for_tabell(sv.volymer, priser, SV), produktion, till_och_med, sv.tillagg).summa_kr
    efter = berakna_tillagg(for_tabell(volymer, nya_priser, SV), produktion, till_och_med, sv.tillagg).summa_kr
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
    motor = _motor(sv, priser, produktion, till_och_med)
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
    motor = _motor(sv, priser)
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
    motor = _motor(sv, priser)
    try:
        motor.utvardera(Scenario("fel", (Andring(op, "bas", andra=-10_000),)))
    except Scenariofel:
        pass
    else:
        raise AssertionError("en negativ bas ska vara ett fel")
    r = motor.utvardera(Scenario("ok", (Andring(op, "tillagg", andra=10),)))
    assert r.forandring_plan_kr == 10 * 35795


# --- luckor som mutationstestningen visade (mutmut-overlevare.md, "Inte likvärdiga") ------------------

OP = "somatik.operation.allman_kirurgi"       # bas 3 543, tillägg 3 057, 35 795 kr


def _motor(sv, priser, produktion=None, till_och_med=12, delad=None):
    return Scenariomotor(sv.volymer, priser, SV, sv.delegation.grans_kr, produktion, till_och_med, sv.tillagg,
                         delad=delad)


def _samma_som_berakna(sv, priser, motor, s, produktion, till_och_med):
    r = motor.utvardera(s)
    assert r.forandring_plan_kr == _forandring(sv, priser, s.andringar, None, 12), s
    assert r.forandring_utfall_kr == _forandring(sv, priser, s.andringar, produktion, till_och_med), s
    return r


def test_olika_baser_pa_samma_rad_far_var_sitt_belopp_vid_utfall(sv, priser):
    """250 operationer i månaden hela året (3 000): med basen 0 ersätts 3 000 (tak 3 057), med basen
    1 000 ersätts 2 000, med 2 000 ersätts 1 000 – i samma motor, i båda ordningarna."""
    produktion = {OP: [250] * 12}
    motor = _motor(sv, priser, produktion)
    vantat = {0: 3000, 1000: 2000, 2000: 1000}
    for bas in (0, 1000, 2000, 1000, 0, 2000):
        r = _samma_som_berakna(sv, priser, motor, Scenario(f"bas {bas}", (Andring(OP, "bas", satt=bas),)),
                               produktion, 12)
        # före: basen 3 543 > 3 000 gav 0 ersatta
        assert r.forandring_utfall_kr == vantat[bas] * 35795


def test_tillagg_over_2_upphojt_till_32_i_samma_motor(sv, priser):
    """Värden i en scenariofil är högst 10 000 000 var, men ändringar av samma fält adderas: ett tillägg
    kan passera 2³² (430 rader `+10000000`). Minnets nyckel får inte blanda ihop lägena."""
    motor = _motor(sv, priser, {OP: [250] * 12})
    stort = 2 ** 32
    for till in (stort, 0, stort + 5, 5, stort):
        _samma_som_berakna(sv, priser, motor, Scenario(f"t{till}", (Andring(OP, "tillagg", satt=till),)),
                           {OP: [250] * 12}, 12)
    manga = Scenario("många", tuple(Andring(OP, "tillagg", andra=10_000_000) for _ in range(430)))
    r = _samma_som_berakna(sv, priser, motor, manga, {OP: [250] * 12}, 12)
    assert r.forandring_plan_kr == 430 * 10_000_000 * 35795


def test_minnet_toms_nar_det_ar_fullt_och_ger_samma_belopp(sv, priser, monkeypatch):
    from vgr_ersattning.kalkyl import scenario

    monkeypatch.setattr(scenario, "MAX_MINNE", 2)
    produktion = {OP: [250] * 12, "somatik.forstabesok.hud": [400] * 12}
    motor = _motor(sv, priser, produktion, 8)
    for i in range(12):
        s = Scenario(f"s{i}", (Andring(OP, "bas", satt=500 * i), Andring("somatik.forstabesok.hud", "tillagg", andra=i)))
        _samma_som_berakna(sv, priser, motor, s, produktion, 8)


def test_bas_satt_och_sedan_andrad_under_noll_ar_ett_fel(sv, priser):
    """`bas satt 100` och sedan `bas andra -150` i samma scenario: volymen blir −50."""
    motor = _motor(sv, priser)
    try:
        motor.utvardera(Scenario("x", (Andring(OP, "bas", satt=100), Andring(OP, "bas", andra=-150))))
    except Scenariofel as e:
        assert "negativ" in str(e) and e.index == 1
    else:
        raise AssertionError("en negativ volym ska vara ett fel")
    r = motor.utvardera(Scenario("y", (Andring(OP, "bas", satt=100), Andring(OP, "bas", andra=-100))))
    assert [(a.falt, a.till) for a in r.andringar] == [("bas", 0)]
    # Efter två giltiga ändringar är felet den tredje (index 2), som felraden pekar ut.
    hud = "somatik.forstabesok.hud"
    try:
        motor.utvardera(Scenario("z", (Andring(hud, "bas", andra=1), Andring(OP, "bas", satt=10),
                                       Andring(OP, "bas", andra=-11))))
    except Scenariofel as e:
        assert "negativ" in str(e) and e.index == 2
    else:
        raise AssertionError("en negativ volym ska vara ett fel")
    # Och efter två prisändringar (som går genom _tillampa).
    try:
        motor.utvardera(Scenario("p", (Andring("besok", "pris", satt=2600), Andring("behandling", "pris", satt=36000),
                                       Andring("okand.rad", "bas", andra=1))))
    except Scenariofel as e:
        assert "okänt rad-id" in str(e) and e.index == 2
    else:
        raise AssertionError("ett okänt rad-id ska vara ett fel")


def test_decimala_heltal_gor_som_heltal(sv, priser):
    """Ett anrop med Decimal (inte ur en fil, där volymer är heltal) ger samma som heltalet."""
    produktion = {OP: [250] * 12}
    motor = _motor(sv, priser, produktion)
    for v in (100, 0, 4000):
        som_decimal = motor.utvardera(Scenario("d", (Andring(OP, "bas", satt=Decimal(v)),)))
        som_heltal = motor.utvardera(Scenario("i", (Andring(OP, "bas", satt=v),)))
        assert (som_decimal.forandring_plan_kr, som_decimal.forandring_utfall_kr) == \
            (som_heltal.forandring_plan_kr, som_heltal.forandring_utfall_kr)
        assert [type(a.till) for a in som_decimal.andringar] == [int]
    try:
        motor.utvardera(Scenario("halv", (Andring(OP, "bas", satt=Decimal("100.5")),)))
    except Scenariofel as e:
        assert "heltal" in str(e)
    else:
        raise AssertionError("en volym med decimaler ska vara ett fel")


def test_bas_och_pris_i_samma_scenario_vid_utfall(sv, priser):
    """Basen 0 och priset 1 000 kr på radens kategori: vid utfallet (3 000 operationer, basen 3 543
    gav inga ersatta förut) ersätts 3 000 × 1 000 kr = 3 000 000 kr (kategorins andra rader har
    inget utfall här)."""
    produktion = {OP: [250] * 12}
    motor = _motor(sv, priser, produktion)
    kategori = sv.volymer.rader[OP].priskategori
    nyckel = kategori if priser.tillagg[kategori].pris_kr is not None else f"{kategori}.{SV}"
    s = Scenario("bas och pris", (Andring(OP, "bas", satt=0), Andring(nyckel, "pris", satt=1000)))
    r = _samma_som_berakna(sv, priser, motor, s, produktion, 12)
    assert r.forandring_utfall_kr == 3000 * 1000


def test_lage_noll_noll_och_sedan_ett_annat(sv, priser):
    produktion = {OP: [250] * 12}
    motor = _motor(sv, priser, produktion)
    for s in (Scenario("noll", (Andring(OP, "bas", satt=0), Andring(OP, "tillagg", satt=0))),
              Scenario("plus", (Andring(OP, "tillagg", andra=100),)),
              Scenario("noll igen", (Andring(OP, "bas", satt=0), Andring(OP, "tillagg", satt=0)))):
        _samma_som_berakna(sv, priser, motor, s, produktion, 12)


def test_serierna_toms_nar_de_ar_manga_och_ger_samma_belopp(sv, priser, monkeypatch):
    """Lägena byggs av sparade serier (en per volym, högst MAX_SERIER): när de töms byggs de igen, och
    varje scenario ger samma belopp som berakna. Samma volym som bas på en rad och tillägg på en
    annan delar serie."""
    from vgr_ersattning.kalkyl import scenario

    monkeypatch.setattr(scenario, "MAX_SERIER", 2)
    produktion = {OP: [250] * 12, "somatik.forstabesok.hud": [400] * 12}
    motor = _motor(sv, priser, produktion, 9)
    for i in range(10):
        s = Scenario(f"s{i}", (Andring(OP, "bas", satt=300 * i), Andring("somatik.forstabesok.hud", "tillagg", satt=300 * i),
                               Andring(OP, "tillagg", andra=i)))
        _samma_som_berakna(sv, priser, motor, s, produktion, 9)
    assert len(motor._serier) <= 2


# --- block: Scenariomotor.utvardera_block ------------------------------------------------------------

def _som_block(scenarier) -> Scenarioblock:
    granser, ids, falt, satt, andra = [0], [], [], [], []
    for s in scenarier:
        for a in s.andringar:
            ids.append(a.id)
            falt.append(a.falt)
            satt.append(a.satt)
            andra.append(a.andra)
        granser.append(len(ids))
    return Scenarioblock([s.namn for s in scenarier], granser, ids, falt, satt, andra)


def _gar_i_block(motor, s) -> bool:
    """Varje ändring den enda av sin rad, en känd rads bas eller tillägg, ett heltal ≥ 0 efter ändringen."""
    rader = [a.id for a in s.andringar]
    if len(set(rader)) != len(rader):
        return False
    for a in s.andringar:
        if a.falt not in ("bas", "tillagg") or a.id not in motor.volymer.rader:
            return False
        ny = a.satt if a.satt is not None else getattr(motor.volymer.rader[a.id], a.falt) + a.andra
        if type(ny) is not int or ny < 0:
            return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(data=st.data(), med_utfall=st.booleans())
def test_ett_block_ger_samma_som_varje_scenario_och_som_berakna(sv, priser, data, med_utfall):
    """Ett block med scenarier som bara ändrar olika raders bas eller tillägg ger samma resultat som
    `utvardera` för varje scenario, och samma förändring som berakna (oraklet ovan); ett block med ett
    scenario som inte är sådant (samma rad två gånger, ett pris, ett okänt id, en negativ volym) ger
    None. Volymer långt över uppdragets (utanför motorns lista per plats) också."""
    rader = list(sv.volymer.rader)
    andring = st.builds(
        lambda rid, falt, satt, andra, med_satt: Andring(rid, falt, satt=satt) if med_satt else Andring(rid, falt, andra=andra),
        st.sampled_from(rader), st.sampled_from(["bas", "tillagg"]),
        st.sampled_from([0, 250, 3000, 100_000]) | st.integers(0, 9000),
        st.integers(-300, 700) | st.sampled_from([50_000, -10**6]), st.booleans())
    konstiga = st.sampled_from([Andring("besok", "pris", satt=2600), Andring("okand.rad", "bas", andra=1),
                                Andring(rader[0], "uppdrag", andra=1)])
    scenarier = [Scenario(f"s{i}", tuple(a)) for i, a in enumerate(data.draw(st.lists(
        st.lists(andring | konstiga if data.draw(st.integers(0, 9)) == 0 else andring, min_size=1, max_size=4),
        min_size=1, max_size=12)))]
    produktion, till_och_med = None, 12
    if med_utfall:
        manad = st.sampled_from([0, 60, 400, 1200, 2500]) | st.integers(0, 900)
        produktion = {rid: [data.draw(manad) for _ in range(12)]
                      for rid in data.draw(st.lists(st.sampled_from(rader), max_size=16, unique=True))}
        till_och_med = data.draw(st.integers(1, 12))
    motor = _motor(sv, priser, produktion, till_och_med)
    for _ in range(2):          # andra gången ur motorns minne
        rb = motor.utvardera_block(_som_block(scenarier))
        if not all(_gar_i_block(motor, s) for s in scenarier):
            assert rb is None
            continue
        assert rb is not None
        resultat = list(rb.resultat())
        ensam = _motor(sv, priser, produktion, till_och_med)
        assert resultat == [ensam.utvardera(s) for s in scenarier]
        for s, r in zip(scenarier, resultat):
            assert r.forandring_plan_kr == _forandring(sv, priser, s.andringar, None, 12), s
            if med_utfall:
                assert r.forandring_utfall_kr == _forandring(sv, priser, s.andringar, produktion, till_och_med), s
        assert rb.kraver_namndbeslut == [abs(r.forandring_plan_kr) > sv.delegation.grans_kr for r in resultat]


def test_ett_tomt_block_och_ett_block_med_decimaltal(sv, priser):
    motor = _motor(sv, priser)
    assert motor.utvardera_block(Scenarioblock([], [0], [], [], [], [])) is None
    op = "somatik.operation.allman_kirurgi"
    assert motor.utvardera_block(Scenarioblock(["a"], [0, 1], [op], ["bas"], [Decimal(5)], [None])) is None
    # Gränser som inte täcker ändringarna en gång, i ordning: None (inte ett IndexError).
    for granser in ([0, 2], [1, 1], [0, 0], [0, 3]):
        assert motor.utvardera_block(Scenarioblock(["a"], granser, [op, op], ["bas", "bas"], [None] * 2, [1, 1])) is None
    # Samma rad två gånger i ett scenario (bas och tillägg) men inte i två olika scenarier.
    alla = list(sv.volymer.rader)
    assert motor.utvardera_block(Scenarioblock(["a"], [0, 2], [op, op], ["bas", "tillagg"], [None] * 2, [1, 1])) is None
    assert motor.utvardera_block(Scenarioblock(["a", "b"], [0, 1, 2], [op, op], ["bas", "tillagg"], [None] * 2,
                                               [1, 1])) is not None
    # Alla rader en gång var i ett scenario, och sedan den första raden en gång till.
    hela = Scenarioblock(["a"], [0, len(alla)], alla, ["tillagg"] * len(alla), [None] * len(alla), [1] * len(alla))
    assert motor.utvardera_block(hela) is not None
    assert motor.utvardera_block(hela._replace(granser=[0, len(alla) + 1], id=alla + alla[:1], falt=hela.falt + ["bas"],
                                              satt=hela.satt + [None], andra=hela.andra + [1])) is None
    r = motor.utvardera_block(Scenarioblock(["a", "b"], [0, 1, 2], [op, op], ["tillagg", "tillagg"], [None, None],
                                            [100, -100]))
    # Handräknat i test_scenario.py: ±100 operationer à 35 795 kr.
    assert r.plan == [Decimal(3579500), Decimal(-3579500)] and r.till == [3157, 2957]
    assert [r.ordbok[k] for k in r.kod] == [(op, "tillagg", 3057)] * 2


def test_tva_motorer_som_delar_tabell_raknar_varje_lage_en_gang(sv, priser, monkeypatch):
    """Två motorer med samma `DeladTabell` (som två processer): den andra hämtar lägen som den första
    räknat i stället för att räkna dem, och resultaten är desamma som utan tabellen."""
    from vgr_ersattning.kalkyl import scenario as modul
    from vgr_ersattning.parallell import DeladTabell

    op, hud = "somatik.operation.allman_kirurgi", "somatik.forstabesok.hud"
    block = Scenarioblock(["a", "b", "c"], [0, 2, 3, 4], [op, hud, op, hud], ["tillagg", "bas", "tillagg", "tillagg"],
                          [None, None, 3000, None], [100, -5, None, 7])
    tabell = DeladTabell(modul.delade_platser(sv.volymer))
    forsta = _motor(sv, priser, delad=tabell)
    vantat = list(_motor(sv, priser).utvardera_block(block).resultat())
    assert list(forsta.utvardera_block(block).resultat()) == vantat
    andra = _motor(sv, priser, delad=tabell)
    raknade = []
    riktig = Scenariomotor._rakna_forandring
    monkeypatch.setattr(Scenariomotor, "_rakna_forandring", lambda self, *a: raknade.append(a) or riktig(self, *a))
    assert list(andra.utvardera_block(block).resultat()) == vantat
    assert raknade == []
    # Handräknat: +100 operationer à 35 795 kr; basen ändrar inget vid plan och tillägget 3 057 → 3 000
    # ger −57 × 35 795 kr; +7 besök à 2 503 kr.
    assert [r.forandring_plan_kr for r in vantat] == [3579500, -57 * 35795, 7 * 2503]


def test_en_summa_som_inte_ryms_i_precisionen_raknas_scenario_for_scenario(sv, priser):
    """Ett pris med 28 värdesiffror: radens förändring 0,1234567890123456789012345 kr ryms, men summan med
    +100 000 besök (250 300 000 kr) skulle avrundas (decimalmodulens Inexact). Blocket ger då None, så
    att summan räknas i uppdragets ordning av `utvardera`; ett block med bara den raden går."""
    op, hud = "somatik.operation.allman_kirurgi", "somatik.forstabesok.hud"
    tillagg = dict(priser.tillagg)
    tillagg["behandling"] = tillagg["behandling"].model_copy(
        update={"pris_kr": Decimal("0.1234567890123456789012345678")})
    motor = _motor(sv, priser.model_copy(update={"tillagg": tillagg}))
    assert motor.utvardera_block(Scenarioblock(["a"], [0, 2], [op, hud], ["tillagg", "tillagg"], [None, None],
                                               [1, 100000])) is None
    ett = motor.utvardera_block(Scenarioblock(["a"], [0, 1], [op], ["tillagg"], [None], [1]))
    assert ett.plan == [Decimal("0.1234567890123456789012345")]
    r = motor.utvardera(Scenario("a", (Andring(op, "tillagg", andra=1), Andring(hud, "tillagg", andra=100000))))
    assert r.forandring_plan_kr == Decimal("250300000.1234567890123456789")      # 100 000 × 2 503 kr + raden, avrundat


def test_ett_block_med_decimalbelopp_summeras_per_scenario(sv, priser):
    """Ett behandlingspris med öre (35 795,50 kr) gör radernas förändringar till decimaltal, som
    summeras per scenario över scenariots del av blocket (inte som löpande heltalssummor), vid plan
    och utfall. Utfallet: 500 operationer och 600 hudbesök i månaden t.o.m. augusti (4 000 över basen
    3 543 och 4 800 över 3 858, under taken). Handräknat:
    a = tillägget för operationer +101 och hudbasen −1: vid plan 101 × 35 795,50 = 3 615 345,50 kr
    (basen ändrar inget vid plan), vid utfallet ett besök till över basen, 2 503 kr (tillägget ändrar
    inget under taket); b = operationsbasen −1: vid plan 0, vid utfallet 35 795,50 kr; c = hudtillägget
    +7: vid plan 7 × 2 503 = 17 521 kr, vid utfallet 0."""
    op, hud = "somatik.operation.allman_kirurgi", "somatik.forstabesok.hud"
    tillagg = dict(priser.tillagg)
    tillagg["behandling"] = tillagg["behandling"].model_copy(update={"pris_kr": Decimal("35795.50")})
    med_oren = priser.model_copy(update={"tillagg": tillagg})
    produktion = {op: [500] * 12, hud: [600] * 12}
    block = Scenarioblock(["a", "b", "c"], [0, 2, 3, 4], [op, hud, op, hud], ["tillagg", "bas", "bas", "tillagg"],
                          [None] * 4, [101, -1, -1, 7])

    def motor():
        return _motor(sv, med_oren, produktion, 8)

    rb = motor().utvardera_block(block)
    assert rb.plan == [Decimal("3615345.50"), 0, 17521]
    assert rb.utfall == [2503, Decimal("35795.50"), 0]
    scenarier = [Scenario("a", (Andring(op, "tillagg", andra=101), Andring(hud, "bas", andra=-1))),
                 Scenario("b", (Andring(op, "bas", andra=-1),)), Scenario("c", (Andring(hud, "tillagg", andra=7),))]
    ensam = motor()
    assert list(rb.resultat()) == [ensam.utvardera(s) for s in scenarier]


def test_ett_block_lamnar_decimalkontextens_inexact_som_det_fann_den(sv, priser):
    """`utvardera_block` prövar sina summor med kontextens Inexact: en flagga som redan var satt står
    kvar efteråt, och en summa som inte rymdes lämnar den satt (som en vanlig decimalräkning)."""
    import decimal

    op, hud = "somatik.operation.allman_kirurgi", "somatik.forstabesok.hud"
    motor = _motor(sv, priser)
    block = Scenarioblock(["a"], [0, 1], [op], ["tillagg"], [None], [1])
    with decimal.localcontext() as k:
        k.flags[decimal.Inexact] = True
        assert motor.utvardera_block(block) is not None
        assert k.flags[decimal.Inexact]
    tillagg = dict(priser.tillagg)
    tillagg["behandling"] = tillagg["behandling"].model_copy(
        update={"pris_kr": Decimal("0.1234567890123456789012345678")})
    ojamn = _motor(sv, priser.model_copy(update={"tillagg": tillagg}))
    with decimal.localcontext() as k:
        k.flags[decimal.Inexact] = False
        assert ojamn.utvardera_block(Scenarioblock(["a"], [0, 2], [op, hud], ["tillagg", "tillagg"], [None, None],
                                                   [1, 100000])) is None
        assert k.flags[decimal.Inexact]


def test_ett_block_med_granser_som_inte_passar_namnen_eller_inte_stiger_ger_none(sv, priser):
    """Gränserna är en fler än namnen, börjar på 0, slutar vid sista ändringen och stiger: annars None."""
    op, hud, ogon = "somatik.operation.allman_kirurgi", "somatik.forstabesok.hud", "somatik.forstabesok.ogon"
    motor = _motor(sv, priser)
    tre = dict(id=[op, hud, ogon], falt=["tillagg"] * 3, satt=[None] * 3, andra=[1, 1, 1])
    assert motor.utvardera_block(Scenarioblock(["a", "b", "c"], [0, 1, 2, 3], **tre)) is not None
    assert motor.utvardera_block(Scenarioblock(["a"], [0, 1, 3], **tre)) is None          # två scenarier, ett namn
    assert motor.utvardera_block(Scenarioblock(["a", "b", "c"], [0, 2, 1, 3], **tre)) is None    # sjunker


def test_volymer_vid_tabellens_granser_med_och_utan_delad_tabell(sv, priser):
    """Varje plats (bas och tillägg för uppdragets fyra första rader och den sista) med volymerna runt platsens
    tabellstorlek: sista platsen i listan, den första utanför och långt utanför, och 0. Två motorer
    delar en tabell (som två processer: den andra läser det den första sparat), och båda ger samma som
    en motor utan tabell, som `utvardera` för varje scenario ensamt, vid plan och utfall."""
    from vgr_ersattning.kalkyl import scenario as modul
    from vgr_ersattning.parallell import DeladTabell

    alla = list(sv.volymer.rader)
    rader = alla[:4] + alla[-1:]
    storlekar = modul.tabellstorlekar(sv.volymer)
    andringar = [(rid, falt, v) for rid in rader for j, falt in enumerate(modul.FALT)
                 for s in [storlekar[2 * alla.index(rid) + j]] for v in (0, s - 1, s, s + 1, 3 * s)]
    # Två grannplatser p - 1 och p där p har fler volymer: volymen 1 vid p - 1 och storleken vid p - 1
    # plus 1 vid p är två olika lägen, på olika platser i den delade tabellen.
    p = next(p for p in range(1, len(storlekar)) if storlekar[p] > storlekar[p - 1] + 1)
    andringar += [(alla[(p - 1) >> 1], modul.FALT[(p - 1) & 1], 1), (alla[p >> 1], modul.FALT[p & 1], storlekar[p - 1] + 1)]
    rader += [alla[(p - 1) >> 1], alla[p >> 1]]
    block = Scenarioblock([f"s{k}" for k in range(len(andringar))], list(range(len(andringar) + 1)),
                          [a[0] for a in andringar], [a[1] for a in andringar], [a[2] for a in andringar],
                          [None] * len(andringar))
    produktion = {rid: [700] * 12 for rid in rader}
    tabell = DeladTabell(modul.delade_platser(sv.volymer))

    def motor(delad=None):
        return _motor(sv, priser, produktion, 9, delad=delad)

    vantat = [motor().utvardera(Scenario(f"s{k}", (Andring(rid, falt, satt=v),)))
              for k, (rid, falt, v) in enumerate(andringar)]
    assert len({r.forandring_plan_kr for r in vantat}) > 4 and len({r.forandring_utfall_kr for r in vantat}) > 4
    for m in (motor(), motor(tabell), motor(tabell)):
        assert list(m.utvardera_block(block).resultat()) == vantat
        assert list(m.utvardera_block(block).resultat()) == vantat          # ur motorns egna minnen
