"""Månadens rapport till nämnden (regelboken §25), ur `kommandon.rapport.Manadsrapport`: ett avsnitt
per del (en sida i HTML:s utskrift), byggt av samma tabeller som `utbetala`, `prognos`, `avrakning`
och `uppfoljning` visar, och förklaringen av varje siffra som kan förklaras."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import groupby

from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.pengar import svensk
from vgr_ersattning.rapport.avrakning import avrakningstabell
from vgr_ersattning.rapport.beslut import beslutstabell
from vgr_ersattning.rapport.granskning import indikatortabell
from vgr_ersattning.rapport.modell import (
    ALLA,
    ANDEL,
    ANTAL,
    CSV,
    GRUPP,
    ID,
    KR,
    MASKIN,
    NAMN,
    RAD,
    SKARM,
    STAPEL,
    SUMMA,
    XLSX,
    Avsnitt,
    Bild,
    Cell,
    Fakta,
    Kallor,
    Kolumn,
    Manad,
    Not,
    Redovisning,
    Tabell,
    rad,
)
from vgr_ersattning.rapport.prognos import agera_tabell, manadstabell, prognostabell
from vgr_ersattning.rapport.utbetalning import utbetalningstabell

_AR_HITTILLS = (Kolumn("id", "Id", ID, visas=MASKIN), Kolumn("namn", "Komponent", NAMN),
                Kolumn("betalt_fore_kr", "Betalt före månaden", KR), Kolumn("belopp_kr", "Månadens belopp", KR),
                Kolumn("hittills_kr", "Hittills i år", KR))


def _ar_hittills(r, manad: Manad) -> Tabell:
    """Månadens utbetalning och året hittills per del (anslag, tillägg, avräkning) och totalt."""
    figur = {"anslag": ("anslag", f"anslag.{manad}"), "tillagg": ("tillagg", None),
             "summa": (None, f"utbetalning.{manad}")}
    rader = []
    for i, namn, betalt, belopp, hittills in r.ar_hittills:
        hittills_figur, belopp_figur = figur.get(i, (None, None))
        rader.append(rad(_AR_HITTILLS, {"id": i, "namn": namn, "betalt_fore_kr": betalt,
                                        "belopp_kr": Cell(belopp, figur=belopp_figur),
                                        "hittills_kr": Cell(hittills, figur=hittills_figur)},
                         roll=SUMMA if i == "summa" else RAD, stil="bold" if i == "summa" else None,
                         sektion=i == "summa", visas=ALLA if i != "summa" else SKARM | {XLSX}))
    return Tabell("Året hittills", f"Utbetalt till och med {manad.lang} (kr)", _AR_HITTILLS, tuple(rader),
                  noter=(Not("Hittills i år: det som betalats för månaderna före och månadens belopp, per del av "
                             "ersättningen."),))


_PRODUKTION = (
    Kolumn("id", "Id", ID, visas=MASKIN),
    Kolumn("namn", "Rad", NAMN),
    Kolumn("plan_manad", "Plan i månaden", ANTAL, kort="Plan månad"),
    Kolumn("utfall_manad", "Utfall i månaden", ANTAL, kort="Utfall månad"),
    Kolumn("plan_hittills", "Plan hittills", ANTAL),
    Kolumn("utfall_hittills", "Utfall hittills", ANTAL),
    Kolumn("maluppfyllelse", "Måluppfyllelse hittills", ANDEL, kort="Måluppf.", tom="–"),
)


def _heltal(v: Decimal) -> Cell:
    """Planens bråk (tolftedelar) som hela enheter för människor, exakt för maskiner."""
    return Cell(v, text=svensk(v, 0))


def produktionstabeller(r) -> tuple[Tabell, Tabell]:
    """Regelboken §5: produktionen mot planen per kategori (med en bild) och per rad, månaden och
    hittills i år. Rader utan plan och utan utfall står bara i arbetsboken och CSV."""
    kat = []
    for i, namn, plan_m, utfall_m, plan, utfall in r.kategorier:
        kat.append(rad(_PRODUKTION, {"id": i, "namn": namn, "plan_manad": _heltal(plan_m), "utfall_manad": utfall_m,
                                     "plan_hittills": _heltal(plan), "utfall_hittills": utfall,
                                     "maluppfyllelse": Decimal(utfall) / plan if plan else None}))
    bild = Bild(f"Måluppfyllelse hittills per kategori, {Manad(r.ar, r.manad).lang} (utfall / plan)", STAPEL, "namn",
                (("Måluppfyllelse hittills", "maluppfyllelse"),), "%")
    kategorier = Tabell("Produktion per kategori", "Produktion mot plan per kategori (antal)", _PRODUKTION, tuple(kat),
                        bild=bild, noter=(Not("Måluppfyllelse: utfall hittills / plan hittills (regelboken §5); "
                                              "planen är uppdraget fördelat över året."),))
    rader = []
    for k, krader in groupby(r.produktion, key=lambda x: x.id.rsplit(".", 1)[0]):
        rader.append(rad(_PRODUKTION, {"namn": r.kategorinamn(k)}, roll=GRUPP, stil="bold", sektion=True))
        for x in krader:
            synlig = x.plan_hittills or x.utfall_hittills or x.bas or x.tillagg
            rader.append(rad(_PRODUKTION, {
                "id": x.id, "namn": x.namn, "plan_manad": _heltal(x.plan_manad), "utfall_manad": x.utfall_manad,
                "plan_hittills": _heltal(x.plan_hittills), "utfall_hittills": x.utfall_hittills,
                "maluppfyllelse": x.maluppfyllelse}, niva=1, visas=None if synlig else MASKIN))
    plan = sum((x.plan_hittills for x in r.produktion), Decimal(0))
    utfall = sum(x.utfall_hittills for x in r.produktion)
    rader.append(rad(_PRODUKTION, {"id": "Totalt", "namn": Cell("Totalt", visas=SKARM),
                                   "plan_manad": _heltal(sum((x.plan_manad for x in r.produktion), Decimal(0))),
                                   "utfall_manad": sum(x.utfall_manad for x in r.produktion),
                                   "plan_hittills": _heltal(plan), "utfall_hittills": utfall,
                                   "maluppfyllelse": Decimal(utfall) / plan if plan else None},
                     roll=SUMMA, stil="bold", sektion=True))
    dolda = sum(1 for x in r.produktion if not (x.plan_hittills or x.utfall_hittills or x.bas or x.tillagg))
    noter = [Not("Planen i månaden och hittills är hela enheter avrundade för läsaren; arbetsboken och JSON har de "
                 "exakta tolftedelarna.", visas=SKARM)]
    if dolda:
        noter.append(Not(f"{dolda} rader utan uppdrag och utan utfall visas inte (alla står i arbetsboken och JSON).",
                         visas=SKARM))
    per_rad = Tabell("Produktion per rad", f"Produktion mot plan per rad, {Manad(r.ar, r.manad).lang} och hittills i år "
                                           "(antal)", _PRODUKTION, tuple(rader), noter=tuple(noter))
    return kategorier, per_rad


def rapport(rapport) -> Redovisning:
    r = rapport.resultat
    b = r.berakning
    manad = Manad(r.ar, r.manad)
    kallor = Kallor(rapport.kalla)
    u = r.utbetalning
    utb = utbetalningstabell(u, kallor)
    avsnitt = [Avsnitt(f"Utbetalning {manad.lang}", (utb, _ar_hittills(r, manad)), inledning=(
        f"Månadens rapport till nämnden för {r.namn} ({r.utforare}), {manad.lang}: utbetalningen per komponent "
        "(regelboken §19), produktionen mot planen (§5), prognosen för året (§16), avräkningen (§7), "
        "uppföljningen (§10) och besluten som gäller (§18). I HTML öppnar varje understruken siffra sin förklaring.",
        "Underlag: " + ", ".join(r.indata) + "."))]
    kategorier, per_rad = produktionstabeller(r)
    avsnitt.append(Avsnitt("Produktion mot plan", (kategorier,)))
    avsnitt.append(Avsnitt("Produktion mot plan per rad", (per_rad,)))
    p = r.prognos
    pr = p.resultat
    sista = MANADSNAMN[pr.till_och_med - 1]
    manader = replace(manadstabell(r.ar, pr, visas=ALLA - {CSV}), titel=f"Prognos för {r.ar}: produktion hittills "
                      f"per månad, alla rader (utfall januari–{sista}, prognos därefter)", fakta=(
        Fakta("Tilläggsersättning för året, prognos (kr)", pr.tillagg_kr, KR, visas=ALLA),
        Fakta("Rader som inte når basen", len(pr.nar_inte_basen), ANTAL, visas=ALLA),
        Fakta("Rader som når taket före december", len(pr.nar_taket_tidigt), ANTAL, visas=ALLA),
        Fakta("Rader med produktion utan ersättning", len(pr.utan_ersattning), ANTAL, visas=ALLA)))
    agera = agera_tabell(r.ar, pr, visas=ALLA - {CSV})
    avsnitt.append(Avsnitt(f"Prognos för {r.ar}", (manader,)))
    avsnitt.append(Avsnitt("Prognos: rader att agera på", (agera,)))
    per_rad = prognostabell(r.ar, p.namn, pr, p.grupper, kallor,
                            endast=lambda x: bool(x.bas or x.tillagg or x.utfall or x.prognos_antal))
    avsnitt.append(Avsnitt(f"Prognos per rad {r.ar}", (per_rad,)))
    if r.avrakningsmanad:
        if b.avrakning is not None:
            avsnitt.append(Avsnitt(f"Avräkning {manad.lang}", (avrakningstabell(b.avrakning, r.ar, r.utforare, kallor),)))
        else:
            avsnitt.append(Avsnitt(f"Avräkning {manad.lang}", (), inledning=(
                f"{manad.lang.capitalize()} är en avräkningsmånad (regelboken §7), men utfallet har inget "
                "avräkningsutfall (avsnittet avrakning i en utfallsfil); ingen reglering är räknad.",)))
    for t in r.uppfoljning:
        tabell = indikatortabell(f"Uppföljning {t.period}: indikatorerna som ska rapporteras", t.bedomningar, kallor,
                                 r.utforare, namn=f"Uppföljning {t.period}")
        avsnitt.append(Avsnitt(f"Uppföljning {t.period}", (_med_figurer(tabell, t.period),)))
    beslut = beslutstabell(b, rapport.kalla, kallor)
    efter = u.resultat.efterreglering_kr
    inledning = () if beslut is not None else (f"Inga beslut under {r.ar} ändrar uppdraget eller priserna i "
                                               "beräkningen.",)
    if efter:
        inledning += (f"Efterreglering i {manad.lang}: {svensk(efter)} kr av månadens utbetalning räknar om "
                      "redan bokförda månader efter ett beslut som gäller bakåt (regelboken §23).",)
    avsnitt.append(Avsnitt("Beslut och efterreglering", (beslut,) if beslut is not None else (), inledning=inledning))
    return Redovisning(f"Månadens rapport {manad.lang}: {r.namn} ({r.utforare})", tuple(avsnitt),
                       antaganden=r.antaganden, kallor=tuple(kallor.rader), forklaringar=r.forklaringar)


def _med_figurer(t: Tabell, period) -> Tabell:
    """Indikatorernas utfall öppnar sin förklaring (`forklara ID --period`)."""
    i_id, i_utfall = t.index("id"), t.index("utfall")
    rader = []
    for x in t.rader:
        celler = list(x.celler)
        iid = celler[i_id]
        if isinstance(iid, str) and iid:
            c = celler[i_utfall] if isinstance(celler[i_utfall], Cell) else Cell(celler[i_utfall])
            celler[i_utfall] = replace(c, figur=f"{iid}@{period}")
        rader.append(replace(x, celler=tuple(celler)))
    return replace(t, rader=tuple(rader))
