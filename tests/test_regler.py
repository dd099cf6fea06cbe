"""Reglerna i regelboken §1–§10 med handräknade siffror: testerna som dödar mutanterna som sviten
tidigare lät passera (avrundning, avräkningens `helt`, indikatorernas gränser, bryggans ledtrådar
och uppräkning, varav-kontrollen, gruppsummornas bas, antagande A2) och de som mutmut hittade.

Förväntade värden är räknade för hand (uträkningen står i kommentaren), aldrig med kodens egen
formel, och Decimal jämförs aldrig med ett flyttal.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import UPPDRAG_FIL, andrad_kopia
from vgr_ersattning.kalkyl import period as per
from vgr_ersattning.kalkyl.anslag import berakna_anslag, manadsbelopp
from vgr_ersattning.kalkyl.avrakning import avrakna_post, berakna_avrakning, tak
from vgr_ersattning.kalkyl.brygga import Steg, berakna_brygga, kontrollera_brygga, ledtradar
from vgr_ersattning.kalkyl.malrelaterad import andel_procent, berakna_malrelaterad, trappsteg
from vgr_ersattning.kalkyl.parametrar import Varde, konstant
from vgr_ersattning.kalkyl.plan import (
    kumulativ_andel,
    maluppfyllelse,
    maluppfyllelse_hittills,
    plan_hittills,
    profil_for,
)
from vgr_ersattning.kalkyl.uppfoljning import (
    EJ_BEDOMBART,
    EJ_UPPFYLLT,
    SAKNAR_UTFALL,
    UPPFYLLT,
    bedom,
    berakna_uppfoljning,
    senaste_period,
)
from vgr_ersattning.kalkyl.volymer import kontrollera_rader, kontrollera_totaler, rader_i_grupp, summera
from vgr_ersattning.modell import Brygga, Bryggrad, Indexrad, Summa, Volymer, Volymrad
from vgr_ersattning.pengar import avrunda, fordela_avrundning, maskin, mnkr_till_kr, svensk, svensk_procent, tkr_till_kr

D = Decimal


def nivaer(avr):
    """Avräkningsnivåerna som de står i uppdraget, samma alla månader (regelboken §18 utan beslut)."""
    return {pid: konstant(Varde(p.niva_tkr)) for pid, p in avr.poster.items()}
L = D(2883)            # Läkemedelsleveranser, tkr (regelboken §7)
OP = "somatik.operation.allman_kirurgi"   # bas 3 543, tillägg 3 057, 35 795 kr


def falt(k):
    """En kontrolls synliga fält, i den ordning de jämförs."""
    return (k.namn, k.ok, k.meddelande, k.sokvag, k.varde, k.differens, k.enhet)


# --- §1 avrundning half up (mutant a) -----------------------------------------------------------


def test_avrunda_ar_half_up_aven_for_negativa_tal():
    # Half up: exakt ,5 går bort från noll. Half even skulle ge 2, 4, −2, 0, 0,12.
    assert avrunda(D("2.5")) == 3
    assert avrunda(D("3.5")) == 4
    assert avrunda(D("-2.5")) == -3
    assert avrunda(D("0.5")) == 1
    assert avrunda(D("-0.5")) == -1
    assert avrunda(D("2.4999")) == 2
    assert avrunda(D("0.125"), 2) == D("0.13")
    assert avrunda(D("68753.366"), 1) == D("68753.4")
    assert str(avrunda(D("2.5"))) == "3" and str(avrunda(D("0.125"), 2)) == "0.13"


@given(st.integers(min_value=0, max_value=10**15), st.integers(min_value=0, max_value=6))
def test_avrunda_exakt_halva_gar_alltid_bort_fran_noll(heltal, decimaler):
    steg = D(1).scaleb(-decimaler)                     # 1, 0,1, 0,01 …
    halv = (D(heltal) + D("0.5")) * steg              # k,5 i sista decimalen
    assert avrunda(halv, decimaler) == (heltal + 1) * steg
    assert avrunda(-halv, decimaler) == -(heltal + 1) * steg


def test_anslaget_for_sv_2026_och_en_ram_med_halv_krona():
    # 3 317 867 tkr = 3 317 867 000 kr; / 12 = 276 488 916,67 → 276 488 917 kr januari–november;
    # december 3 317 867 000 − 11 × 276 488 917 (= 3 041 378 087) = 276 488 913 kr.
    a = berakna_anslag(konstant(Varde(D(3317867))), Varde(D(100)))
    assert a.manader == (D(276488917),) * 11 + (D(276488913),)
    assert (a.ram_tkr, a.fast_andel_procent, a.till_och_med) == (3317867, 100, 12)
    assert a.arsbelopp_kr == 3317867000 and a.utbetalt_kr == 3317867000
    # 1 200,006 tkr = 1 200 006 kr; / 12 = 100 000,5 → half up 100 001 (half even: 100 000);
    # december 1 200 006 − 11 × 100 001 (= 1 100 011) = 99 995.
    assert berakna_anslag(konstant(Varde(D("1200.006"))), Varde(D(100))).manader == (D(100001),) * 11 + (D(99995),)
    # 50 % fast: 1 658 933 500 kr; / 12 = 138 244 458,33 → 138 244 458; 11 × = 1 520 689 038;
    # december 1 658 933 500 − 1 520 689 038 = 138 244 462. T.o.m. mars: 3 × 138 244 458 = 414 733 374.
    halv = berakna_anslag(konstant(Varde(D(3317867))), Varde(D(50)), 3)
    assert halv.manader == (D(138244458),) * 11 + (D(138244462),)
    assert halv.utbetalt_kr == 414733374 and halv.arsbelopp_kr == 1658933500
    # Utan angiven andel är anslaget helt fast (regelboken §6): samma som 100 %.
    utan = berakna_anslag(konstant(Varde(D(3317867))), Varde(D(100)))
    assert utan.manader == a.manader and utan.fast_andel_procent == 100


@example(30)          # 30 / 12 = 2,5: half up 3 (december −3), half even 2 (december +8)
@given(st.integers(min_value=0, max_value=10**13))
def test_anslagets_december_skiljer_sig_hogst_sex_kronor(ar_kr):
    # Januari = avrunda(x/12), x/12 − januari ∈ [−0,5; 0,5) med half up, så december − januari =
    # 12 × (x/12 − januari) ∈ [−6; 6).
    m = manadsbelopp((D(ar_kr),) * 12)
    assert len(set(m[:11])) == 1 and sum(m) == ar_kr
    assert -6 <= m[11] - m[0] < 6


def test_fordela_avrundning_summerar_till_den_avrundade_summan():
    # Kumulativt: 0,4 → 0; 0,8 → 1; 1,2 → 1, så 0, 1, 0 (summan 1 = avrunda(1,2)).
    assert fordela_avrundning([D("0.4")] * 3) == (0, 1, 0)
    # Half up på de kumulativa summorna: 0,5 → 1; 1,0 → 1; 1,5 → 2; 2,0 → 2 … (half even: 0, 1, 1, 0 …).
    assert fordela_avrundning([D("0.5")] * 4) == (1, 0, 1, 0)
    # Två decimaler: 0,125 → 0,13; 0,250 → 0,25, så 0,13 och 0,12.
    assert fordela_avrundning([D("0.125"), D("0.125")], 2) == (D("0.13"), D("0.12"))
    assert fordela_avrundning([]) == ()


@given(st.lists(st.decimals(min_value=-10**6, max_value=10**6, places=3), max_size=24))
def test_fordelade_tal_summerar_och_ligger_nara(varden):
    ut = fordela_avrundning(varden)
    assert sum(ut, D(0)) == avrunda(sum(varden, D(0)))
    # Varje tal avviker högst 0,5 + 0,5 från sitt oavrundade värde.
    assert all(abs(u - v) <= 1 and u == u.to_integral_value() for u, v in zip(ut, varden))


def test_svenskt_talformat():
    assert svensk(D(3317867)) == "3 317 867"
    assert svensk(D(123)) == "123" and svensk(D(1234)) == "1 234" and svensk(D(123456)) == "123 456"
    assert svensk(D("68753.366"), 1) == "68 753,4"
    assert svensk(D("68753.366"), 3) == "68 753,366"
    assert svensk(D("-1234.5"), 1) == "−1 234,5"
    assert svensk(D("2.5")) == "3" and svensk(D("-2.5")) == "−3"
    assert svensk(D("0.4"), 1) == "0,4" and svensk(D(0)) == "0"
    assert svensk(D("-0.4")) == "0"                   # avrundat −0 visas utan minustecken
    assert svensk(None) == "–"
    assert svensk(7) == "7"
    assert svensk_procent(D("2.2")) == "2,2 %"
    assert svensk_procent(D("2.25")) == "2,3 %"       # en decimal, half up
    assert svensk_procent(D("81.234"), 2) == "81,23 %"
    assert svensk_procent(None) == "–"


def test_maskinformat():
    assert maskin(D(263497958)) == "263497958"
    assert maskin(D("3317867000.00")) == "3317867000"
    assert maskin(5) == "5"
    assert maskin(None) is None
    assert maskin(D("-479.50"), "tkr") == "-479.5"
    # Fler decimaler än enheten bär avrundas half up: kr till öre, tkr till fem decimaler.
    assert maskin(D(1) / 3) == "0.33"
    assert maskin(D("1.005")) == "1.01"
    assert maskin(D(1) / 3, "tkr") == "0.33333"
    assert maskin(D(1) / 3, "okand_enhet") == "0.333333"
    assert maskin(D("0.125"), "procent") == "0.125"
    assert tkr_till_kr(D("250.5")) == 250500 and mnkr_till_kr(D("2.70")) == 2700000


# --- §7 avräkning, alternativet `helt` (mutant b) -----------------------------------------------


def test_avrakningens_tak_helt_ger_hela_nivan_fore_december():
    assert tak((L,) * 12, 4, "helt") == L and tak((L,) * 12, 8, "helt") == L and tak((L,) * 12, 12, "helt") == L
    # Pro rata: 2 883 × 4/12 = 961, × 8/12 = 1 922, december hela 2 883.
    assert (tak((L,) * 12, 4, "pro_rata"), tak((L,) * 12, 8, "pro_rata"), tak((L,) * 12, 12, "pro_rata")) == (961, 1922, 2883)


def test_avrakning_helt_skiljer_sig_fran_pro_rata_nar_utfallet_ligger_fore():
    # Utfall 1 200 tkr t.o.m. april, sedan inget mer. Betalt: 961 (april), 1 922 (aug), 2 883 (dec).
    # helt:     april min(1 200; 2 883) − 961 = +239; aug min(1 200; 2 883) − 1 922 = −722
    #           (postning −722 − 239 = −961); dec 1 200 − 2 883 = −1 683 (postning −961).
    # pro_rata: april min(1 200; 961) − 961 = 0; aug min(1 200; 1 922) − 1 922 = −722 (postning −722);
    #           dec −1 683 (postning −961).
    # Med `helt` blir "reglerat hittills" positivt när utfallet ligger före planen: regelboken §7:s
    # "(never positive)" gäller pro rata-taket (A5), inte alternativet.
    utfall = {1: D(300), 2: D(300), 3: D(300), 4: D(300)}
    helt = avrakna_post(konstant(Varde(L)), utfall, [4, 8, 12], "helt", 12)
    assert [t.tak_tkr for t in helt] == [2883, 2883, 2883]
    assert [t.utbetalt_tkr for t in helt] == [961, 1922, 2883]
    assert [t.reglerat_hittills_tkr for t in helt] == [239, -722, -1683]
    assert [t.reglering_tkr for t in helt] == [239, -961, -961]
    pro = avrakna_post(konstant(Varde(L)), utfall, [4, 8, 12], "pro_rata", 12)
    assert [t.tak_tkr for t in pro] == [961, 1922, 2883]
    assert [t.reglerat_hittills_tkr for t in pro] == [0, -722, -1683]
    assert [t.reglering_tkr for t in pro] == [0, -722, -961]


def test_avrakning_helt_via_datafilens_regel(sv):
    # `tak_fore_december: helt` i datafilen når taket: april 2 883, utfall 1 200 → +239 (se ovan).
    avr = sv.avrakning.model_copy(update={"tak_fore_december": "helt"})
    res = berakna_avrakning(avr, {"lakemedelsleveranser": {4: D(1200)}}, 4, nivaer(avr))
    lak = next(p for p in res.poster if p.id == "lakemedelsleveranser")
    assert [(t.tak_tkr, t.reglering_tkr) for t in lak.tillfallen] == [(2883, 239)]


def test_berakna_avrakning_poster_med_och_utan_utfall(sv):
    # Läkemedel: 250,5 + 231 = 481,5 t.o.m. april mot 961 betalt → −479,5. Specialistutbildningen
    # har inget utfall: avräknas inte och visas som "saknar utfall".
    res = berakna_avrakning(sv.avrakning, {"lakemedelsleveranser": {1: D("250.5"), 2: D(231)}}, 4, nivaer(sv.avrakning))
    spec, lak = res.poster
    assert (spec.id, spec.namn, spec.niva_tkr, spec.tillfallen, spec.saknar_utfall) == (
        "specialistutbildning_sjukskoterskor", "Utbildningsbefattningar: Specialistutbildning sjuksköterskor",
        5859, (), True)
    assert spec.reglering_tkr == 0
    assert (lak.id, lak.namn, lak.niva_tkr, lak.saknar_utfall) == ("lakemedelsleveranser", "Läkemedelsleveranser",
                                                                   2883, False)
    (t,) = lak.tillfallen
    assert (t.manad, t.utfall_tkr, t.tak_tkr, t.utbetalt_tkr, t.reglerat_hittills_tkr, t.reglering_tkr) == (
        4, D("481.5"), 961, 961, D("-479.5"), D("-479.5"))
    assert res.antagande == "A5" and res.summa_reglering_tkr == D("-479.5")


def test_utfall_hittills_ar_decimal_aven_utan_utfall_i_perioden():
    # Utfall först i maj: i april är utfallet hittills 0 tkr, ett belopp (Decimal, regelboken §1).
    (t,) = avrakna_post(konstant(Varde(L)), {5: D(700)}, [4, 8, 12], "pro_rata", 4)
    assert type(t.utfall_tkr) is Decimal and t.utfall_tkr == 0
    assert t.reglering_tkr == -961


_utfall = st.lists(st.decimals(min_value=0, max_value=5000, places=1), min_size=12, max_size=12)


@given(_utfall)
def test_arets_avrakning_samma_med_helt_och_pro_rata(manader):
    # December: tak L i båda reglerna, så årets summa är min(årets utfall; L) − L ∈ [−L; 0].
    utfall = dict(enumerate(manader, 1))
    arsutfall = sum(manader, D(0))
    forvantat = min(arsutfall, L) - L
    for regel in ("pro_rata", "helt"):
        t = avrakna_post(konstant(Varde(L)), utfall, [4, 8, 12], regel, 12)
        assert sum((x.reglering_tkr for x in t), D(0)) == forvantat
        assert -L <= forvantat <= 0


@given(_utfall)
def test_pro_rata_aldrig_positivt_och_helt_aldrig_lagre(manader):
    utfall = dict(enumerate(manader, 1))
    pro = avrakna_post(konstant(Varde(L)), utfall, [4, 8, 12], "pro_rata", 12)
    helt = avrakna_post(konstant(Varde(L)), utfall, [4, 8, 12], "helt", 12)
    assert all(t.reglerat_hittills_tkr <= 0 for t in pro)
    assert all(h.reglerat_hittills_tkr >= p.reglerat_hittills_tkr for h, p in zip(helt, pro))


# --- §10 indikatorer: exakt och ska_minska (mutanter c, d) ---------------------------------------


def _ind(sv, iid, **andrat):
    return sv.indikatorer.lista[iid].model_copy(update=andrat)


def test_exakt_malvarde_ar_uppfyllt_bara_vid_likhet(sv):
    exakt = _ind(sv, "forstarkningspersonal_iva", typ="exakt")       # målvärde 14
    assert bedom(exakt, D(14)) == UPPFYLLT
    assert bedom(exakt, D("14.00")) == UPPFYLLT
    assert bedom(exakt, D(15)) == EJ_UPPFYLLT        # ≥ skulle säga uppfyllt
    assert bedom(exakt, D(13)) == EJ_UPPFYLLT
    assert bedom(exakt, None) == SAKNAR_UTFALL


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_exakt_ar_likhet_minst_ar_storre_eller_lika(sv, utfall):
    mal = D(14)
    exakt = _ind(sv, "forstarkningspersonal_iva", typ="exakt")
    minst = _ind(sv, "forstarkningspersonal_iva")
    hogst = _ind(sv, "forstarkningspersonal_iva", typ="hogst")
    assert (bedom(exakt, utfall) == UPPFYLLT) == (utfall == mal)
    assert (bedom(minst, utfall) == UPPFYLLT) == (utfall >= mal)
    assert (bedom(hogst, utfall) == UPPFYLLT) == (utfall <= mal)


def test_ska_minska_ar_inte_uppfyllt_vid_likhet(sv):
    minska = _ind(sv, "digitala_vardmoten", typ="ska_minska")
    assert bedom(minska, D(90), D(100)) == UPPFYLLT
    assert bedom(minska, D(100), D(100)) == EJ_UPPFYLLT    # oförändrat har inte minskat
    assert bedom(minska, D(110), D(100)) == EJ_UPPFYLLT
    assert bedom(minska, D(90), None) == EJ_BEDOMBART
    oka = _ind(sv, "digitala_vardmoten")
    assert bedom(oka, D(90), D(100)) == EJ_UPPFYLLT


def test_berakna_uppfoljning_bar_period_och_foregaende(sv):
    aug = per.Period(2026, per.MANAD, 8)
    res = berakna_uppfoljning(sv.indikatorer.lista, {"belaggningsgrad_somatik": {"2026-07": D("88.4"),
                                                                                 "2026-08": D("92.1")}}, aug)
    b = next(x for x in res if x.id == "belaggningsgrad_somatik")
    assert (b.period, b.utfall, b.foregaende, b.status) == (aug, D("92.1"), D("88.4"), EJ_UPPFYLLT)
    assert b.indikator == sv.indikatorer.lista["belaggningsgrad_somatik"]
    # Indikatorer som inte följs upp i augusti (helår) är inte med.
    assert all(x.id != "forstarkningspersonal_iva" for x in res)


def test_senaste_perioden_ar_inom_uppdragsaret():
    varden = {"a": {"2026-08": D(1), "2027-01": D(2), "2025-12": D(3)}, "b": {"2026-T2": D(4), "hej": D(5)}}
    # 2026-T2 slutar i augusti liksom 2026-08 men är längre: den kommer efter.
    assert senaste_period(varden, ar=2026) == per.Period(2026, per.TERTIAL, 2)
    assert senaste_period({"a": {"2026-03": D(1)}}, ar=2026) == per.Period(2026, per.MANAD, 3)
    assert senaste_period({"a": {"2025-03": D(1)}}, ar=2026) is None
    assert senaste_period({}, ar=2026) is None


# --- §8 bryggan: nio-ledtråden och uppräkningen (mutanter e, f) ----------------------------------


def test_differens_delbar_med_nio_ger_ledtrad():
    # Termerna 100 och 200 (summa 300), angivet 327: differens 27 = 3 × 9, tolerans 1. Inget
    # teckenbyte (|27 + 2t| ≤ 1 kräver t ≈ −13,5), inga omkastade siffror i 100, 200 (→ 10, 20) eller
    # 327 (→ 237, 372) förklarar den. Kvar: delbar med 9.
    termer = [("a", D(100)), ("b", D(200))]
    assert ledtradar(Steg("S", D(327), D(300), 2), termer, "S") == [
        "differensen 27 tkr är delbar med 9: leta efter två omkastade siffror"]
    assert ledtradar(Steg("S", D(273), D(300), 2), termer, "S") == [
        "differensen −27 tkr är delbar med 9: leta efter två omkastade siffror"]
    # 28 är inte delbart med 9 (och inget annat förklarar det): ingen ledtråd alls.
    assert ledtradar(Steg("S", D(328), D(300), 2), termer, "S") == []
    # 30 är delbart med 10 men inte med 9.
    assert ledtradar(Steg("S", D(330), D(300), 2), termer, "S") == []


def test_ledtrad_nar_steget_stammer_ar_ingen():
    assert ledtradar(Steg("S", D(301), D(300), 2), [("a", D(100)), ("b", D(200))], "S") == []


def test_bryggan_med_fel_tryckt_uppräkning_stammer_inte(sv):
    # 3 125 153 × 2,2 % = 68 753,366; tryckt 68 754 skiljer 0,634 > 0,5 tkr. Delsumma 1 stämmer
    # ändå (3 125 153 + 68 754 = 3 193 907, differens 0) och totalen är oförändrad.
    b = sv.brygga.model_copy(update={"index": sv.brygga.index.model_copy(update={"belopp_tkr": D(68754)})})
    r = berakna_brygga(b)
    assert r.delsumma.stammer and r.total.stammer
    assert r.upprakning_stammer is False
    assert r.stammer is False
    upp = kontrollera_brygga(b, D(3317867), ("utforare", "SV", "brygga"))[0]
    assert upp.ok is False and upp.differens == D("0.634")
    # Ett index tryckt 2,3 % i stället för 2,2 %: 3 125 153 × 2,3 % = 71 878,519 mot tryckt 68 753.
    b2 = sv.brygga.model_copy(update={"index": sv.brygga.index.model_copy(update={"procent": D("2.3")})})
    assert berakna_brygga(b2).stammer is False


def test_bryggan_for_sv_2026_stammer_med_uppräkningen_inom_en_halv_tkr(sv):
    r = berakna_brygga(sv.brygga)
    # 68 753 − 68 753,366 = −0,366, inom 0,5.
    assert r.upprakning_tkr == D("68753.366") and r.upprakning_tryckt_tkr == 68753
    assert r.upprakning_stammer and r.stammer
    assert r.index == D("0.022") and r.fran_tkr == 3125153 and r.index_procent == D("2.2")
    assert r.delsumma.namn == "Delsumma 1, inkl uppräkningsfaktor" and r.total.namn == "Uppdrag 2026"


# Syntetiska bryggor: små tal som går att räkna i huvudet.

def _brygga(fran=1000000, index_procent="2.2", index_tkr=22000, delsumma=1022000, justeringar=(), till=1022000):
    return Brygga(
        kalla="test",
        fran=Bryggrad(namn="Ram 2025", belopp_tkr=D(fran)),
        index=Indexrad(namn="Index", procent=D(index_procent), belopp_tkr=D(index_tkr)),
        delsumma=Bryggrad(namn="Delsumma", belopp_tkr=D(delsumma)),
        justeringar=[Bryggrad(namn=n, belopp_tkr=D(b)) for n, b in justeringar],
        till=Bryggrad(namn="Ram 2026", belopp_tkr=D(till)),
    )


SOK = ("utforare", "X", "brygga")


def test_kontrollera_brygga_alla_falt_nar_den_stammer():
    # 1 000 000 × 2,2 % = 22 000,0 (tryckt 22 000); delsumma 1 000 000 + 22 000 = 1 022 000;
    # totalen 1 022 000 + 5 000 − 2 500 − 1 350 = 1 023 150 (4 termer, tolerans 2).
    b = _brygga(justeringar=[("A", 5000), ("B", -2500), ("C", -1350)], till=1023150)
    upp, dels, tot, ram = kontrollera_brygga(b, D(1023150), SOK)
    assert falt(upp) == ("Bryggan: uppräkning", True, "2,2 % av 1 000 000 = 22 000,000 tkr, tryckt 22 000 tkr",
                         SOK + ("index", "belopp_tkr"), 22000, 0, "tkr")
    assert falt(dels) == ("Bryggan: Delsumma", True,
                          "Delsumma: 1 022 000 tkr stämmer inom avrundning: differens 0 tkr, tolerans 1 tkr",
                          SOK + ("delsumma", "belopp_tkr"), 1022000, 0, "tkr")
    assert falt(tot) == ("Bryggan: Ram 2026", True,
                         "Ram 2026: 1 023 150 tkr stämmer inom avrundning: differens 0 tkr, tolerans 2 tkr",
                         SOK + ("till", "belopp_tkr"), 1023150, 0, "tkr")
    assert falt(ram) == ("Bryggans sista rad = ersättningsramen", True,
                         "Ram 2026: 1 023 150 tkr = ersättningsramen 1 023 150 tkr",
                         SOK + ("till", "belopp_tkr"), 1023150, 0, "tkr")
    # Utan ersättningsram finns ingen fjärde kontroll.
    assert len(kontrollera_brygga(b, None, SOK)) == 3


def test_kontrollera_brygga_sista_raden_mot_en_annan_ram():
    b = _brygga(till=1022000)
    ram = kontrollera_brygga(b, D(1022001), SOK)[-1]
    assert falt(ram) == ("Bryggans sista rad = ersättningsramen", False,
                         "Ram 2026: 1 022 000 tkr ≠ ersättningsramen 1 022 001 tkr",
                         SOK + ("till", "belopp_tkr"), 1022000, -1, "tkr")


def test_uppräkningens_meddelande_och_differens_for_sv(sv):
    upp = kontrollera_brygga(sv.brygga, D(3317867), SOK)[0]
    # 68 753 − 68 753,366 = −0,366.
    assert falt(upp) == ("Bryggan: uppräkning", True, "2,2 % av 3 125 153 = 68 753,366 tkr, tryckt 68 753 tkr",
                         SOK + ("index", "belopp_tkr"), 68753, D("-0.366"), "tkr")


def test_totalen_med_teckenbyte_och_omkastade_siffror_ger_bada_ledtradarna():
    # B tryckt −5 200 i stället för −2 500: summa 1 022 000 + 5 000 − 5 200 − 1 350 = 1 020 450,
    # differens 1 023 150 − 1 020 450 = 2 700, tolerans 2.
    # Teckenbyte: |2 700 + 2 × (−1 350)| = 0 → raden C. Omkastade siffror: −5 200 → −2 500 ändrar
    # summan med +2 700 → raden B. Inget annat: A 5 000 → 500 (−4 500); C −1 350 → −3 150, −1 530,
    # −1 305; angivet 1 023 150 → 1 021 350 osv. ligger långt från 1 020 450.
    b = _brygga(justeringar=[("A", 5000), ("B", -5200), ("C", -1350)], till=1023150)
    r = berakna_brygga(b)
    tips_c = 'raden "C" (−1 350 tkr) med omvänt tecken (1 350) får bryggan att stämma'
    tips_b = 'raden "B": −5 200 med två siffror omkastade (−2 500) får bryggan att stämma'
    assert r.ledtradar == (tips_c, tips_b)
    assert (r.total.summa_tkr, r.total.differens_tkr, r.total.tolerans_tkr) == (1020450, 2700, 2)
    upp, dels, tot, _ = kontrollera_brygga(b, D(1023150), SOK)
    assert falt(tot) == ("Bryggan: Ram 2026", False,
                         "Ram 2026: 1 023 150 tkr stämmer inte: summan av de tryckta termerna är 1 020 450 tkr, "
                         f"differens 2 700 tkr, tolerans 2 tkr. Ledtråd: {tips_c}; {tips_b}",
                         SOK + ("till", "belopp_tkr"), 1023150, 2700, "tkr")
    assert dels.ok and "Ledtråd" not in dels.meddelande and upp.ok


def test_negativ_rad_med_omkastade_siffror_behaller_tecknet():
    # B −5 200 (rätt −2 500) ensam: summa 1 022 000 + 5 000 − 5 200 = 1 021 800, differens 2 700,
    # tolerans 1,5. Teckenbyte skulle kräva t = −1 350: ingen rad. Omkastat −5 200 → −2 500: +2 700.
    # (2 700 är delbart med 9, men en rad förklarar redan differensen.)
    b = _brygga(justeringar=[("A", 5000), ("B", -5200)], till=1024500)
    assert berakna_brygga(b).ledtradar == (
        'raden "B": −5 200 med två siffror omkastade (−2 500) får bryggan att stämma',)


def test_teckenbyte_ger_bara_den_rad_som_forklarar():
    # B tryckt +2 500 (rätt −2 500): summa 1 029 500, differens −5 000, tolerans 1,5.
    # |−5 000 + 2 × 2 500| = 0 → B; A: |−5 000 + 10 000| ≠. Omkastningar: 5 000 → 500, 2 500 →
    # 5 200 / 2 050, 1 024 500 → 1 042 500 … ingen ger 1 029 500.
    b = _brygga(justeringar=[("A", 5000), ("B", 2500)], till=1024500)
    assert berakna_brygga(b).ledtradar == (
        'raden "B" (2 500 tkr) med omvänt tecken (−2 500) får bryggan att stämma',)


def test_angiven_summa_med_omkastade_siffror():
    # Totalen tryckt 1 025 400 (rätt 1 024 500): differens 900. Omkastat 1 025 400 → 1 024 500 = summan.
    b = _brygga(justeringar=[("A", 5000), ("B", -2500)], till=1025400)
    assert berakna_brygga(b).ledtradar == ('"Ram 2026": 1 025 400 med två siffror omkastade (1 024 500) stämmer',)


def test_delsummans_ledtradar_hamnar_i_delsummans_kontroll():
    # Föregående ram tryckt 3 125 135 (rätt 3 125 153): 3 125 135 + 68 753 = 3 193 888, angivet
    # 3 193 907, differens 19, tolerans 1. Omkastat 3 125 135 → 3 125 153 ändrar summan med +18:
    # |19 − 18| = 1 = tolerans (gränsen räknas). Uppräkningen 3 125 135 × 2,2 % = 68 752,97 ≈ 68 753.
    # Totalen (Delsumma som tryckt + 1 000 = 3 194 907) stämmer.
    b = _brygga(fran=3125135, index_tkr=68753, delsumma=3193907, justeringar=[("A", 1000)], till=3194907)
    tips = 'raden "Ram 2025": 3 125 135 med två siffror omkastade (3 125 153) får bryggan att stämma'
    r = berakna_brygga(b)
    assert r.ledtradar == (tips,)
    assert r.delsumma.namn == "Delsumma"
    upp, dels, tot, _ = kontrollera_brygga(b, D(3194907), SOK)
    assert falt(dels) == ("Bryggan: Delsumma", False,
                          "Delsumma: 3 193 907 tkr stämmer inte: summan av de tryckta termerna är 3 193 888 tkr, "
                          f"differens 19 tkr, tolerans 1 tkr. Ledtråd: {tips}",
                          SOK + ("delsumma", "belopp_tkr"), 3193907, 19, "tkr")
    assert tot.ok and tot.meddelande == ("Ram 2026: 3 194 907 tkr stämmer inom avrundning: "
                                         "differens 0 tkr, tolerans 1 tkr")
    assert upp.ok


def test_delsumma_tryckt_med_omkastade_siffror_och_index_med_fel_tecken():
    # Delsumma tryckt 3 193 970 (3 193 907 med 0 och 7 omkastade); termerna 3 125 153 + 68 753 =
    # 3 193 906. Omkastat 3 193 970 → 3 193 907: |3 193 907 − 3 193 906| = 1 = tolerans.
    b = _brygga(fran=3125153, index_tkr=68753, delsumma=3193970, till=3193970)
    assert berakna_brygga(b).ledtradar == ('"Delsumma": 3 193 970 med två siffror omkastade (3 193 907) stämmer',)
    # Indexraden tryckt +1 där −1 stämmer: 1 000 + 1 = 1 001 mot angivet 999, differens −2,
    # tolerans 1; |−2 + 2 × 1| = 0. (999 har inga olika grannsiffror; 1 000 → 100 är långt borta.)
    steg = Steg("Delsumma", D(999), D(1001), 2)
    assert ledtradar(steg, [("Ram 2025", D(1000)), ("Index", D(1))], "Delsumma") == [
        'raden "Index" (1 tkr) med omvänt tecken (−1) får bryggan att stämma']
    # Tecknet vid gränsen: angivet 1 022 001, index tryckt −22 000 (rätt +22 000): summan 978 000,
    # differens 44 001; |44 001 + 2 × (−22 000)| = 1 = tolerans.
    steg = Steg("Delsumma", D(1022001), D(978000), 2)
    assert ledtradar(steg, [("Ram 2025", D(1000000)), ("Index", D(-22000))], "Delsumma") == [
        'raden "Index" (−22 000 tkr) med omvänt tecken (22 000) får bryggan att stämma']


def test_varje_stegs_ledtradar_i_sin_egen_kontroll():
    # Indexraden tryckt −22 000 (rätt +22 000): delsumman 1 000 000 − 22 000 = 978 000 mot angivet
    # 1 022 000, differens 44 000, tolerans 1; |44 000 + 2 × (−22 000)| = 0 → raden Index.
    # Samtidigt B tryckt +2 500 (rätt −2 500): totalen 1 022 000 + 5 000 + 2 500 − 1 350 = 1 028 150
    # mot 1 023 150, differens −5 000, tolerans 2; |−5 000 + 2 × 2 500| = 0 → raden B.
    # (Omkastade siffror: −22 000 → −20 200, 1 000 000 → 100 000, 1 022 000 → 1 020 200 …; 5 000 → 500,
    # 2 500 → 5 200 / 2 050, −1 350 → −3 150 / −1 530 / −1 305: ingen förklarar någon differens.)
    b = _brygga(index_tkr=-22000, justeringar=[("A", 5000), ("B", 2500), ("C", -1350)], till=1023150)
    tips_index = 'raden "Index" (−22 000 tkr) med omvänt tecken (22 000) får bryggan att stämma'
    tips_b = 'raden "B" (2 500 tkr) med omvänt tecken (−2 500) får bryggan att stämma'
    assert berakna_brygga(b).ledtradar == (tips_index, tips_b)
    upp, dels, tot, _ = kontrollera_brygga(b, D(1023150), SOK)
    assert (upp.ok, upp.meddelande, upp.differens) == (
        False, "2,2 % av 1 000 000 = 22 000,000 tkr, tryckt −22 000 tkr", -44000)
    assert dels.meddelande == ("Delsumma: 1 022 000 tkr stämmer inte: summan av de tryckta termerna är 978 000 tkr, "
                               f"differens 44 000 tkr, tolerans 1 tkr. Ledtråd: {tips_index}")
    assert tot.meddelande == ("Ram 2026: 1 023 150 tkr stämmer inte: summan av de tryckta termerna är 1 028 150 tkr, "
                              f"differens −5 000 tkr, tolerans 2 tkr. Ledtråd: {tips_b}")
    # Föregående ram med omkastade siffror (3 125 135, se ovan: differens 19) och samma fel på B:
    # totalen 3 193 907 + 5 000 + 2 500 − 1 350 = 3 200 057 mot 3 195 057, differens −5 000.
    b = _brygga(fran=3125135, index_tkr=68753, delsumma=3193907, justeringar=[("A", 5000), ("B", 2500), ("C", -1350)],
                till=3195057)
    tips_fran = 'raden "Ram 2025": 3 125 135 med två siffror omkastade (3 125 153) får bryggan att stämma'
    assert berakna_brygga(b).ledtradar == (tips_fran, tips_b)
    _, dels, tot, _ = kontrollera_brygga(b, D(3195057), SOK)
    assert dels.meddelande == ("Delsumma: 3 193 907 tkr stämmer inte: summan av de tryckta termerna är 3 193 888 tkr, "
                               f"differens 19 tkr, tolerans 1 tkr. Ledtråd: {tips_fran}")
    assert tot.meddelande == ("Ram 2026: 3 195 057 tkr stämmer inte: summan av de tryckta termerna är 3 200 057 tkr, "
                              f"differens −5 000 tkr, tolerans 2 tkr. Ledtråd: {tips_b}")


# --- varav-kontrollen (mutant g) ----------------------------------------------------------------


def test_poster_med_avrakning_over_ramen_fallerar_kontrollera(kor, tmp_path):
    # Läkemedelsleveranser 3 400 000 tkr: posterna 5 859 + 3 400 000 = 3 405 859 > ramen 3 317 867.
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "niva_tkr: 2883", "niva_tkr: 3400000")
    k = kor("kontrollera", "--uppdrag", p, "--format", "json")
    assert k.kod == 1, k
    fel = [x for x in json.loads(k.ut)["kontroller"] if not x["ok"]]
    assert len(fel) == 1, fel
    assert "3 405 859" in fel[0]["meddelande"] and "3 317 867" in fel[0]["meddelande"]


def test_poster_med_avrakning_lika_med_ramen_ryms(kor, tmp_path):
    # 3 317 867 − 5 859 = 3 312 008: posterna är exakt ramen, vilket ryms (≤).
    p = andrad_kopia(tmp_path, UPPDRAG_FIL, "niva_tkr: 2883", "niva_tkr: 3312008")
    k = kor("kontrollera", "--uppdrag", p, "--format", "json")
    assert k.kod == 0, k
    assert all(x["ok"] for x in json.loads(k.ut)["kontroller"])


# --- §3 gruppsummornas bas (mutant h) och volymkontrollerna --------------------------------------


def _rad(uppdrag, bas, tillagg):
    return Volymrad(namn="rad", uppdrag=uppdrag, bas=bas, tillagg=tillagg, priskategori="besok")


def _volymer(totaler=None, totalsumma=(60, 40, 20), rader=None):
    rader = rader or {"a.x.r1": _rad(10, 6, 4), "a.x.r2": _rad(20, 15, 5), "a.y.r3": _rad(30, 19, 11)}
    if totaler is None:
        # a.x: 10 + 20 = 30, bas 6 + 15 = 21, tillägg 4 + 5 = 9; a: 60 = 40 + 20.
        totaler = {"a": (60, 40, 20), "a.x": (30, 21, 9)}
    return Volymer(kalla="test", grupper={}, rader=rader,
                   totaler={g: Summa(uppdrag=u, bas=b, tillagg=t) for g, (u, b, t) in totaler.items()},
                   totalsumma=Summa(uppdrag=totalsumma[0], bas=totalsumma[1], tillagg=totalsumma[2]))


VS = ("utforare", "X", "volymer")


def test_gruppsummans_bas_jamfors(sv):
    # somatik.operation: radernas bas är 11 880 (17 880 − 6 000); tryckt 11 890 → fel i bas ensamt.
    totaler = dict(sv.volymer.totaler)
    totaler["somatik.operation"] = Summa(uppdrag=17880, bas=11890, tillagg=6000)
    volymer = sv.volymer.model_copy(update={"totaler": totaler})
    fel = [k for k in kontrollera_totaler(volymer, VS) if not k.ok]
    assert [falt(k) for k in fel] == [(
        "Summa somatik.operation", False, "somatik.operation: bas tryckt 11 890, radernas summa 11 880",
        VS + ("totaler", "somatik.operation", "bas"), 17880, 10, "")]
    # Totalsumman: bas 59 297 enligt dokumentet; tryckt 59 298 → fel.
    volymer = sv.volymer.model_copy(update={"totalsumma": Summa(uppdrag=81739, bas=59298, tillagg=22442)})
    fel = [k for k in kontrollera_totaler(volymer, VS) if not k.ok]
    assert [falt(k) for k in fel] == [(
        "Totalsumma", False, "Totalsumma: bas tryckt 59 298, radernas summa 59 297",
        VS + ("totalsumma", "bas"), 81739, 1, "")]


def test_kontrollera_totaler_alla_falt():
    ok = kontrollera_totaler(_volymer(), VS)
    assert [falt(k) for k in ok] == [
        ("Summa a", True, "a: 60 = 40 + 20", VS + ("totaler", "a"), 60, 0, ""),
        ("Summa a.x", True, "a.x: 30 = 21 + 9", VS + ("totaler", "a.x"), 30, 0, ""),
        ("Totalsumma", True, "Totalsumma: 60 = 40 + 20", VS + ("totalsumma",), 60, 0, ""),
    ]


def test_flera_falt_fel_i_samma_summa():
    # a.x tryckt 31 / 20 / 9 mot raderna 30 / 21 / 9: uppdrag +1 först, bas −1.
    res = kontrollera_totaler(_volymer(totaler={"a.x": (31, 20, 9)}), VS)
    assert falt(res[0]) == ("Summa a.x", False, "a.x: uppdrag tryckt 31, radernas summa 30; bas tryckt 20, radernas summa 21",
                            VS + ("totaler", "a.x", "uppdrag"), 31, 1, "")
    # Bara tillägget fel: 30 / 21 / 10 → tillägg +1.
    res = kontrollera_totaler(_volymer(totaler={"a.x": (30, 21, 10)}), VS)
    assert falt(res[0]) == ("Summa a.x", False, "a.x: tillägg tryckt 10, radernas summa 9",
                            VS + ("totaler", "a.x", "tillagg"), 30, 1, "")
    # Totalsumman med fel uppdrag: 61 mot 60.
    res = kontrollera_totaler(_volymer(totaler={}, totalsumma=(61, 40, 20)), VS)
    assert falt(res[-1]) == ("Totalsumma", False, "Totalsumma: uppdrag tryckt 61, radernas summa 60",
                             VS + ("totalsumma", "uppdrag"), 61, 1, "")


def test_grupp_utan_rader_och_grupperna_efter_den():
    # En tryckt grupp som inte har några rader är ett fel; grupperna efter den kontrolleras ändå.
    res = kontrollera_totaler(_volymer(totaler={"b": (0, 0, 0), "a.x": (30, 21, 9)}), VS)
    assert [falt(k) for k in res] == [
        ("Summa b", False, "b: gruppen har inga rader i volymtabellen", VS + ("totaler", "b"), None, None, ""),
        ("Summa a.x", True, "a.x: 30 = 21 + 9", VS + ("totaler", "a.x"), 30, 0, ""),
        ("Totalsumma", True, "Totalsumma: 60 = 40 + 20", VS + ("totalsumma",), 60, 0, ""),
    ]


def test_grupp_ar_prefix_med_punkt():
    volymer = _volymer(rader={"a.x.r1": _rad(10, 6, 4), "ab.x.r2": _rad(20, 15, 5)})
    assert rader_i_grupp(volymer, "a") == ["a.x.r1"]
    assert summera(volymer, ["a.x.r1", "ab.x.r2"]) == {"uppdrag": 30, "bas": 21, "tillagg": 9}


def test_kontrollera_rader_alla_falt():
    assert [falt(k) for k in kontrollera_rader(_volymer(), VS)] == [
        ("Rader: bas + tillägg = uppdrag", True, "alla 3 rader stämmer", VS + ("rader",), 60, None, "")]
    # a.x.r2: 15 + 6 = 21 ≠ 20 (differens +1); a.y.r3: 19 + 10 = 29 ≠ 30 (−1).
    rader = {"a.x.r1": _rad(10, 6, 4), "a.x.r2": _rad(20, 15, 6), "a.y.r3": _rad(30, 19, 10)}
    assert [falt(k) for k in kontrollera_rader(_volymer(rader=rader), VS)] == [
        ("Rad a.x.r2: bas + tillägg = uppdrag", False, "a.x.r2: bas + tillägg (21) ≠ uppdrag (20)",
         VS + ("rader", "a.x.r2", "bas"), 20, 1, ""),
        ("Rad a.y.r3: bas + tillägg = uppdrag", False, "a.y.r3: bas + tillägg (29) ≠ uppdrag (30)",
         VS + ("rader", "a.y.r3", "bas"), 30, -1, ""),
    ]


# --- antagande A2 syns när utfallet räknas (mutant i) ---------------------------------------------


def _utfall_csv(tmp_path):
    # Allmän kirurgi 4 000 i januari: årsbasen 3 543 passerad, ersatta 457 × 35 795 = 16 358 315 kr.
    f = tmp_path / "utfall.csv"
    f.write_text(f"utforare,rad,manad,antal\nSV,{OP},2026-01,4000\n", encoding="utf-8")
    return f


def test_antagande_a2_i_json_vid_utfall(kor, tmp_path):
    k = kor("berakna", "--utfall", _utfall_csv(tmp_path), "--format", "json")
    assert k.kod == 0, k
    j = json.loads(k.ut)
    assert j["tillagg"]["summa_kr"] == "16358315"
    assert "A2" in [a["id"] if isinstance(a, dict) else a for a in j["antaganden"]]


def test_antagande_a2_i_tabellen_vid_utfall(kor, tmp_path):
    k = kor("berakna", "--utfall", _utfall_csv(tmp_path))
    assert k.kod == 0, k
    assert "Antagande A2" in k.ut


# --- §5 plan och måluppfyllelse -----------------------------------------------------------------


def test_profil_for_huvudgruppen_galler_radens_undergrupper(sv):
    # En profil för hela "somatik": allt i juli och augusti. Allmän kirurgi (uppdrag 6 600):
    # t.o.m. juni 0, t.o.m. juli 6 600 × 0,5 = 3 300.
    profil = [D(0)] * 6 + [D("0.5"), D("0.5")] + [D(0)] * 4
    volymer = sv.volymer.model_copy(update={"profiler": {"somatik": profil}})
    assert profil_for(volymer, OP) == profil
    assert plan_hittills(volymer, OP, 6) == 0 and plan_hittills(volymer, OP, 7) == 3300
    # Psykiatrin har ingen profil: 1/12 i månaden; BUP förstabesök t.o.m. juni = uppdrag × 6/12.
    assert profil_for(volymer, "psykiatri.forstabesok.bup") is None
    # En egen radprofil går före gruppens.
    rad = volymer.rader[OP].model_copy(update={"profil": [D(1)] + [D(0)] * 11})
    volymer2 = volymer.model_copy(update={"rader": {**volymer.rader, OP: rad}})
    assert plan_hittills(volymer2, OP, 1) == 6600


def test_kumulativ_andel():
    profil = [D("0.1")] * 10 + [D(0), D(0)]
    assert kumulativ_andel(profil, 3) == D("0.3") and kumulativ_andel(profil, 12) == 1
    assert kumulativ_andel(None, 3) == D(3) / D(12) and kumulativ_andel(None, 12) == 1
    assert kumulativ_andel(profil, 0) == 0 and type(kumulativ_andel(profil, 0)) is Decimal


def test_maluppfyllelse_utan_plan_ar_ingen(sv):
    assert maluppfyllelse(5, 0) is None
    assert maluppfyllelse(3, 4) == D("0.75")
    # T.o.m. månad 0 är planen 0: ingen måluppfyllelse, inte division med noll.
    assert maluppfyllelse_hittills(sv.volymer, {OP: [100] * 12}, 0) is None
    # 1 375 × 100 / (81 739 × 3/12 = 20 434,75) = 6,72873… %.
    v = maluppfyllelse_hittills(sv.volymer, {"somatik.forstabesok.hud": [480, 510, 385] + [0] * 9}, 3)
    assert avrunda(v, 4) == D("6.7287")


# --- §9 1177 -----------------------------------------------------------------------------------


def test_andel_kraver_samtal():
    assert andel_procent(1, 1) == 100
    assert andel_procent(0, 3) == 0
    for samtal in (0, -1):
        with pytest.raises(ValueError, match="^antalet samtal måste vara större än 0$"):
            andel_procent(0, samtal)


def test_trappan_under_lagsta_steget_ger_lagsta_steget(uppdrag):
    # Under alla steg (kan inte hända med en andel 0–100, men trappan har ett golv): 0 %-steget.
    trappa = uppdrag.utforare["RH"].malrelaterad_1177.trappa
    assert trappsteg(trappa, D("-0.01")).utbetalning_procent == 0
    assert trappsteg(trappa[:-1], D(10)).utbetalning_procent == 50


def test_malrelaterad_resultatets_falt(uppdrag):
    m = uppdrag.utforare["RH"].malrelaterad_1177
    # 2,70 mnkr / 4 = 675 000 kr; 74,99 % → 95 % = 641 250 kr; 24,99 % → 0 (A3).
    res = berakna_malrelaterad(m, {2: D("74.99"), 3: D("24.99")})
    assert res.kvartalsbelopp_kr == 675000
    assert [(k.kvartal, k.andel_procent, k.utbetalning_procent, k.belopp_kr) for k in res.kvartal] == [
        (2, D("74.99"), 95, 641250), (3, D("24.99"), 0, 0)]
    assert res.summa_kr == 641250
    # A3 (under 25 %), A4 (per år, per kvartal) och A14 (halvöppna steg: 74,99 % ger 95 %).
    assert res.antaganden == ("A3", "A4", "A14")


# --- perioder (kalkyl/period.py) ----------------------------------------------------------------


def test_periodernas_text_och_manader():
    fall = [  # period, text, tillfälle, första, sista månad, ordning
        (per.Period(2026, per.MANAD, 8), "2026-08", "manad", 8, 8, (2026, 8, 1)),
        (per.Period(2026, per.MANAD, 11), "2026-11", "manad", 11, 11, (2026, 11, 1)),
        (per.Period(2026, per.KVARTAL, 2), "2026-Q2", "Q2", 4, 6, (2026, 6, 3)),
        (per.Period(2026, per.KVARTAL, 4), "2026-Q4", "Q4", 10, 12, (2026, 12, 3)),
        (per.Period(2026, per.TERTIAL, 2), "2026-T2", "T2", 5, 8, (2026, 8, 4)),
        (per.Period(2026, per.TERTIAL, 3), "2026-T3", "T3", 9, 12, (2026, 12, 4)),
        (per.Period(2026, per.AR), "2026", "ar", 1, 12, (2026, 12, 12)),
    ]
    for p, text, tillfalle, forsta, sista, ordning in fall:
        assert (str(p), p.tillfalle, p.forsta_manad, p.sista_manad, p.ordning) == (
            text, tillfalle, forsta, sista, ordning), p
    assert per.manad(2026, 3) == per.Period(2026, per.MANAD, 3)
    assert per.Period(2026, per.AR).nummer == 0


def test_foregaende_period():
    P = per.Period
    assert P(2026, per.AR).foregaende() == P(2025, per.AR)
    assert P(2026, per.MANAD, 1).foregaende() == P(2025, per.MANAD, 12)
    assert P(2026, per.MANAD, 8).foregaende() == P(2026, per.MANAD, 7)
    assert P(2026, per.KVARTAL, 1).foregaende() == P(2025, per.KVARTAL, 4)
    assert P(2026, per.KVARTAL, 3).foregaende() == P(2026, per.KVARTAL, 2)
    assert P(2026, per.TERTIAL, 1).foregaende() == P(2025, per.TERTIAL, 3)
    assert P(2026, per.TERTIAL, 3).foregaende() == P(2026, per.TERTIAL, 2)


@pytest.mark.parametrize("text,forvantat", [
    ("2026-08", per.Period(2026, per.MANAD, 8)),
    (" 2026-01 ", per.Period(2026, per.MANAD, 1)),
    ("2026-12", per.Period(2026, per.MANAD, 12)),
    ("2026-Q1", per.Period(2026, per.KVARTAL, 1)),
    ("2026-q4", per.Period(2026, per.KVARTAL, 4)),
    ("2026-T1", per.Period(2026, per.TERTIAL, 1)),
    ("2026-t3", per.Period(2026, per.TERTIAL, 3)),
    ("2026", per.Period(2026, per.AR)),
    (2026, per.Period(2026, per.AR)),
    ("2026-13", None), ("2026-00", None), ("2026-8", None), ("2026-Q0", None), ("2026-Q5", None),
    ("2026-T0", None), ("2026-T4", None), ("2026-", None), ("26", None), ("hej", None), ("2026-08-01", None),
    ("2026-123", None), ("2026-X1", None),
])
def test_tolka_period(text, forvantat):
    assert per.tolka_period(text) == forvantat


ALLA = "ÅÅÅÅ-MM eller ÅÅÅÅ-Q1 … ÅÅÅÅ-Q4 eller ÅÅÅÅ-T1 … ÅÅÅÅ-T3 eller ÅÅÅÅ"


@pytest.mark.parametrize("text,slag,ar,meddelande", [
    ("2026-13", None, None, f"2026-13 finns inte (ange {ALLA})"),
    (" 2026-13 ", (per.MANAD,), None, "2026-13 finns inte (ange ÅÅÅÅ-MM)"),
    ("2026-Q5", (per.KVARTAL,), None, "2026-Q5 finns inte (ange ÅÅÅÅ-Q1 … ÅÅÅÅ-Q4)"),
    ("2026-T4", (per.TERTIAL, per.AR), None, "2026-T4 finns inte (ange ÅÅÅÅ-T1 … ÅÅÅÅ-T3 eller ÅÅÅÅ)"),
    ("hej", None, None, f"'hej' är ingen period av formen {ALLA}"),
    ("2026-8", (per.MANAD,), None, "'2026-8' är inte en månad på formen ÅÅÅÅ-MM"),
    ("hej", (per.KVARTAL,), None, "'hej' är inte ett kvartal på formen ÅÅÅÅ-Q1 … ÅÅÅÅ-Q4"),
    ("hej", (per.TERTIAL,), None, "'hej' är inte ett tertial på formen ÅÅÅÅ-T1 … ÅÅÅÅ-T3"),
    ("hej", (per.AR,), None, "'hej' är inte ett år på formen ÅÅÅÅ"),
    ("hej", (per.MANAD, per.TERTIAL), None, "'hej' är ingen period av formen ÅÅÅÅ-MM eller ÅÅÅÅ-T1 … ÅÅÅÅ-T3"),
    ("2026-Q2", (per.MANAD,), None, "2026-Q2 är ett kvartal; här väntas ÅÅÅÅ-MM"),
    ("2026-08", (per.KVARTAL,), None, "2026-08 är en månad; här väntas ÅÅÅÅ-Q1 … ÅÅÅÅ-Q4"),
    ("2026", (per.MANAD, per.TERTIAL), None, "2026 är ett år; här väntas ÅÅÅÅ-MM eller ÅÅÅÅ-T1 … ÅÅÅÅ-T3"),
    ("2027-01", None, 2026, "månaden 2027-01 ligger utanför uppdragsåret 2026"),
    ("2027-Q1", None, 2026, "kvartalet 2027-Q1 ligger utanför uppdragsåret 2026"),
    ("2025-T3", None, 2026, "tertialet 2025-T3 ligger utanför uppdragsåret 2026"),
    ("2025", None, 2026, "året 2025 ligger utanför uppdragsåret 2026"),
])
def test_tolka_fel(text, slag, ar, meddelande):
    kw = {} if slag is None else {"slag": slag}
    with pytest.raises(per.Periodfel) as e:
        per.tolka(text, ar=ar, **kw)
    assert str(e.value) == meddelande


def test_tolka_och_tolka_manad():
    assert per.tolka("2026-Q3", ar=2026) == per.Period(2026, per.KVARTAL, 3)
    assert per.tolka("2026-T2", slag=(per.TERTIAL,)) == per.Period(2026, per.TERTIAL, 2)
    assert per.tolka("2026-08") == per.Period(2026, per.MANAD, 8)
    assert per.tolka_manad("2026-08", 2026) == 8
    with pytest.raises(per.Periodfel):
        per.tolka_manad("2026-Q1", 2026)
    with pytest.raises(per.Periodfel):
        per.tolka_manad("2025-08", 2026)


def test_arets_perioder_i_kronologisk_ordning():
    P = per.Period
    forvantat = ([P(2026, per.MANAD, m) for m in (1, 2, 3, 4)] + [P(2026, per.TERTIAL, 1)]
                 + [P(2026, per.MANAD, m) for m in (5, 6, 7, 8)] + [P(2026, per.TERTIAL, 2)]
                 + [P(2026, per.MANAD, m) for m in (9, 10, 11, 12)] + [P(2026, per.TERTIAL, 3), P(2026, per.AR)])
    assert per.arets_perioder(2026) == forvantat
    assert per.arets_perioder(2026, (per.KVARTAL,)) == [P(2026, per.KVARTAL, k) for k in (1, 2, 3, 4)]
    assert per.arets_perioder(2026, (per.AR, per.KVARTAL)) == (
        [P(2026, per.KVARTAL, k) for k in (1, 2, 3)] + [P(2026, per.KVARTAL, 4), P(2026, per.AR)])
    assert [str(p) for p in per.arets_perioder(2026, (per.TERTIAL,))] == ["2026-T1", "2026-T2", "2026-T3"]
