"""Arbetsböcker för det som ännu inte hänt: `scenario`, `prognos` och `jamfor` (regelboken §11, §16,
§17)."""

from __future__ import annotations

from decimal import Decimal

from vgr_ersattning import pengar
from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.visning.arbetsbok import (
    Arbetsbok,
    Blad,
    Diagram,
    Kallor,
    andel,
    ja_nej,
    skriv_arbetsbok,
    tal,
)
from vgr_ersattning.visning.jsonformat import manad_text

# --- scenario ----------------------------------------------------------------------------------------


def scenario(rapport) -> bytes:
    s = rapport.resultat
    kallor = Kallor(rapport)
    sc = Blad("Scenarier", f"Scenarier (regelboken §11): {s.utforare}",
              ["Scenario", "Förändring vid plan (kr)", "Förändring vid utfall (kr)", "Kräver nämndbeslut"])
    andr = Blad("Ändringar", "Ändringarna i varje scenario", ["Scenario", "Rad/kategori", "Fält", "Från", "Till"])
    sedda = set()
    for r in s.resultat:
        sc.rader.append([r.namn, tal(r.forandring_plan_kr), tal(r.forandring_utfall_kr), ja_nej(r.kraver_namndbeslut)])
        for a in r.andringar:
            andr.rader.append([r.namn, a.id, "tillägg" if a.falt == "tillagg" else a.falt, tal(a.fran, "kr"),
                               tal(a.till, "kr")])
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
    if len(s.resultat) > 1:
        sc.summor = [["Summa", tal(sum((r.forandring_plan_kr for r in s.resultat), Decimal(0))), None, ""]]
    kallor("Scenarier", "Delegationsgräns", "gränsen för ändringar på delegation", "uppdrag",
           ("utforare", s.utforare, "delegation", "grans_kr"))
    sc.noter = [(f"Förändringen vid plan räknas vid full leverans; |förändring| upp till delegationsgränsen "
                f"{pengar.svensk(s.delegation_kr)} kr ryms i delegationen, annars krävs beslut i nämnden.")]
    return skriv_arbetsbok(Arbetsbok([sc, andr], kallor.rader, {},
                                     "Scenarierna räknas med samma regler och antaganden som berakna "
                                     "(`ersattning antaganden`)."))


# --- prognos och jamfor ------------------------------------------------------------------------------


def prognos(rapport) -> bytes:
    r = rapport.resultat
    p, ar = r.resultat, r.ar
    uid = p.utforare
    kallor = Kallor(rapport)
    tom = p.till_och_med
    rubrik = f"PROGNOS {ar}: {r.namn} ({uid}) – utfall t.o.m. {MANADSNAMN[tom - 1]}" + (
        ", prognos därefter" if tom < 12 else "")
    rader = Blad("Rader", rubrik, ["Id", "Rad", "Bas (antal)", "Tillägg (antal)", "Utfall hittills (antal)",
                                   "Plan hittills (antal)", "Takt (%)", "Prognos (antal)", "Ersatta (antal)",
                                   "Prognos (kr)", "Utan ersättning (antal)", "Når taket"])
    for x in p.rader:
        rader.rader.append([x.id, x.namn, x.bas, x.tillagg, x.utfall, tal(x.plan_hittills, "antal"), andel(x.takt),
                            x.prognos_antal, tal(x.resultat.ersatta, "antal"), tal(x.belopp_kr), x.utan_ersattning,
                            manad_text(ar, x.tak_manad) if x.tak_manad else ""])
        kallor("Rader", x.id, "bas och tillägg", "uppdrag", ("utforare", uid, "volymer", "rader", x.id))
        kallor("Rader", x.id, "utfall", "utfall", ("produktion", uid, x.id))
    rader.summor = [["Summa", "", sum(x.bas for x in p.rader), sum(x.tillagg for x in p.rader),
                     sum(x.utfall for x in p.rader), None, None, sum(x.prognos_antal for x in p.rader), None,
                     tal(p.tillagg_kr), sum(x.utan_ersattning for x in p.rader), ""]]
    rader.noter = [(f"Prognos: utfall t.o.m. {MANADSNAMN[tom - 1]} {ar}, därefter planen gånger radens takt mot "
                   "planen hittills, avrundad half up till hela enheter (antagande A7).")]
    manader = Blad("Månader", f"PROGNOS {ar}: produktion hittills per månad, alla rader ({uid})",
                   ["Månad", "Plan hittills (antal)", "Utfall hittills (antal)", "Prognos hittills (antal)",
                    "Prognos"])
    for m in range(12):
        manader.rader.append([f"{manad_text(ar, m + 1)} {MANADSNAMN[m]}", tal(p.plan_per_manad[m], "antal"),
                              tal(p.utfall_per_manad[m], "antal") if m < tom else None,
                              tal(p.prognos_per_manad[m], "antal"), ja_nej(m >= tom)])
    manader.diagram = Diagram(f"Produktion hittills {ar}: plan, utfall och prognos", "antal", 0,
                              [("Plan", 1), ("Utfall", 2), ("Prognos", 3)])
    manader.noter = [("Planen: uppdraget fördelat efter planprofilen (regelboken §5); bråk av enheter står med "
                     "sex decimaler som i JSON.")]
    agera = Blad("Att agera på", f"PROGNOS {ar}: rader att agera på ({uid})",
                 ["Lista", "Id", "Rad", "Antal", "Månad"])
    for x in p.nar_inte_basen:
        agera.rader.append(["Når inte basen", x.id, x.namn, x.prognos_antal, ""])
    for x in p.nar_taket_tidigt:
        agera.rader.append(["Når taket före december", x.id, x.namn, None, manad_text(ar, x.tak_manad)])
    for x in p.utan_ersattning:
        agera.rader.append(["Produktion utan ersättning", x.id, x.namn, x.utan_ersattning, ""])
    agera.noter = [("Antal: prognosen för året (når inte basen) eller produktionen över bas + tillägg (utan "
                   "ersättning).")]
    return skriv_arbetsbok(Arbetsbok([rader, manader, agera], kallor.rader, r.antaganden))


def jamfor(rapport) -> bytes:
    r = rapport.resultat
    j, ar = r.resultat, r.ar
    kallor = Kallor(rapport)
    a, b_ = MANADSNAMN[j.fore_till_och_med - 1], MANADSNAMN[j.efter_till_och_med - 1]
    b = Blad("Rader", f"Förändring av tilläggsersättningen hittills: uttaget t.o.m. {a} mot t.o.m. {b_} {ar} "
                      f"({j.utforare})",
             ["Id", "Rad", "Revision (kr)", "Nya månader (kr)", "Förändring (kr)", "Utfall före (antal)",
              "Utfall efter, samma månader (antal)", "Utfall efter (antal)", "Korsar"])
    for x in j.rader:
        b.rader.append([x.id, x.namn, tal(x.revision_kr), tal(x.nya_manader_kr), tal(x.forandring_kr),
                        tal(x.utfall_fore, "antal"), tal(x.utfall_efter_a, "antal"), tal(x.utfall_efter, "antal"),
                        " och ".join(x.korsar)])
        kallor("Rader", x.id, "bas och tillägg", "uppdrag", ("utforare", j.utforare, "volymer", "rader", x.id))
        kallor("Rader", x.id, "utfall (det senare uttaget)", "utfall", ("produktion", j.utforare, x.id))
    b.summor = [["Summa", "", tal(j.revision_kr), tal(j.nya_manader_kr), tal(j.forandring_kr), None, None, None, ""]]
    b.noter = [(f"Revision: ändrade värden för januari–{a}; nya månader: det bara det senare uttaget täcker. "
               "Revision + nya månader = förändringen, exakt.")]
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, r.antaganden))
