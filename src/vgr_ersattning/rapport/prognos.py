"""Rapporterna för det som ännu inte hänt: `prognos` (regelboken §16, antagande A7), `jamfor` (§17)
och `scenario` (§11)."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.pengar import avrunda, maskin, svensk
from vgr_ersattning.rapport.modell import (
    ANDEL,
    ANTAL,
    BOK,
    CSV,
    GRUPP,
    HTML,
    ID,
    JANEJ,
    KR,
    LINJE,
    MANAD,
    MASKIN,
    NAMN,
    SKARM,
    SUMMA,
    TABELL,
    TAL,
    TEXT,
    XLSX,
    Bild,
    Cell,
    Kallor,
    Kolumn,
    Manad,
    Not,
    Redovisning,
    Tabell,
    en_del,
    rad,
)
from vgr_ersattning.visning.celler import procent_text, stapel, tal_text

NOLL = Decimal(0)

# --- prognos -----------------------------------------------------------------------------------------

_PROGNOS = (
    Kolumn("id", "Id", ID, visas=MASKIN),
    Kolumn("namn", "Rad", NAMN),
    Kolumn("utfall", "Utfall hittills", ANTAL, kort="Utfall"),
    Kolumn("plan_hittills", "Plan hittills", ANTAL, visas=MASKIN),
    Kolumn("takt", "Takt", ANDEL, kort="Mot plan hittills"),
    Kolumn("prognos_antal", "Prognos", ANTAL),
    Kolumn("bas", "Bas", ANTAL),
    Kolumn("tillagg", "Tillägg", ANTAL),
    Kolumn("ersatta", "Ersatta", ANTAL, visas=MASKIN),
    Kolumn("belopp_kr", "Prognos", KR, kort="Prognos kr"),
    Kolumn("utan_ersattning", "Utan ersättning", ANTAL, visas=MASKIN),
    Kolumn("tak_manad", "Når taket", MANAD, visas=MASKIN),
)
PROGNOS_CSV = ("id", "namn", "utfall", "plan_hittills", "takt", "prognos_antal", "ersatta", "belopp_kr",
               "utan_ersattning", "tak_manad")


def prognosrubrik(ar: int, namn: str, p) -> str:
    sista = MANADSNAMN[p.till_och_med - 1]
    rest = ((f"{MANADSNAMN[p.till_och_med]}–december" if p.till_och_med < 11 else "december")
            if p.till_och_med < 12 else "")
    return f"PROGNOS {ar}: {namn} ({p.utforare}) – utfall januari–{sista}" + (f", prognos {rest}" if rest else "")


def prognostabell(ar: int, namn: str, p, grupper, kallor: Kallor, endast=None) -> Tabell:
    """Raderna med årets prognos (§16); `endast` väljer rader som visas för människor (alla står i CSV
    och arbetsboken)."""
    rader = []
    for v, vrader in groupby(p.rader, key=lambda x: x.id.split(".")[0]):
        rader.append(rad(_PROGNOS, {"namn": grupper.get(v, v)}, roll=GRUPP, stil="bold", sektion=True))
        for k, krader in groupby(vrader, key=lambda x: x.id.rsplit(".", 1)[0]):
            rader.append(rad(_PROGNOS, {"namn": grupper.get(k, k)}, roll=GRUPP, niva=1, stil="bold"))
            for x in krader:
                andel = x.takt if x.plan_hittills else None
                rader.append(rad(_PROGNOS, {
                    "id": x.id, "namn": x.namn, "utfall": x.utfall, "plan_hittills": x.plan_hittills,
                    "takt": Cell(x.takt, text=f"{stapel(andel, 8)} {procent_text(andel)}"),
                    "prognos_antal": x.prognos_antal, "bas": x.bas, "tillagg": x.tillagg,
                    "ersatta": x.resultat.ersatta, "belopp_kr": Cell(x.belopp_kr, figur=f"prognos.{x.id}"),
                    "utan_ersattning": x.utan_ersattning,
                    "tak_manad": Manad(ar, x.tak_manad) if x.tak_manad else None},
                    niva=2, visas=None if endast is None or endast(x) else MASKIN))
                kallor("Rader", x.id, "bas och tillägg", "uppdrag", ("utforare", p.utforare, "volymer", "rader", x.id))
                kallor("Rader", x.id, "utfall", "utfall", ("produktion", p.utforare, x.id))
    rader.append(rad(_PROGNOS, {
        "id": "Totalt", "namn": Cell("Totalt", visas=SKARM), "utfall": sum(x.utfall for x in p.rader),
        "prognos_antal": sum(x.prognos_antal for x in p.rader), "bas": sum(x.bas for x in p.rader),
        "tillagg": sum(x.tillagg for x in p.rader), "belopp_kr": p.tillagg_kr,
        "utan_ersattning": sum(x.utan_ersattning for x in p.rader)}, roll=SUMMA, stil="bold", sektion=True))
    sista = MANADSNAMN[p.till_och_med - 1]
    noter = (Not(f"Prognos för tilläggsersättningen {ar}: {svensk(p.tillagg_kr)} kr (utfall t.o.m. {sista}, prognos "
                 "därefter). Stapeln: utfall mot plan hittills, │ = 100 %.", "bold", visas=frozenset({TABELL})),
             Not(f"Prognos: utfall t.o.m. {sista} {ar}, därefter planen gånger radens takt mot planen hittills, "
                 "avrundad half up till hela enheter (antagande A7). Takt: utfall hittills / plan hittills.",
                 visas=BOK))
    return Tabell("Rader", prognosrubrik(ar, namn, p), _PROGNOS, tuple(rader), noter=noter, csv_ordning=PROGNOS_CSV)


def listnoter(p) -> list[Not]:
    """Prognosens tre listor som noter i terminalen (§16)."""
    noter = []
    if p.nar_inte_basen:
        noter.append(Not("Når inte basen (inget tillägg i prognosen): "
                         + ", ".join(f"{x.namn} ({x.id}) {tal_text(x.prognos_antal)} ≤ bas {tal_text(x.bas)}"
                                     for x in p.nar_inte_basen), "yellow", visas=frozenset({TABELL})))
    if p.nar_taket_tidigt:
        noter.append(Not("Når taket (bas + tillägg) före december: "
                         + ", ".join(f"{x.namn} ({x.id}) i {MANADSNAMN[x.tak_manad - 1]}" for x in p.nar_taket_tidigt),
                         "yellow", visas=frozenset({TABELL})))
    if p.utan_ersattning:
        noter.append(Not("Produktion utan ersättning (över bas + tillägg): "
                         + ", ".join(f"{x.namn} ({x.id}) {tal_text(x.utan_ersattning)}" for x in p.utan_ersattning),
                         "yellow", visas=frozenset({TABELL})))
    return noter


_MANADER = (
    Kolumn("manad", "Månad", MANAD),
    Kolumn("plan", "Plan hittills", ANTAL, kort="Plan"),
    Kolumn("utfall", "Utfall hittills", ANTAL, visas=BOK),
    Kolumn("prognos", "Prognos hittills", ANTAL, kort="Utfall/prognos"),
    Kolumn("ar_prognos", "Prognos", JANEJ, visas=BOK),
    Kolumn("stapel", "", TEXT, visas=frozenset({TABELL}), hoger=True),
)


def manadstabell(ar: int, p, visas=SKARM | {XLSX}) -> Tabell:
    """Produktionen hittills per månad, alla rader: planen, utfallet och prognosen (§5, §16)."""
    hela_aret = p.plan_per_manad[11] or Decimal(1)
    rader = []
    for i in range(12):
        ar_prognos = i >= p.till_och_med
        v = p.prognos_per_manad[i]
        rader.append(rad(_MANADER, {
            "manad": Cell(Manad(ar, i + 1), text=MANADSNAMN[i] + (" (prognos)" if ar_prognos else "")),
            "plan": Cell(p.plan_per_manad[i], text=tal_text(avrunda(Decimal(p.plan_per_manad[i])))),
            "utfall": p.utfall_per_manad[i] if i < p.till_och_med else None,
            "prognos": Cell(v, text=tal_text(avrunda(Decimal(v)))), "ar_prognos": ar_prognos,
            "stapel": stapel(v / hela_aret, 20, Decimal("1.25"), "▒" if ar_prognos else "█")}))
    bild = Bild(f"Produktion hittills {ar}: plan, utfall och prognos", LINJE, "manad",
                (("Plan", "plan"), ("Utfall", "utfall"), ("Prognos", "prognos")), "antal")
    return Tabell("Månader", "Produktion hittills mot plan per månad (alla rader; █ utfall, ▒ prognos, │ = årets plan)",
                  _MANADER, tuple(rader), bild=bild, visas=visas,
                  noter=(Not("Planen: uppdraget fördelat efter planprofilen (regelboken §5); bråk av enheter står "
                             "med sex decimaler som i JSON.", visas=frozenset({XLSX})),))


_AGERA = (Kolumn("lista", "Lista", TEXT), Kolumn("id", "Id", ID), Kolumn("namn", "Rad", NAMN),
          Kolumn("antal", "Antal", ANTAL, enhet=""), Kolumn("manad", "Månad", MANAD))


def agera_tabell(ar: int, p, visas=BOK) -> Tabell:
    """Prognosens tre listor (§16): rader som inte når basen, som når taket före december och som
    producerar utan ersättning."""
    rader = [rad(_AGERA, {"lista": "Når inte basen", "id": x.id, "namn": x.namn, "antal": x.prognos_antal})
             for x in p.nar_inte_basen]
    rader += [rad(_AGERA, {"lista": "Når taket före december", "id": x.id, "namn": x.namn,
                           "manad": Manad(ar, x.tak_manad)}) for x in p.nar_taket_tidigt]
    rader += [rad(_AGERA, {"lista": "Produktion utan ersättning", "id": x.id, "namn": x.namn,
                           "antal": x.utan_ersattning}) for x in p.utan_ersattning]
    return Tabell("Att agera på", f"PROGNOS {ar}: rader att agera på ({p.utforare})", _AGERA, tuple(rader),
                  visas=visas,
                  noter=(Not("Antal: prognosen för året (når inte basen) eller produktionen över bas + tillägg "
                             "(utan ersättning).", visas=BOK),))


def prognos(rapport) -> Redovisning:
    r = rapport.resultat
    p, ar = r.resultat, r.ar
    kallor = Kallor(rapport.kalla)
    rader = prognostabell(ar, r.namn, p, r.grupper, kallor)
    rader = Tabell(rader.namn, rader.titel, rader.kolumner, rader.rader, noter=rader.noter + tuple(listnoter(p)),
                   csv_ordning=rader.csv_ordning)
    return en_del(prognosrubrik(ar, r.namn, p), rader, manadstabell(ar, p), agera_tabell(ar, p),
                  antaganden=r.antaganden, kallor=tuple(kallor.rader))


# --- jamfor ------------------------------------------------------------------------------------------

_JAMFOR = (
    Kolumn("id", "Id", ID, visas=MASKIN),
    Kolumn("namn", "Rad", NAMN),
    Kolumn("revision_kr", "Revision", KR),
    Kolumn("nya_manader_kr", "Nya månader", KR),
    Kolumn("forandring_kr", "Förändring", KR),
    Kolumn("utfall_fore", "Utfall före", ANTAL, visas=frozenset({XLSX})),
    Kolumn("utfall_efter_samma_manader", "Utfall efter, samma månader", ANTAL, visas=frozenset({XLSX})),
    Kolumn("utfall_efter", "Utfall efter", ANTAL, visas=frozenset({XLSX})),
    Kolumn("korsar", "Korsar", TEXT),
)


def jamfor(rapport) -> Redovisning:
    r = rapport.resultat
    j, ar = r.resultat, r.ar
    kallor = Kallor(rapport.kalla)
    a, b = MANADSNAMN[j.fore_till_och_med - 1], MANADSNAMN[j.efter_till_och_med - 1]
    rader = []
    for x in j.rader:
        andrad = bool(x.forandring_kr or x.revision_kr)
        rader.append(rad(_JAMFOR, {
            "id": x.id, "namn": Cell(x.namn, text=f"{x.namn} ({x.id})"), "revision_kr": x.revision_kr,
            "nya_manader_kr": x.nya_manader_kr, "forandring_kr": x.forandring_kr, "utfall_fore": x.utfall_fore,
            "utfall_efter_samma_manader": x.utfall_efter_a, "utfall_efter": x.utfall_efter,
            "korsar": Cell(tuple(x.korsar), etikett=" och ".join(x.korsar), stil="bold yellow" if x.korsar else None)},
            visas=None if andrad else MASKIN))
        kallor("Rader", x.id, "bas och tillägg", "uppdrag", ("utforare", j.utforare, "volymer", "rader", x.id))
        kallor("Rader", x.id, "utfall (det senare uttaget)", "utfall", ("produktion", j.utforare, x.id))
    rader.append(rad(_JAMFOR, {"id": "Totalt", "namn": Cell("Totalt", visas=SKARM), "revision_kr": j.revision_kr,
                               "nya_manader_kr": j.nya_manader_kr, "forandring_kr": j.forandring_kr},
                     roll=SUMMA, stil="bold", sektion=True))
    noter = [Not(f"Revision: ändrade värden för januari–{a}; nya månader: det bara det senare uttaget täcker. "
                 "Revision + nya månader = förändringen, exakt.", "")]
    oforandrade = sum(1 for x in j.rader if not (x.forandring_kr or x.revision_kr))
    if oforandrade:
        noter.append(Not(f"{oforandrade} rader är oförändrade (alla rader står i JSON och CSV).", visas=SKARM))
    korsar = [x for x in j.rader if x.korsar]
    if korsar:
        noter.append(Not("Rader där revisionen korsar basen eller taket, där en liten revision flyttar ett stort "
                         "belopp: " + ", ".join(f"{x.namn} ({x.id}): {' och '.join(x.korsar)}" for x in korsar),
                         "yellow", visas=SKARM))
    t = Tabell("Rader", f"Förändring av tilläggsersättningen hittills: uttaget t.o.m. {a} mot t.o.m. {b} {ar} (kr)",
               _JAMFOR, tuple(rader), noter=tuple(noter))
    return en_del(f"Jämförelse av två uttag: {j.utforare} {ar}", t, antaganden=r.antaganden,
                  kallor=tuple(kallor.rader))


# --- scenario ----------------------------------------------------------------------------------------

_ANDRINGAR = (Kolumn("scenario", "Scenario", NAMN, visas=BOK), Kolumn("id", "Rad/kategori", ID),
              Kolumn("falt", "Fält", TEXT), Kolumn("fran", "Från", TAL), Kolumn("till", "Till", TAL))
_SCENARIER = (
    Kolumn("namn", "Scenario", NAMN),
    Kolumn("forandring_plan_kr", "Förändring vid plan", KR),
    Kolumn("forandring_utfall_kr", "Förändring vid utfall", KR),
    Kolumn("kraver_namndbeslut", "Kräver nämndbeslut", JANEJ),
    Kolumn("andringar", "Ändringar", TEXT, visas=frozenset({CSV})),
)


def _volym_eller_belopp(v) -> str:
    """`maskin(v)` med en genväg för heltal (volymerna): samma text."""
    return str(v) if type(v) is int else maskin(v)


def andringstext(r) -> str:
    """Ett scenarios ändringar på en rad, som CSV skriver dem (`id.falt:från->till;…`)."""
    return ";".join([f"{a.id}.{a.falt}:{_volym_eller_belopp(a.fran)}->{_volym_eller_belopp(a.till)}"
                     for a in r.andringar])


def scenario(rapport) -> Redovisning:
    s = rapport.resultat
    kallor = Kallor(rapport.kalla)
    tabeller, andringar, sedda = [], [], set()
    for r in s.resultat:
        per = [rad(_ANDRINGAR, {"scenario": r.namn, "id": a.id, "falt": "tillägg" if a.falt == "tillagg" else a.falt,
                                "fran": Cell(a.fran, text=svensk(a.fran)), "till": Cell(a.till, text=svensk(a.till))})
               for a in r.andringar]
        andringar += per
        noter = [Not(f"Förändring av tilläggsersättning vid full leverans: {svensk(r.forandring_plan_kr)} kr", "bold")]
        if s.med_utfall and r.forandring_utfall_kr is not None:
            noter.append(Not(f"Förändring vid faktiskt utfall: {svensk(r.forandring_utfall_kr)} kr", ""))
        if r.kraver_namndbeslut:
            noter.append(Not(f"Kräver beslut i nämnden (över delegationen {svensk(s.delegation_kr)} kr)", "bold red"))
        else:
            noter.append(Not(f"Inom delegationen ({svensk(s.delegation_kr)} kr)", "green"))
        tabeller.append(Tabell("Scenario", f"Scenario: {r.namn}", _ANDRINGAR, tuple(per), noter=tuple(noter),
                               visas=frozenset({TABELL})))
        for a in r.andringar:
            if (a.id, a.falt) in sedda:
                continue
            sedda.add((a.id, a.falt))
            if a.falt == "pris":
                kat, _, utf = a.id.partition(".")
                kallor("Ändringar", a.id, "priset före ändringen", "priser",
                       ("tillagg", kat, "per_utforare", utf) if utf else ("tillagg", kat, "pris_kr"))
            else:
                kallor("Ändringar", a.id, f"{a.falt} före ändringen", "uppdrag",
                       ("utforare", s.utforare, "volymer", "rader", a.id, a.falt))
    rader = [rad(_SCENARIER, {"namn": r.namn, "forandring_plan_kr": r.forandring_plan_kr,
                              "forandring_utfall_kr": r.forandring_utfall_kr,
                              "kraver_namndbeslut": r.kraver_namndbeslut, "andringar": andringstext(r)})
             for r in s.resultat]
    summa = sum((r.forandring_plan_kr for r in s.resultat), NOLL)
    if len(s.resultat) > 1:
        rader.append(rad(_SCENARIER, {"namn": "Summa", "forandring_plan_kr": summa}, roll=SUMMA, visas=BOK))
    kallor("Scenarier", "Delegationsgräns", "gränsen för ändringar på delegation", "uppdrag",
           ("utforare", s.utforare, "delegation", "grans_kr"))
    if len(s.resultat) > 1:
        sista = tabeller[-1]
        tabeller[-1] = Tabell(sista.namn, sista.titel, sista.kolumner, sista.rader, visas=sista.visas, noter=(
            *sista.noter, Not(f"{len(s.resultat)} scenarier, summa av förändringarna vid plan {svensk(summa)} kr",
                              "bold")))
    noter = (Not(f"Förändringen vid plan räknas vid full leverans; |förändring| upp till delegationsgränsen "
                 f"{svensk(s.delegation_kr)} kr ryms i delegationen, annars krävs beslut i nämnden.", visas=BOK),)
    tabeller.append(Tabell("Scenarier", f"Scenarier (regelboken §11): {s.utforare}", _SCENARIER, tuple(rader),
                           noter=noter, visas=MASKIN | {HTML}))
    tabeller.append(Tabell("Ändringar", "Ändringarna i varje scenario", _ANDRINGAR, tuple(andringar), visas=BOK))
    return en_del(f"Scenarier (regelboken §11): {s.utforare}", *tabeller, antaganden={},
                  om_antaganden="Scenarierna räknas med samma regler och antaganden som berakna "
                                "(`ersattning antaganden`).", kallor=tuple(kallor.rader))
