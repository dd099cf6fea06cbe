"""Rapporterna för ersättningen: `berakna` (tillägg, anslag och utbetalning per månad)
och `utbetala` (regelboken §4–§6, §19, med 1177-kvartalen §9), med avräkningen (§7, `rapport.avrakning`)
och besluten som gäller (§18, `rapport.beslut`).

Varje byggare tar kommandots `visning.Rapport` (resultatet och källornas upplösare) och ger en
`Redovisning`; skrivarna i `visning` skriver den i varje format.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import groupby
from typing import Any, Optional

from vgr_ersattning import pengar
from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.kalkyl.utbetalning import ANTAGANDE_1177, forfallna_kvartal
from vgr_ersattning.rapport.avrakning import avrakningstabell
from vgr_ersattning.rapport.beslut import beslutstabell
from vgr_ersattning.rapport.modell import (
    ALLA,
    ANDEL,
    ANTAL,
    BOK,
    CSV,
    GRUPP,
    ID,
    JANEJ,
    KR,
    LINJE,
    MANAD,
    MASKIN,
    NAMN,
    SKARM,
    SUMMA,
    TAL,
    TEXT,
    TKR,
    XLSX,
    Bild,
    Cell,
    Fakta,
    Kallor,
    Kolumn,
    Manad,
    Not,
    Redovisning,
    Tabell,
    en_del,
    rad,
)
from vgr_ersattning.visning.jsonformat import bokfort_for

NOLL = Decimal(0)
_BOK_OCH_TERMINAL = SKARM | {XLSX}

# --- berakna -----------------------------------------------------------------------------------------

_RADER = (
    Kolumn("id", "Id", ID, visas=MASKIN),
    Kolumn("namn", "Rad", NAMN),
    Kolumn("bas", "Bas", ANTAL),
    Kolumn("tillagg", "Tillägg", ANTAL),
    Kolumn("utfall", "Utfall", ANTAL),
    Kolumn("plan", "Plan", ANTAL, visas=frozenset({XLSX})),
    Kolumn("ersatta", "Ersatta", ANTAL),
    Kolumn("priskategori", "Priskategori", TEXT, visas=frozenset({XLSX})),
    Kolumn("pris_kr", "Pris", KR, kort="Pris kr"),
    Kolumn("belopp_kr", "Belopp", KR, kort="Belopp kr"),
    Kolumn("maluppfyllelse", "Måluppfyllelse", ANDEL, kort="Måluppf.", tom="–"),
    Kolumn("antagande", "Antagande", TEXT, visas=frozenset({XLSX})),
    Kolumn("kalla", "Källa", TEXT, visas=frozenset({CSV})),
    Kolumn("plats", "Plats", TEXT, visas=frozenset({CSV})),
)

FORKLARA_ERSATTA = ("Ersatta: enheterna över basen, högst tillägget, som betalas (regelboken §4). Måluppf. "
                    "(måluppfyllelse): utfall hittills / plan hittills, där planen är uppdraget fördelat över "
                    "året (§5); – när planen hittills är 0.")
PLANEN = "Planen: produktion = uppdrag (bas + tillägg) på varje rad, så hela tillägget betalas."


def _plan_kolumner(plan_hela_aret: bool) -> tuple[Kolumn, ...]:
    """Planen för hela året: utfallet är uppdraget, och ersatta och måluppfyllelse (tillägget och
    100 % på varje rad) visas inte i terminalen och HTML."""
    if not plan_hela_aret:
        return _RADER
    ut = []
    for k in _RADER:
        if k.nyckel == "utfall":
            k = Kolumn(k.nyckel, k.rubrik, k.slag, kort="Uppdrag")
        elif k.nyckel in ("ersatta", "maluppfyllelse"):
            k = Kolumn(k.nyckel, k.rubrik, k.slag, kort=k.kort, visas=MASKIN, tom=k.tom)
        ut.append(k)
    return tuple(ut)


def rubrik(b) -> str:
    t = b.tillagg
    if t.ar_plan and t.till_och_med == 12:
        return f"{b.namn} ({b.utforare}) – plan {b.ar}"
    return (f"{b.namn} ({b.utforare}) – " + ("plan" if t.ar_plan else "utfall")
            + f" till och med {MANADSNAMN[t.till_och_med - 1]} {b.ar}")


def tillaggstabell(b, kallor: Kallor) -> Tabell:
    """Raderna grupperade per verksamhet och kategori, med delsummor, och totalen (§4)."""
    t, uid = b.tillagg, b.utforare
    plan = t.ar_plan and t.till_och_med == 12
    kol = _plan_kolumner(plan)
    grupper = {g.id: g for g in t.grupper}

    def summa(etikett: str, g, **egenskaper):
        return rad(kol, {"namn": etikett, "bas": g.bas, "tillagg": g.tillagg, "utfall": g.utfall,
                         "ersatta": g.ersatta, "belopp_kr": g.belopp_kr, "maluppfyllelse": g.maluppfyllelse},
                   **egenskaper)

    rader = []
    for v, vrader in groupby(t.rader, key=lambda r: r.id.split(".")[0]):
        rader.append(rad(kol, {"namn": grupper[v].namn}, roll=GRUPP, stil="bold", sektion=True))
        for k, krader in groupby(vrader, key=lambda r: r.id.rsplit(".", 1)[0]):
            rader.append(rad(kol, {"namn": grupper[k].namn}, roll=GRUPP, niva=1, stil="bold"))
            for r in krader:
                plats, dok = kallor("Rader", r.id, "bas, tillägg och uppdrag", "uppdrag",
                                    ("utforare", uid, "volymer", "rader", r.id))
                kallor("Rader", r.id, f"pris ({r.priskategori})", "priser", r.pris_sokvag)
                if not t.ar_plan:
                    kallor("Rader", r.id, "utfall", "utfall", ("produktion", uid, r.id))
                namn = Cell(r.namn, text=f"{r.namn} ({r.antagande})" if r.antagande else None)
                rader.append(rad(kol, {"id": r.id, "namn": namn, "bas": r.bas, "tillagg": r.tillagg,
                                       "utfall": r.utfall, "plan": r.plan, "ersatta": r.ersatta,
                                       "priskategori": r.priskategori, "pris_kr": r.pris_kr,
                                       "belopp_kr": Cell(r.belopp_kr, figur=r.id),
                                       "maluppfyllelse": r.maluppfyllelse, "antagande": r.antagande or "",
                                       "kalla": dok, "plats": plats}, niva=2))
            rader.append(summa(f"Summa {grupper[k].namn.lower()}", grupper[k], roll=GRUPP, niva=1, stil="italic"))
        rader.append(summa(f"Summa {grupper[v].namn.lower()}", grupper[v], roll=GRUPP, stil="bold"))
    total = t.total
    # I arbetsboken står summan av utfall och ersatta bara när den är exakt (heltal); planens bråk
    # summeras inte där.
    exakt = _bara_heltal(total.utfall), _bara_heltal(total.ersatta)
    rader.append(rad(kol, {"id": "Totalt", "namn": Cell("Totalt", visas=SKARM), "bas": total.bas,
                           "tillagg": total.tillagg, "utfall": Cell(total.utfall, visas=exakt[0]),
                           "ersatta": Cell(total.ersatta, visas=exakt[1]), "belopp_kr": Cell(t.summa_kr, figur="tillagg"),
                           "maluppfyllelse": t.maluppfyllelse}, roll=SUMMA, stil="bold", sektion=True))
    noter = [Not(PLANEN, "")] if t.ar_plan and t.till_och_med == 12 else [Not(FORKLARA_ERSATTA)]
    if t.ar_plan and t.till_och_med < 12:
        noter.insert(0, Not(PLANEN, ""))
    return Tabell("Rader", f"Tilläggsersättning: {rubrik(b)}", kol, tuple(rader), noter=tuple(noter))


def _bara_heltal(v) -> frozenset:
    return ALLA if Decimal(v) == Decimal(v).to_integral_value() else SKARM


_GRUPPER = (
    Kolumn("id", "Id", ID), Kolumn("namn", "Grupp", NAMN), Kolumn("bas", "Bas", ANTAL),
    Kolumn("tillagg", "Tillägg", ANTAL), Kolumn("utfall", "Utfall", ANTAL), Kolumn("ersatta", "Ersatta", ANTAL),
    Kolumn("belopp_kr", "Belopp", KR), Kolumn("maluppfyllelse", "Måluppfyllelse", ANDEL),
)


def gruppertabell(b) -> Tabell:
    t = b.tillagg
    rader = [rad(_GRUPPER, {"id": g.id, "namn": g.namn, "bas": g.bas, "tillagg": g.tillagg, "utfall": g.utfall,
                            "ersatta": g.ersatta, "belopp_kr": g.belopp_kr, "maluppfyllelse": g.maluppfyllelse})
             for g in t.grupper]
    exakt = _bara_heltal(t.total.utfall), _bara_heltal(t.total.ersatta)
    rader.append(rad(_GRUPPER, {"id": "Totalt", "bas": t.total.bas, "tillagg": t.total.tillagg,
                                "utfall": Cell(t.total.utfall, visas=exakt[0]),
                                "ersatta": Cell(t.total.ersatta, visas=exakt[1]), "belopp_kr": t.summa_kr,
                                "maluppfyllelse": t.maluppfyllelse}, roll=SUMMA))
    return Tabell("Grupper", f"Summor per verksamhet och kategori: {rubrik(b)}", _GRUPPER, tuple(rader),
                  visas=frozenset({XLSX}))


def manadstabell(b, arsplan: Optional[tuple]) -> Tabell:
    """Utbetalningen per månad: i terminalen hela kronor, i CSV och arbetsboken öre (båda avrundade
    kumulativt, så att varje kolumn summerar till sin summa), och i arbetsboken planen för året."""
    t, ar, tom = b.tillagg, b.ar, b.tillagg.till_och_med
    u0, u2 = b.utbetalning.avrundad(0), b.utbetalning.avrundad(2)
    avr = b.utbetalning.med_avrakning
    plan = None if t.ar_plan else arsplan
    med_avr = ALLA if avr else frozenset({CSV})
    kol = [Kolumn("manad", "Månad", MANAD), Kolumn("anslag_kr", "Anslag", KR), Kolumn("tillagg_kr", "Tillägg", KR),
           Kolumn("avrakning_kr", "Avräkning", KR, visas=med_avr), Kolumn("summa_kr", "Summa", KR),
           Kolumn("tillagg_hittills_kr", "Tillägg hittills", KR, visas=frozenset({XLSX}))]
    if plan is not None:
        kol += [Kolumn("plan_tillagg_kr", "Plan: tillägg", KR, visas=frozenset({XLSX})),
                Kolumn("plan_hittills_kr", "Plan: tillägg hittills", KR, visas=frozenset({XLSX}))]
    kol = tuple(kol)
    plan_ore = pengar.fordela_avrundning(plan, 2) if plan is not None else None
    rader = []
    hittills = plan_hittills = NOLL
    for m in range(1, 13):
        varden: dict[str, Any] = {"manad": Cell(Manad(ar, m), text=MANADSNAMN[m - 1])}
        if m <= tom:
            a, h = u2.manader[m - 1], u0.manader[m - 1]
            hittills += a.tillagg_kr
            varden.update({
                "anslag_kr": Cell(a.anslag_kr, text=pengar.svensk(h.anslag_kr)),
                "tillagg_kr": Cell(a.tillagg_kr, text=pengar.svensk(h.tillagg_kr)),
                "avrakning_kr": Cell(a.avrakning_kr, text=pengar.svensk(h.avrakning_kr)
                                     if h.avrakning_kr is not None else ""),
                "summa_kr": Cell(a.summa_kr, text=pengar.svensk(h.summa_kr), figur=f"utbetalning.{ar}-{m:02d}"),
                "tillagg_hittills_kr": hittills})
        if plan_ore is not None:
            plan_hittills += plan_ore[m - 1]
            varden.update({"plan_tillagg_kr": plan_ore[m - 1], "plan_hittills_kr": plan_hittills})
        if m <= tom:
            rader.append(rad(kol, varden, stil="red" if u0.manader[m - 1].tillagg_kr < 0 else None))
        elif plan_ore is not None:
            rader.append(rad(kol, varden, visas=frozenset({XLSX})))
    summa = {"manad": Cell("Summa", visas=SKARM | {XLSX}),
             "anslag_kr": Cell(u2.anslag_kr, text=pengar.svensk(u0.anslag_kr)),
             "tillagg_kr": Cell(u2.tillagg_kr, text=pengar.svensk(u0.tillagg_kr)),
             "avrakning_kr": Cell(u2.avrakning_kr, text=pengar.svensk(u0.avrakning_kr)),
             "summa_kr": Cell(u2.summa_kr, text=pengar.svensk(u0.summa_kr), figur="summa")}
    if plan_ore is not None:
        summa["plan_tillagg_kr"] = sum(plan_ore, NOLL)
    rader.append(rad(kol, summa, roll=SUMMA, stil="bold", sektion=True))
    return Tabell("Månader", "Utbetalning per månad (kr)", kol, tuple(rader), noter=tuple(_manadsnoter(b, plan)),
                  bild=_manadsbild(kol, t.ar_plan, plan is not None))


def _manadsbild(kol, ar_plan: bool, med_plan: bool) -> Bild:
    if ar_plan:
        serier = (("Plan: tilläggsersättning hittills", "tillagg_hittills_kr"),)
    else:
        serier = (("Utfall: tilläggsersättning hittills", "tillagg_hittills_kr"),)
        if med_plan:
            serier = (("Plan: tilläggsersättning hittills", "plan_hittills_kr"),) + serier
    return Bild("Tilläggsersättning hittills i år: plan mot utfall" if len(serier) > 1
                else "Tilläggsersättning hittills i år", LINJE, "manad", serier, "kr")


def ramnot(b) -> str:
    """Ersättningsramen och hur anslaget betalas (§6), med ramen som ett beslut ändrat (§18)."""
    a = b.anslag
    fast = pengar.svensk_procent(a.fast_andel_procent, 0)
    ram = _ram_per_manad(b.ikraft)
    if ram is None or len(set(ram)) == 1:
        return (f"Ersättningsram {pengar.svensk(a.ram_tkr)} tkr, anslag {fast} fast, betalt månadsvis "
                "(januari–november ram/12 avrundat, december resten).")
    forsta = next(m for m in range(1, 12) if ram[m] != ram[0]) + 1
    fore, fran = MANADSNAMN[forsta - 2], MANADSNAMN[forsta - 1]
    return (f"Ersättningsram {pengar.svensk(ram[0])} tkr till och med {fore}, {pengar.svensk(ram[11])} tkr från "
            f"{fran} (beslut under året, se Beslut i kraft); anslag {fast} fast, betalt månadsvis: januari–{fore} "
            f"ram/12 avrundat, från {fran} det som återstår av den nya ramen delat på årets återstående månader, "
            "december resten.")


def _ram_per_manad(ik) -> Optional[tuple]:
    """Ramen (tkr) som gäller varje månad efter besluten, eller None utan beslut."""
    ram = getattr(ik, "ram_tkr", None) if ik is not None else None
    if ram is None:
        return None
    return tuple(getattr(ram, "manader", ram))


def _manadsnoter(b, plan) -> list[Not]:
    t, ar = b.tillagg, b.ar
    noter = []
    if not b.utbetalning.ar_hela_kronor:
        noter.append(Not("Månadsbeloppen är avrundade till hela kronor så att varje kolumn summerar till sin "
                         "summarad (avrundning av den kumulativa summan, half up); de exakta beloppen är bråk.",
                         visas=SKARM))
    if any(v != pengar.avrunda(v, 2) for v in t.manader) or (plan is not None and
                                                          any(v != pengar.avrunda(v, 2) for v in plan)):
        noter.append(Not("Planens månadsbelopp är tolftedelar som inte är hela ören: de är avrundade till öre "
                         "kumulativt (varje månad är den avrundade summan hittills minus föregående månads, half "
                         "up), så att varje kolumn summerar exakt till sin summarad.", visas=frozenset({XLSX})))
    noter.append(Not(ramnot(b), ""))
    if t.ar_plan:
        noter.append(Not(f"Tilläggsersättning vid full leverans: {pengar.svensk(t.summa_kr)} kr", "bold",
                         visas=SKARM))
        noter.append(Not("Planen: produktionen är uppdraget (bas + tillägg) på varje rad, fördelad efter "
                         "planprofilen (regelboken §5).", visas=frozenset({XLSX})))
    elif plan is not None:
        noter.append(Not("Planen är `ersattning berakna` utan utfall: produktionen är uppdraget, fördelad efter "
                         "planprofilen (regelboken §5)" + (" – utan besluten under året." if b.ikraft is not None
                                                           else "."), visas=frozenset({XLSX})))
    if b.manader_utan_data:
        noter.append(Not("Utfallet har ingen produktion för " + ", ".join(MANADSNAMN[m - 1] for m in b.manader_utan_data)
                         + f" {ar}: de månaderna räknas som 0. `ersattning prognos` ger en prognos för dem.",
                         "bold yellow", visas=SKARM))
    return noter


_OVERSIKT = (Kolumn("uppgift", "Uppgift", TEXT), Kolumn("varde", "Värde", TAL, enhet=""),
             Kolumn("enhet", "Enhet", TEXT))


def oversikt(b, kallor: Kallor) -> Tabell:
    t, a, ar, uid = b.tillagg, b.anslag, b.ar, b.utforare

    def uppgift(namn, v, slag=TAL, enhet=""):
        return rad(_OVERSIKT, {"uppgift": namn, "varde": Cell(v, slag=slag), "enhet": enhet})
    rader = [uppgift("Utförare", f"{b.namn} ({uid})", TEXT), uppgift("År", str(ar), TEXT),
             uppgift("Till och med", str(Manad(ar, t.till_och_med)), TEXT),
             uppgift("Beräkning", "plan (produktion = uppdrag)" if t.ar_plan else "utfall", TEXT),
             uppgift("Tilläggsersättning", t.summa_kr, KR, "kr"),
             uppgift("Måluppfyllelse", t.maluppfyllelse, ANDEL, "andel"),
             uppgift("Ersättningsram", a.ram_tkr, TKR, "tkr"), uppgift("Anslag utbetalt", a.utbetalt_kr, KR, "kr")]
    if b.avrakning is not None:
        rader.append(uppgift("Avräkning", b.utbetalning.avrakning_kr, KR, "kr"))
    rader.append(uppgift("Summa utbetalt", b.summa_kr, KR, "kr"))
    if b.manader_utan_data:
        rader.append(uppgift("Månader utan utfall (räknas som 0)",
                             ", ".join(str(Manad(ar, m)) for m in b.manader_utan_data), TEXT))
    kallor("Översikt", "Ersättningsram", "ramen (tkr)", "uppdrag", ("utforare", uid, "ersattningsram", "belopp_tkr"))
    kallor("Översikt", "Anslag", "fast andel", "uppdrag", ("utforare", uid, "anslag", "fast_andel_procent"))
    return Tabell("Översikt", f"Tilläggsersättning, anslag och utbetalning: {rubrik(b)}", _OVERSIKT, tuple(rader),
                  visas=BOK, talformat_per_cell=True)


_ANSLAG = (Kolumn("manad", "Månad", MANAD), Kolumn("anslag_kr", "Anslag", KR))


def anslagstabell(b) -> Tabell:
    a, ar = b.anslag, b.ar
    rader = [rad(_ANSLAG, {"manad": Manad(ar, i + 1), "anslag_kr": Cell(v, figur=f"anslag.{ar}-{i + 1:02d}")})
             for i, v in enumerate(a.manader[:a.till_och_med])]
    rader.append(rad(_ANSLAG, {"manad": "Utbetalt hittills", "anslag_kr": Cell(a.utbetalt_kr, figur="anslag")},
                     roll=SUMMA))
    noter = (Not(f"Fast andel {pengar.svensk_procent(a.fast_andel_procent, 0)}. Januari–november ram × fast andel / 12 "
                 "avrundat till hela kronor (half up), december resten, så att de tolv månaderna summerar exakt till "
                 "ramen."),)
    return Tabell("Anslag", f"Anslaget per månad (regelboken §6): {b.namn} ({b.utforare}) {ar}", _ANSLAG,
                  tuple(rader), fakta=(Fakta("Ersättningsram (tkr)", a.ram_tkr, TKR),), noter=noter,
                  visas=frozenset({XLSX}))


_SUMMOR = (Kolumn("post", "Post", ID), Kolumn("varde", "Värde", TAL))


def summortabell(par: list[tuple[str, Any, str]]) -> Tabell:
    """CSV:s sista avsnitt `post,varde`, med JSON:s nyckelnamn."""
    return Tabell("Summor", "Summor", _SUMMOR,
                  tuple(rad(_SUMMOR, {"post": p, "varde": Cell(v, slag=s)}) for p, v, s in par),
                  visas=frozenset({CSV}))


def berakna(rapport) -> Redovisning:
    b = rapport.resultat
    t, a = b.tillagg, b.anslag
    kallor = Kallor(rapport.kalla)
    tabeller = [oversikt(b, kallor), tillaggstabell(b, kallor), gruppertabell(b),
                manadstabell(b, None if t.ar_plan else rapport.arsplan), anslagstabell(b)]
    if b.avrakning is not None:
        tabeller.append(avrakningstabell(b.avrakning, b.ar, b.utforare, kallor, visas=frozenset({XLSX})))
    beslut = beslutstabell(b, rapport.kalla, kallor)
    if beslut is not None:
        tabeller.append(beslut)
    summor = [("tillagg_kr", t.summa_kr, KR), ("maluppfyllelse", t.maluppfyllelse, ANDEL),
              ("ram_tkr", a.ram_tkr, TKR), ("anslag_utbetalt_kr", a.utbetalt_kr, KR)]
    if b.avrakning is not None:
        summor += [("avrakning_kr", b.utbetalning.avrakning_kr, KR),
                   ("summa_reglering_tkr", b.avrakning.summa_reglering_tkr, TKR)]
    summor.append(("summa_kr", b.summa_kr, KR))
    tabeller.append(summortabell(summor))
    return en_del(f"Tilläggsersättning, anslag och utbetalning: {rubrik(b)}", *tabeller, antaganden=b.antaganden,
                  kallor=tuple(kallor.rader))


# --- utbetala ----------------------------------------------------------------------------------------

_UTBETALA = (
    Kolumn("manad", "Månad", MANAD, visas=frozenset({CSV})),
    Kolumn("id", "Id", ID, visas=MASKIN),
    Kolumn("namn", "Komponent", NAMN),
    Kolumn("ratt_hittills_kr", "Rätt hittills", KR),
    Kolumn("betalt_fore_kr", "Betalt före", KR),
    Kolumn("belopp_kr", "Månadens belopp", KR),
    Kolumn("efterreglering_kr", "Varav efterreglering", KR, visas=MASKIN),
    Kolumn("manadens_kr", "Utom efterreglering", KR, visas=MASKIN),
    Kolumn("kreditering", "Kreditering", JANEJ, visas=MASKIN),
    Kolumn("bokfort_kr", "Bokfört", KR, visas=MASKIN),
)
UTBETALA_CSV = ("manad", "id", "ratt_hittills_kr", "betalt_fore_kr", "belopp_kr", "kreditering", "namn",
                "efterreglering_kr", "manadens_kr", "bokfort_kr")
EFTERREGLERING_NOT = ("Efterreglering: ett beslut som gäller från en månad som redan är bokförd räknar om de "
                      "bokförda månaderna, och skillnaden betalas (eller krediteras) i den här utbetalningen på en "
                      "egen rad, skild från månadens egen rätt.")
VARAV = "varav efterreglering av bokförda månader"


def utbetalningstabell(r, kallor: Kallor) -> Tabell:
    """Regelboken §19: varje komponent med rätten hittills, det betalda före och månadens belopp; i
    terminalen och HTML bara komponenter med rätt eller betalning."""
    u = r.resultat
    manad = Manad(u.ar, u.manad)
    rader = []
    for k in u.komponenter:
        visas = ALLA if (k.ratt_kr or k.betalt_kr) else MASKIN
        namn = k.namn or k.komponent
        # Ett 1177-kvartal betalas efter antagande A10, som namnet säger på skärmen.
        antagande = f" ({ANTAGANDE_1177})" if k.komponent.startswith("malrelaterad:") else ""
        rader.append(rad(_UTBETALA, {
            "manad": manad, "id": k.komponent,
            "namn": Cell(namn, text=namn + antagande + (" (kreditering)" if k.kreditering else "")),
            "ratt_hittills_kr": Cell(k.ratt_kr, figur=_figur_hittills(k.komponent)), "betalt_fore_kr": k.betalt_kr,
            "belopp_kr": Cell(k.belopp_kr, figur=_figur_manad(k.komponent, manad)),
            "efterreglering_kr": k.efterreglering_kr, "manadens_kr": k.manadens_kr, "kreditering": k.kreditering,
            "bokfort_kr": bokfort_for(r, k.komponent)}, stil="red" if k.kreditering else None, visas=visas))
        if k.efterreglering_kr:
            rader.append(rad(_UTBETALA, {"namn": VARAV, "belopp_kr": k.efterreglering_kr}, roll=GRUPP, niva=1,
                             stil="yellow"))
        _komponentens_kalla(kallor, u.utforare, k.komponent)
    # Summaraderna per slag som uppdraget har: en utförare med bara 1177 har ingen rad för anslag,
    # tillägg och avräkning.
    forsta = len(rader)
    if u.anslag_kr is not None:
        rader.append(rad(_UTBETALA, {"namn": "Anslag", "belopp_kr": u.anslag_kr}, roll=SUMMA))
    if u.tillagg_kr is not None:
        rader.append(rad(_UTBETALA, {"namn": "Tillägg", "belopp_kr": u.tillagg_kr}, roll=SUMMA))
    if u.avrakning_kr is not None:
        rader.append(rad(_UTBETALA, {"namn": "Avräkning", "belopp_kr": u.avrakning_kr}, roll=SUMMA,
                         visas=SKARM | {XLSX} if u.avrakning_kr else frozenset({XLSX})))
    if any(k.komponent.startswith("malrelaterad:") for k in u.komponenter):
        rader.append(rad(_UTBETALA, {"namn": "Målrelaterad ersättning 1177", "belopp_kr": u.malrelaterad_kr},
                         roll=SUMMA))
    rader.append(rad(_UTBETALA, {"namn": f"Att betala {manad.lang}",
                                 "belopp_kr": Cell(u.summa_kr, figur=f"utbetalning.{manad}"),
                                 "efterreglering_kr": u.efterreglering_kr, "bokfort_kr": r.bokfort_kr},
                     roll=SUMMA, stil="bold"))
    rader[forsta] = replace(rader[forsta], sektion=True)
    if u.efterreglering_kr:
        rader.append(rad(_UTBETALA, {"namn": VARAV, "belopp_kr": u.efterreglering_kr}, roll=GRUPP, niva=1,
                         stil="yellow"))
    fakta = [Fakta("Bokförd i journalen", r.bokford, JANEJ)]
    if r.kvittens:
        fakta.append(Fakta("Kvittens (spara den utanför journalen)", r.kvittens))
    if r.differens_kr is not None:
        fakta.append(Fakta("Differens mot det bokförda (kr)", r.differens_kr, KR))
    return Tabell("Utbetalning", f"Utbetalning {manad.lang}: {u.namn} ({u.utforare}) (kr)", _UTBETALA,
                  tuple(rader), fakta=tuple(fakta), noter=tuple(_utbetalningsnoter(r)), csv_ordning=UTBETALA_CSV)


def _figur_hittills(komponent: str) -> Optional[str]:
    """Siffran som förklarar en komponents rätt hittills (`ersattning forklara`); för ett 1177-kvartal
    kvartalets belopp (`malrelaterad.2026-Q1`)."""
    slag, _, id_ = komponent.partition(":")
    if slag == "malrelaterad":
        return f"malrelaterad.{id_}"
    return "anslag" if slag == "anslag" else (id_ if slag == "tillagg" else None)


def _figur_manad(komponent: str, manad: Manad) -> Optional[str]:
    """Siffran som förklarar en komponents belopp i månaden."""
    slag, _, id_ = komponent.partition(":")
    if slag == "anslag":
        return f"anslag.{manad}"
    return f"avrakning.{id_}.{manad}" if slag == "avrakning" else None


def _komponentens_kalla(kallor: Kallor, uid: str, komponent: str) -> None:
    slag, _, id_ = komponent.partition(":")
    if slag == "tillagg" and id_:
        kallor("Utbetalning", komponent, "bas och tillägg", "uppdrag", ("utforare", uid, "volymer", "rader", id_))
        kallor("Utbetalning", komponent, "utfall", "utfall", ("produktion", uid, id_))
    elif slag == "avrakning" and id_:
        kallor("Utbetalning", komponent, "nivå", "uppdrag", ("utforare", uid, "avrakning", "poster", id_, "niva_tkr"))
    elif slag == "anslag":
        kallor("Utbetalning", komponent, "ersättningsramen", "uppdrag", ("utforare", uid, "ersattningsram", "belopp_tkr"))
    elif slag == "malrelaterad" and id_:
        kallor("Utbetalning", komponent, "andel besvarade inom 8 minuter", "utfall",
               ("malrelaterad_1177", uid, int(id_.rpartition("Q")[2])))
        kallor("Utbetalning", komponent, "belopp och trappa", "uppdrag", ("utforare", uid, "malrelaterad_1177", "trappa"))


def _utbetalningsnoter(r) -> list[Not]:
    u = r.resultat
    manad = Manad(u.ar, u.manad).lang
    noter = []
    dolda = sum(1 for k in u.komponenter if not (k.ratt_kr or k.betalt_kr))
    if dolda:
        noter.append(Not(f"{dolda} komponenter utan rätt och utan betalning visas inte (alla står i JSON och CSV).",
                         visas=SKARM))
    if u.betalt_ur_journal:
        noter.append(Not("Betalt före: det som bokförts i utbetalningsjournalen för månaderna före.", ""))
    else:
        noter.append(Not("Ingen journal: \"betalt före\" är rätten t.o.m. månaden före, räknad ur samma utfall "
                         "(ange --journal FIL för det som faktiskt betalats).", "yellow"))
    if any(k.efterreglering_kr for k in u.komponenter):
        noter.append(Not(EFTERREGLERING_NOT, ""))
    noter += _noter_1177(u)
    if r.bokfort_kr is not None:
        noter.append(Not(f"{manad.capitalize()} är redan bokförd i journalen: bokfört {_kr(r.bokfort_kr)} kr; det "
                         f"nuvarande uttaget ger {_kr(u.summa_kr)} kr, skillnad {_kr(r.differens_kr)} kr (en skillnad "
                         "betalas i nästa månads utbetalning, aldrig genom att bokföra om månaden).", "bold yellow"))
        if r.kvittens:
            noter.append(Not(f"Kvittens för den bokförda månaden: {r.kvittens}", "", visas=SKARM))
    elif r.bokford:
        noter.append(Not(f"Bokförd i journalen: {manad}.", "bold green"))
        if r.kvittens:
            noter.append(Not(f"Kvittens: {r.kvittens}, spara den utanför journalen.", "bold", visas=SKARM))
    krediteringar = sum(1 for k in u.komponenter if k.kreditering)
    if krediteringar:
        noter.append(Not(f"{krediteringar} kreditering(ar): rätten hittills har sjunkit sedan det som betalats "
                         "(en revision av utfallet).", "bold red", visas=SKARM))
    return noter


def _noter_1177(u) -> list[Not]:
    """Antagande A10: varje förfallet 1177-kvartal som uttaget saknar resultat för och som inte är betalt
    (det betalas i den första utbetalningen vars uttag har det); för en utförare med bara 1177, före
    det första kvartalets sista månad, att inget har förfallit."""
    if u.berakning.malrelaterad is None:
        return []
    forfallna = forfallna_kvartal(u.ar, u.manad)
    if not forfallna and not u.berakning.har_ersattning:
        return [Not(f"Inget 1177-kvartal har förfallit t.o.m. {Manad(u.ar, u.manad).lang}: {u.ar}-Q1 förfaller i "
                    f"{Manad(u.ar, 3).lang} (antagande A10), och uppdraget har inget anslag och inget tillägg.", "")]
    kanda = {k.komponent for k in u.komponenter}
    saknas = [str(q) for q in forfallna if f"malrelaterad:{q}" not in kanda]
    if not saknas:
        return []
    return [Not(f"Uttaget har inget 1177-resultat för {', '.join(saknas)}: "
                f"{'kvartalet' if len(saknas) == 1 else 'kvartalen'} betalas i den första utbetalningen vars uttag "
                "har resultatet (antagande A10).", "bold yellow")]


def _kr(v: Decimal) -> str:
    return pengar.svensk(v, 0 if Decimal(v) == Decimal(v).to_integral_value() else 2)


def utbetala(rapport) -> Redovisning:
    r = rapport.resultat
    u = r.resultat
    kallor = Kallor(rapport.kalla)
    tabeller = [utbetalningstabell(r, kallor)]
    beslut = beslutstabell(u.berakning, rapport.kalla, kallor)
    if beslut is not None:
        tabeller.append(beslut)
    tabeller.append(summortabell([
        ("betalt_enligt", "journal" if u.betalt_ur_journal else "berakning", TEXT),
        ("bokford", "ja" if r.bokford else "nej", TEXT), ("kvittens", r.kvittens, TEXT),
        ("anslag_kr", u.anslag_kr, KR), ("tillagg_kr", u.tillagg_kr, KR), ("avrakning_kr", u.avrakning_kr, KR),
        ("malrelaterad_kr", u.malrelaterad_kr, KR), ("summa_kr", u.summa_kr, KR), ("efterreglering_kr", u.efterreglering_kr, KR),
        ("bokfort_kr", r.bokfort_kr, KR), ("differens_kr", r.differens_kr, KR)]))
    return en_del(f"Utbetalning {Manad(u.ar, u.manad).lang}: {u.namn} ({u.utforare})", *tabeller,
                  antaganden=r.antaganden, kallor=tuple(kallor.rader))
