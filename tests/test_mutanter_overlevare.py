"""Luckor som den andra mutationskörningen 2026-12-07 visade (kopian i /tmp/mut2, källan efter aa1a0d2):
överlevande mutanter i utbetalning (komponenternas namn, antagandenas nummerordning, en utförare med
ram men utan volymer, spåret för 1177-kvartalen bredvid anslaget, den avrundade månaden, en beräkning
utan månader), parametrar (målvärdets enhet för en indikator utan enhet) och volymer (kontrollens id när
en rad inte stämmer).

Förväntade värden är räknade för hand ur regelboken (uträkningen står i kommentaren), aldrig med
kodens egen formel; namnen är de som README och `komponentnamn` beskriver. Varje test föll för sin
mutant genom mutmuts studsfunktion (`MUTANT_UNDER_TEST=… PYTHONPATH=/tmp/mut2/mutants/src pytest …`).
"""

from __future__ import annotations

from decimal import Decimal

from vgr_ersattning.kalkyl.parametrar import utgangslage
from vgr_ersattning.kalkyl.spar import Spar
from vgr_ersattning.kalkyl.utbetalning import (
    Manadsutbetalning,
    Utbetalning,
    berakna,
    komponentnamn,
    utbetala,
)

D = Decimal
OP = "somatik.operation.allman_kirurgi"      # bas 3 543, tillägg 3 057, 35 795 kr
HUD = "somatik.forstabesok.hud"              # bas 3 858, tillägg 1 642, uppdrag 5 500
BUP = "psykiatri.forstabesok.bup"
LAKEMEDEL = "lakemedelsleveranser"           # nivå 2 883 tkr
SPEC = "specialistutbildning_sjukskoterskor"  # nivå 5 859 tkr
# RH:s 1177-uttag (examples/rh_2026.yaml, regelboken §9): Q1 61 874 / 78 215 = 79,1 % ≥ 75 → 100 %,
# Q2 68,4 %: 50 ≤ 68,4 < 75 → 95 % (A14).
ANDELAR_1177 = {1: D(61874) / D(78215) * 100, 2: D("68.4")}


def _med_utforare(uppdrag, uid, utf):
    return uppdrag.model_copy(update={"utforare": {**uppdrag.utforare, uid: utf}})


def _rh_med_ram(uppdrag):
    """RH med en påhittad ram på 12 000 tkr och 100 % fast andel men utan volymer, bredvid sin 1177."""
    sv, rh = uppdrag.utforare["SV"], uppdrag.utforare["RH"]
    ram = sv.ersattningsram.model_copy(update={"belopp_tkr": D(12000)})
    return _med_utforare(uppdrag, "RH", rh.model_copy(update={"ersattningsram": ram, "anslag": sv.anslag}))


# --- utbetalning: komponenternas namn (komponentnamn, utbetala) ---------------------------------------


def test_komponenternas_namn_i_utbetalningen(uppdrag, priser):
    """Namnen som tabellen visar (README: `Tillägg somatik, operation/åtgärd: Allmän kirurgi`, `Anslag`;
    `komponentnamn`: `Avräkning: Läkemedelsleveranser`): anslaget heter Anslag, ett tillägg efter
    verksamhet och kategori (gruppernas namn med liten bokstav) och raden, en avräkning efter posten.
    Beloppen i april (läkemedelsutfall 800 tkr i april, planen i övrigt): anslaget 4 × 276 488 917 −
    3 × 276 488 917 = 276 488 917 kr (§6); läkemedel 800 − 2 883 × 4/12 = 800 − 961 = −161 tkr (§7)."""
    b = berakna(uppdrag, priser, "SV", None, {LAKEMEDEL: {4: D(800)}}, 4)
    k = {x.komponent: x for x in utbetala(b, 4).komponenter}
    assert (k["anslag"].namn, k["anslag"].belopp_kr) == ("Anslag", D(276488917))
    assert k[f"tillagg:{OP}"].namn == "Tillägg somatik, operation/åtgärd: Allmän kirurgi"
    assert k[f"tillagg:{BUP}"].namn == "Tillägg psykiatri, förstabesök: BUP"
    assert (k[f"avrakning:{LAKEMEDEL}"].namn, k[f"avrakning:{LAKEMEDEL}"].belopp_kr) == (
        "Avräkning: Läkemedelsleveranser", D(-161000))
    assert k[f"avrakning:{SPEC}"].namn == "Avräkning: Utbildningsbefattningar: Specialistutbildning sjuksköterskor"


def test_regionhalsans_komponentnamn_ar_bara_kvartalen(uppdrag, priser):
    """Regelboken §19: en utbetalning har bara de slag av komponenter som uppdraget har; RH har bara 1177,
    så namnen är kvartalens (Q1 och Q2 har resultat i uttaget), inget för ett anslag som inte finns."""
    b = berakna(uppdrag, priser, "RH", None, None, 6, malrelaterad=ANDELAR_1177)
    assert komponentnamn(b) == {"malrelaterad:2026-Q1": "Målrelaterad ersättning 1177: 2026-Q1",
                                "malrelaterad:2026-Q2": "Målrelaterad ersättning 1177: 2026-Q2"}


def test_en_komponent_bara_i_journalen_heter_sitt_id(uppdrag, priser):
    """Journalen har betalt avräkning för läkemedel (−161 000 kr i april), men maj räknas utan
    avräkningsutfall: posten finns inte i beräkningen och har inget namn, så raden heter sitt id (som
    tabellen visar den, docs/json.md: `namn` är namnet som tabellen visar). §19: rätten 0 − betalt
    −161 000 = +161 000 kr."""
    b = berakna(uppdrag, priser, "SV", None, None, 5)
    betalt = {"anslag": D(1105955668), f"avrakning:{LAKEMEDEL}": D(-161000)}
    k = {x.komponent: x for x in utbetala(b, 5, betalt).komponenter}
    rad = k[f"avrakning:{LAKEMEDEL}"]
    assert (rad.namn, rad.ratt_kr, rad.betalt_kr, rad.belopp_kr) == (
        f"avrakning:{LAKEMEDEL}", 0, D(-161000), D(161000))
    # Anslaget t.o.m. maj 5 × 276 488 917 = 1 382 444 585 − 1 105 955 668 = 276 488 917 kr.
    assert (k["anslag"].namn, k["anslag"].belopp_kr) == ("Anslag", D(276488917))


# --- utbetalning: berakna --------------------------------------------------------------------------


def test_antagandena_i_nummerordning_med_ett_tvasiffrigt(uppdrag, priser):
    """Hud med antagandet A11 på raden (i stället för inget): planen för året ersätter BUP (A1),
    hud (A11) och basmodellen årsbas (A2). Nummerordning A1, A2, A11 – inte som text (A1, A11, A2)."""
    sv = uppdrag.utforare["SV"]
    rader = {**sv.volymer.rader, HUD: sv.volymer.rader[HUD].model_copy(update={"antagande": "A11"})}
    andrad = _med_utforare(uppdrag, "SV", sv.model_copy(
        update={"volymer": sv.volymer.model_copy(update={"rader": rader})}))
    assert list(berakna(andrad, priser, "SV").antaganden) == ["A1", "A2", "A11"]


def test_ram_utan_volymer_ger_anslag_och_kvartalen_i_sparet(uppdrag, priser):
    """RH med ram 12 000 tkr, 100 % fast andel och inga volymer: uppdraget har en ram, så beräkningen har
    anslag (bara en utförare utan både volymer och ram saknar det): 12 000 × 1 000 / 12 = 1 000 000 kr i
    månaden (§6), t.o.m. juni 6 000 000 kr; tillägget 0 (inga rader). Juni (§19, utan journal):
    anslaget 6 000 000 − 5 000 000 = 1 000 000; Q1 675 000 (2,70 mnkr / 4, 100 %) redan betalt i mars;
    Q2 0,95 × 675 000 = 641 250 kr. Summa 1 641 250 kr. Med en skrivare antecknas kvartalen."""
    s = Spar("RH")
    b = berakna(_rh_med_ram(uppdrag), priser, "RH", None, None, 6, malrelaterad=ANDELAR_1177, spar=s)
    assert b.har_ersattning and b.anslag.manader[:6] == (D(1000000),) * 6
    assert (b.utbetalning.anslag_kr, b.utbetalning.tillagg_kr, b.summa_kr) == (D(6000000), 0, D(6000000))
    u = utbetala(b, 6)
    assert {k.komponent: k.belopp_kr for k in u.komponenter} == {
        "anslag": D(1000000), "malrelaterad:2026-Q1": 0, "malrelaterad:2026-Q2": D(641250)}
    assert (u.anslag_kr, u.malrelaterad_kr, u.summa_kr) == (D(1000000), D(641250), D(1641250))
    assert (s.figurer[("malrelaterad", 1)].varde, s.figurer[("malrelaterad", 2)].varde) == (D(675000), D(641250))


def test_regionhalsan_utan_uttag_har_inga_manader_utan_data(uppdrag, priser):
    """RH (bara 1177) räknad utan utfall: inga komponenter enligt §4–§7 och inga månader som saknar
    produktion (det finns ingen produktion att sakna)."""
    b = berakna(uppdrag, priser, "RH", None, None, 6)
    assert (b.tillagg, b.anslag, b.avrakning, b.utbetalning, b.manader_utan_data) == (None, None, None, None, ())


# --- utbetalning: berakna_utbetalning och Utbetalning.avrundad ---------------------------------------


def test_summan_utan_manader_galler_ingen_manad(uppdrag, priser):
    """Beräknat t.o.m. månad 0 (före januari): inga månader, summan 0 kr, och summans nod i spåret heter
    bara "Summa utbetalt" – inte "t.o.m. december", en månad som inte är räknad."""
    s = Spar("SV")
    b = berakna(uppdrag, priser, "SV", None, None, 0, spar=s)
    assert b.utbetalning.manader == () and b.summa_kr == 0
    assert (s.figurer[("summa",)].namn, s.figurer[("summa",)].varde) == ("Summa utbetalt", 0)


def test_manader_redan_i_oren_avrundas_inte_till_oren():
    """Anslaget 0,50 och 0,25 kr (januari, februari). Till hela kronor (§1, half up, kumulativt):
    januari avrunda(0,50) = 1, februari avrunda(0,75) − 1 = 1 − 1 = 0, och spåret har de avrundade
    månaderna. Till öre är månaderna redan hela ören: de är som de är och ingen avrundad månad antecknas."""
    u = Utbetalning((Manadsutbetalning(1, D("0.50"), D(0), None), Manadsutbetalning(2, D("0.25"), D(0), None)), False)
    s = Spar()
    assert [m.anslag_kr for m in u.avrundad(0, s).manader] == [1, 0]
    assert s.figurer[("avrundad", "anslag", 1)].varde == 1
    s = Spar()
    assert u.avrundad(2, s).manader == u.manader
    assert not any(n[0] == "avrundad" for n in s.figurer)


# --- parametrar: målvärdet för en indikator utan enhet ---------------------------------------------


def test_malvardet_utan_enhet_i_sparet(sv, priser):
    """Förstärkt IVA-beredskapsplan (ja/nej, målvärde Ja, ingen enhet i uppdraget) bedömd för 2026 med
    utfallet Ja: Ja = Ja, uppfyllt; målvärdets nod i förklaringen har ingen enhet (som utfallets)."""
    from vgr_ersattning.kalkyl.period import tolka
    from vgr_ersattning.kalkyl.uppfoljning import berakna_uppfoljning

    iid = "forstarkt_iva_beredskapsplan"
    s = Spar("SV")
    (b,) = berakna_uppfoljning({iid: sv.indikatorer.lista[iid]}, {iid: {"2026": "Ja"}}, tolka("2026"),
                               malvarden=utgangslage(sv, priser, "SV").malvarde, spar=s)
    utfall, mal = s.figurer[("indikator", iid)].delar
    assert b.status == "uppfyllt"
    assert (mal.namn, mal.varde, mal.enhet, utfall.enhet) == ("Målvärde", "Ja", "", "")


# --- volymer: radkontrollen (§3) ---------------------------------------------------------------------


def test_radkontrollen_har_samma_id_nar_en_rad_inte_stammer(sv):
    """§3: uppdrag = bas + tillägg. Hud i SV: 3 858 + 1 642 = 5 500; med uppdraget 5 501 stämmer raden
    inte (differens 5 500 − 5 501 = −1). Kontrollen heter `volymer.rader` både när alla rader stämmer och
    när en inte gör det (id:t i `kontrollera`:s JSON)."""
    from vgr_ersattning.kalkyl.volymer import kontrollera_rader

    vag = ("utforare", "SV", "volymer")
    (ok,) = kontrollera_rader(sv.volymer, vag)
    rader = {**sv.volymer.rader, HUD: sv.volymer.rader[HUD].model_copy(update={"uppdrag": 5501})}
    (fel,) = kontrollera_rader(sv.volymer.model_copy(update={"rader": rader}), vag)
    assert (ok.id, ok.ok) == ("volymer.rader", True)
    assert (fel.id, fel.ok, fel.meddelande, fel.differens) == (
        "volymer.rader", False, f"{HUD}: bas + tillägg (5 500) ≠ uppdrag (5 501)", -1)


def test_summakontrollen_for_en_grupp_utan_rader_har_summornas_id(sv):
    """§3: varje tryckt gruppsumma är summan av sina rader. En tryckt grupp `somatik.saknas` (0 / 0 / 0)
    som inga rader hör till är ett fel i samma kontroll som de andra gruppsummorna, `volymer.summa`;
    gruppen somatik (77 190 = 56 502 + 20 688 i SV) stämmer."""
    from vgr_ersattning.kalkyl.volymer import kontrollera_totaler
    from vgr_ersattning.modell import Summa

    totaler = {**sv.volymer.totaler, "somatik.saknas": Summa(uppdrag=0, bas=0, tillagg=0)}
    ut = {k.namn: k for k in kontrollera_totaler(sv.volymer.model_copy(update={"totaler": totaler}),
                                                 ("utforare", "SV", "volymer"))}
    saknas, somatik = ut["Summa somatik.saknas"], ut["Summa somatik"]
    assert (saknas.id, saknas.ok, saknas.meddelande, saknas.sokvag) == (
        "volymer.summa", False, "somatik.saknas: gruppen har inga rader i volymtabellen",
        ("utforare", "SV", "volymer", "totaler", "somatik.saknas"))
    assert (somatik.id, somatik.ok, somatik.meddelande) == ("volymer.summa", True, "somatik: 77 190 = 56 502 + 20 688")
