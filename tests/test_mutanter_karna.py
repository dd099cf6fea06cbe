"""Kärnans nya moduler med handräknade siffror: testerna som dödar de mutanter som mutmut hittade i
tillagg (daterade värden, `manadsvis=False`, grupper), scenario, kontroll, utbetalning, prognos,
jamforelse, beslut, anslag och avräkning med daterade nivåer, och forklaring (formeltexterna och
trädens uppbyggnad och källor).

Förväntade värden är räknade för hand (uträkningen står i kommentaren), aldrig med kodens egen
formel, och Decimal jämförs aldrig med ett flyttal. Förklaringsträden jämförs som text: en rad per
nod med namn, värde (med typ: `D` för Decimal, `i` för heltal), enhet, regel, formel, källa och
antaganden; värdena i texten är kontrollerade för hand i kommentarerna.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from vgr_ersattning.kalkyl.anslag import berakna_anslag, manadsbelopp
from vgr_ersattning.kalkyl.avrakning import avrakna_post, berakna_avrakning
from vgr_ersattning.kalkyl.beslut import ar_delegation, forandring_vid_full_leverans, granska, inom_giltighet
from vgr_ersattning.kalkyl.jamforelse import jamfor, korsningar
from vgr_ersattning.kalkyl.kontroll import (
    blockerande,
    kontrollera_allt,
    kontrollera_ar,
    kontrollera_at,
    kontrollera_giltighet,
    kontrollera_priser,
    kontrollera_varav,
)
from vgr_ersattning.kalkyl.parametrar import (
    Beslutsfel,
    Radvarden,
    Varde,
    for_tabell,
    fran_manad,
    i_kraft,
    konstant,
    serie,
    tillampa,
    utgangslage,
)
from vgr_ersattning.kalkyl.prognos import berakna_prognos, prognos_antal, takt
from vgr_ersattning.kalkyl.resultat import AR, AT, AVRAKNING, BESLUT, BRYGGA, PRISER, RAM, VOLYMER, Kalla, Kontroll
from vgr_ersattning.kalkyl.scenario import Andrat, Andring, Scenario, Scenariofel, Scenariomotor
from vgr_ersattning.kalkyl.spar import Nod, Spar, trad
from vgr_ersattning.kalkyl.tillagg import SaknatPris, berakna_rad, berakna_tillagg, grupper_for, summera_grupp
from vgr_ersattning.kalkyl.utbetalning import Manadsutbetalning, Utbetalning, berakna, berakna_utbetalning
from vgr_ersattning.modell import Summa, Volymer, Volymrad
from vgr_ersattning.modell_indata import Arsbeslut, Beslutsandring
from vgr_ersattning.pengar import avrunda

D = Decimal
OP = "somatik.operation.allman_kirurgi"      # bas 3 543, tillägg 3 057, uppdrag 6 600, 35 795 kr
URO = "somatik.operation.urologi"            # bas 714, tillägg 736, uppdrag 1 450, 35 795 kr
HUD = "somatik.forstabesok.hud"              # bas 3 858, tillägg 1 642, uppdrag 5 500, 2 503 kr
KOLO = "somatik.undersokning.koloskopi"      # bas 1 007, tillägg 2 713, uppdrag 3 720, 4 459 kr (SV)
GASTRO = "somatik.undersokning.gastroskopi"  # bas 2 391, tillägg 1 159, uppdrag 3 550, 4 459 kr (SV)
ALLERGI = "somatik.forstabesok.allergologi"  # uppdrag 0
BUP = "psykiatri.behandling.bup"             # bas 595, tillägg 587, uppdrag 1 182, besök, antagande A1
LAKEMEDEL = "lakemedelsleveranser"           # nivå 2 883 tkr
SPEC = "specialistutbildning_sjukskoterskor"  # nivå 5 859 tkr


def _manader(**per_manad) -> list[int]:
    """Tolv månadsantal ur `m1=…, m2=…` (övriga 0)."""
    return [per_manad.get(f"m{m}", 0) for m in range(1, 13)]


def _rad(sv, rid):
    return sv.volymer.rader[rid]


def _radv(rid, rad, pris, sokvag=(), bas=None, tillagg=None, prisserie=None) -> Radvarden:
    """Radens värden per månad: uppdragets (samma alla månader) eller tolv tal för bas, tillägg och pris;
    uppdraget följer då bas + tillägg (regelboken §3)."""
    if bas is None and tillagg is None and prisserie is None:
        return Radvarden(rid, rad.namn, rad.priskategori, rad.antagande, konstant(Varde(rad.uppdrag)),
                         konstant(Varde(rad.bas)), konstant(Varde(rad.tillagg)), konstant(Varde(pris)), sokvag)
    bas, tillagg = bas or [rad.bas] * 12, tillagg or [rad.tillagg] * 12
    return Radvarden(rid, rad.namn, rad.priskategori, rad.antagande, serie([b + t for b, t in zip(bas, tillagg)]),
                     serie(bas), serie(tillagg), serie(prisserie or [pris] * 12), sokvag)


def _nivaer(utf):
    """Avräkningsnivåerna som de står i uppdraget, samma alla månader."""
    return {pid: konstant(Varde(p.niva_tkr)) for pid, p in utf.avrakning.poster.items()}


def _beslut(*andringar, organ="delegation", datum="2026-08-20", fran="2026-09", kalla="x") -> Arsbeslut:
    return Arsbeslut(organ=organ, datum=datum, fran=fran, kalla=kalla,
                     andringar=[Beslutsandring(**a) for a in andringar])


# === kontroll ======================================================================================


def test_varav_posterna_ryms_i_ramen(sv):
    # 5 859 + 2 883 = 8 742 tkr ≤ 3 317 867 tkr.
    assert kontrollera_varav("SV", sv) == [Kontroll(
        id="avrakning.varav_inom_ram", namn="SV: varav-poster ≤ ersättningsramen", ok=True,
        meddelande="poster med avräkning 8 742 tkr ≤ ersättningsramen 3 317 867 tkr",
        sokvag=("utforare", "SV", "avrakning", "poster"), varde=D(8742), differens=None, enhet="tkr")]


def test_varav_posterna_over_ramen_ger_differensen(sv):
    # Ramen 8 000 tkr: 8 742 − 8 000 = 742 tkr för mycket.
    liten = sv.model_copy(update={"ersattningsram": sv.ersattningsram.model_copy(update={"belopp_tkr": D(8000)})})
    (k,) = kontrollera_varav("SV", liten)
    assert (k.ok, k.meddelande, k.varde, k.differens, k.enhet) == (
        False, "poster med avräkning 8 742 tkr > ersättningsramen 8 000 tkr", D(8742), D(742), "tkr")


def test_varav_utan_poster_eller_utan_ram(sv):
    assert kontrollera_varav("SV", sv.model_copy(update={"avrakning": None})) == []
    # Poster men ingen ram: ingenting att jämföra med (och ingen krasch).
    assert kontrollera_varav("SV", sv.model_copy(update={"ersattningsram": None})) == []
    # Inga poster alls: summan är Decimal 0, inte heltalet 0.
    tom = sv.model_copy(update={"avrakning": sv.avrakning.model_copy(update={"poster": {}})})
    (k,) = kontrollera_varav("SV", tom)
    assert k.ok and isinstance(k.varde, Decimal) and k.meddelande.startswith("poster med avräkning 0 tkr ≤")


def test_at_platserna_summerar_till_det_tryckta_totalet(uppdrag):
    # SU 60 + NU 70 + SKAS 56 + SAS 50 + SV 56 = 292 (RH har inga AT-platser).
    assert kontrollera_at(uppdrag) == [Kontroll(
        id="at.totalt", namn="AT-platser totalt", ok=True, meddelande="SU 60 + NU 70 + SKAS 56 + SAS 50 + SV 56 = 292 = tryckt totalt 292",
        sokvag=("at_fordelning", "totalt"), varde=D(292), differens=D(0), enhet="antal")]
    fel = uppdrag.model_copy(update={"at_fordelning": uppdrag.at_fordelning.model_copy(update={"totalt": 291})})
    (k,) = kontrollera_at(fel)
    # 291 − 292 = −1
    assert (k.ok, k.meddelande, k.varde, k.differens) == (
        False, "SU 60 + NU 70 + SKAS 56 + SAS 50 + SV 56 = 292 ≠ tryckt totalt 291", D(291), D(-1))
    assert kontrollera_at(uppdrag.model_copy(update={"at_fordelning": None})) == []


def test_priser_for_alla_rader(sv, priser):
    assert kontrollera_priser("SV", sv, priser) == [Kontroll(
        id="priser.rader", namn="SV: priser för alla rader", ok=True,
        meddelande="49 rader, kategorierna behandling, besok, kologastro har pris för SV",
        sokvag=("utforare", "SV", "volymer", "rader"))]
    assert kontrollera_priser("SV", sv.model_copy(update={"volymer": None}), priser) == []


def test_pris_saknas_for_utforaren_och_okand_kategori(sv, priser):
    # XX har inget kologastro-pris: gastroskopi och koloskopi saknar pris (besök och behandling är
    # regiongemensamma).
    assert kontrollera_priser("XX", sv, priser) == [
        Kontroll(id="priser.rader", namn=f"XX: pris för {rid}", ok=False,
                 meddelande=f"{rid}: priskategorin 'kologastro' har inget pris för XX",
                 sokvag=("tillagg", "kologastro"), fil="priser") for rid in (GASTRO, KOLO)]
    rader = dict(sv.volymer.rader)
    rader[HUD] = rader[HUD].model_copy(update={"priskategori": "okand"})
    andrad = sv.model_copy(update={"volymer": sv.volymer.model_copy(update={"rader": rader})})
    assert kontrollera_priser("SV", andrad, priser) == [Kontroll(
        id="priser.rader", namn=f"SV: pris för {HUD}", ok=False, meddelande=f"{HUD}: priskategorin 'okand' finns inte i prisfilen",
        sokvag=("utforare", "SV", "volymer", "rader", HUD, "priskategori"))]


def test_prisfilens_ar(uppdrag, priser):
    assert kontrollera_ar(uppdrag, priser) == [Kontroll(
        id="ar.prisfil", namn="Prisfilens år = uppdragsåret", ok=True, meddelande="prisfilen gäller 2026 = uppdragsåret 2026",
        sokvag=("ar",), varde=D(2026), differens=D(0), fil="priser", omraden=(AR,))]
    (k,) = kontrollera_ar(uppdrag, priser.model_copy(update={"ar": 2025}))
    # 2025 − 2026 = −1
    assert (k.ok, k.meddelande, k.varde, k.differens) == (
        False, "prisfilen gäller 2025 ≠ uppdragsåret 2026", D(2025), D(-1))


@pytest.mark.parametrize("ar, ok", [(2024, False), (2025, True), (2026, True), (2027, True), (2028, False)])
def test_giltigheten_2025_till_2027_med_granserna(sv, ar, ok):
    text = "som omfattar" if ok else "som inte omfattar"
    assert kontrollera_giltighet("SV", sv, ar) == [Kontroll(
        id="giltighet.ar", namn=f"SV: giltigheten omfattar {ar}", ok=ok, utforare="SV", omraden=(AR,),
        meddelande=f"uppdraget gäller 2025-01-01–2027-12-31, {text} uppdragsåret {ar}",
        sokvag=("utforare", "SV", "giltighet"))]


def test_giltighet_som_inte_ar_datum(sv):
    def med(fran, till):
        return sv.model_copy(update={"giltighet": sv.giltighet.model_copy(update={"fran": fran, "till": till})})

    for fran, till, falt in [("2025-13-01", "2027-12-31", "fran"), ("2025-01-01", "sist", "till"),
                             ("forst", "sist", "fran")]:
        assert kontrollera_giltighet("SV", med(fran, till), 2026) == [Kontroll(
            id="giltighet.datum", namn="SV: giltighet", ok=False, utforare="SV", omraden=(AR,),
            meddelande=f"giltigheten {fran}–{till} är inte två datum ÅÅÅÅ-MM-DD",
            sokvag=("utforare", "SV", "giltighet", falt))]
    assert kontrollera_giltighet("SV", sv.model_copy(update={"giltighet": None}), 2026) == []


def test_kontrollera_allt_marker_omraden_och_utforare(uppdrag, priser):
    ut = [(k.namn, k.ok, k.omraden, k.utforare) for k in kontrollera_allt(uppdrag, priser)]
    sv = "SV"
    assert ut == [
        ("Prisfilens år = uppdragsåret", True, (AR,), None),
        ("SV: giltigheten omfattar 2026", True, (AR,), sv),
        ("SV: Rader: bas + tillägg = uppdrag", True, (VOLYMER,), sv),
        ("SV: Summa psykiatri", True, (VOLYMER,), sv),
        ("SV: Summa somatik", True, (VOLYMER,), sv),
        ("SV: Summa somatik.forstabesok", True, (VOLYMER,), sv),
        ("SV: Summa somatik.operation", True, (VOLYMER,), sv),
        ("SV: Summa somatik.undersokning", True, (VOLYMER,), sv),
        ("SV: Totalsumma", True, (VOLYMER,), sv),
        ("SV: Bryggan: uppräkning", True, (BRYGGA,), sv),
        ("SV: Bryggan: Delsumma 1, inkl uppräkningsfaktor", True, (BRYGGA,), sv),
        # Bryggans sista rad (sökväg till/belopp_tkr) men inte jämförelsen med ramen: bara bryggan.
        ("SV: Bryggan: Uppdrag 2026", True, (BRYGGA,), sv),
        ("SV: Bryggans sista rad = ersättningsramen", True, (BRYGGA, RAM), sv),
        ("SV: varav-poster ≤ ersättningsramen", True, (AVRAKNING, RAM), sv),
        ("SV: priser för alla rader", True, (PRISER,), sv),
        ("RH: giltigheten omfattar 2026", True, (AR,), "RH"),
        ("AT-platser totalt", True, (AT,), None),
    ]
    # Bryggans jämförelse med ramen: en annan ram (3 317 868 tkr) fallerar bara den kontrollen.
    sv_m = uppdrag.utforare["SV"]
    ny = sv_m.model_copy(update={"ersattningsram": sv_m.ersattningsram.model_copy(update={"belopp_tkr": D(3317868)})})
    fel = [k for k in kontrollera_allt(uppdrag.model_copy(update={"utforare": {**uppdrag.utforare, "SV": ny}}), priser)
           if not k.ok]
    assert [(k.namn, k.omraden, k.utforare, k.sokvag) for k in fel] == [
        ("SV: Bryggans sista rad = ersättningsramen", (BRYGGA, RAM), "SV",
         ("utforare", "SV", "brygga", "till", "belopp_tkr"))]


def test_brygga_utan_ersattningsram(uppdrag, priser):
    """En utförare med brygga men utan ram: bryggan kontrolleras i sina steg, men ingen jämförelse med ramen."""
    sv = uppdrag.utforare["SV"].model_copy(update={"ersattningsram": None})
    ut = kontrollera_allt(uppdrag.model_copy(update={"utforare": {"SV": sv}}), priser)
    namn = [k.namn for k in ut if k.omraden and k.omraden[0] == BRYGGA]
    assert namn == ["SV: Bryggan: uppräkning", "SV: Bryggan: Delsumma 1, inkl uppräkningsfaktor",
                    "SV: Bryggan: Uppdrag 2026"]


def test_blockerande_kontroller():
    def k(namn, ok, utforare, *omraden):
        return Kontroll(id="test", namn=namn, ok=ok, meddelande="", utforare=utforare, omraden=omraden)

    kontroller = [k("år", False, None, AR), k("SV volymer", False, "SV", VOLYMER), k("SV brygga", False, "SV", BRYGGA),
                  k("RH volymer", False, "RH", VOLYMER), k("SV priser ok", True, "SV", PRISER),
                  k("gemensam volym", False, None, VOLYMER), k("SV giltighet", False, "SV", AR)]
    # Underkända, utförarens egna eller gemensamma, inom områdena eller året.
    assert [x.namn for x in blockerande(kontroller, "SV", {VOLYMER, PRISER})] == [
        "år", "SV volymer", "gemensam volym", "SV giltighet"]
    assert [x.namn for x in blockerande(kontroller, "RH", {BRYGGA})] == ["år"]


# === tillagg =======================================================================================


def test_daterat_hojt_tillagg_och_pris_betalas_fran_sin_manad(sv, priser):
    """Allmän kirurgi, 7 000 operationer i januari (över taket). Tillägget 3 057 → 3 137 från september,
    → 3 200 från november; priset 35 795 → 40 000 kr från oktober. Antagande A6:
    januari 3 057 × 35 795 = 109 425 315; september +80 × 35 795 = 2 863 600 (112 288 915);
    november +63 × 40 000 = 2 520 000 (114 808 915)."""
    bas = [3543] * 12
    tillagg = [3057] * 8 + [3137] * 2 + [3200] * 2
    pris = [D(35795)] * 9 + [D(40000)] * 3
    v = _radv(OP, _rad(sv, OP), D(35795), ("tillagg", "behandling", "pris_kr"), bas, tillagg, pris)
    r = berakna_rad(v, None, _manader(m1=7000), False, 12)
    assert r.kumulativt_kr == (D(109425315),) * 8 + (D(112288915),) * 2 + (D(114808915),) * 2
    assert r.manader == (D(109425315),) + (D(0),) * 7 + (D(2863600), D(0), D(2520000), D(0))
    # Raden bär värdena som gäller i december: bas 3 543, tillägg 3 200, uppdrag 6 743, pris 40 000.
    assert (r.id, r.namn, r.priskategori, r.antagande, r.ar_plan) == (OP, "Allmän kirurgi", "behandling", None, False)
    assert (r.uppdrag, r.bas, r.tillagg, r.pris_kr, r.utfall, r.ersatta, r.belopp_kr) == (
        6743, 3543, 3200, D(40000), 7000, 3200, D(114808915))
    assert r.plan == 6743 and r.bas_hittills == 3543 and r.pris_sokvag == ("tillagg", "behandling", "pris_kr")


def test_daterad_sankt_bas_och_bara_sista_manaden(sv):
    """Hud med 1 000 besök i månaden; basen 3 858 → 3 000 från april. T.o.m. mars under basen (3 000 <
    3 858); april 4 000 − 3 000 = 1 000 ersatta = 2 503 000 kr; maj 5 000 − 3 000 = 2 000, taket 1 642:
    + 642 × 2 503 = 1 606 926, alltså 4 109 926 kr."""
    bas = [3858] * 3 + [3000] * 9
    daterat = _radv(HUD, _rad(sv, HUD), D(2503), (), bas, [1642] * 12, [D(2503)] * 12)
    prod = [1000] * 12
    r = berakna_rad(daterat, None, prod, False, 5)
    assert r.kumulativt_kr == (0, 0, 0, D(2503000), D(4109926))
    # bas och uppdrag i maj: 3 000 och 3 000 + 1 642 = 4 642; planen 4 642 × 5/12 = 1 934,1666…
    assert (r.bas, r.uppdrag, r.bas_hittills, r.utfall, r.ersatta) == (3000, 4642, 3000, 5000, 1642)
    assert D("1934.1666") < r.plan < D("1934.1667")
    # manadsvis=False med beslut: månaderna räknas (priset följer månaden) men bara maj lämnas.
    r1 = berakna_rad(daterat, None, prod, False, 5, manadsvis=False)
    assert r1.kumulativt_kr == (D(4109926),) and r1.belopp_kr == 4109926 and r1.ersatta == 1642


def test_daterad_periodiserad_bas_och_plan(sv):
    """Periodiserad bas med daterad bas: basen t.o.m. mars är 3 000 × 3/12 = 750; 1 000 besök hittills
    ger 250 ersatta = 625 750 kr. Planen (ar_plan) t.o.m. mars är (3 000 + 1 642) × 3/12 = 1 160,5:
    1 160,5 − 750 = 410,5 ersatta = 1 027 481,5 kr."""
    daterat = _radv(HUD, _rad(sv, HUD), D(2503), (), [3000] * 12, [1642] * 12, [D(2503)] * 12)
    r = berakna_rad(daterat, None, [1000] + [0] * 11, False, 3, "periodiserad")
    # (1/12 är inte exakt i Decimal: jämför på tio decimaler.)
    assert [avrunda(x, 10) for x in (r.bas_hittills, r.ersatta, r.belopp_kr)] == [750, 250, 625750]
    p = berakna_rad(daterat, None, None, True, 3, "periodiserad")
    assert [avrunda(x, 10) for x in (p.utfall, p.ersatta, p.belopp_kr)] == [D("1160.5"), D("410.5"), D("1027481.5")]


def test_utan_manader_bara_den_sista(sv):
    """manadsvis=False utan beslut: bara beloppet t.o.m. månaden. 4 000 operationer t.o.m. mars:
    457 ersatta × 35 795 = 16 358 315 kr."""
    r = berakna_rad(_radv(OP, _rad(sv, OP), D(35795)), None, _manader(m1=3000, m3=1000), False, 3, manadsvis=False)
    assert r.kumulativt_kr == (D(16358315),) and (r.utfall, r.ersatta) == (4000, 457)
    alla = berakna_rad(_radv(OP, _rad(sv, OP), D(35795)), None, _manader(m1=3000, m3=1000), False, 3)
    assert alla.kumulativt_kr == (0, 0, D(16358315))


def test_noll_manader_ar_ingenting(sv):
    """Före januari är ingenting producerat: inget belopp, utfallet 0, basen hela årsbasen."""
    r = berakna_rad(_radv(OP, _rad(sv, OP), D(35795)), None, [5000] * 12, False, 0)
    assert (r.kumulativt_kr, r.utfall, r.ersatta, r.belopp_kr, r.bas_hittills) == ((), 0, 0, 0, 3543)
    assert (r.uppdrag, r.bas, r.tillagg, r.plan) == (6600, 3543, 3057, 0)


def test_planen_foljer_uppdraget_inte_bas_plus_tillagg():
    """§5: planen är uppdrag × andel. En rad vars uppdrag (120) inte är bas + tillägg (50 + 30), som §3
    underkänner, planeras ändå efter uppdraget: t.o.m. juni 120 × 6/12 = 60, 60 − 50 = 10 ersatta à 100 kr."""
    rad = Volymrad(namn="R", uppdrag=120, bas=50, tillagg=30, priskategori="besok")
    r = berakna_rad(_radv("a.b.c", rad, D(100)), None, None, True, 6)
    assert (r.uppdrag, r.bas, r.tillagg, r.utfall, r.plan, r.ersatta, r.belopp_kr) == (120, 50, 30, 60, 60, 10, 1000)
    assert r.ar_plan is True and r.priskategori == "besok"


def test_planen_foljer_radens_profil(sv, priser):
    """En gruppprofil för operationerna med hela året i juli och augusti: t.o.m. juni är planen 0 och
    inget tillägg; t.o.m. juli 6 600 × 0,5 = 3 300 < bas 3 543; augusti hela planen, 3 057 × 35 795."""
    profil = [D(0)] * 6 + [D("0.5"), D("0.5")] + [D(0)] * 4
    volymer = sv.volymer.model_copy(update={"profiler": {"somatik.operation": profil}})
    res = berakna_tillagg(for_tabell(volymer, priser, "SV"), None, 8, sv.tillagg)
    op = next(r for r in res.rader if r.id == OP)
    assert op.kumulativt_kr == (0,) * 7 + (D(109425315),)
    assert op.plan == 6600


def test_planens_belopp_ar_exakt_tillagg_ganger_pris(sv, priser):
    """Hela året i planen: ersatta = tillägget, beloppet exakt (inga tolftedelar kvar i sista siffran).
    VUP förstabesök 310 × 2 503 = 775 930 kr; BUP behandling 587 × 2 503 = 1 469 261 kr."""
    res = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), None, 12, sv.tillagg)
    rader = {r.id: r for r in res.rader}
    assert rader["psykiatri.forstabesok.vup"].belopp_kr == D(775930)
    assert rader[BUP].belopp_kr == D(1469261)


def test_berakna_tillagg_bar_sina_uppgifter(sv, priser):
    plan = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), None, 2, sv.tillagg)
    assert (plan.utforare, plan.till_och_med, plan.ar_plan, plan.basmodell, plan.basmodell_antagande) == (
        "SV", 2, True, "arsbas", "A2")
    assert (plan.total.id, plan.total.namn) == ("", "Totalt")
    utfall = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), {OP: [1] * 12}, 2)
    assert (utfall.ar_plan, utfall.basmodell, utfall.basmodell_antagande) == (False, "arsbas", None)
    periodiserad = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), {OP: [1] * 12}, 2,
                                   sv.tillagg.model_copy(update={"basmodell": "periodiserad"}))
    assert periodiserad.basmodell == "periodiserad"


def test_grupperna_namn_och_summor(sv, priser):
    """Grupperna i tabellens ordning med namnen ur volymtabellen; en grupp utan namn heter sitt id.
    Somatik.undersokning med 1 200 koloskopier och 2 400 gastroskopier: bas 1 007 + 2 391 = 3 398,
    tillägg 2 713 + 1 159 = 3 872, ersatta 193 + 9 = 202 à 4 459 kr = 900 718 kr."""
    res = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), {KOLO: _manader(m1=1200), GASTRO: _manader(m1=2400)}, 1)
    assert [(g.id, g.namn) for g in res.grupper] == [
        ("psykiatri", "Psykiatri"), ("psykiatri.forstabesok", "Förstabesök"), ("psykiatri.utredning", "Utredning"),
        ("psykiatri.behandling", "Behandling"), ("somatik", "Somatik"), ("somatik.forstabesok", "Förstabesök"),
        ("somatik.operation", "Operation/åtgärd"), ("somatik.undersokning", "Undersökning")]
    g = res.grupp("somatik.undersokning")
    assert (g.bas, g.tillagg, g.utfall, g.ersatta, g.belopp_kr) == (3398, 3872, 3600, 202, D(900718))
    # Planen t.o.m. januari: 7 270 / 12 = 605,83…
    assert D("605.83") < g.plan < D("605.84")
    utan_namn = sv.volymer.model_copy(update={"grupper": {"somatik": "Somatik"}})
    namn = {g.id: g.namn for g in grupper_for(utan_namn, res.rader)}
    assert namn["somatik"] == "Somatik" and namn["somatik.undersokning"] == "somatik.undersokning"


def test_tom_grupp_och_tom_tabell_ger_decimaler():
    g = summera_grupp("x", "X", [])
    assert (g.bas, g.tillagg, g.utfall, g.ersatta) == (0, 0, 0, 0)
    assert isinstance(g.plan, Decimal) and isinstance(g.belopp_kr, Decimal)
    tom = Volymer(kalla="k", totaler={}, totalsumma=Summa(uppdrag=0, bas=0, tillagg=0), grupper={}, rader={})
    from vgr_ersattning.modell import Priser

    res = berakna_tillagg(for_tabell(tom, Priser(ar=2026, tillagg={}), "SV"), None, 3)
    assert res.manader == (0, 0, 0) and all(isinstance(m, Decimal) for m in res.manader)
    assert res.grupper == () and res.summa_kr == 0 and res.antaganden == ()


def test_summera_grupp_over_rader(sv, priser):
    # Operationerna t.o.m. januari med 3 600 (allmän kirurgi) och 800 (urologi):
    # bas 3 543 + 714 = 4 257, tillägg 3 057 + 736 = 3 793, utfall 4 400, ersatta 57 + 86 = 143.
    res = berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), {OP: _manader(m1=3600), URO: _manader(m1=800)}, 1)
    rader = [r for r in res.rader if r.id in (OP, URO)]
    g = summera_grupp("op", "Op", rader)
    assert (g.id, g.namn, g.bas, g.tillagg, g.utfall, g.ersatta, g.belopp_kr) == (
        "op", "Op", 4257, 3793, 4400, 143, D(143 * 35795))


def test_saknat_pris_namnger_rad_kategori_och_utforare(sv, priser):
    utan = priser.model_copy(update={"tillagg": {k: v for k, v in priser.tillagg.items() if k != "kologastro"}})
    for anrop in (lambda: berakna_tillagg(for_tabell(sv.volymer, utan, "SV")),
                  lambda: Scenariomotor(sv.volymer, utan, "SV", D(0)),
                  lambda: berakna_prognos(for_tabell(sv.volymer, utan, "SV"), {}, 8),
                  lambda: jamfor(for_tabell(sv.volymer, utan, "SV"), {}, 1, {}, 2)):
        with pytest.raises(SaknatPris) as e:
            anrop()
        assert (e.value.rad_id, e.value.kategori, e.value.utforare) == (GASTRO, "kologastro", "SV")
        assert str(e.value) == f"{GASTRO}: priskategorin 'kologastro' har inget pris för SV"


def test_antagandena_i_tillaggsresultatet(sv, priser):
    # Planen: A1 (psykiatrins utredning och behandling ersätts) och A2 (basmodellen).
    assert berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), None, 12, sv.tillagg).antaganden == ("A1", "A2")
    # Utfall bara på en A1-rad under basen: A1 verkar inte, A2 gör det (basen avgör).
    assert berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), {BUP: [1] * 12}, 12, sv.tillagg).antaganden == ("A2",)
    # Utan regler finns inget basmodellsantagande.
    assert berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), {BUP: [100] * 12}, 12).antaganden == ("A1",)


# === anslag och avräkning med daterade värden ========================================================


def test_anslaget_med_ram_andrad_fran_oktober():
    """§18: 3 317 867 000 kr t.o.m. september, 3 329 867 000 från oktober. Januari–september 276 488 917
    (9 × = 2 488 400 253); oktober (3 329 867 000 − 2 488 400 253) / 3 = 280 488 915,67 → 280 488 916;
    november (3 329 867 000 − 2 768 889 169) / 2 = 280 488 915,5 → 280 488 916; december
    3 329 867 000 − 3 049 378 085 = 280 488 915."""
    ram = (D(3317867000),) * 9 + (D(3329867000),) * 3
    assert manadsbelopp(ram) == (D(276488917),) * 9 + (D(280488916), D(280488916), D(280488915))


def test_anslaget_med_ram_andrad_fran_februari_och_utan_andring():
    """1 200 kr i januari, 2 400 från februari: januari 100; februari (2 400 − 100) / 11 = 209,09 → 209,
    mars (2 400 − 309) / 10 = 209,1 → 209 … november (2 400 − 100 − 9 × 209 = 419) / 2 = 209,5 → 210;
    december 2 400 − (100 + 9 × 209 + 210 = 2 191) = 209."""
    ram = (D(1200),) + (D(2400),) * 11
    ut = manadsbelopp(ram)
    assert ut == (D(100),) + (D(209),) * 9 + (D(210), D(209)) and sum(ut) == 2400
    # Samma ram hela året är §6: 1 200 / 12 = 100 varje månad.
    assert manadsbelopp((D(1200),) * 12) == (D(100),) * 12


def test_berakna_anslag_med_daterad_ram_och_halv_andel():
    """Ramen 1 200 tkr, 2 400 tkr från juli, 50 % fast: 600 000 kr i halvåret och 1 200 000 från juli.
    Januari–juni 50 000; juli (1 200 000 − 300 000) / 6 = 150 000, och så vidare; december 150 000."""
    a = berakna_anslag(serie([D(1200)] * 6 + [D(2400)] * 6), Varde(D(50)), 7)
    assert a.manader == (D(50000),) * 6 + (D(150000),) * 6
    assert (a.ram_tkr, a.fast_andel_procent, a.till_och_med) == (D(2400), D(50), 7)
    assert a.utbetalt_kr == 6 * 50000 + 150000 and a.arsbelopp_kr == 1200000


def test_avrakning_med_niva_hojd_fran_juli_pro_rata():
    """Läkemedel 2 883 tkr t.o.m. juni, 3 600 från juli. April: betalt 4 × 2 883 / 12 = 961, utfall 800:
    −161. Augusti: betalt (6 × 2 883 + 2 × 3 600) / 12 = 24 498 / 12 = 2 041,5, utfall 2 100 → tak
    2 041,5: reglerat 0, postning +161. December: 38 898 / 12 = 3 241,5, utfall 3 000: −241,5."""
    niva = [D(2883)] * 6 + [D(3600)] * 6
    utfall = {4: D(800), 8: D(1300), 12: D(900)}
    t = avrakna_post(serie(niva), utfall, [4, 8, 12], "pro_rata", 12)
    assert [(x.manad, x.utfall_tkr, x.tak_tkr, x.utbetalt_tkr, x.reglerat_hittills_tkr, x.reglering_tkr) for x in t] == [
        (4, D(800), D(961), D(961), D(-161), D(-161)),
        (8, D(2100), D("2041.5"), D("2041.5"), D(0), D(161)),
        (12, D(3000), D("3241.5"), D("3241.5"), D("-241.5"), D("-241.5"))]


def test_avrakning_med_niva_hojd_fran_augusti_helt():
    """Med regeln `helt` är taket nivån i månaden: april 2 883, augusti 3 600 (ändrad från augusti),
    december 3 600. Betalt i augusti (7 × 2 883 + 3 600) / 12 = 23 781 / 12 = 1 981,75; utfall 2 100:
    2 100 − 1 981,75 = 118,25; postning 118,25 − (800 − 961 = −161) = 279,25."""
    niva = [D(2883)] * 7 + [D(3600)] * 5
    t = avrakna_post(serie(niva), {4: D(800), 8: D(1300)}, [4, 8, 12], "helt", 12)
    # December: betalt (7 × 2 883 + 5 × 3 600) / 12 = 38 181 / 12 = 3 181,75; tak 3 600; utfall 2 100:
    # 2 100 − 3 181,75 = −1 081,75, postning −1 081,75 − 118,25 = −1 200.
    assert [(x.tak_tkr, x.utbetalt_tkr, x.reglerat_hittills_tkr, x.reglering_tkr) for x in t] == [
        (D(2883), D(961), D(-161), D(-161)), (D(3600), D("1981.75"), D("118.25"), D("279.25")),
        (D(3600), D("3181.75"), D("-1081.75"), D(-1200))]


def test_berakna_avrakning_tar_postens_daterade_niva(sv):
    """Bara läkemedelsposten har daterad nivå (3 600 från juli); specialistutbildningen följer §7:
    april betalt 4 × 5 859 / 12 = 1 953."""
    utfall = {LAKEMEDEL: {4: D(800)}, SPEC: {4: D(2000)}}
    res = berakna_avrakning(sv.avrakning, utfall, 8, {**_nivaer(sv), LAKEMEDEL: serie([D(2883)] * 6 + [D(3600)] * 6)})
    lak, spec = (next(p for p in res.poster if p.id == x) for x in (LAKEMEDEL, SPEC))
    assert [t.utbetalt_tkr for t in lak.tillfallen] == [D(961), D("2041.5")]
    assert [t.utbetalt_tkr for t in spec.tillfallen] == [D(1953), D(3906)]


# === utbetalning ===================================================================================


def test_avrundad_kolumn_for_kolumn():
    """Tre månader à 0,4 kr anslag och 0,5 kr tillägg; avräkning bara i mars (0,45 kr).
    Hela kronor: anslag 0, 1, 0 (kumulativt 0,4 → 0; 0,8 → 1; 1,2 → 1); tillägg 1, 0, 1 (0,5 → 1;
    1,0 → 1; 1,5 → 2); avräkning bara i mars, 0,45 → 0. En decimal: anslag 0,4 varje månad, tillägg 0,5,
    avräkningen 0,45 → 0,5."""
    u = Utbetalning(tuple(Manadsutbetalning(m, D("0.4"), D("0.5"), D("0.45") if m == 3 else None) for m in (1, 2, 3)),
                    True)
    hela = u.avrundad()
    assert [(m.manad, m.anslag_kr, m.tillagg_kr, m.avrakning_kr) for m in hela.manader] == [
        (1, 0, 1, None), (2, 1, 0, None), (3, 0, 1, 0)]
    assert hela.med_avrakning is True and hela.ar_hela_kronor and not u.ar_hela_kronor
    en = u.avrundad(1)
    assert [(m.anslag_kr, m.tillagg_kr, m.avrakning_kr) for m in en.manader] == [
        (D("0.4"), D("0.5"), None), (D("0.4"), D("0.5"), None), (D("0.4"), D("0.5"), D("0.5"))]
    assert str(en.manader[0].anslag_kr) == "0.4"
    utan = Utbetalning((Manadsutbetalning(1, D(1), D(2), None),), False).avrundad()
    assert utan.med_avrakning is False and utan.summa_kr == 3


def test_ar_hela_kronor_ser_pa_varje_kolumn():
    assert Utbetalning((Manadsutbetalning(1, D(1), D(2), D(3)),), True).ar_hela_kronor
    for m in (Manadsutbetalning(1, D("1.5"), D(2), None), Manadsutbetalning(1, D(1), D("2.5"), None),
              Manadsutbetalning(1, D(1), D(2), D("0.5"))):
        assert not Utbetalning((m,), True).ar_hela_kronor


def test_utbetalningen_med_tva_poster_samma_manad(uppdrag, priser):
    """Båda posterna avräknas i april: läkemedel 800 − 961 = −161 tkr, specialistutbildning
    1 900 − 1 953 = −53 tkr; april −214 tkr = −214 000 kr. Tillägget: 3 600 operationer i februari,
    57 ersatta × 35 795 = 2 040 315 kr i februari, 0 i övriga månader."""
    b = berakna(uppdrag, priser, "SV", {OP: _manader(m2=3600)}, {LAKEMEDEL: {4: D(800)}, SPEC: {4: D(1900)}}, 4)
    u = b.utbetalning
    assert [(m.manad, m.anslag_kr, m.tillagg_kr, m.avrakning_kr) for m in u.manader] == [
        (1, D(276488917), 0, None), (2, D(276488917), D(2040315), None), (3, D(276488917), 0, None),
        (4, D(276488917), 0, D(-214000))]
    assert u.med_avrakning is True and u.avrakning_kr == -214000
    # 4 × 276 488 917 = 1 105 955 668; + 2 040 315 − 214 000 = 1 107 781 983
    assert b.summa_kr == 1107781983
    assert (b.ar, b.utforare, b.namn) == (2026, "SV", "Sjukhusen i väster")
    assert list(b.antaganden) == ["A2", "A5"]
    utan = berakna_utbetalning(b.tillagg, b.anslag, None)
    assert utan.med_avrakning is False and [m.avrakning_kr for m in utan.manader] == [None] * 4


def test_berakna_hela_aret_som_standard(uppdrag, priser):
    b = berakna(uppdrag, priser, "SV")
    assert len(b.utbetalning.manader) == 12 and b.tillagg.till_och_med == 12 and b.ikraft is None
    assert b.avrakning is None and b.manader_utan_data == ()


def test_berakna_med_halv_fast_andel_och_utan_anslagsblock(uppdrag, priser):
    sv = uppdrag.utforare["SV"]

    def med(utf):
        return uppdrag.model_copy(update={"utforare": {**uppdrag.utforare, "SV": utf}})

    # 50 %: 1 658 933 500 kr / 12 = 138 244 458,33 → 138 244 458 kr i januari.
    halv = med(sv.model_copy(update={"anslag": sv.anslag.model_copy(update={"fast_andel_procent": D(50)})}))
    assert berakna(halv, priser, "SV", till_och_med=1).anslag.manader[0] == 138244458
    # Utan anslagsblock är anslaget helt fast (§6): 276 488 917 kr.
    utan = med(sv.model_copy(update={"anslag": None}))
    a = berakna(utan, priser, "SV", till_och_med=1).anslag
    assert a.manader[0] == 276488917 and a.fast_andel_procent == 100


def test_berakna_med_beslut_for_kologastro_raden(uppdrag, priser):
    """Koloskopins tillägg 2 713 → 2 813 från september (planen, kologastro-priset 4 459 kr för SV):
    vid full leverans 100 × 4 459 = 445 900 kr mer för året."""
    b = berakna(uppdrag, priser, "SV", beslut=[_beslut({"id": KOLO, "falt": "tillagg", "andra": 100})])
    kolo = next(r for r in b.tillagg.rader if r.id == KOLO)
    # December: planen 3 820 (uppdraget följer bas + tillägg), 3 820 − 1 007 = 2 813 = hela tillägget.
    assert (kolo.tillagg, kolo.ersatta, kolo.belopp_kr, kolo.pris_kr) == (2813, 2813, D(2813 * 4459), D(4459))
    # Planen utan beslut: 263 497 958 kr; med beslutet 100 × 4 459 = 445 900 kr mer.
    assert b.tillagg.summa_kr == 263497958 + 445900
    assert b.ikraft is not None and b.antaganden.keys() == {"A1", "A2"}


def test_berakna_med_prisbeslut_ger_a6_och_daterad_avrakningsniva(uppdrag, priser):
    """Besökspriset 2 600 från oktober (A6 läggs till A1, A2 och A5) och läkemedelsnivån 3 600 tkr från
    juli: i augusti betalt (6 × 2 883 + 2 × 3 600) / 12 = 2 041,5 tkr."""
    beslut = [_beslut({"pris": "besok", "satt": 2600}, organ="nämnden", datum="2026-09-24", fran="2026-10"),
              _beslut({"avrakning": LAKEMEDEL, "niva_tkr": 3600}, organ="nämnden", datum="2026-06-20", fran="2026-07")]
    b = berakna(uppdrag, priser, "SV", None, {LAKEMEDEL: {4: D(800), 8: D(1300)}}, 12, beslut)
    assert list(b.antaganden) == ["A1", "A2", "A5", "A6"]
    lak = next(p for p in b.avrakning.poster if p.id == LAKEMEDEL)
    assert [t.utbetalt_tkr for t in lak.tillfallen] == [D(961), D("2041.5"), D("3241.5")]


def test_berakna_med_beslut_for_ett_annat_ar_eller_en_annan_period_vagras(uppdrag, priser):
    for fran in ("2027-03", "2026-T2"):
        with pytest.raises(Beslutsfel) as e:
            berakna(uppdrag, priser, "SV", beslut=[_beslut({"id": OP, "falt": "tillagg", "andra": 1}, fran=fran)])
        assert (e.value.beslut, e.value.andring, e.value.falt) == (0, None, "fran")
        assert str(e.value).startswith("fran: ")


# === scenario ======================================================================================


def _motor(sv, priser, produktion=None, till_och_med=1, regler=None, volymer=None):
    return Scenariomotor(volymer or sv.volymer, priser, "SV", sv.delegation.grans_kr, produktion, till_och_med, regler)


def test_scenariofel_har_index_noll_som_standard():
    assert Scenariofel("x").index == 0 and Scenariofel("x", 3).index == 3 and str(Scenariofel("x")) == "x"


def test_scenariots_utfall_hela_aret_som_standard(sv, priser):
    """Utan till_och_med räknas utfallet för hela året: 3 600 operationer, varav 100 i december, ger
    57 ersatta; basen −100 (3 443) ger 157, alltså 100 fler = 3 579 500 kr (t.o.m. januari, 3 500
    operationer, vore det 57 fler)."""
    m = Scenariomotor(sv.volymer, priser, "SV", D(3000000), {OP: _manader(m1=3500, m12=100)})
    r = m.utvardera(Scenario("b", (Andring(OP, "bas", andra=-100),)))
    assert (r.forandring_plan_kr, r.forandring_utfall_kr, r.delegation_kr) == (0, D(3579500), D(3000000))


def test_scenariot_foljer_radens_profil_med_periodiserad_bas(sv, priser):
    """Periodiserad bas, operationerna planerade 25 % i månaden januari–april. T.o.m. mars är basen
    3 543 × 0,75 = 2 657,25; med 3 000 operationer 342,75 ersatta. Basen −100: 3 443 × 0,75 =
    2 582,25, 75 fler ersatta = 75 × 35 795 = 2 684 625 kr (utan profilen vore det 25 fler)."""
    profil = [D("0.25")] * 4 + [D(0)] * 8
    volymer = sv.volymer.model_copy(update={"profiler": {"somatik.operation": profil}})
    m = _motor(sv, priser, {OP: _manader(m1=3000)}, 3, sv.tillagg.model_copy(update={"basmodell": "periodiserad"}),
               volymer)
    r = m.utvardera(Scenario("b", (Andring(OP, "bas", andra=-100),)))
    assert (r.forandring_plan_kr, r.forandring_utfall_kr) == (0, D(2684625))


def test_prisandringar_i_scenariot_och_vad_som_andrats(sv, priser):
    """Besökspriset 2 600 (+97 kr på 12 570 tilläggsbesök = 1 219 290 kr), kologastro för SV 4 500
    (+41 kr på 1 159 + 2 713 = 3 872 = 158 752 kr) och för NU 9 999 (rör inte SV)."""
    r = _motor(sv, priser).utvardera(Scenario("p", (
        Andring("besok", "pris", satt=2600), Andring("kologastro.SV", "pris", satt=4500),
        Andring("kologastro.NU", "pris", satt=9999))))
    assert r.forandring_plan_kr == 1219290 + 158752
    assert r.andringar == (Andrat("besok", "pris", D(2503), D(2600)), Andrat("kologastro.SV", "pris", D(4459), D(4500)),
                           Andrat("kologastro.NU", "pris", D(4955), D(9999)))


def test_pris_for_en_kategori_som_ingen_rad_har(sv, priser):
    """En priskategori utan rader (och utan pris för SV): ingen förändring; det gamla priset är 0."""
    from vgr_ersattning.modell import Priskategori

    extra = Priskategori(namn="Extra", per_utforare={"NU": D(10)}, kalla="k")
    m = _motor(sv, priser.model_copy(update={"tillagg": {**priser.tillagg, "extra": extra}}))
    r = m.utvardera(Scenario("e", (Andring("extra", "pris", satt=5),)))
    assert r.forandring_plan_kr == 0 and r.andringar == (Andrat("extra", "pris", D(0), D(5)),)


def test_felaktiga_prisandringar(sv, priser):
    m = _motor(sv, priser)
    for andring, text in [
        (Andring("okand", "pris", satt=1), "okänd priskategori 'okand' (finns: besok, behandling, kologastro)"),
        (Andring("besok.SV", "pris", satt=1), "priskategorin 'besok' har ett regiongemensamt pris, inte ett per utförare"),
        (Andring("kologastro.RH", "pris", satt=1), "priskategorin 'kologastro' har inget pris för RH"),
        (Andring("besok", "pris", andra=1), "besok: ett pris sätts (satt), det ändras inte med ett belopp"),
        (Andring("besok", "pris", satt=-1), "besok: ett pris kan inte vara negativt (-1)"),
        (Andring(OP, "tillagg", satt=D("1.5")), f"{OP}.tillagg: en volym är ett heltal, inte 1.5"),
        (Andring(OP, "bas", satt=-1), f"{OP}.bas: volymen blir negativ (-1)"),
    ]:
        with pytest.raises(Scenariofel) as e:
            m.utvardera(Scenario("f", (Andring(HUD, "bas", andra=1), andring)))
        assert (str(e.value), e.value.index) == (text, 1)


def test_priset_noll_och_volymen_noll_ar_tillatna(sv, priser):
    """Priset 0 kr för besök: hela planens besöksbelopp, 12 570 × 2 503 = 31 462 710 kr, försvinner.
    Tillägget 0 på allmän kirurgi: 3 057 × 35 795 = 109 425 315 kr försvinner."""
    m = _motor(sv, priser)
    assert m.utvardera(Scenario("p", (Andring("besok", "pris", satt=0),))).forandring_plan_kr == -31462710
    assert m.utvardera(Scenario("v", (Andring(OP, "tillagg", satt=0),))).forandring_plan_kr == -109425315


def test_tva_andringar_av_samma_falt_lagger_ihop(sv, priser):
    """+10 och sedan +5 på tillägget: 3 057 → 3 072, 15 × 35 795 = 536 925 kr; en ändring utan värde
    ändrar inget."""
    r = _motor(sv, priser).utvardera(Scenario("s", (Andring(OP, "tillagg", andra=10), Andring(OP, "tillagg", andra=5),
                                                    Andring(HUD, "bas"))))
    assert r.forandring_plan_kr == 536925
    assert r.andringar == (Andrat(OP, "tillagg", 3057, 3072), Andrat(HUD, "bas", 3858, 3858))


# === jämförelse ====================================================================================


def test_korsningar_vid_granserna():
    # basen räknas när den ligger i [lägst, högst), taket i (lägst, högst].
    assert korsningar(100, 150, 100, 200) == ("basen",)
    assert korsningar(50, 100, 100, 200) == ()
    assert korsningar(200, 250, 100, 200) == ()
    assert korsningar(150, 200, 100, 200) == ("taket",)
    assert korsningar(250, 50, 100, 200) == ("basen", "taket")


def test_jamforrad_och_ordningen(sv, priser):
    """Allmän kirurgi: före 3 600 t.o.m. januari, efter samma januari och 100 i februari: revision 0,
    nya månader 100 × 35 795. Urologi (bas 714, tillägg 736): före 1 400 (686 ersatta), efter 1 500
    i januari (taket 1 450 passeras: 736 ersatta): revision 50 × 35 795 = 1 789 750, förändring lika stor.
    Allmän kirurgi har störst förändring (3 579 500) och kommer först."""
    j = jamfor(for_tabell(sv.volymer, priser, "SV"), {OP: _manader(m1=3600), URO: _manader(m1=1400)}, 1,
               {OP: _manader(m1=3600, m2=100), URO: _manader(m1=1500)}, 2, sv.tillagg)
    assert (j.utforare, j.fore_till_och_med, j.efter_till_och_med) == ("SV", 1, 2)
    op, uro = j.rader[0], j.rader[1]
    assert (op.id, op.namn, op.bas, op.tillagg, op.utfall_fore, op.utfall_efter_a, op.utfall_efter) == (
        OP, "Allmän kirurgi", 3543, 3057, 3600, 3600, 3700)
    assert (op.belopp_fore_kr, op.belopp_efter_a_kr, op.belopp_efter_kr, op.korsar) == (
        D(57 * 35795), D(57 * 35795), D(157 * 35795), ())
    assert (uro.id, uro.revision_kr, uro.nya_manader_kr, uro.korsar) == (URO, D(1789750), 0, ("taket",))


def test_lika_forandring_storst_revision_forst(sv, priser):
    """Två rader med förändringen 100 × 35 795: allmän kirurgi bara i nya månader, urologi bara i
    revisionen (800 → 900 i januari, 86 → 186 ersatta). Urologin, med störst revision, kommer först."""
    j = jamfor(for_tabell(sv.volymer, priser, "SV"), {OP: _manader(m1=3600), URO: _manader(m1=800)}, 1,
               {OP: _manader(m1=3600, m2=100), URO: _manader(m1=900)}, 2)
    assert [(r.id, r.revision_kr, r.nya_manader_kr) for r in j.rader[:2]] == [
        (URO, D(3579500), 0), (OP, 0, D(3579500))]


def test_jamfor_med_periodiserad_bas_och_profil(sv, priser):
    """Periodiserad bas med operationerna 25 % i månaden januari–april: t.o.m. januari är basen
    3 543 × 0,25 = 885,75. Före 900 (14,25 ersatta), efter 1 000 (114,25): revision 100 × 35 795;
    basen korsas inte (885,75 < 900)."""
    profil = [D("0.25")] * 4 + [D(0)] * 8
    volymer = sv.volymer.model_copy(update={"profiler": {"somatik.operation": profil}})
    j = jamfor(for_tabell(volymer, priser, "SV"), {OP: _manader(m1=900)}, 1, {OP: _manader(m1=1000)}, 1,
               sv.tillagg.model_copy(update={"basmodell": "periodiserad"}))
    op = next(r for r in j.rader if r.id == OP)
    assert (op.belopp_fore_kr, op.revision_kr, op.korsar) == (D("14.25") * 35795, D(3579500), ())


def test_jamfor_senare_uttag_fore_det_tidigare_vagras(sv, priser):
    with pytest.raises(ValueError) as e:
        jamfor(for_tabell(sv.volymer, priser, "SV"), {}, 5, {}, 4)
    assert str(e.value) == "det senare uttaget täcker t.o.m. månad 4, det tidigare t.o.m. 5"


# === prognos =======================================================================================


def _prognosvolymer():
    """Fem rader: hud (profil 25 % i månaden januari–april via gruppen a.x), en operation, en rad med
    tillägget 1, en tom rad (uppdrag 0) och en rad utan produktion."""
    rader = {
        "a.x.hud": Volymrad(namn="Hud", uppdrag=5500, bas=3858, tillagg=1642, priskategori="besok"),
        "a.y.op": Volymrad(namn="Op", uppdrag=1200, bas=600, tillagg=600, priskategori="behandling"),
        "a.y.ett": Volymrad(namn="Ett", uppdrag=12, bas=11, tillagg=1, priskategori="kologastro"),
        "a.y.noll": Volymrad(namn="Noll", uppdrag=0, bas=0, tillagg=0, priskategori="besok"),
        "a.y.tom": Volymrad(namn="Tom", uppdrag=100, bas=40, tillagg=60, priskategori="besok"),
    }
    return Volymer(kalla="k", totaler={}, totalsumma=Summa(uppdrag=6812, bas=4509, tillagg=2303), grupper={},
                   rader=rader, profiler={"a.x": [D("0.25")] * 4 + [D(0)] * 8})


PROGNOSUTFALL = {"a.x.hud": [1000, 1000, 1300] + [0] * 9, "a.y.op": [100] * 3 + [0] * 9,
                 "a.y.ett": [12] + [0] * 11, "a.y.noll": [5] + [0] * 11}


def test_prognos_rad_for_rad_till_och_med_mars(sv, priser):
    """T.o.m. mars.
    hud: utfall 3 300, plan 5 500 × 0,75 = 4 125, takt 0,8, resten 5 500 × 0,25 × 0,8 = 1 100, prognos
      4 400; 4 400 − 3 858 = 542 ersatta × 2 503 = 1 356 626 kr; taket 5 500 nås inte.
    op: utfall 300 = planen 1 200 × 3/12, takt 1, resten 900, prognos 1 200 = bas + tillägg, nås först i
      december (ingen tidig takmånad); 600 × 35 795 = 21 477 000 kr.
    ett: utfall 12, plan 3, takt 4, resten 9 × 4 = 36, prognos 48; 1 ersatt × 4 459; taket 12 nås i
      januari; 48 − 12 = 36 utan ersättning.
    noll: utfall 5, plan 0 → takt 1, prognos 5, allt utan ersättning; inget tillägg, ingen takmånad.
    tom: ingen produktion, takt 0, prognos 0 ≤ basen 40: når inte basen."""
    p = berakna_prognos(for_tabell(_prognosvolymer(), priser, "SV"), PROGNOSUTFALL, 3, sv.tillagg, "A7")
    rad = {r.id: r for r in p.rader}
    hud, op, ett, noll, tom = (rad[f"a.{x}"] for x in ("x.hud", "y.op", "y.ett", "y.noll", "y.tom"))
    assert (hud.namn, hud.bas, hud.tillagg, hud.utfall, hud.plan_hittills, hud.takt, hud.plan_resten) == (
        "Hud", 3858, 1642, 3300, D(4125), D("0.8"), D(1375))
    assert (hud.prognos_antal, hud.resultat.ersatta, hud.belopp_kr, hud.tak_manad) == (4400, 542, D(1356626), None)
    assert [avrunda(x, 10) for x in hud.kumulativ] == [1000, 2000, 3300] + [4400] * 9
    assert (op.prognos_antal, op.belopp_kr, op.tak_manad, op.utan_ersattning) == (1200, D(21477000), None, 0)
    assert [avrunda(x, 10) for x in op.kumulativ] == [100 * m for m in range(1, 13)]
    assert (ett.takt, ett.prognos_antal, ett.belopp_kr, ett.tak_manad, ett.utan_ersattning) == (4, 48, D(4459), 1, 36)
    assert (noll.takt, noll.prognos_antal, noll.belopp_kr, noll.tak_manad, noll.utan_ersattning) == (1, 5, 0, None, 5)
    assert (tom.utfall, tom.takt, tom.prognos_antal, tom.nar_inte_basen) == (0, 0, 0, True)
    assert [r.id for r in p.nar_inte_basen] == ["a.y.tom"]
    assert [r.id for r in p.nar_taket_tidigt] == ["a.y.ett"]
    assert [r.id for r in p.utan_ersattning] == ["a.y.ett", "a.y.noll"]
    # 1 356 626 + 21 477 000 + 4 459 = 22 838 085
    assert p.tillagg_kr == 22838085
    assert (p.utforare, p.till_och_med, p.antagande, p.basmodell_antagande, p.antaganden) == (
        "SV", 3, "A7", "A2", ("A2", "A7"))
    assert hud.resultat.id == "a.x.hud" and hud.resultat.ar_plan is False and hud.resultat.pris_sokvag == (
        "tillagg", "besok", "pris_kr")


def test_prognosens_manadssummor(sv, priser):
    """Planen hittills över raderna: hud 5 500 × andelen (1 375, 2 750, 4 125, 5 500 …) plus de andra
    raderna (1 200 + 12 + 100 = 1 312 om året, jämnt): mars 4 125 + 328 = 4 453, juni 5 500 + 656 =
    6 156, september 5 500 + 984 = 6 484, december 5 500 + 1 312 = 6 812.
    Utfallet hittills: januari 1 000 + 100 + 12 + 5 = 1 117, februari 2 000 + 200 + 12 + 5 = 2 217,
    mars 3 300 + 300 + 12 + 5 = 3 617. Prognosen: april 4 400 + 400 + 16 + 5 = 4 821,
    december 4 400 + 1 200 + 48 + 5 = 5 653."""
    p = berakna_prognos(for_tabell(_prognosvolymer(), priser, "SV"), PROGNOSUTFALL, 3)
    assert len(p.plan_per_manad) == 12 and len(p.prognos_per_manad) == 12
    assert [avrunda(p.plan_per_manad[m - 1], 10) for m in (3, 6, 9, 12)] == [4453, 6156, 6484, 6812]
    assert p.utfall_per_manad == (1117, 2217, 3617)
    assert [avrunda(p.prognos_per_manad[m - 1], 10) for m in (1, 2, 3, 4, 12)] == [1117, 2217, 3617, 4821, 5653]
    assert (p.antagande, p.basmodell_antagande, p.antaganden) == (None, None, ())


def test_prognosen_med_periodiserad_bas_manad_for_manad(sv, priser):
    """§4 på prognosen med periodiserad bas: hud t.o.m. mars har basen 3 858 × 0,75 = 2 893,5 och
    3 300 producerade, 406,5 ersatta = 1 017 469,5 kr i mars; årsbasen ger 0 kr då. Årets belopp är
    detsamma (basen hela året är 3 858)."""
    periodiserad = sv.tillagg.model_copy(update={"basmodell": "periodiserad"})
    p = berakna_prognos(for_tabell(_prognosvolymer(), priser, "SV"), PROGNOSUTFALL, 3, periodiserad)
    hud = next(r for r in p.rader if r.id == "a.x.hud")
    assert hud.resultat.kumulativt_kr[2] == D("1017469.5") and hud.belopp_kr == 1356626
    arsbas = berakna_prognos(for_tabell(_prognosvolymer(), priser, "SV"), PROGNOSUTFALL, 3, sv.tillagg)
    assert next(r for r in arsbas.rader if r.id == "a.x.hud").resultat.kumulativt_kr[2] == 0


def test_prognos_hjalpfunktionerna():
    # takt 3 000 / 3 666,67 …; planen 0 ger takten 1
    assert takt(0, D(0)) == 1 and takt(3, D(4)) == D("0.75")
    # 3 001 + 1 500,5 = 4 501,5 → 4 502 (half up)
    assert prognos_antal(3001, D("1500.5"), D(1)) == 4502 and prognos_antal(10, D("0.49"), D(1)) == 10


# === beslut: värdena som gäller varje månad (parametrar) ============================================


def _m(s) -> list:
    """En series tolv värden."""
    return list(s.manader)


def _uppdrag_kalla(*vag):
    from vgr_ersattning.kalkyl.resultat import UPPDRAG

    return Kalla(UPPDRAG, ("utforare", "SV") + vag)


def test_utgangslaget_ar_uppdraget_varje_manad(sv, priser):
    v = utgangslage(sv, priser, "SV", 2026)
    op = v.rader[OP]
    assert (v.utforare, v.ar, v.volymer) == ("SV", 2026, sv.volymer)
    assert _m(op.bas) == [3543] * 12 and _m(op.tillagg) == [3057] * 12 and _m(op.uppdrag) == [6600] * 12
    assert _m(v.rader[KOLO].pris) == [D(4459)] * 12 and _m(v.rader[HUD].pris) == [D(2503)] * 12
    assert _m(v.ram_tkr) == [D(3317867)] * 12 and _m(v.delegation_kr) == [D(3000000)] * 12
    assert {k: _m(x) for k, x in v.niva_tkr.items()} == {SPEC: [D(5859)] * 12, LAKEMEDEL: [D(2883)] * 12}
    assert _m(v.malvarde["belaggningsgrad_somatik"]) == [D(90)] * 12 and _m(v.malvarde["laro_f112"]) == [None] * 12
    assert v.fast_andel_procent.varde == 100 and not v.har_beslut and not v.pris_beslutat
    # Varje värde bär sin källa; ett år utan beslut har inga byten.
    assert op.bas.i(7) == Varde(3543, _uppdrag_kalla("volymer", "rader", OP, "bas"), 1, None, "Basvolym", "antal")
    assert (op.uppdrag.i(1).namn, op.tillagg.i(1).namn, op.pris.i(1).namn, op.pris.i(1).enhet) == (
        "Uppdrag", "Tilläggsvolym", "Pris (behandling)", "kr")
    assert (v.ram_tkr.i(1).namn, v.ram_tkr.i(1).enhet, v.fast_andel_procent.namn, v.delegation_kr.i(1).namn) == (
        "Ersättningsram", "tkr", "Fast andel", "Delegationsgräns")
    assert (v.niva_tkr[SPEC].i(1).namn, v.malvarde["belaggningsgrad_somatik"].i(1).enhet) == (
        "Nivå (Utbildningsbefattningar: Specialistutbildning sjuksköterskor)", "procent")
    assert op.tillagg.i(1).kalla == _uppdrag_kalla("volymer", "rader", OP, "tillagg") and op.tillagg.byten == ()
    assert op.uppdrag.i(12).kalla == _uppdrag_kalla("volymer", "rader", OP, "uppdrag")
    assert v.ram_tkr.i(3).kalla == _uppdrag_kalla("ersattningsram", "belopp_tkr")
    assert v.fast_andel_procent.kalla == _uppdrag_kalla("anslag", "fast_andel_procent")
    assert v.niva_tkr[SPEC].i(1).kalla == _uppdrag_kalla("avrakning", "poster", SPEC, "niva_tkr")
    assert v.delegation_kr.i(1).kalla == _uppdrag_kalla("delegation", "grans_kr")
    assert v.malvarde["belaggningsgrad_somatik"].i(1).kalla == _uppdrag_kalla(
        "indikatorer", "lista", "belaggningsgrad_somatik", "malvarde")
    assert op.pris.i(1).kalla == Kalla("priser", ("tillagg", "behandling", "pris_kr"))
    assert v.rader[KOLO].pris_sokvag == ("tillagg", "kologastro", "per_utforare", "SV")
    assert (op.id, op.namn, op.priskategori, op.antagande) == (OP, "Allmän kirurgi", "behandling", None)
    assert v.rader[BUP].antagande == "A1"
    # En utförare utan kologastro-pris får priset 0 (Decimal) för de raderna, och raderna saknar pris.
    xx = utgangslage(sv, priser, "XX")
    assert _m(xx.rader[KOLO].pris) == [D(0)] * 12 and isinstance(xx.rader[KOLO].pris.i(1).varde, Decimal)
    assert [e.rad_id for e in xx.saknade_priser] == [GASTRO, KOLO] and xx.rader[KOLO].pris_sokvag == ()
    with pytest.raises(SaknatPris) as e:
        xx.kraver_priser()
    assert e.value.rad_id == GASTRO
    utgangslage(sv, priser, "SV").kraver_priser()
    # Utan volymer, ram, anslag, avräkning, delegation och indikatorer: tomma tabeller, ingen serie, 100 % fast.
    tom = sv.model_copy(update={"volymer": None, "ersattningsram": None, "avrakning": None, "delegation": None,
                                "anslag": None, "indikatorer": None})
    t = utgangslage(tom, priser, "SV")
    assert (t.rader, t.niva_tkr, t.malvarde, t.ram_tkr, t.delegation_kr, t.ar) == ({}, {}, {}, None, None, 0)
    assert t.fast_andel_procent == Varde(D(100), None, 1, None, "Fast andel", "procent") and list(t.serier()) == []


def test_serien_och_dess_byten():
    """`serie` gör ett nytt värde där talet byts (med värdet före), och bytena är månaderna då talet
    byts; `fran_och_med` lägger ett värde från en månad till december."""
    s = serie([1] * 3 + [2] * 9)
    assert _m(s) == [1] * 3 + [2] * 9 and s.byten == (4,)
    assert s.i(4) == Varde(2, None, 4, Varde(1, None, 1, None)) and s.i(12) is s.i(4) and s.i(1) is s.i(3)
    k = Kalla(BESLUT, ("SV", 0, "andringar", 0, "satt"))
    assert serie([5] * 12, k).i(1) == Varde(5, k, 1, None)
    t = serie([5] * 12)
    assert t.byten == () and t.i(12) is t.i(1)
    ny = Varde(7, k, 12, t.i(12))
    u = fran_och_med_(t, 12, ny)
    assert _m(u) == [5] * 11 + [7] and u.byten == (12,) and u.i(12) is ny
    # Samma tal från ett beslut är inget byte (värdet, inte källan, avgör).
    assert fran_och_med_(t, 6, Varde(5, k, 6, t.i(6))).byten == ()
    assert konstant(Varde(3)).varden == (Varde(3),) * 12
    # De beslutade värdena, vart och ett en gång i månadsordning.
    assert u.beslutade == (ny,) and serie([1] * 12).beslutade == ()
    v = fran_och_med_(fran_och_med_(t, 3, Varde(6, k, 3)), 9, Varde(8, k, 9))
    assert [x.varde for x in v.beslutade] == [6, 8]
    assert [x.varde for x in serie([1, 2, 1] + [1] * 9, k).beslutade] == [1, 2, 1]


def fran_och_med_(s, m, v):
    from vgr_ersattning.kalkyl.parametrar import fran_och_med

    return fran_och_med(s, m, v)


def test_i_kraft_i_datumordning(sv, priser):
    """Två beslut om samma tillägg, i listan i omvänd datumordning: det senare daterade (satt 3 100 från
    oktober) läggs på det tidigare (+80 från september). Uppdraget följer: 6 600 + 80 = 6 680 och
    6 600 + (3 100 − 3 057) = 6 643."""
    senare = _beslut({"id": OP, "falt": "tillagg", "satt": 3100}, datum="2026-09-20", fran="2026-10")
    tidigare = _beslut({"id": OP, "falt": "tillagg", "andra": 80}, datum="2026-08-20", fran="2026-09")
    v = i_kraft(sv, priser, "SV", 2026, [senare, tidigare])
    assert _m(v.rader[OP].tillagg) == [3057] * 8 + [3137] + [3100] * 3
    assert _m(v.rader[OP].uppdrag) == [6600] * 8 + [6680] + [6643] * 3
    assert [(x.fran, x.kalla.sokvag, x.fore.varde) for x in v.rader[OP].tillagg.beslutade] == [
        (9, ("SV", 1, "andringar", 0, "andra"), 3057), (10, ("SV", 0, "andringar", 0, "satt"), 3137)]
    assert v.rader[OP].tillagg.byten == (9, 10) and v.har_beslut and not v.pris_beslutat
    assert _m(v.rader[KOLO].pris) == [D(4459)] * 12
    # Sjukhusets eget kologastro-pris gäller utföraren: 4 500 kr från november.
    eget = i_kraft(sv, priser, "SV", 2026, [_beslut({"pris": "kologastro.SV", "satt": 4500}, fran="2026-11")])
    assert _m(eget.rader[KOLO].pris) == [D(4459)] * 10 + [D(4500)] * 2 and eget.pris_beslutat
    assert not i_kraft(sv, priser, "SV", 2026).har_beslut


def test_tillampa_varje_slag_av_andring(sv, priser):
    """Från oktober (index 9): basen satt till 3 500, tillägget −57 (3 057 → 3 000), besökspriset 2 600,
    kologastro för SV 4 500 (för NU hoppas över), ramen 3 329 867 tkr, läkemedelsnivån 3 000 tkr,
    delegationsgränsen 2 000 000 kr och beläggningsgradens målvärde 85 %. Uppdraget 6 600 − 43 − 57 = 6 500."""
    fore = utgangslage(sv, priser, "SV", 2026)
    b = _beslut({"id": OP, "falt": "bas", "satt": 3500}, {"id": OP, "falt": "tillagg", "andra": -57},
                {"pris": "besok", "satt": 2600}, {"pris": "kologastro.NU", "satt": 1}, {"pris": "kologastro.SV", "satt": 4500},
                {"ram_tkr": 3329867}, {"avrakning": LAKEMEDEL, "niva_tkr": 3000}, {"delegation_kr": 2000000},
                {"indikator": "belaggningsgrad_somatik", "malvarde": 85}, fran="2026-10")
    v = tillampa(fore, sv, priser, "SV", 2026, b, 4)
    assert not fore.har_beslut and _m(fore.rader[OP].bas) == [3543] * 12       # läget före ändras inte
    f, e = 9, 3
    assert _m(v.rader[OP].bas) == [3543] * f + [3500] * e and _m(v.rader[OP].tillagg) == [3057] * f + [3000] * e
    assert _m(v.rader[OP].uppdrag) == [6600] * f + [6500] * e
    assert _m(v.rader[HUD].pris) == [D(2503)] * f + [D(2600)] * e
    assert _m(v.rader[KOLO].pris) == [D(4459)] * f + [D(4500)] * e
    assert _m(v.ram_tkr) == [D(3317867)] * f + [D(3329867)] * e
    assert _m(v.niva_tkr[LAKEMEDEL]) == [D(2883)] * f + [D(3000)] * e and _m(v.niva_tkr[SPEC]) == [D(5859)] * 12
    assert _m(v.delegation_kr) == [D(3000000)] * f + [D(2000000)] * e
    assert _m(v.malvarde["belaggningsgrad_somatik"]) == [D(90)] * f + [D(85)] * e
    assert _m(v.malvarde["belaggningsgrad_psykiatri"]) == [D(90)] * 12
    # Varje beslutat värde: från oktober, beslutet (index 4), ändringen och fältet, och värdet före.
    for serie_, j, falt, fore_ in [(v.rader[OP].bas, 0, "satt", 3543), (v.rader[OP].tillagg, 1, "andra", 3057),
                                   (v.rader[OP].uppdrag, 1, "andra", 6557), (v.rader[HUD].pris, 2, "satt", 2503),
                                   (v.rader[KOLO].pris, 4, "satt", 4459), (v.ram_tkr, 5, "ram_tkr", 3317867),
                                   (v.niva_tkr[LAKEMEDEL], 6, "niva_tkr", 2883),
                                   (v.delegation_kr, 7, "delegation_kr", 3000000),
                                   (v.malvarde["belaggningsgrad_somatik"], 8, "malvarde", 90)]:
        x = serie_.i(10)
        assert (x.fran, x.kalla, x.fore.varde) == (10, Kalla(BESLUT, ("SV", 4, "andringar", j, falt)), fore_), falt
        assert serie_.byten == (10,) and serie_.i(9).kalla.dokument != BESLUT
    assert v.har_beslut and v.pris_beslutat
    assert not tillampa(fore, sv, priser, "SV", 2026, _beslut({"ram_tkr": 1}), 0).pris_beslutat


def test_ett_annat_sjukhus_pris_hoppar_bara_over_sin_andring(sv, priser):
    v = tillampa(utgangslage(sv, priser, "SV"), sv, priser, "SV", 2026,
                 _beslut({"pris": "kologastro.NU", "satt": 1}, {"id": OP, "falt": "tillagg", "andra": 1}), 0)
    assert _m(v.rader[KOLO].pris) == [D(4459)] * 12 and _m(v.rader[OP].tillagg) == [3057] * 8 + [3058] * 4
    assert v.rader[KOLO].pris.beslutade == () and not v.pris_beslutat


def test_ram_och_delegation_i_beslut_for_utforare_utan_dem(sv, priser):
    utan = sv.model_copy(update={"volymer": None, "ersattningsram": None, "delegation": None})
    v = tillampa(utgangslage(utan, priser, "SV"), utan, priser, "SV", 2026, _beslut({"ram_tkr": 1},
                                                                                    {"delegation_kr": 5}), 0)
    assert _m(v.ram_tkr) == [D(0)] * 8 + [D(1)] * 4 and _m(v.delegation_kr) == [D(0)] * 8 + [D(5)] * 4
    assert v.ram_tkr.i(9).fore == Varde(D(0), None, 1, None, "Ersättningsram", "tkr")
    assert v.delegation_kr.i(9).fore == Varde(D(0), None, 1, None, "Delegationsgräns", "kr")
    assert (v.ram_tkr.i(9).namn, v.delegation_kr.i(9).enhet) == ("Ersättningsram", "kr")
    med = sv.model_copy(update={"volymer": None})
    assert _m(tillampa(utgangslage(med, priser, "SV"), med, priser, "SV", 2026, _beslut({"ram_tkr": 1}), 0).ram_tkr) \
        == [D(3317867)] * 8 + [D(1)] * 4


@pytest.mark.parametrize("andring, text, falt", [
    ({"id": "a.b.c", "falt": "bas", "satt": 1}, "okänt rad-id 'a.b.c' för SV", "id"),
    ({"id": OP, "falt": "uppdrag", "satt": 1}, "okänt fält 'uppdrag' (bas eller tillagg)", "falt"),
    ({"id": OP, "falt": "bas", "andra": -3544}, f"{OP}.bas blir negativt (-1)", "andra"),
    ({"pris": "okand", "satt": 1}, "okänd priskategori 'okand' (finns: besok, behandling, kologastro)", "pris"),
    ({"pris": "besok.SV", "satt": 1}, "priskategorin 'besok' har inget pris per utförare för SV", "pris"),
    ({"pris": "kologastro.RH", "satt": 1}, "priskategorin 'kologastro' har inget pris per utförare för RH", "pris"),
    ({"avrakning": "okand", "niva_tkr": 1}, f"okänd post med avräkning 'okand' (finns: {SPEC}, {LAKEMEDEL})",
     "avrakning"),
    ({"indikator": "okand", "malvarde": 1}, "okänd indikator 'okand' för SV", "indikator"),
    ({"indikator": "laro_f112", "malvarde": 1}, "indikatorn laro_f112 är av typen ska_oka, som inget målvärde har",
     "malvarde"),
    ({"indikator": "forstarkt_iva_beredskapsplan", "malvarde": 1},
     "en indikator av typen ja_nej har målvärdet Ja eller Nej", "malvarde"),
    ({"indikator": "belaggningsgrad_somatik", "malvarde": "Ja"}, "en indikator av typen hogst har ett tal som målvärde",
     "malvarde"),
])
def test_andringar_som_inte_gar(sv, priser, andring, text, falt):
    with pytest.raises(Beslutsfel) as e:
        tillampa(utgangslage(sv, priser, "SV"), sv, priser, "SV", 2026, _beslut({"ram_tkr": 1}, andring), 7)
    assert (str(e.value), e.value.beslut, e.value.andring, e.value.falt) == (text, 7, 1, falt)


def test_ett_satt_negativt_varde_vagras_aven_forbi_inlasningen(sv, priser):
    """Inläsningen vägrar `satt: -1`; regeln gör det också (ett beslut byggt utan validering)."""
    from vgr_ersattning.modell_indata import Arsbeslut, Beslutsandring

    b = Arsbeslut(organ="delegation", datum="2026-08-20", fran="2026-09", kalla="x",
                  andringar=[Beslutsandring(ram_tkr=1), Beslutsandring.model_construct(id=OP, falt="tillagg", satt=-1)])
    with pytest.raises(Beslutsfel) as e:
        tillampa(utgangslage(sv, priser, "SV"), sv, priser, "SV", 2026, b, 7)
    assert (str(e.value), e.value.andring, e.value.falt) == (f"{OP}.tillagg blir negativt (-1)", 1, "satt")


def test_ett_malvarde_ja_nej_och_ett_tal(sv, priser):
    v = tillampa(utgangslage(sv, priser, "SV"), sv, priser, "SV", 2026,
                 _beslut({"indikator": "forstarkt_iva_beredskapsplan", "malvarde": "Nej"},
                         {"indikator": "forstarkningspersonal_iva", "malvarde": D("12.5")}, fran="2026-06"), 0)
    assert _m(v.malvarde["forstarkt_iva_beredskapsplan"]) == ["Ja"] * 5 + ["Nej"] * 7
    assert _m(v.malvarde["forstarkningspersonal_iva"]) == [D(14)] * 5 + [D("12.5")] * 7


def test_andra_utgar_fran_vardet_i_beslutets_manad(sv, priser):
    """Först tillägget satt till 4 000 från november, sedan +1 från september: september–december blir
    3 057 + 1 = 3 058 (värdet i september, inte det i november). +1 från december: 3 058 + 1 = 3 059."""
    v = utgangslage(sv, priser, "SV")
    v = tillampa(v, sv, priser, "SV", 2026, _beslut({"id": OP, "falt": "tillagg", "satt": 4000}, fran="2026-11"), 0)
    v = tillampa(v, sv, priser, "SV", 2026, _beslut({"id": OP, "falt": "tillagg", "andra": 1}, fran="2026-09"), 1)
    assert _m(v.rader[OP].tillagg) == [3057] * 8 + [3058] * 4
    v = tillampa(v, sv, priser, "SV", 2026, _beslut({"id": OP, "falt": "tillagg", "andra": 1}, fran="2026-12"), 2)
    assert _m(v.rader[OP].tillagg) == [3057] * 8 + [3058] * 3 + [3059]


def test_bas_och_noll_ar_tillatna(sv, priser):
    v = tillampa(utgangslage(sv, priser, "SV"), sv, priser, "SV", 2026,
                 _beslut({"id": OP, "falt": "bas", "andra": -3543}, {"id": OP, "falt": "bas", "andra": 10}), 0)
    # Andra ändringen utgår från den första i samma månad: 3 543 − 3 543 + 10 = 10.
    assert _m(v.rader[OP].bas) == [3543] * 8 + [10] * 4 and _m(v.rader[OP].tillagg) == [3057] * 12
    assert _m(v.rader[OP].uppdrag) == [6600] * 8 + [3067] * 4


def test_okand_avrakningspost_utan_poster(sv, priser):
    utan = sv.model_copy(update={"avrakning": None, "indikatorer": None})
    for andring, text in [({"avrakning": "x", "niva_tkr": 1}, "okänd post med avräkning 'x' (finns: inga)"),
                          ({"indikator": "x", "malvarde": 1}, "okänd indikator 'x' för SV")]:
        with pytest.raises(Beslutsfel) as e:
            tillampa(utgangslage(utan, priser, "SV"), utan, priser, "SV", 2026, _beslut(andring), 0)
        assert str(e.value) == text


@pytest.mark.parametrize("fran", ["2027-03", "2026-T2", "2026"])
def test_fran_maste_vara_en_manad_i_aret(sv, priser, fran):
    b = _beslut({"ram_tkr": 1}, fran=fran)
    with pytest.raises(Beslutsfel) as e:
        tillampa(utgangslage(sv, priser, "SV"), sv, priser, "SV", 2026, b, 3)
    assert (e.value.beslut, e.value.andring, e.value.falt) == (3, None, "fran") and str(e.value).startswith("fran: ")
    assert fran_manad(_beslut({"ram_tkr": 1}, fran="2026-10"), 2026) == 10


def test_inom_giltighet_med_granserna(sv):
    # Giltigheten 2025-01-01–2027-12-31: båda ändpunkterna ingår.
    for datum in ("2025-01-01", "2027-12-31"):
        inom_giltighet(_beslut({"ram_tkr": 1}, datum=datum), sv, 2026, 0)
    for datum, text in [("2024-12-31", "beslutet är daterat 2024-12-31 utanför uppdragets giltighet 2025-01-01–2027-12-31"),
                        ("2028-01-01", "beslutet är daterat 2028-01-01 utanför uppdragets giltighet 2025-01-01–2027-12-31"),
                        ("20 aug", "datum '20 aug' är inte ett datum ÅÅÅÅ-MM-DD")]:
        with pytest.raises(Beslutsfel) as e:
            inom_giltighet(_beslut({"ram_tkr": 1}, datum=datum), sv, 2026, 2)
        assert (str(e.value), e.value.beslut, e.value.andring, e.value.falt) == (text, 2, None, "datum")
    # Fel månad vägras före giltigheten.
    with pytest.raises(Beslutsfel) as e:
        inom_giltighet(_beslut({"ram_tkr": 1}, datum="2024-06-01", fran="2027-03"), sv, 2026, 1)
    assert (e.value.beslut, e.value.falt) == (1, "fran") and str(e.value).startswith("fran: ")
    inom_giltighet(_beslut({"ram_tkr": 1}, datum="1999-01-01"), sv.model_copy(update={"giltighet": None}), 2026, 0)


def test_forandring_vid_full_leverans_med_profil_och_pris(sv, priser):
    """Operationerna planerade 25 % i månaden januari–april: allt är levererat före juli, så ett nytt
    pris från juli ändrar inget vid full leverans. Utan profil (1/12 i månaden) vore de ersatta
    enheterna efter juni en del av tillägget. Tillägget +80 från september: 80 × 35 795 = 2 863 600."""
    profil = [D("0.25")] * 4 + [D(0)] * 8
    utf = sv.model_copy(update={"volymer": sv.volymer.model_copy(update={"profiler": {"somatik.operation": profil}})})
    fore = utgangslage(utf, priser, "SV")
    pris = tillampa(fore, utf, priser, "SV", 2026, _beslut({"pris": "behandling", "satt": 40000}, fran="2026-07"), 0)
    assert forandring_vid_full_leverans(utf, fore, pris) == 0
    volym = tillampa(fore, utf, priser, "SV", 2026, _beslut({"id": OP, "falt": "tillagg", "andra": 80}), 0)
    assert forandring_vid_full_leverans(utf, fore, volym) == D(2863600)
    assert forandring_vid_full_leverans(utf, fore, fore) == 0


def _granska(sv, priser, *beslut, uid="SV"):
    return [(e.beslut, e.falt, str(e)) for e in granska(sv, priser, uid, 2026, list(beslut))]


def test_granska_kologastro_med_utforarens_pris(sv, priser):
    """Koloskopins tillägg +700 på delegation: 700 × 4 459 = 3 121 300 kr > 3 000 000 kr: vägras."""
    assert _granska(sv, priser, _beslut({"id": KOLO, "falt": "tillagg", "andra": 700})) == [(
        0, "organ", "förändringen vid full leverans är 3 121 300 kr, över delegationsgränsen 3 000 000 kr: beslutet "
                    "kräver nämnden (organ), inte delegation")]


def test_granska_i_datumordning_med_sankt_grans(sv, priser):
    """Nämnden sänker delegationsgränsen till 1 000 000 kr från september (beslutat i juni, men sist i
    listan); delegationens +80 (2 863 600 kr) från september prövas mot den sänkta gränsen."""
    deleg = _beslut({"id": OP, "falt": "tillagg", "andra": 80})
    grans = _beslut({"delegation_kr": 1000000}, organ="nämnden", datum="2026-06-10", fran="2026-09")
    assert [(i, f) for i, f, _ in _granska(sv, priser, deleg, grans)] == [(0, "organ")]
    # Från augusti gäller ännu 3 000 000 kr: samma beslut från augusti ryms.
    assert _granska(sv, priser, _beslut({"id": OP, "falt": "tillagg", "andra": 80}, fran="2026-08"), grans) == []
    # Gränsen sänkt från oktober: ett beslut från september prövas mot 3 000 000 kr.
    okt = _beslut({"delegation_kr": 1000000}, organ="nämnden", datum="2026-06-10", fran="2026-10")
    assert _granska(sv, priser, deleg, okt) == []


def test_granska_exakt_vid_gransen_ryms(sv, priser):
    """Gränsen satt till exakt 2 863 600 kr = 80 × 35 795: beslutet ryms (över, inte lika med, vägras)."""
    grans = _beslut({"delegation_kr": 2863600}, organ="nämnden", datum="2026-06-10", fran="2026-01")
    assert _granska(sv, priser, _beslut({"id": OP, "falt": "tillagg", "andra": 80}), grans) == []


def test_granska_utan_delegationsgrans_ryms_inget(sv, priser):
    """Utan delegationsgräns är gränsen 0 kr: en delegation som ändrar något vägras, en som inte gör det ryms."""
    utan = sv.model_copy(update={"delegation": None})
    assert [(i, f) for i, f, _ in _granska(utan, priser, _beslut({"id": OP, "falt": "tillagg", "andra": 1}))] == [
        (0, "organ")]
    assert _granska(utan, priser, _beslut({"id": OP, "falt": "tillagg", "andra": 0})) == []


def test_granska_fortsatter_efter_ett_fel(sv, priser):
    """Varje beslut prövas: ett okänt id, ett delegationsbeslut över gränsen (+100 = 3 579 500 kr) och ett
    till okänt id ger tre fel; ett vägrat beslut ändrar inte läget för nästa (+80 ryms efter det)."""
    fel = _granska(sv, priser,
                   _beslut({"id": "a.b.c", "falt": "bas", "satt": 1}, datum="2026-08-01"),
                   _beslut({"id": OP, "falt": "tillagg", "andra": 100}, datum="2026-08-02"),
                   _beslut({"id": OP, "falt": "tillagg", "andra": 80}, datum="2026-08-03"),
                   _beslut({"id": "a.b.d", "falt": "bas", "satt": 1}, datum="2026-08-04"))
    assert [(i, f) for i, f, _ in fel] == [(0, "id"), (1, "organ"), (3, "id")]


def test_granska_fel_ar_fore_giltigheten(sv, priser):
    assert [(i, f) for i, f, _ in _granska(sv, priser, _beslut({"ram_tkr": 1}, datum="2024-06-01", fran="2027-03"))] == [
        (0, "fran")]


def test_delegation_kanns_igen_pa_organet():
    assert ar_delegation(" Delegationsbeslut ") and ar_delegation("delegation")
    assert not ar_delegation("operativa hälso- och sjukvårdsnämnden")


# === forklaring: spåret (regelboken §15) ============================================================


def _v(v) -> str:
    if isinstance(v, Decimal):
        return "D" + format(v.normalize(), "f")
    if isinstance(v, bool) or not isinstance(v, int):
        return repr(v)
    return f"i{v}"


def _text(nod: Nod, djup: int = 0) -> str:
    """Trädet som text: en rad per nod med namn, värde (`D` Decimal, `i` heltal), enhet, regel, formel,
    källa och antaganden."""
    kalla = f" @{nod.kalla.dokument}:{'/'.join(map(str, nod.kalla.sokvag))}" if nod.kalla else ""
    plats = f" [{nod.plats} | {nod.dokument}]" if (nod.plats or nod.dokument) else ""
    ant = f" {{{','.join(nod.antaganden)}}}" if nod.antaganden else ""
    rader = ["  " * djup + f"{nod.namn} = {_v(nod.varde)} {nod.enhet}".rstrip()
             + (f" <{nod.regel}>" if nod.regel else "") + (f" {nod.formel}" if nod.formel else "") + kalla + plats + ant]
    return "\n".join(rader + [_text(d, djup + 1) for d in nod.delar])


def _tillagg_mini(priser, produktion, till_och_med, regler=None, spar=None):
    """Tre rader: hud (besök), en operation och koloskopi (kologastro) i två grupper."""
    rader = {
        "a.x.hud": Volymrad(namn="Hud", uppdrag=5500, bas=3858, tillagg=1642, priskategori="besok"),
        "a.y.op": Volymrad(namn="Op", uppdrag=1200, bas=600, tillagg=600, priskategori="behandling"),
        "a.y.kolo": Volymrad(namn="Kolo", uppdrag=120, bas=100, tillagg=20, priskategori="kologastro", antagande="A9"),
    }
    volymer = Volymer(kalla="k", totaler={}, totalsumma=Summa(uppdrag=6820, bas=4558, tillagg=2262),
                      grupper={"a": "A"}, rader=rader)
    return berakna_tillagg(for_tabell(volymer, priser, "SV"), produktion, till_och_med, regler, spar)


def _fk_beslut():
    """Exemplets beslut: +80 på allmän kirurgi från september (delegation, index 0), ramen 3 329 867 tkr
    och besökspriset 2 600 kr från oktober (nämnden, index 1)."""
    return [_beslut({"id": OP, "falt": "tillagg", "andra": 80}),
            _beslut({"ram_tkr": 3329867}, {"pris": "besok", "satt": 2600}, organ="nämnden", datum="2026-09-24",
                    fran="2026-10")]


def _spar(uppdrag, priser, *args, **kw) -> Spar:
    """`berakna` för SV med en skrivare; skrivaren med anteckningarna."""
    s = Spar("SV")
    berakna(uppdrag, priser, "SV", *args, spar=s, **kw)
    return s


def _indikator(typ, malvarde=None, enhet=None, berakning=None):
    from vgr_ersattning.modell import Indikator

    return Indikator(namn=f"Indikator {typ}", omrade="o", typ=typ, malvarde=malvarde, enhet=enhet, tillfallen=["T2"],
                     berakning=berakning)


def _bedomd(iid, ind, varden, period="2026-T2", malvarden=None, beraknade=None):
    """Indikatorn bedömd vid perioden med en skrivare: bedömningen och noden."""
    from vgr_ersattning.kalkyl.period import tolka_period
    from vgr_ersattning.kalkyl.uppfoljning import berakna_uppfoljning

    s = Spar("SV")
    (b,) = berakna_uppfoljning({iid: ind}, {iid: varden}, tolka_period(period), beraknade, malvarden, s)
    return b, s.figurer[("indikator", iid)]


def _bryggmodell(till_tkr):
    from vgr_ersattning.modell import Brygga, Bryggrad, Indexrad

    return Brygga(kalla="k", fran=Bryggrad(namn="Ram 2025", belopp_tkr=D(1000000)),
                  index=Indexrad(namn="Index", procent=D("2.2"), belopp_tkr=D(22000)),
                  delsumma=Bryggrad(namn="Delsumma", belopp_tkr=D(1022000)),
                  justeringar=[Bryggrad(namn="Ett", belopp_tkr=D(500)), Bryggrad(namn="Två", belopp_tkr=D(-200))],
                  till=Bryggrad(namn="Ram 2026", belopp_tkr=D(till_tkr)))


RAD = "@uppdrag:utforare/SV/volymer/rader/"


def test_forklara_rad_med_utfall(sv, priser, uppdrag):
    """Allmän kirurgi med 4 000 + 3 000 operationer t.o.m. februari: min(max(7 000 − 3 543, 0), 3 057) = 3 057
    ersatta (taket), 3 057 × 35 795 = 109 425 315 kr; A2 på de ersatta enheterna."""
    s = _spar(uppdrag, priser, {OP: _manader(m1=4000, m2=3000)}, None, 2)
    assert _text(s.figurer[("tillagg", OP, 2)]) == """\
Tilläggsersättning Allmän kirurgi (somatik.operation.allman_kirurgi) t.o.m. februari = D109425315 kr <regelboken §4> belopp = ersatta × pris = 3 057 × 35 795 = 109 425 315 kr
  Ersatta enheter t.o.m. februari = i3057 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(7 000 − 3 543, 0), 3 057) = 3 057 {A2}
    Produktion hittills t.o.m. februari = i7000 antal @utfall:produktion/SV/somatik.operation.allman_kirurgi
    Basvolym = i3543 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/bas
    Tilläggsvolym = i3057 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/tillagg
  Pris (behandling) = D35795 kr @priser:tillagg/behandling/pris_kr"""


def test_forklara_rad_i_planen(sv, priser):
    """Planen t.o.m. augusti, utan basmodellsantagande: allmän kirurgi 6 600 × 8/12 = 4 400 (66,67 %), 4 400 −
    3 543 = 857 ersatta × 35 795 = 30 676 315 kr."""
    s = Spar("SV")
    berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), None, 8, None, s)
    assert _text(s.figurer[("tillagg", OP, 8)]) == """\
Tilläggsersättning Allmän kirurgi (somatik.operation.allman_kirurgi) t.o.m. augusti = D30676315 kr <regelboken §4> belopp = ersatta × pris = 857 × 35 795 = 30 676 315 kr
  Ersatta enheter t.o.m. augusti = D857 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(4 400 − 3 543, 0), 3 057) = 857
    Plan t.o.m. augusti = D4400 antal <regelboken §5> plan = uppdrag × andel = 6 600 × 66,67 % = 4 400
      Uppdrag = i6600 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/uppdrag
      Kumulativ profilandel t.o.m. augusti = D0.6666666666666666666666666667 andel
    Basvolym = i3543 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/bas
    Tilläggsvolym = i3057 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/tillagg
  Pris (behandling) = D35795 kr @priser:tillagg/behandling/pris_kr"""


def test_forklara_rad_i_planen_utan_uppdrag_och_med_a1(sv, priser):
    """Allergologi har uppdraget 0: inget belopp. BUP-behandling i planen t.o.m. augusti: 1 182 × 8/12 = 788,
    788 − 595 = 193 ersatta × 2 503 = 483 079 kr; priset bär antagande A1."""
    s = Spar("SV")
    berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), None, 8, sv.tillagg, s)
    assert _text(s.figurer[("tillagg", ALLERGI, 8)]) == """\
Tilläggsersättning Allergologi (somatik.forstabesok.allergologi) t.o.m. augusti = D0 kr <regelboken §4> belopp = ersatta × pris = 0 × 2 503 = 0 kr
  Ersatta enheter t.o.m. augusti = D0 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(0 − 0, 0), 0) = 0 {A2}
    Plan t.o.m. augusti = D0 antal <regelboken §5> plan = uppdrag × andel = 0 × 66,67 % = 0
      Uppdrag = i0 antal @uppdrag:utforare/SV/volymer/rader/somatik.forstabesok.allergologi/uppdrag
      Kumulativ profilandel t.o.m. augusti = D0.6666666666666666666666666667 andel
    Basvolym = i0 antal @uppdrag:utforare/SV/volymer/rader/somatik.forstabesok.allergologi/bas
    Tilläggsvolym = i0 antal @uppdrag:utforare/SV/volymer/rader/somatik.forstabesok.allergologi/tillagg
  Pris (besok) = D2503 kr @priser:tillagg/besok/pris_kr"""
    assert _text(s.figurer[("tillagg", BUP, 8)]) == """\
Tilläggsersättning BUP (psykiatri.behandling.bup) t.o.m. augusti = D483079 kr <regelboken §4> belopp = ersatta × pris = 193 × 2 503 = 483 079 kr {A1}
  Ersatta enheter t.o.m. augusti = D193 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(788 − 595, 0), 587) = 193 {A2}
    Plan t.o.m. augusti = D788 antal <regelboken §5> plan = uppdrag × andel = 1 182 × 66,67 % = 788
      Uppdrag = i1182 antal @uppdrag:utforare/SV/volymer/rader/psykiatri.behandling.bup/uppdrag
      Kumulativ profilandel t.o.m. augusti = D0.6666666666666666666666666667 andel
    Basvolym = i595 antal @uppdrag:utforare/SV/volymer/rader/psykiatri.behandling.bup/bas
    Tilläggsvolym = i587 antal @uppdrag:utforare/SV/volymer/rader/psykiatri.behandling.bup/tillagg
  Pris (besok) = D2503 kr @priser:tillagg/besok/pris_kr"""


def test_forklara_rad_med_periodiserad_bas(sv, priser):
    """Periodiserad bas t.o.m. mars: 3 543 × 3/12 = 885,75; 2 500 − 885,75 = 1 614,25 ersatta × 35 795 = 57 782
    078,75 kr."""
    s = Spar("SV")
    berakna_tillagg(for_tabell(sv.volymer, priser, "SV"), {OP: _manader(m1=1000, m2=1000, m3=500)}, 3,
                    sv.tillagg.model_copy(update={"basmodell": "periodiserad"}), s)
    assert _text(s.figurer[("tillagg", OP, 3)]) == """\
Tilläggsersättning Allmän kirurgi (somatik.operation.allman_kirurgi) t.o.m. mars = D57782078.75 kr <regelboken §4> belopp = ersatta × pris = 1 614,25 × 35 795 = 57 782 078,75 kr
  Ersatta enheter t.o.m. mars = D1614.25 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(2 500 − 885,75, 0), 3 057) = 1 614,25 {A2}
    Produktion hittills t.o.m. mars = i2500 antal @utfall:produktion/SV/somatik.operation.allman_kirurgi
    Bas hittills (periodiserad) t.o.m. mars = D885.75 antal <regelboken §4> bas = basvolym × andel = 3 543 × 25 % = 885,75
      Basvolym = i3543 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/bas
      Kumulativ profilandel t.o.m. mars = D0.25 andel
    Tilläggsvolym = i3057 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/tillagg
  Pris (behandling) = D35795 kr @priser:tillagg/behandling/pris_kr"""


def test_forklara_rad_med_volymbeslut(uppdrag, priser):
    """7 000 operationer i januari; tillägget +80 från september (beslut 0): 3 137 × 35 795 = 112 288 915 kr
    t.o.m. oktober; tillägget har beslutet som källa och värdet före (3 057) med uppdragets källa."""
    s = _spar(uppdrag, priser, {OP: _manader(m1=7000), HUD: _manader(m1=4000, m10=100)}, None, 10, _fk_beslut())
    assert _text(s.figurer[("tillagg", OP, 10)]) == """\
Tilläggsersättning Allmän kirurgi (somatik.operation.allman_kirurgi) t.o.m. oktober = D112288915 kr <regelboken §4> belopp = ersatta × pris = 3 137 × 35 795 = 112 288 915 kr
  Ersatta enheter t.o.m. oktober = i3137 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(7 000 − 3 543, 0), 3 137) = 3 137 {A2}
    Produktion hittills t.o.m. oktober = i7000 antal @utfall:produktion/SV/somatik.operation.allman_kirurgi
    Basvolym = i3543 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/bas
    Tilläggsvolym = i3137 antal <regelboken §18> beslut från september: 3 057 → 3 137 @beslut:SV/0/andringar/0/andra
      Tilläggsvolym före beslutet = i3057 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/tillagg
  Pris (behandling) = D35795 kr @priser:tillagg/behandling/pris_kr"""


def test_forklara_rad_med_prisbeslut(uppdrag, priser):
    """Hud: 4 000 besök i januari (142 ersatta à 2 503 kr = 355 426 t.o.m. september), 100 i oktober à 2 600 kr
    (beslut 1, A6): 355 426 + (242 − 142) × 2 600 = 615 426 kr."""
    s = _spar(uppdrag, priser, {OP: _manader(m1=7000), HUD: _manader(m1=4000, m10=100)}, None, 10, _fk_beslut())
    assert _text(s.figurer[("tillagg", HUD, 10)]) == """\
Tilläggsersättning Hud (somatik.forstabesok.hud) t.o.m. oktober = D615426 kr <regelboken §4, §18> belopp = belopp före + (ersatta − ersatta före) × pris = 355 426 + (242 − 142) × 2 600 = 615 426 kr {A6}
  Tilläggsersättning Hud (somatik.forstabesok.hud) t.o.m. september = D355426 kr <regelboken §4> belopp = ersatta × pris = 142 × 2 503 = 355 426 kr
    Ersatta enheter t.o.m. september = i142 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(4 000 − 3 858, 0), 1 642) = 142 {A2}
      Produktion hittills t.o.m. september = i4000 antal @utfall:produktion/SV/somatik.forstabesok.hud
      Basvolym = i3858 antal @uppdrag:utforare/SV/volymer/rader/somatik.forstabesok.hud/bas
      Tilläggsvolym = i1642 antal @uppdrag:utforare/SV/volymer/rader/somatik.forstabesok.hud/tillagg
    Pris (besok) = D2503 kr @priser:tillagg/besok/pris_kr
  Ersatta enheter t.o.m. oktober = i242 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(4 100 − 3 858, 0), 1 642) = 242 {A2}
    Produktion hittills t.o.m. oktober = i4100 antal @utfall:produktion/SV/somatik.forstabesok.hud
    Basvolym = i3858 antal @uppdrag:utforare/SV/volymer/rader/somatik.forstabesok.hud/bas
    Tilläggsvolym = i1642 antal @uppdrag:utforare/SV/volymer/rader/somatik.forstabesok.hud/tillagg
  Ersatta enheter t.o.m. september = i142 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(4 000 − 3 858, 0), 1 642) = 142 {A2}
    Produktion hittills t.o.m. september = i4000 antal @utfall:produktion/SV/somatik.forstabesok.hud
    Basvolym = i3858 antal @uppdrag:utforare/SV/volymer/rader/somatik.forstabesok.hud/bas
    Tilläggsvolym = i1642 antal @uppdrag:utforare/SV/volymer/rader/somatik.forstabesok.hud/tillagg
  Pris (besok) = D2600 kr <regelboken §18> beslut från oktober: 2 503 → 2 600 kr @beslut:SV/1/andringar/1/satt
    Pris (besok) före beslutet = D2503 kr @priser:tillagg/besok/pris_kr"""


def test_forklara_rad_med_basbeslut(uppdrag, priser):
    """Basen för allmän kirurgi sänks till 3 443 från september (beslut 0): 3 600 operationer i januari ger 57
    ersatta t.o.m. augusti (2 040 315 kr) och 157 från september: 157 × 35 795 = 5 619 815 kr."""
    s = _spar(uppdrag, priser, {OP: _manader(m1=3600)}, None, 9, [_beslut({"id": OP, "falt": "bas", "satt": 3443})])
    assert _text(s.figurer[("tillagg", OP, 9)]) == """\
Tilläggsersättning Allmän kirurgi (somatik.operation.allman_kirurgi) t.o.m. september = D5619815 kr <regelboken §4> belopp = ersatta × pris = 157 × 35 795 = 5 619 815 kr
  Ersatta enheter t.o.m. september = i157 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(3 600 − 3 443, 0), 3 057) = 157 {A2}
    Produktion hittills t.o.m. september = i3600 antal @utfall:produktion/SV/somatik.operation.allman_kirurgi
    Basvolym = i3443 antal <regelboken §18> beslut från september: 3 543 → 3 443 @beslut:SV/0/andringar/0/satt
      Basvolym före beslutet = i3543 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/bas
    Tilläggsvolym = i3057 antal @uppdrag:utforare/SV/volymer/rader/somatik.operation.allman_kirurgi/tillagg
  Pris (behandling) = D35795 kr @priser:tillagg/behandling/pris_kr"""


def test_forklara_tillagg(priser, sv):
    """T.o.m. mars: hud 4 000 − 3 858 = 142 × 2 503 = 355 426; op 650 − 600 = 50 × 35 795 = 1 789 750; kolo 130
    − 100 = 30, taket 20 × 4 459 = 89 180 (antagande A9 på raden); summa 2 234 356 kr."""
    s = Spar("SV")
    _tillagg_mini(priser, {"a.x.hud": _manader(m1=4000), "a.y.op": _manader(m1=500, m2=200, m3=-50),
                           "a.y.kolo": _manader(m1=130)}, 3, sv.tillagg, s)
    assert _text(s.figurer[("tillagg_summa", 3)]) == """\
Tilläggsersättning t.o.m. mars = D2234356 kr <regelboken §4> tillägg = Σ belopp = 355 426 + 1 789 750 + 89 180 = 2 234 356 kr
  Tilläggsersättning Hud (a.x.hud) t.o.m. mars = D355426 kr <regelboken §4> belopp = ersatta × pris = 142 × 2 503 = 355 426 kr
    Ersatta enheter t.o.m. mars = i142 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(4 000 − 3 858, 0), 1 642) = 142 {A2}
      Produktion hittills t.o.m. mars = i4000 antal @utfall:produktion/SV/a.x.hud
      Basvolym = i3858 antal @uppdrag:utforare/SV/volymer/rader/a.x.hud/bas
      Tilläggsvolym = i1642 antal @uppdrag:utforare/SV/volymer/rader/a.x.hud/tillagg
    Pris (besok) = D2503 kr @priser:tillagg/besok/pris_kr
  Tilläggsersättning Op (a.y.op) t.o.m. mars = D1789750 kr <regelboken §4> belopp = ersatta × pris = 50 × 35 795 = 1 789 750 kr
    Ersatta enheter t.o.m. mars = i50 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(650 − 600, 0), 600) = 50 {A2}
      Produktion hittills t.o.m. mars = i650 antal @utfall:produktion/SV/a.y.op
      Basvolym = i600 antal @uppdrag:utforare/SV/volymer/rader/a.y.op/bas
      Tilläggsvolym = i600 antal @uppdrag:utforare/SV/volymer/rader/a.y.op/tillagg
    Pris (behandling) = D35795 kr @priser:tillagg/behandling/pris_kr
  Tilläggsersättning Kolo (a.y.kolo) t.o.m. mars = D89180 kr <regelboken §4> belopp = ersatta × pris = 20 × 4 459 = 89 180 kr {A9}
    Ersatta enheter t.o.m. mars = i20 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(130 − 100, 0), 20) = 20 {A2}
      Produktion hittills t.o.m. mars = i130 antal @utfall:produktion/SV/a.y.kolo
      Basvolym = i100 antal @uppdrag:utforare/SV/volymer/rader/a.y.kolo/bas
      Tilläggsvolym = i20 antal @uppdrag:utforare/SV/volymer/rader/a.y.kolo/tillagg
    Pris (kologastro) = D4459 kr @priser:tillagg/kologastro/per_utforare/SV"""


def test_forklara_tillagg_i_planen(priser):
    """Planen t.o.m. oktober: hud 5 500 × 10/12 = 4 583,33, 725,33 ersatta × 2 503 = 1 815 509,33 kr; op 1 000
    − 600 = 400 × 35 795 = 14 318 000 kr; kolo 100 = basen, 0 kr: 16 133 509,33 kr. Utan regler inget A2."""
    s = Spar("SV")
    _tillagg_mini(priser, None, 10, spar=s)
    assert _text(trad(s.figurer[("tillagg_summa", 10)], 1)) == """\
Tilläggsersättning (plan) t.o.m. oktober = D16133509.33333333333333333333 kr <regelboken §4> tillägg = Σ belopp = 1 815 509,33 + 14 318 000 = 16 133 509,33 kr
  Tilläggsersättning Hud (a.x.hud) t.o.m. oktober = D1815509.333333333333333333332 kr <regelboken §4> belopp = ersatta × pris = 725,33 × 2 503 = 1 815 509,33 kr
  Tilläggsersättning Op (a.y.op) t.o.m. oktober = D14318000 kr <regelboken §4> belopp = ersatta × pris = 400 × 35 795 = 14 318 000 kr"""


def test_forklara_tillagg_i_januari_och_mars(priser, sv):
    """Januari: hud 355 426 och kolo 89 180 kr (op, 500 < basen 600, syns inte): 444 606 kr. Mars: op går från
    700 (100 ersatta, 3 579 500 kr) till 650 (50, 1 789 750 kr): −1 789 750 kr, en kreditering."""
    s = Spar("SV")
    _tillagg_mini(priser, {"a.x.hud": _manader(m1=4000), "a.y.op": _manader(m1=500, m2=200, m3=-50),
                           "a.y.kolo": _manader(m1=130)}, 3, sv.tillagg, s)
    assert _text(trad(s.figurer[("tillagg_manad", 1)], 1)) == """\
Tillägg januari = D444606 kr <regelboken §4> tillägg = hittills − hittills före = 444 606 − 0 = 444 606 kr
  Tilläggsersättning t.o.m. januari = D444606 kr <regelboken §4> tillägg = Σ belopp = 355 426 + 89 180 = 444 606 kr"""
    assert _text(trad(s.figurer[("tillagg_manad", 3)], 2)) == """\
Tillägg mars = D-1789750 kr <regelboken §4> tillägg = hittills − hittills före = 2 234 356 − 4 024 106 = −1 789 750 kr
  Tilläggsersättning t.o.m. mars = D2234356 kr <regelboken §4> tillägg = Σ belopp = 355 426 + 1 789 750 + 89 180 = 2 234 356 kr
    Tilläggsersättning Hud (a.x.hud) t.o.m. mars = D355426 kr <regelboken §4> belopp = ersatta × pris = 142 × 2 503 = 355 426 kr
    Tilläggsersättning Op (a.y.op) t.o.m. mars = D1789750 kr <regelboken §4> belopp = ersatta × pris = 50 × 35 795 = 1 789 750 kr
    Tilläggsersättning Kolo (a.y.kolo) t.o.m. mars = D89180 kr <regelboken §4> belopp = ersatta × pris = 20 × 4 459 = 89 180 kr {A9}
  Tilläggsersättning t.o.m. februari = D4024106 kr <regelboken §4> tillägg = Σ belopp = 355 426 + 3 579 500 + 89 180 = 4 024 106 kr
    Tilläggsersättning Hud (a.x.hud) t.o.m. februari = D355426 kr <regelboken §4> belopp = ersatta × pris = 142 × 2 503 = 355 426 kr
    Tilläggsersättning Op (a.y.op) t.o.m. februari = D3579500 kr <regelboken §4> belopp = ersatta × pris = 100 × 35 795 = 3 579 500 kr
    Tilläggsersättning Kolo (a.y.kolo) t.o.m. februari = D89180 kr <regelboken §4> belopp = ersatta × pris = 20 × 4 459 = 89 180 kr {A9}"""


def test_forklara_anslag(uppdrag, priser):
    """3 317 867 tkr × 1 000 × 100 % = 3 317 867 000 kr; / 12 = 276 488 916,67 → 276 488 917 kr januari–november
    (A12); december 3 317 867 000 − 11 × 276 488 917 = 276 488 913 kr; t.o.m. februari 2 × 276 488 917 =
    552 977 834 kr."""
    s = _spar(uppdrag, priser, till_och_med=2)
    assert s.figurer[("anslag", 1)] is s.figurer[("anslag", 11)]
    assert _text(s.figurer[("anslag", 1)]) == """\
Anslag januari–november = D276488917 kr <regelboken §6> anslag = avrunda(årsbelopp / 12) = avrunda(3 317 867 000 / 12) = 276 488 917 kr {A12}
  Anslagets årsbelopp från januari = D3317867000 kr <regelboken §6> årsbelopp = ram × 1000 × andel / 100 = 3 317 867 × 1000 × 100 / 100 = 3 317 867 000 kr
    Ersättningsram = D3317867 tkr @uppdrag:utforare/SV/ersattningsram/belopp_tkr
    Fast andel = D100 procent @uppdrag:utforare/SV/anslag/fast_andel_procent"""
    assert _text(trad(s.figurer[("anslag", 12)], 2)) == """\
Anslag december = D276488913 kr <regelboken §6> anslag = årsbelopp − betalt = 3 317 867 000 − 3 041 378 087 = 276 488 913 kr {A12}
  Anslagets årsbelopp från januari = D3317867000 kr <regelboken §6> årsbelopp = ram × 1000 × andel / 100 = 3 317 867 × 1000 × 100 / 100 = 3 317 867 000 kr
    Ersättningsram = D3317867 tkr @uppdrag:utforare/SV/ersattningsram/belopp_tkr
    Fast andel = D100 procent @uppdrag:utforare/SV/anslag/fast_andel_procent
  Anslag betalt t.o.m. november = D3041378087 kr <regelboken §6> betalt = Σ anslag = 11 × 276 488 917 = 3 041 378 087 kr
    Anslag januari–november = D276488917 kr <regelboken §6> anslag = avrunda(årsbelopp / 12) = avrunda(3 317 867 000 / 12) = 276 488 917 kr {A12}"""
    assert _text(trad(s.figurer[("anslag_hittills", 2)], 1)) == """\
Anslag utbetalt t.o.m. februari = D552977834 kr <regelboken §6> betalt = Σ anslag = 2 × 276 488 917 = 552 977 834 kr
  Anslag januari–november = D276488917 kr <regelboken §6> anslag = avrunda(årsbelopp / 12) = avrunda(3 317 867 000 / 12) = 276 488 917 kr {A12}"""


def test_forklara_anslag_med_ramen_andrad(uppdrag, priser):
    """Ramen 3 329 867 tkr från oktober (beslut 1, ändringen 0, förut 3 317 867 tkr): oktober (3 329 867 000 − 9 ×
    276 488 917) / 3 = 280 488 915,67 → 280 488 916 kr (A17)."""
    s = _spar(uppdrag, priser, beslut=_fk_beslut())
    assert _text(trad(s.figurer[("anslag", 10)], 3)) == """\
Anslag oktober = D280488916 kr <regelboken §18> anslag = avrunda((årsbelopp − betalt) / månader kvar) = avrunda((3 329 867 000 − 2 488 400 253) / 3) = 280 488 916 kr {A17}
  Anslagets årsbelopp från oktober = D3329867000 kr <regelboken §6> årsbelopp = ram × 1000 × andel / 100 = 3 329 867 × 1000 × 100 / 100 = 3 329 867 000 kr
    Ersättningsram = D3329867 tkr <regelboken §18> beslut från oktober: 3 317 867 → 3 329 867 tkr @beslut:SV/1/andringar/0/ram_tkr
      Ersättningsram före beslutet = D3317867 tkr @uppdrag:utforare/SV/ersattningsram/belopp_tkr
    Fast andel = D100 procent @uppdrag:utforare/SV/anslag/fast_andel_procent
  Anslag betalt t.o.m. september = D2488400253 kr <regelboken §6> betalt = Σ anslag = 9 × 276 488 917 = 2 488 400 253 kr
    Anslag januari–september = D276488917 kr <regelboken §6> anslag = avrunda(årsbelopp / 12) = avrunda(3 317 867 000 / 12) = 276 488 917 kr {A12}
      Anslagets årsbelopp från januari = D3317867000 kr <regelboken §6> årsbelopp = ram × 1000 × andel / 100 = 3 317 867 × 1000 × 100 / 100 = 3 317 867 000 kr"""


def test_forklara_avrakning(uppdrag, priser):
    """Läkemedel: april tak och betalt 4 × 2 883 / 12 = 961 tkr (A13, A5), utfall 800: −161 tkr; augusti utfall
    800 + 1 150 = 1 950, tak och betalt 1 922: reglerat 0, postning 0 − (−161) = +161 tkr; december taket 12 ×
    2 883 / 12 = 2 883: 1 950 − 2 883 = −933 tkr."""
    s = _spar(uppdrag, priser, None, {LAKEMEDEL: {4: D(800), 8: D(1150)}, SPEC: {4: D(1900)}}, 12)
    assert _text(s.figurer[("avrakning", LAKEMEDEL, 4)]) == """\
Avräkning Läkemedelsleveranser, april = D-161 tkr <regelboken §7> avräkning = reglerat − reglerat före = −161 − 0 = −161 tkr
  Reglerat hittills t.o.m. april = D-161 tkr <regelboken §7> reglerat = min(utfall, tak) − betalt = min(800, 961) − 961 = −161 tkr
    Utfall hittills t.o.m. april = D800 tkr @utfall:avrakning/SV/lakemedelsleveranser
    Tak (pro rata) t.o.m. april = D961 tkr <regelboken §7> tak = betalt = 961 tkr {A5}
      Utbetalt hittills t.o.m. april = D961 tkr <regelboken §7, §18> betalt = Σ nivå / 12 = 4 × 2 883 / 12 = 961 tkr {A13}
        Nivå (Läkemedelsleveranser) = D2883 tkr @uppdrag:utforare/SV/avrakning/poster/lakemedelsleveranser/niva_tkr
    Utbetalt hittills t.o.m. april = D961 tkr <regelboken §7, §18> betalt = Σ nivå / 12 = 4 × 2 883 / 12 = 961 tkr {A13}
      Nivå (Läkemedelsleveranser) = D2883 tkr @uppdrag:utforare/SV/avrakning/poster/lakemedelsleveranser/niva_tkr"""
    assert _text(trad(s.figurer[("avrakning", LAKEMEDEL, 8)], 2)) == """\
Avräkning Läkemedelsleveranser, augusti = D161 tkr <regelboken §7> avräkning = reglerat − reglerat före = 0 − −161 = 161 tkr
  Reglerat hittills t.o.m. augusti = D0 tkr <regelboken §7> reglerat = min(utfall, tak) − betalt = min(1 950, 1 922) − 1 922 = 0 tkr
    Utfall hittills t.o.m. augusti = D1950 tkr @utfall:avrakning/SV/lakemedelsleveranser
    Tak (pro rata) t.o.m. augusti = D1922 tkr <regelboken §7> tak = betalt = 1 922 tkr {A5}
    Utbetalt hittills t.o.m. augusti = D1922 tkr <regelboken §7, §18> betalt = Σ nivå / 12 = 8 × 2 883 / 12 = 1 922 tkr {A13}
  Reglerat hittills t.o.m. april = D-161 tkr <regelboken §7> reglerat = min(utfall, tak) − betalt = min(800, 961) − 961 = −161 tkr
    Utfall hittills t.o.m. april = D800 tkr @utfall:avrakning/SV/lakemedelsleveranser
    Tak (pro rata) t.o.m. april = D961 tkr <regelboken §7> tak = betalt = 961 tkr {A5}
    Utbetalt hittills t.o.m. april = D961 tkr <regelboken §7, §18> betalt = Σ nivå / 12 = 4 × 2 883 / 12 = 961 tkr {A13}"""
    assert _text(trad(s.figurer[("avrakning", LAKEMEDEL, 12)], 2)) == """\
Avräkning Läkemedelsleveranser, december = D-933 tkr <regelboken §7> avräkning = reglerat − reglerat före = −933 − 0 = −933 tkr
  Reglerat hittills t.o.m. december = D-933 tkr <regelboken §7> reglerat = min(utfall, tak) − betalt = min(1 950, 2 883) − 2 883 = −933 tkr
    Utfall hittills t.o.m. december = D1950 tkr @utfall:avrakning/SV/lakemedelsleveranser
    Tak (pro rata) t.o.m. december = D2883 tkr <regelboken §7> tak = betalt = 2 883 tkr {A5}
    Utbetalt hittills t.o.m. december = D2883 tkr <regelboken §7, §18> betalt = Σ nivå / 12 = 12 × 2 883 / 12 = 2 883 tkr {A13}
  Reglerat hittills t.o.m. augusti = D0 tkr <regelboken §7> reglerat = min(utfall, tak) − betalt = min(1 950, 1 922) − 1 922 = 0 tkr
    Utfall hittills t.o.m. augusti = D1950 tkr @utfall:avrakning/SV/lakemedelsleveranser
    Tak (pro rata) t.o.m. augusti = D1922 tkr <regelboken §7> tak = betalt = 1 922 tkr {A5}
    Utbetalt hittills t.o.m. augusti = D1922 tkr <regelboken §7, §18> betalt = Σ nivå / 12 = 8 × 2 883 / 12 = 1 922 tkr {A13}"""


def test_forklara_avrakning_med_taket_helt(uppdrag, priser):
    """Regeln `helt`: taket i april är nivån 2 883 tkr; 800 − 961 = −161 tkr (taket påverkar inte)."""
    sv = uppdrag.utforare["SV"]
    helt = uppdrag.model_copy(update={"utforare": {**uppdrag.utforare, "SV": sv.model_copy(update={
        "avrakning": sv.avrakning.model_copy(update={"tak_fore_december": "helt"})})}})
    s = _spar(helt, priser, None, {LAKEMEDEL: {4: D(800)}}, 4)
    assert _text(s.figurer[("avrakning", LAKEMEDEL, 4)].delar[0]) == """\
Reglerat hittills t.o.m. april = D-161 tkr <regelboken §7> reglerat = min(utfall, tak) − betalt = min(800, 2 883) − 961 = −161 tkr
  Utfall hittills t.o.m. april = D800 tkr @utfall:avrakning/SV/lakemedelsleveranser
  Tak t.o.m. april = D2883 tkr <regelboken §7> tak = nivå = 2 883 tkr
    Nivå (Läkemedelsleveranser) = D2883 tkr @uppdrag:utforare/SV/avrakning/poster/lakemedelsleveranser/niva_tkr
  Utbetalt hittills t.o.m. april = D961 tkr <regelboken §7, §18> betalt = Σ nivå / 12 = 4 × 2 883 / 12 = 961 tkr {A13}
    Nivå (Läkemedelsleveranser) = D2883 tkr @uppdrag:utforare/SV/avrakning/poster/lakemedelsleveranser/niva_tkr"""


def test_forklara_utbetalning_i_april_och_maj(uppdrag, priser):
    """April: anslag 276 488 917, tillägg 0, avräkning −53 − 161 = −214 tkr = −214 000 kr (specialistutbildning
    1 900 − 1 953 = −53): 276 274 917 kr. Maj har ingen avräkning: 276 488 917 + 0."""
    s = _spar(uppdrag, priser, {OP: _manader(m1=3600)}, {LAKEMEDEL: {4: D(800)}, SPEC: {4: D(1900)}}, 5)
    assert _text(trad(s.figurer[("utbetalning", 4)], 2)) == """\
Utbetalning april = D276274917 kr <regelboken §4, §6, §7> utbetalning = anslag + tillägg + avräkning = 276 488 917 + 0 + −214 000 = 276 274 917 kr
  Anslag januari–november = D276488917 kr <regelboken §6> anslag = avrunda(årsbelopp / 12) = avrunda(3 317 867 000 / 12) = 276 488 917 kr {A12}
    Anslagets årsbelopp från januari = D3317867000 kr <regelboken §6> årsbelopp = ram × 1000 × andel / 100 = 3 317 867 × 1000 × 100 / 100 = 3 317 867 000 kr
  Tillägg april = D0 kr <regelboken §4> tillägg = hittills − hittills före = 2 040 315 − 2 040 315 = 0 kr
    Tilläggsersättning t.o.m. april = D2040315 kr <regelboken §4> tillägg = Σ belopp = 2 040 315 (och 48 termer med 0) = 2 040 315 kr
    Tilläggsersättning t.o.m. mars = D2040315 kr <regelboken §4> tillägg = Σ belopp = 2 040 315 (och 48 termer med 0) = 2 040 315 kr
  Avräkning april = D-214000 kr <regelboken §7> avräkning = Σ postning × 1000 = (−53 + −161) × 1000 = −214 000 kr
    Avräkning Utbildningsbefattningar: Specialistutbildning sjuksköterskor, april = D-53 tkr <regelboken §7> avräkning = reglerat − reglerat före = −53 − 0 = −53 tkr
    Avräkning Läkemedelsleveranser, april = D-161 tkr <regelboken §7> avräkning = reglerat − reglerat före = −161 − 0 = −161 tkr"""
    assert _text(trad(s.figurer[("utbetalning", 5)], 1)) == """\
Utbetalning maj = D276488917 kr <regelboken §4, §6> utbetalning = anslag + tillägg = 276 488 917 + 0 = 276 488 917 kr
  Anslag januari–november = D276488917 kr <regelboken §6> anslag = avrunda(årsbelopp / 12) = avrunda(3 317 867 000 / 12) = 276 488 917 kr {A12}
  Tillägg maj = D0 kr <regelboken §4> tillägg = hittills − hittills före = 2 040 315 − 2 040 315 = 0 kr"""
    assert ("avrakning_manad", 5) not in s.figurer


def test_forklara_summa(uppdrag, priser):
    """T.o.m. april: anslag 4 × 276 488 917 = 1 105 955 668; tillägg 57 × 35 795 = 2 040 315 (i januari);
    avräkning −214 000: 1 107 781 983 kr. T.o.m. januari utan avräkning: 276 488 917 + 2 040 315 = 278 529 232."""
    s = _spar(uppdrag, priser, {OP: _manader(m1=3600)}, {LAKEMEDEL: {4: D(800)}, SPEC: {4: D(1900)}}, 4)
    assert _text(trad(s.figurer[("summa",)], 2)) == """\
Summa utbetalt t.o.m. april = D1107781983 kr <regelboken §4, §6, §7> utbetalning = anslag + tillägg + avräkning = 1 105 955 668 + 2 040 315 + −214 000 = 1 107 781 983 kr
  Anslag t.o.m. april = D1105955668 kr <regelboken §4, §6, §7> hittills = Σ månad = 4 × 276 488 917 = 1 105 955 668 kr
    Anslag januari–november = D276488917 kr <regelboken §6> anslag = avrunda(årsbelopp / 12) = avrunda(3 317 867 000 / 12) = 276 488 917 kr {A12}
  Tillägg t.o.m. april = D2040315 kr <regelboken §4, §6, §7> hittills = Σ månad = 2 040 315 (och 3 termer med 0) = 2 040 315 kr
    Tillägg januari = D2040315 kr <regelboken §4> tillägg = hittills − hittills före = 2 040 315 − 0 = 2 040 315 kr
  Avräkning t.o.m. april = D-214000 kr <regelboken §4, §6, §7> hittills = Σ månad = −214 000 (och 3 termer med 0) = −214 000 kr
    Avräkning april = D-214000 kr <regelboken §7> avräkning = Σ postning × 1000 = (−53 + −161) × 1000 = −214 000 kr"""
    s = _spar(uppdrag, priser, {OP: _manader(m1=3600)}, None, 1)
    assert _text(trad(s.figurer[("summa",)], 1)) == """\
Summa utbetalt t.o.m. januari = D278529232 kr <regelboken §4, §6> utbetalning = anslag + tillägg = 276 488 917 + 2 040 315 = 278 529 232 kr
  Anslag t.o.m. januari = D276488917 kr <regelboken §4, §6, §7> hittills = Σ månad = 276 488 917 kr
  Tillägg t.o.m. januari = D2040315 kr <regelboken §4, §6, §7> hittills = Σ månad = 2 040 315 kr"""


def test_forklara_utbetalning_avrundad_som_berakna(uppdrag, priser):
    """Planen t.o.m. augusti: tillägget hittills 51 937 342 kr t.o.m. augusti och 23 031 733,5 t.o.m. juli; i
    hela kronor 51 937 342 − 23 031 734 = 28 905 608 kr (inte 28 905 608,5): utbetalningen 276 488 917 +
    28 905 608 = 305 394 525 kr, som `berakna` visar."""
    s = Spar("SV")
    b = berakna(uppdrag, priser, "SV", till_och_med=8, spar=s)
    visad = b.utbetalning.avrundad(0, s)
    assert visad.manader[7].summa_kr == 305394525
    assert _text(trad(s.figurer[("utbetalning_avrundad", 8)], 2)) == """\
Utbetalning augusti = D305394525 kr <regelboken §4, §6> utbetalning = anslag + tillägg = 276 488 917 + 28 905 608 = 305 394 525 kr
  Anslag januari–november = D276488917 kr <regelboken §6> anslag = avrunda(årsbelopp / 12) = avrunda(3 317 867 000 / 12) = 276 488 917 kr {A12}
    Anslagets årsbelopp från januari = D3317867000 kr <regelboken §6> årsbelopp = ram × 1000 × andel / 100 = 3 317 867 × 1000 × 100 / 100 = 3 317 867 000 kr
  Tillägg (avrundad) augusti = D28905608 kr <regelboken §1> avrundad = avrunda(hittills, decimaler) − avrunda(hittills före, decimaler) = avrunda(51 937 342, 0) − avrunda(23 031 733,5, 0) = 28 905 608 kr
    Tillägg t.o.m. augusti = D51937342 kr <regelboken §4, §6, §7> hittills = Σ månad = 1 110 537 + 1 650 752,5 + 2 191 930,5 + 18 078 513,5 + 28 905 608,5 (och 3 termer med 0) = 51 937 342 kr
    Tillägg t.o.m. juli = D23031733.5 kr <regelboken §4, §6, §7> hittills = Σ månad = 1 110 537 + 1 650 752,5 + 2 191 930,5 + 18 078 513,5 (och 3 termer med 0) = 23 031 733,5 kr"""


def test_forklara_brygga():
    """Ram 1 000 000 + index 2,2 % (22 000 tkr, tryckt 22 000) = Delsumma 1 022 000 (differens 0, tolerans 2 ×
    0,5 = 1); + 500 − 200 = 1 022 300; tryckt 1 022 400: differens 100 tkr, tolerans 3 × 0,5 = 1,5."""
    from vgr_ersattning.kalkyl.brygga import berakna_brygga
    s = Spar("SV")
    r = berakna_brygga(_bryggmodell(1022400), s)
    assert (r.total.differens_tkr, r.delsumma.differens_tkr, r.stammer) == (100, 0, False)
    assert _text(s.figurer[("brygga",)]) == """\
Budgetbryggan: differens Ram 2026 = D100 tkr <regelboken §8> differens = tryckt − summa = 1 022 400 − 1 022 300 = 100 tkr
  Ram 2026 = D1022400 tkr @uppdrag:utforare/SV/brygga/till/belopp_tkr
  Summa av de tryckta termerna = D1022300 tkr <regelboken §8> summa = Σ termer = 1 022 000 + 500 + −200 = 1 022 300 tkr
    Delsumma (tryckt) = D1022000 tkr <regelboken §8> tryckt = 1 022 000 tkr
      Delsumma = D1022000 tkr @uppdrag:utforare/SV/brygga/delsumma/belopp_tkr
      Differens Delsumma = D0 tkr <regelboken §8> differens = tryckt − summa = 1 022 000 − 1 022 000 = 0 tkr
        Delsumma = D1022000 tkr @uppdrag:utforare/SV/brygga/delsumma/belopp_tkr
        Summa av de tryckta termerna = D1022000 tkr <regelboken §8> summa = Σ termer = 1 000 000 + 22 000 = 1 022 000 tkr
          Ram 2025 = D1000000 tkr @uppdrag:utforare/SV/brygga/fran/belopp_tkr
          Uppräkning (tryckt) = D22000 tkr <regelboken §8> tryckt = 22 000 tkr
            Index = D22000 tkr @uppdrag:utforare/SV/brygga/index/belopp_tkr
            Uppräkning (föregående ram × index) = D22000 tkr <regelboken §8> uppräkning = ram × index / 100 = 1 000 000 × 2,2 / 100 = 22 000 tkr
              Ram 2025 = D1000000 tkr @uppdrag:utforare/SV/brygga/fran/belopp_tkr
              Index = D2.2 procent @uppdrag:utforare/SV/brygga/index/procent
        Tolerans = D1 tkr <regelboken §8> tolerans = termer × halv = 2 × 0,5 = 1 tkr
    Ett = D500 tkr @uppdrag:utforare/SV/brygga/justeringar/0/belopp_tkr
    Två = D-200 tkr @uppdrag:utforare/SV/brygga/justeringar/1/belopp_tkr
  Tolerans = D1.5 tkr <regelboken §8> tolerans = termer × halv = 3 × 0,5 = 1,5 tkr"""


def test_forklara_malrelaterad(uppdrag):
    """Q1: 61 874 / 78 215 = 79,11 % ≥ 75 % → 100 %; 2,70 mnkr × 1 000 000 / 4 = 675 000 kr (A4). Q4: 12,5 % →
    0 % (A3): 0 kr. Q3 74,99 % → 95 % (A14): 641 250 kr."""
    from vgr_ersattning.kalkyl.malrelaterad import andel_procent, berakna_malrelaterad
    m = uppdrag.utforare["RH"].malrelaterad_1177
    s = Spar("RH")
    berakna_malrelaterad(m, {1: andel_procent(61874, 78215), 3: D("74.99"), 4: D("12.5")}, s)
    assert _text(s.figurer[("malrelaterad", 1)]) == """\
Målrelaterad ersättning 1177 kvartal 1 = D675000 kr <regelboken §9> belopp = kvartalsbelopp × utbetalning / 100 = 675 000 × 100 / 100 = 675 000 kr
  Kvartalets belopp vid 100 % = D675000 kr <regelboken §9> kvartalsbelopp = belopp × 1000000 / kvartal = 2,7 × 1000000 / 4 = 675 000 kr {A4}
    Belopp = D2.7 mnkr @uppdrag:utforare/RH/malrelaterad_1177/belopp_mnkr
    Kvartal per belopp = i4 @uppdrag:utforare/RH/malrelaterad_1177/kvartal_per_belopp
  Utbetalningsandel kvartal 1 = D100 procent <regelboken §9> utbetalning = steg för(andel, trappa) = steg för(79,11, från 75: 100; från 50: 95; från 40: 80; från 30: 60; från 25: 50; från 0: 0) = 100 % {A14}
    Andel besvarade inom 8 minuter kvartal 1 = D79.10758805855654286262225916 procent @utfall:malrelaterad_1177/RH/1
    Trappan = 'från 75: 100; från 50: 95; från 40: 80; från 30: 60; från 25: 50; från 0: 0' @uppdrag:utforare/RH/malrelaterad_1177/trappa"""
    assert _text(trad(s.figurer[("malrelaterad", 3)], 2)) == """\
Målrelaterad ersättning 1177 kvartal 3 = D641250 kr <regelboken §9> belopp = kvartalsbelopp × utbetalning / 100 = 675 000 × 95 / 100 = 641 250 kr
  Kvartalets belopp vid 100 % = D675000 kr <regelboken §9> kvartalsbelopp = belopp × 1000000 / kvartal = 2,7 × 1000000 / 4 = 675 000 kr {A4}
    Belopp = D2.7 mnkr @uppdrag:utforare/RH/malrelaterad_1177/belopp_mnkr
    Kvartal per belopp = i4 @uppdrag:utforare/RH/malrelaterad_1177/kvartal_per_belopp
  Utbetalningsandel kvartal 3 = D95 procent <regelboken §9> utbetalning = steg för(andel, trappa) = steg för(74,99, från 75: 100; från 50: 95; från 40: 80; från 30: 60; från 25: 50; från 0: 0) = 95 % {A14}
    Andel besvarade inom 8 minuter kvartal 3 = D74.99 procent @utfall:malrelaterad_1177/RH/3
    Trappan = 'från 75: 100; från 50: 95; från 40: 80; från 30: 60; från 25: 50; från 0: 0' @uppdrag:utforare/RH/malrelaterad_1177/trappa"""
    assert _text(trad(s.figurer[("malrelaterad", 4)], 2)) == """\
Målrelaterad ersättning 1177 kvartal 4 = D0 kr <regelboken §9> belopp = kvartalsbelopp × utbetalning / 100 = 675 000 × 0 / 100 = 0 kr
  Kvartalets belopp vid 100 % = D675000 kr <regelboken §9> kvartalsbelopp = belopp × 1000000 / kvartal = 2,7 × 1000000 / 4 = 675 000 kr {A4}
    Belopp = D2.7 mnkr @uppdrag:utforare/RH/malrelaterad_1177/belopp_mnkr
    Kvartal per belopp = i4 @uppdrag:utforare/RH/malrelaterad_1177/kvartal_per_belopp
  Utbetalningsandel kvartal 4 = D0 procent <regelboken §9> utbetalning = steg för(andel, trappa) = steg för(12,5, från 75: 100; från 50: 95; från 40: 80; från 30: 60; från 25: 50; från 0: 0) = 0 % {A14,A3}
    Andel besvarade inom 8 minuter kvartal 4 = D12.5 procent @utfall:malrelaterad_1177/RH/4
    Trappan = 'från 75: 100; från 50: 95; från 40: 80; från 30: 60; från 25: 50; från 0: 0' @uppdrag:utforare/RH/malrelaterad_1177/trappa"""


def test_forklara_indikatorer():
    """91,5 ≥ 90: uppfyllt. 20 ≤ 14 håller inte. Nej = Ja håller inte. 12 > 10 (föregående tertial): uppfyllt.
    Information och saknat utfall bedöms inte; ska_oka utan föregående är inte bedömbar."""
    minst = _indikator("minst", D(90), "procent")
    b, nod = _bedomd("minst", minst, {"2026-T2": D("91.5")})
    assert b.status == "uppfyllt" and _text(nod) == """\
Indikator minst 2026-T2 = True <regelboken §10> uppfyllt = (utfall ≥ målvärde) = (91,5 ≥ 90) = ja
  Utfall 2026-T2 = D91.5 procent @utfall:indikatorer/SV/minst/2026-T2"""
    b, nod = _bedomd("hogst", _indikator("hogst", D(14), "antal"), {"2026-T2": D(20)})
    assert b.status == "ej_uppfyllt" and _text(nod) == """\
Indikator hogst 2026-T2 = False <regelboken §10> uppfyllt = (utfall ≤ målvärde) = (20 ≤ 14) = nej
  Utfall 2026-T2 = D20 antal @utfall:indikatorer/SV/hogst/2026-T2"""
    b, nod = _bedomd("ja_nej", _indikator("ja_nej", "Ja"), {"2026-T2": "Nej"})
    assert b.status == "ej_uppfyllt" and _text(nod) == """\
Indikator ja_nej 2026-T2 = False <regelboken §10> uppfyllt = (utfall = målvärde) = (Nej = Ja) = nej
  Utfall 2026-T2 = 'Nej' @utfall:indikatorer/SV/ja_nej/2026-T2"""
    b, nod = _bedomd("ska_oka", _indikator("ska_oka", None, "antal"), {"2026-T2": D(12), "2026-T1": D(10)})
    assert b.status == "uppfyllt" and _text(nod) == """\
Indikator ska_oka 2026-T2 = True <regelboken §10> uppfyllt = (utfall > föregående) = (12 > 10) = ja {A15}
  Utfall 2026-T2 = D12 antal @utfall:indikatorer/SV/ska_oka/2026-T2
  Utfall 2026-T1 = D10 antal @utfall:indikatorer/SV/ska_oka/2026-T1"""
    b, nod = _bedomd("ska_oka", _indikator("ska_oka", None, "antal"), {"2026-T2": D(12)})
    assert b.status == "ej_bedombart" and _text(nod) == """\
Indikator ska_oka 2026-T2 = 'ej bedömbart (inget föregående värde)'"""
    b, nod = _bedomd("info", _indikator("information"), {})
    assert b.status == "information" and _text(nod) == """\
Indikator information 2026-T2 = 'information (rapporteras, bedöms inte)'"""
    b, nod = _bedomd("minst", minst, {})
    assert b.status == "saknar_utfall" and _text(nod) == """\
Indikator minst 2026-T2 = 'saknar utfall'"""
    b, nod = _bedomd("beraknad", _indikator("minst", D(100), "procent", "produktion"), {},
                     beraknade={"beraknad": {"2026-T2": D("95.5")}})
    assert b.status == "ej_uppfyllt" and _text(nod) == """\
Indikator minst 2026-T2 = False <regelboken §10> uppfyllt = (utfall ≥ målvärde) = (95,5 ≥ 100) = nej
  Utfall (utfall hittills / plan hittills, §5) 2026-T2 = D95.5 procent"""


def test_forklara_indikator_med_beslutat_malvarde():
    """Målvärdet 90 % sänkt till 85 % från juli: tertial 2 (januari–augusti, sista månaden augusti) bedöms mot
    85: 87 ≥ 85, uppfyllt (mot 90 vore det ej uppfyllt); indikatorn bär målvärdet och ingen dokumenttext."""
    fore = Varde(D(90), Kalla("uppdrag", ("utforare", "SV", "indikatorer", "lista", "m", "malvarde")), 1, None,
                 "Målvärde", "procent")
    mal = {"m": fran_och_med_(konstant(fore), 7, Varde(D(85), Kalla(BESLUT, ("SV", 0, "andringar", 0, "malvarde")),
                                                      7, fore, "Målvärde", "procent"))}
    ind = _indikator("minst", D(90), "procent").model_copy(update={"malvarde_text": "≥ 90 %", "tillfallen": ["T1", "T2"]})
    b, nod = _bedomd("m", ind, {"2026-T2": D(87)}, malvarden=mal)
    assert (b.status, b.indikator.malvarde, b.indikator.malvarde_text) == ("uppfyllt", D(85), None)
    assert _text(nod) == """\
Indikator minst 2026-T2 = True <regelboken §10> uppfyllt = (utfall ≥ målvärde) = (87 ≥ 85) = ja
  Utfall 2026-T2 = D87 procent @utfall:indikatorer/SV/m/2026-T2
  Målvärde = D85 procent <regelboken §18> beslut från juli: 90 → 85 % @beslut:SV/0/andringar/0/malvarde
    Målvärde före beslutet = D90 procent @uppdrag:utforare/SV/indikatorer/lista/m/malvarde"""
    b, _ = _bedomd("m", ind, {"2026-T1": D(87)}, "2026-T1", malvarden=mal)
    assert (b.status, b.indikator.malvarde, b.indikator.malvarde_text) == ("ej_uppfyllt", D(90), "≥ 90 %")


def test_forklara_prognos(sv, priser):
    """Hud t.o.m. mars: takt 3 300 / 4 125 = 0,8, plan för resten 5 500 × (1 − 0,75) = 1 375, prognos
    avrunda(3 300 + 1 375 × 0,8) = 4 400, 542 ersatta × 2 503 = 1 356 626 kr (A7, A2). Raden utan uppdrag:
    planen hittills 0, takten 1, prognosen 5, inget ersätts."""
    s = Spar("SV")
    berakna_prognos(for_tabell(_prognosvolymer(), priser, "SV"), PROGNOSUTFALL, 3, sv.tillagg, "A7", s)
    assert _text(trad(s.figurer[("prognos", "a.x.hud")], 3)) == """\
Tilläggsersättning Hud (a.x.hud) t.o.m. december = D1356626 kr <regelboken §4> belopp = ersatta × pris = 542 × 2 503 = 1 356 626 kr
  Ersatta enheter t.o.m. december = D542 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(4 400 − 3 858, 0), 1 642) = 542 {A2}
    Prognos för året Hud (a.x.hud) = D4400 antal <regelboken §16> prognos = avrunda(utfall + plan resten × takt) = avrunda(3 300 + 1 375 × 0,8) = 4 400 {A7}
      Utfall t.o.m. mars = i3300 antal @utfall:produktion/SV/a.x.hud
      Plan för resten av året = D1375 antal <regelboken §5> plan = uppdrag × (andel − andel hittills) + (uppdrag − uppdrag hittills) × andel hittills = 5 500 × (100 % − 75 %) + (5 500 − 5 500) × 75 % = 1 375
      Takt mot planen t.o.m. mars = D0.8 <regelboken §16> takt = utfall / plan = 3 300 / 4 125 = 0,8 {A7}
    Basvolym = i3858 antal @uppdrag:utforare/SV/volymer/rader/a.x.hud/bas
    Tilläggsvolym = i1642 antal @uppdrag:utforare/SV/volymer/rader/a.x.hud/tillagg
  Pris (besok) = D2503 kr @priser:tillagg/besok/pris_kr"""
    assert _text(trad(s.figurer[("prognos", "a.y.noll")], 3)) == """\
Tilläggsersättning Noll (a.y.noll) t.o.m. december = D0 kr <regelboken §4> belopp = ersatta × pris = 0 × 2 503 = 0 kr
  Ersatta enheter t.o.m. december = i0 antal <regelboken §4> ersatta = min(max(produktion − bas, 0), tillägg) = min(max(5 − 0, 0), 0) = 0 {A2}
    Prognos för året Noll (a.y.noll) = D5 antal <regelboken §16> prognos = avrunda(utfall + plan resten × takt) = avrunda(5 + 0 × 1) = 5 {A7}
      Utfall t.o.m. mars = i5 antal @utfall:produktion/SV/a.y.noll
      Plan för resten av året = D0 antal <regelboken §5> plan = uppdrag × (andel − andel hittills) + (uppdrag − uppdrag hittills) × andel hittills = 0 × (100 % − 25 %) + (0 − 0) × 25 % = 0
      Takt mot planen (planen hittills är 0) t.o.m. mars = i1 <regelboken §16> takt = 1 {A7}
    Basvolym = i0 antal @uppdrag:utforare/SV/volymer/rader/a.y.noll/bas
    Tilläggsvolym = i0 antal @uppdrag:utforare/SV/volymer/rader/a.y.noll/tillagg
  Pris (besok) = D2503 kr @priser:tillagg/besok/pris_kr"""


# === §19 månadens utbetalning mot det som betalats (utbetala) =======================================


def _utbetalning_april(uppdrag, priser):
    """3 600 operationer i januari och 100 i februari; läkemedelsutfall 800 tkr i april; t.o.m. april."""
    return berakna(uppdrag, priser, "SV", {OP: _manader(m1=3600, m2=100)}, {LAKEMEDEL: {4: D(800)}}, 4)


def test_ratt_hittills_per_komponent(uppdrag, priser):
    """T.o.m. april: anslaget 4 × 276 488 917 = 1 105 955 668; allmän kirurgi 3 700 − 3 543 = 157 × 35 795 =
    5 619 815; läkemedel 800 − 961 = −161 tkr = −161 000 kr; specialistutbildningen saknar utfall: 0.
    T.o.m. mars: anslaget 829 466 751, samma tillägg, ingen avräkning än."""
    from vgr_ersattning.kalkyl.utbetalning import ratt_hittills

    b = _utbetalning_april(uppdrag, priser)
    april = ratt_hittills(b, 4)
    assert list(april)[:2] == ["anslag", "tillagg:psykiatri.forstabesok.bup"] and len(april) == 1 + 49 + 2
    assert (april["anslag"], april[f"tillagg:{OP}"], april[f"tillagg:{HUD}"]) == (D(1105955668), D(5619815), 0)
    assert (april[f"avrakning:{LAKEMEDEL}"], april[f"avrakning:{SPEC}"]) == (D(-161000), 0)
    assert str(april["anslag"]) == "1105955668" and str(april[f"avrakning:{LAKEMEDEL}"]) == "-161000"
    mars = ratt_hittills(b, 3)
    assert (mars["anslag"], mars[f"tillagg:{OP}"], mars[f"avrakning:{LAKEMEDEL}"]) == (D(829466751), D(5619815), 0)
    # Före januari (månad 0): ingenting.
    noll = ratt_hittills(b, 0)
    assert set(noll.values()) == {0} and all(isinstance(v, Decimal) for v in noll.values())
    # Utan avräkning finns inga avräkningskomponenter.
    assert not any(k.startswith("avrakning") for k in ratt_hittills(berakna(uppdrag, priser, "SV", None, None, 1), 1))


def test_ratt_hittills_avrundas_till_ore(uppdrag, priser):
    """Planen t.o.m. oktober: hud 5 500 × 10/12 = 4 583,33…, 725,33… ersatta × 2 503 = 1 815 509,333… kr
    → 1 815 509,33 kr."""
    from vgr_ersattning.kalkyl.utbetalning import ratt_hittills

    r = ratt_hittills(berakna(uppdrag, priser, "SV", None, None, 10), 10)
    assert str(r[f"tillagg:{HUD}"]) == "1815509.33"


def test_ore_avrundning_och_skrivsatt():
    from vgr_ersattning.kalkyl.utbetalning import _ore

    # Half up till öre; hela kronor utan decimaler, annars utan överflödiga nollor.
    for v, text in [("100.005", "100.01"), ("100.004", "100"), ("-100.005", "-100.01"), ("250555.50", "250555.5"),
                    ("3.00", "3"), ("1000.00", "1000"), ("0.10", "0.1"), ("12.345", "12.35")]:
        assert str(_ore(D(v))) == text, v


def test_utbetala_utan_journal(uppdrag, priser):
    """Utan journal är det betalda rätten t.o.m. mars: april betalar anslaget 276 488 917, inget tillägg
    (5 619 815 båda månaderna) och avräkningen −161 000 (en kreditering): 276 327 917 kr."""
    from vgr_ersattning.kalkyl.utbetalning import utbetala

    b = _utbetalning_april(uppdrag, priser)
    u = utbetala(b, 4)
    assert (u.ar, u.utforare, u.namn, u.manad, u.betalt_ur_journal, u.berakning) == (
        2026, "SV", "Sjukhusen i väster", 4, False, b)
    k = {x.komponent: x for x in u.komponenter}
    assert (k["anslag"].ratt_kr, k["anslag"].betalt_kr, k["anslag"].belopp_kr) == (D(1105955668), D(829466751),
                                                                                    D(276488917))
    assert (k[f"tillagg:{OP}"].belopp_kr, k[f"tillagg:{OP}"].kreditering) == (0, False)
    assert (k[f"avrakning:{LAKEMEDEL}"].belopp_kr, k[f"avrakning:{LAKEMEDEL}"].kreditering) == (D(-161000), True)
    assert (u.anslag_kr, u.tillagg_kr, u.avrakning_kr, u.summa_kr) == (D(276488917), 0, D(-161000), D(276327917))
    assert u.belopp_per_komponent()["anslag"] == D(276488917) and len(u.belopp_per_komponent()) == 52


def test_utbetala_utan_avrakning_ger_decimal_noll(uppdrag, priser):
    """Utan avräkningsutfall finns inga avräkningskomponenter: avräkningen är Decimal 0 (inte heltalet 0),
    som varje annat belopp."""
    from vgr_ersattning.kalkyl.utbetalning import utbetala

    u = utbetala(berakna(uppdrag, priser, "SV", {OP: _manader(m1=3600)}, None, 1), 1)
    assert u.avrakning_kr == 0 and isinstance(u.avrakning_kr, Decimal)
    # Januari: anslaget 276 488 917 och 57 × 35 795 = 2 040 315 för allmän kirurgi.
    assert (u.anslag_kr, u.tillagg_kr, u.summa_kr) == (D(276488917), D(2040315), D(278529232))


def test_utbetala_mot_journalen(uppdrag, priser):
    """Journalen har betalt 829 466 751 i anslag t.o.m. mars, 2 040 315 för allmän kirurgi (bara
    januari) och 100 kr för en rad som inte längre finns: april betalar 5 619 815 − 2 040 315 =
    3 579 500 för allmän kirurgi och krediterar de 100 kr; komponenten "tillaggx" (5 kr betalt) räknas
    i summan men inte som tillägg. Summa 276 488 917 + 3 579 500 − 161 000 − 100 − 5 = 279 907 312."""
    from vgr_ersattning.kalkyl.utbetalning import utbetala

    b = _utbetalning_april(uppdrag, priser)
    betalt = {"anslag": D(829466751), f"tillagg:{OP}": D(2040315), "tillagg:gammal.rad.x": D(100), "tillaggx": D(5)}
    u = utbetala(b, 4, betalt)
    assert u.betalt_ur_journal is True
    assert [k.komponent for k in u.komponenter][-2:] == ["tillagg:gammal.rad.x", "tillaggx"]
    k = {x.komponent: x for x in u.komponenter}
    assert (k["tillagg:gammal.rad.x"].ratt_kr, k["tillagg:gammal.rad.x"].belopp_kr) == (0, D(-100))
    assert (k[f"tillagg:{HUD}"].betalt_kr, k[f"tillagg:{HUD}"].belopp_kr) == (0, 0)
    assert (u.anslag_kr, u.tillagg_kr, u.avrakning_kr) == (D(276488917), D(3579400), D(-161000))
    assert u.summa_kr == D(279907312)


# === prislistan (ersattning priser) ==================================================================


def test_prislistan_mot_det_kalkylerade_priset(priser):
    from vgr_ersattning.kalkyl.prislista import prislista

    rader = {r.id: r for r in prislista(priser)}
    drg = rader["drg_pris_per_poang"]
    assert (drg.grupp, drg.namn, drg.kalkylerat_kr) == (
        "DRG-ersatt vård, pris per poäng slutet och öppen somatisk vård", "DRG pris", D(54180))
    # Sjukhusen i tabellens ordning, utan kolumnen "kalkylerat".
    assert [p.utforare for p in drg.priser] == ["SU", "NU", "SKAS", "SAS", "SV"]
    su = drg.priser[0]
    # 55 333 − 54 180 = 1 153 kr; 1 153 / 54 180 = 0,0212809… (2,1 %)
    assert (su.pris_kr, su.kalkylerat_kr, su.differens_kr) == (D(55333), D(54180), D(1153))
    assert D("0.0212809") < su.andel < D("0.0212810")
    # Inget pris (SV för BUP-vårddygn) och inget kalkylerat pris (somatik L-vård): ingen differens.
    bup_sv = next(p for p in rader["bup_varddygn"].priser if p.utforare == "SV")
    assert (bup_sv.pris_kr, bup_sv.differens_kr, bup_sv.andel) == (None, None, None)
    l_su = rader["oppenvard_somatik_l"].priser[0]
    assert (l_su.pris_kr, l_su.kalkylerat_kr, l_su.differens_kr, l_su.andel) == (D(3025), None, None, None)
    assert prislista(priser.model_copy(update={"priser": None})) == ()


def test_prisets_andel_nar_det_kalkylerade_ar_noll():
    from vgr_ersattning.kalkyl.prislista import Pris

    # Kalkylerat 0: differensen finns (10 − 0), men ingen andel (ingen division med 0).
    p = Pris("SU", D(10), D(0))
    assert (p.differens_kr, p.andel) == (D(10), None)
    assert Pris("SU", None, D(5)).differens_kr is None


# === luckor som mutationstestet visade (värdena per månad och spåret) ================================


def test_prisperiodernas_slut():
    """Priset byts i oktober: perioderna slutar i september och i den sista månaden; ett byte efter den
    sista månaden räknas inte; ett byte i den sista månaden gör föregående månad till ett slut."""
    from vgr_ersattning.kalkyl.tillagg import prisperiodernas_slut
    assert prisperiodernas_slut((10,), 12) == (9, 12) and prisperiodernas_slut((10,), 9) == (9,)
    assert prisperiodernas_slut((10,), 10) == (9, 10) and prisperiodernas_slut((4, 10), 12) == (3, 9, 12)
    assert prisperiodernas_slut((), 5) == (5,) and prisperiodernas_slut((2,), 0) == ()


def test_regeln_lasar_vardena_i_sin_manad(sv):
    """Hud, bas 3 858 i januari och 3 000 från februari, tillägget 1 642 och 1 000 från december; priset
    2 503 och 3 000 kr från december.
    - T.o.m. januari (T = 1) bär raden januaris värden: bas 3 858, tillägg 1 642, pris 2 503.
    - T = 0 (före januari): basen hittills är januaris, 3 858.
    - T.o.m. december, 5 000 besök i januari: januari 5 000 − 3 858 = 1 142 ersatta × 2 503 = 2 858 426;
      februari–november 5 000 − 3 000 = 2 000, taket 1 642: 1 642 × 2 503 = 4 109 926; december taket 1 000
      (lägre): 1 000 − 1 642 = −642 till 3 000 kr: 4 109 926 − 642 × 3 000 = 2 183 926 kr. Raden bär
      decembers värden: tillägg 1 000, pris 3 000.
    - Bara beloppet (`manadsvis=False`): prisperioden slutar i november och i december: samma belopp, bara
      decembers i `kumulativt_kr`."""
    bas = [3858] + [3000] * 11
    tillagg = [1642] * 11 + [1000]
    pris = [D(2503)] * 11 + [D(3000)]
    v = _radv(HUD, _rad(sv, HUD), D(2503), (), bas, tillagg, pris)
    jan = berakna_rad(v, None, _manader(m1=5000), False, 1)
    assert (jan.bas, jan.tillagg, jan.pris_kr, jan.uppdrag, jan.ersatta, jan.belopp_kr) == (
        3858, 1642, D(2503), 5500, 1142, D(2858426))
    assert berakna_rad(v, None, None, False, 0).bas_hittills == 3858
    dec = berakna_rad(v, None, _manader(m1=5000), False, 12)
    assert dec.kumulativt_kr == (D(2858426),) + (D(4109926),) * 10 + (D(2183926),)
    assert (dec.tillagg, dec.pris_kr, dec.bas, dec.uppdrag) == (1000, D(3000), 3000, 4000)
    bara = berakna_rad(v, None, _manader(m1=5000), False, 12, manadsvis=False)
    assert bara.kumulativt_kr == (D(2183926),) and bara.belopp_kr == 2183926
    from vgr_ersattning.kalkyl.tillagg import belopp_hittills
    assert belopp_hittills(v, None, _manader(m1=5000), False, 12) == 2183926


def test_planen_lasar_uppdraget_i_manaden(sv):
    """Planen i januari är januaris uppdrag × 1/12: 1 200 / 12 = 100 (uppdraget 12 000 från december ändrar
    inte januari). Hud med bas 50 och uppdraget 1 200: 100 − 50 = 50 ersatta × 2 503 = 125 150 kr."""
    rad = Volymrad(namn="R", uppdrag=1200, bas=50, tillagg=1150, priskategori="besok")
    v = _radv("a.b.c", rad, D(2503), (), [50] * 12, [1150] * 11 + [11950], [D(2503)] * 12)
    r = berakna_rad(v, None, None, True, 1)
    assert (r.utfall, r.ersatta, r.belopp_kr) == (100, 50, D(125150))


def test_en_rad_utan_bas_och_utan_produktion_far_inget(sv):
    """Bas 0 och tillägg 10, ingen produktion (utfall, inte plan): 0 ersatta, 0 kr."""
    rad = Volymrad(namn="R", uppdrag=10, bas=0, tillagg=10, priskategori="besok")
    for produktion in (None, []):
        r = berakna_rad(_radv("a.b.c", rad, D(100)), None, produktion, False, 3)
        assert (r.utfall, r.ersatta, r.belopp_kr) == (0, 0, 0)


def test_forandringen_vid_full_leverans_med_periodiserad_bas(sv, priser):
    """Periodiserad bas, planen 1/12 i månaden, behandlingspriset 40 000 kr från juli. Allmän kirurgi:
    t.o.m. juni planen 6 600 × 6/12 = 3 300 och basen 3 543 × 6/12 = 1 771,5: 1 528,5 ersatta till 35 795 kr;
    resten av tillägget, 3 057 − 1 528,5 = 1 528,5, till 40 000 kr: 1 528,5 × 4 205 = 6 427 342,5 kr mer
    för raden. (Med årsbas är inget ersatt i juni, 3 300 < 3 543: alla 3 057 till det nya priset.)"""
    per = sv.model_copy(update={"tillagg": sv.tillagg.model_copy(update={"basmodell": "periodiserad"})})
    fore = utgangslage(per, priser, "SV")
    efter = tillampa(fore, per, priser, "SV", 2026, _beslut({"pris": "behandling", "satt": 40000}, fran="2026-07"), 0)
    andrade = {rid for rid, r in fore.rader.items() if r.priskategori == "behandling"}
    bara_op = {rid: (efter.rader[rid] if rid == OP else fore.rader[rid]) for rid in fore.rader}
    from dataclasses import replace
    assert forandring_vid_full_leverans(per, fore, replace(efter, rader=bara_op)) == D("6427342.5")
    arsbas = forandring_vid_full_leverans(sv, fore, replace(efter, rader=bara_op))
    assert arsbas == 3057 * 4205 and OP in andrade


def test_nivan_och_serien_namnges_och_byten_fran_februari():
    """En serie som byts i februari har bytet 2; namn och enhet följer varje värde."""
    s = serie([1] + [2] * 11, None, "Nivå", "tkr")
    assert s.byten == (2,) and (s.i(1).namn, s.i(2).enhet, s.i(2).namn) == ("Nivå", "tkr", "Nivå")


def test_seriernas_nycklar(sv, priser):
    p = i_kraft(sv, priser, "SV", 2026)
    nycklar = [k for k, _ in p.serier()]
    assert nycklar[:4] == [("uppdrag", "psykiatri.forstabesok.bup"), ("bas", "psykiatri.forstabesok.bup"),
                           ("tillagg", "psykiatri.forstabesok.bup"), ("pris", "psykiatri.forstabesok.bup")]
    assert ("ram",) in nycklar and ("delegation",) in nycklar and ("avrakning", LAKEMEDEL) in nycklar
    assert ("malvarde", "belaggningsgrad_somatik") in nycklar and p.ar == 2026
    assert for_tabell(sv.volymer, priser, "SV", 2026).ar == 2026


def test_ett_malvarde_ja(sv, priser):
    v = tillampa(utgangslage(sv, priser, "SV"), sv, priser, "SV", 2026,
                 _beslut({"indikator": "forstarkt_iva_beredskapsplan", "malvarde": "Ja"}), 0)
    assert _m(v.malvarde["forstarkt_iva_beredskapsplan"]) == ["Ja"] * 12


def test_anslaget_med_ramen_andrad_fran_februari_i_sparet(uppdrag, priser):
    """Ramen ändrad från februari: januari är ensam i §6 (`Anslag januari`), februari fördelar om."""
    s = _spar(uppdrag, priser, beslut=[_beslut({"ram_tkr": 3329867}, organ="nämnden", datum="2026-01-20",
                                               fran="2026-02")])
    assert s.figurer[("anslag", 1)].namn == "Anslag januari" and s.figurer[("anslag", 2)].namn == "Anslag februari"


def test_avrundade_manader_i_sparet(uppdrag, priser):
    """Planen t.o.m. augusti med avräkning i april och augusti (läkemedel 800 och 1 150 tkr: −161 och +161
    tkr): den avrundade utbetalningen antecknas per månad med anslag, tillägg (augusti 28 905 608 i hela
    kronor) och avräkning; utbetalningen i augusti 276 488 917 + 28 905 608 + 161 000 = 305 555 525 kr."""
    s = Spar("SV")
    b = berakna(uppdrag, priser, "SV", None, {LAKEMEDEL: {4: D(800), 8: D(1150)}}, 8, spar=s)
    visad = b.utbetalning.avrundad(0, s)
    augusti = s.figurer[("utbetalning_avrundad", 8)]
    assert (augusti.namn, augusti.varde) == ("Utbetalning augusti", D(305555525)) == (
        "Utbetalning augusti", visad.manader[7].summa_kr)
    assert [d.namn for d in augusti.delar] == ["Anslag januari–november", "Tillägg (avrundad) augusti",
                                               "Avräkning augusti"]
    assert s.figurer[("avrundad", "tillagg_manad", 1)].namn == "Tillägg (avrundad) januari"
    assert s.figurer[("utbetalning_avrundad", 5)].namn == "Utbetalning maj"


# === luckor som mutationstestet 2026-12-07 visade =================================================


def _noder(n):
    """Noden och alla noder under den, djupet först."""
    yield n
    for d in n.delar:
        yield from _noder(d)


def _arsovergang(sv, ram_tkr, kalla="källan"):
    from vgr_ersattning.kalkyl.arsovergang import kontrollera_arsovergang
    return kontrollera_arsovergang("SV", sv.brygga, 2025, ram_tkr, kalla)


def test_arsovergangen_hela_kontrollen(sv):
    """Bryggans första rad i SV:s uppdrag är 3 125 153 tkr. Kontrollen bär id, namn, sökväg, värdet (bryggans
    första rad), enheten tkr, utföraren och området brygga i alla utfall:
    - utan förra årets ram (None): underkänd, ingen differens;
    - ramen 3 125 153 tkr: differens 0, godkänd."""
    bas = dict(sokvag=("utforare", "SV", "brygga", "fran", "belopp_tkr"), varde=D(3125153), enhet="tkr",
               utforare="SV", omraden=(BRYGGA,))
    namn = "SV: bryggans första rad = 2025 års ram vid årets slut"
    assert _arsovergang(sv, None, "filen saknas") == Kontroll(
        "brygga.forra_arets_ram", namn, False,
        "bryggans första rad 3 125 153 tkr kan inte prövas mot 2025 års ram: filen saknas (antagande A8)", **bas)
    assert _arsovergang(sv, D(3125153)) == Kontroll(
        "brygga.forra_arets_ram", namn, True,
        "bryggans första rad 3 125 153 tkr = 2025 års ram vid årets slut 3 125 153 tkr (källan; antagande A8)",
        differens=D(0), **bas)


def test_arsovergangen_exakt_en_halv_tkr_ryms(sv):
    """Toleransen är 0,5 tkr och gäller som den är skriven (≤): ramen 3 125 152,5 tkr ger differensen
    3 125 153 − 3 125 152,5 = 0,5 tkr, godkänd, och ramen visas med en decimal (3 125 152,5); ramen
    3 125 152,4 ger 0,6 tkr, underkänd, och visas i hela tkr (3 125 152)."""
    k = _arsovergang(sv, D("3125152.5"))
    assert (k.ok, k.differens, k.enhet) == (True, D("0.5"), "tkr")
    assert k.meddelande == ("bryggans första rad 3 125 153 tkr = 2025 års ram vid årets slut 3 125 152,5 tkr inom "
                            "avrundning (differens 0,5 tkr, tolerans 0,5 tkr) (källan; antagande A8)")
    k = _arsovergang(sv, D("3125152.4"))
    assert (k.ok, k.differens) == (False, D("0.6"))
    assert k.meddelande == ("bryggans första rad 3 125 153 tkr ≠ 2025 års ram vid årets slut 3 125 152 tkr: "
                            "differens 1 tkr (källan; antagande A8)")


def test_ramen_vid_arets_slut_med_kallan_och_aret(sv, priser):
    """Förra årets ram i december bär sin källa med utförarens namn: uppdragets `utforare.SV.ersattningsram`
    (3 317 867 tkr) utan beslut; med nämndens beslut om ramen 3 400 000 tkr från mars är decembers ram
    beslutets, med källan (SV, beslut 0, ändring 0, `ram_tkr`) och värdet före, uppdragets. Ett beslut som
    gäller från en månad i ett annat år än det som prövas vägras (`fran` ligger utanför året)."""
    from vgr_ersattning.kalkyl.arsovergang import ram_vid_arets_slut
    v = ram_vid_arets_slut(sv, priser, "SV", 2026)
    assert (v.varde, v.kalla) == (D(3317867), Kalla("uppdrag", ("utforare", "SV", "ersattningsram", "belopp_tkr")))
    b = _beslut({"ram_tkr": 3400000}, organ="nämnden", datum="2026-02-20", fran="2026-03")
    v = ram_vid_arets_slut(sv, priser, "SV", 2026, [b])
    assert (v.varde, v.fran, v.kalla) == (D(3400000), 3, Kalla(BESLUT, ("SV", 0, "andringar", 0, "ram_tkr")))
    assert v.fore.kalla == Kalla("uppdrag", ("utforare", "SV", "ersattningsram", "belopp_tkr"))
    with pytest.raises(Beslutsfel, match="utanför uppdragsåret 2026"):
        ram_vid_arets_slut(sv, priser, "SV", 2026, [_beslut({"ram_tkr": 3400000}, organ="nämnden",
                                                            datum="2026-02-20", fran="2027-03")])


def test_avrakning_i_sparet_heter_efter_posten_utan_postnamn(sv):
    """`avrakna_post` med skrivare och bara postens id (inget namn): postningen i april heter
    "Avräkning lakemedelsleveranser, april" (posten, komma, månaden; postningen gäller månaden, inte
    t.o.m.). Nivån 1 200 tkr, utfallet 500 tkr t.o.m. april: betalt 4 × 100 = 400, reglerat
    min(500, 400) − 400 = 0."""
    s = Spar("SV")
    (t,) = avrakna_post(konstant(Varde(D(1200))), {4: D(500)}, [4], "", 4, LAKEMEDEL, spar=s)
    assert (t.utbetalt_tkr, t.tak_tkr, t.reglering_tkr) == (D(400), D(400), D(0))
    assert s.figurer[("avrakning", LAKEMEDEL, 4)].namn == "Avräkning lakemedelsleveranser, april"


def test_en_formel_med_standardvarden_och_parametrar_som_borjar_pa_x():
    """`Formel` direkt, utan enhet och `hittills`: enheten är tom och rubriken för mars är "F t.o.m. mars".
    Parametrarna heter `Xa` och `b` (bara `*` tas bort ur ett namn): `f(Xa, b) = Xa − b` med 5 och 2 visas
    `f = Xa − b = 5 − 2 = 3`."""
    from vgr_ersattning.kalkyl.spar import Formel
    f = Formel("regel", "f(Xa, b) = Xa - b", "F")
    assert f.parametrar == ("Xa", "b") and f.enhet == "" and f.rubrik(3) == "F t.o.m. mars"
    s = Spar()
    x = s.anvand(f.rakna, 3, D(5), D(2))
    assert (x.varde, x.nod.enhet, x.nod.namn, x.nod.formel) == (D(3), "", "F t.o.m. mars", "f = Xa − b = 5 − 2 = 3")


def test_forandring_vid_full_leverans_utan_tillaggsregler(sv, priser):
    """En utförare utan tilläggsregler har årsbas (antagande A2:s standard): tillägget +80 från september på
    allmän kirurgi ger vid full leverans 80 × 35 795 = 2 863 600 kr, som med SV:s regler (årsbas)."""
    utf = sv.model_copy(update={"tillagg": None})
    fore = utgangslage(utf, priser, "SV")
    volym = tillampa(fore, utf, priser, "SV", 2026, _beslut({"id": OP, "falt": "tillagg", "andra": 80}), 0)
    assert forandring_vid_full_leverans(utf, fore, volym) == D(2863600)


def test_granska_utan_delegationsgrans_vagrar_aven_under_en_krona(sv, priser):
    """Utan delegationsgräns är gränsen 0 kr, också för en förändring under en krona. Koloskopi och
    gastroskopi planeras 0,0909 i månaden januari–november och 0,0001 i december (summa 1); SV:s
    kologastropris höjs 1 kr (4 459 → 4 460 kr) från december. Vid full leverans är t.o.m. november
    koloskopi 3 720 × 0,9999 − 1 007 = 2 712,628 ersatta och gastroskopi 3 550 × 0,9999 − 2 391 = 1 158,645;
    i december hela tilläggen, 2 713 och 1 159. Enheterna i december till 1 kr mer:
    (0,372 + 0,355) × 1 = 0,727 kr > 0: vägras (visas avrundat, 1 kr)."""
    profil = [D("0.0909")] * 11 + [D("0.0001")]
    utan = sv.model_copy(update={"delegation": None, "volymer": sv.volymer.model_copy(
        update={"profiler": {"somatik.undersokning": profil}})})
    b = _beslut({"pris": "kologastro.SV", "satt": 4460}, fran="2026-12")
    fore = utgangslage(utan, priser, "SV")
    assert forandring_vid_full_leverans(utan, fore, tillampa(fore, utan, priser, "SV", 2026, b, 0)) == D("0.727")
    assert _granska(utan, priser, b) == [(0, "organ", "förändringen vid full leverans är 1 kr, över "
                                                      "delegationsgränsen 0 kr: beslutet kräver nämnden (organ), "
                                                      "inte delegation")]


def test_prognosens_utfall_i_sparet(sv, priser):
    """Prognosen t.o.m. mars med en skrivare: hudens tillägg i januari (400 besök i månaden) bygger på
    utfallet t.o.m. januari, 400 besök, med källan utfallets `produktion.SV.somatik.forstabesok.hud`."""
    s = Spar("SV")
    berakna_prognos(i_kraft(sv, priser, "SV", 2026), {HUD: [400] * 12}, 3, sv.tillagg, spar=s)

    utfall = [n for n in _noder(s.figurer[("tillagg", HUD, 1)]) if n.kalla is not None and n.kalla.dokument == "utfall"]
    assert [(n.namn, n.varde, n.enhet, n.kalla) for n in utfall] == [
        ("Utfall t.o.m. januari", 400, "antal", Kalla("utfall", ("produktion", "SV", HUD)))]


def test_taket_pro_rata_i_sparet_visas_en_gang(sv):
    """Nivån 1 000 tkr, avräkning i januari: betalt 1 000 / 12 = 83,333… tkr, som en förklaring visar med
    tre decimaler (tkr): 83,333. Taket pro rata är det betalda, så formeln visas utan de insatta värdena,
    `tak = betalt = 83,333 tkr` (inte `= 83,333 = 83,333 tkr`)."""
    s = Spar("SV")
    avrakna_post(konstant(Varde(D(1000), namn="Nivå", enhet="tkr")), {1: D(50)}, [1], "", 1, LAKEMEDEL, spar=s)

    (tak,) = [n for n in _noder(s.figurer[("avrakning", LAKEMEDEL, 1)]) if n.namn.startswith("Tak")]
    assert (tak.namn, tak.formel) == ("Tak (pro rata) t.o.m. januari", "tak = betalt = 83,333 tkr")


def test_antaganden_i_nummerordning_och_ett_utan_nummer_sist():
    """Antagandena sorteras efter numret som tal (A3 före A14 före A100); ett id utan nummer (`X`, `A1b`)
    kommer efter alla numrerade, i bokstavsordning."""
    from vgr_ersattning.kalkyl.resultat import antagandeordning
    assert sorted(["X", "A100", "A14", "A1b", "A3"], key=antagandeordning) == ["A3", "A14", "A100", "A1b", "X"]


def test_malvardet_fran_uppdraget_i_sparet(sv, priser):
    """Beläggningsgraden (högst 90 %, följs upp varje månad) bedömd för augusti med målvärdena som gäller
    (§18) och en skrivare: 88 ≤ 90, uppfyllt; förklaringen visar målvärdet som "Målvärde" i procent med
    källan i uppdraget."""
    from vgr_ersattning.kalkyl.period import tolka
    from vgr_ersattning.kalkyl.uppfoljning import berakna_uppfoljning
    iid = "belaggningsgrad_somatik"
    s = Spar("SV")
    (b,) = berakna_uppfoljning({iid: sv.indikatorer.lista[iid]}, {iid: {"2026-08": D(88)}}, tolka("2026-08"),
                               malvarden=utgangslage(sv, priser, "SV").malvarde, spar=s)
    mal = s.figurer[("indikator", iid)].delar[1]
    assert b.status == "uppfyllt" and (mal.namn, mal.varde, mal.enhet, mal.kalla) == (
        "Målvärde", D(90), "procent", Kalla("uppdrag", ("utforare", "SV", "indikatorer", "lista", iid, "malvarde")))


def test_den_avrundade_manaden_summerar_manadernas_noder(uppdrag, priser):
    """Planen t.o.m. augusti (som ovan): tillägget per månad är 0 t.o.m. mars och sedan
    1 110 537 (april), 1 650 752,5 (maj), 2 191 930,5 (juni), 18 078 513,5 (juli), 28 905 608,5 (augusti).
    Hittills i augusti: 1 110 537 + 1 650 752,5 = 2 761 289,5; + 2 191 930,5 = 4 953 220; + 18 078 513,5
    = 23 031 733,5; + 28 905 608,5 = 51 937 342. Den avrundade augusti: 51 937 342 − avrunda(23 031 733,5)
    = 51 937 342 − 23 031 734 = 28 905 608 kr. Termerna i summan är månadernas egna noder, med sina
    månaders namn; ingen avrundad månad efter den sista."""
    s = Spar("SV")
    b = berakna(uppdrag, priser, "SV", None, {LAKEMEDEL: {4: D(800), 8: D(1150)}}, 8, spar=s)
    b.utbetalning.avrundad(0, s)
    augusti = s.figurer[("avrundad", "tillagg_manad", 8)]
    hittills, fore = augusti.delar
    assert (augusti.varde, hittills.namn, hittills.varde, fore.namn, fore.varde) == (
        D(28905608), "Tillägg t.o.m. augusti", D(51937342), "Tillägg t.o.m. juli", D("23031733.5"))
    assert [(d.namn, d.varde) for d in hittills.delar] == [
        ("Tillägg april", D(1110537)), ("Tillägg maj", D("1650752.5")), ("Tillägg juni", D("2191930.5")),
        ("Tillägg juli", D("18078513.5")), ("Tillägg augusti", D("28905608.5"))]
    assert ("avrundad", "tillagg_manad", 9) not in s.figurer and ("avrundad", "tillagg_manad", 1) in s.figurer
