"""Tabeller för det som ännu inte hänt: `scenario`, `prognos` och `jamfor` (regelboken §11, §16, §17)."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.pengar import avrunda, svensk
from vgr_ersattning.visning.tabellbas import (
    Tabell,
    antaganden_not,
    notera,
    ny_konsol,
    procent_text,
    tal_text,
)
from vgr_ersattning.visning.terminal import Text

# --- scenario ----------------------------------------------------------------------------------


def scenario(rapport) -> str:
    console = ny_konsol(rapport)
    s = rapport.resultat
    for r in s.resultat:
        t = Tabell(f"Scenario: {r.namn}", ("Rad/kategori", "left"), ("Fält", "left"), ("Från", "right"),
                   ("Till", "right"))
        for a in r.andringar:
            t.rad(a.id, "tillägg" if a.falt == "tillagg" else a.falt, svensk(a.fran), svensk(a.till))
        t.visa(console)
        notera(console, f"Förändring av tilläggsersättning vid full leverans: {svensk(r.forandring_plan_kr)} kr", "bold")
        if s.med_utfall and r.forandring_utfall_kr is not None:
            notera(console, f"Förändring vid faktiskt utfall: {svensk(r.forandring_utfall_kr)} kr", "")
        if r.kraver_namndbeslut:
            notera(console, f"Kräver beslut i nämnden (över delegationen {svensk(s.delegation_kr)} kr)", "bold red")
        else:
            notera(console, f"Inom delegationen ({svensk(s.delegation_kr)} kr)", "green")
    if len(s.resultat) > 1:
        total = sum((r.forandring_plan_kr for r in s.resultat), Decimal(0))
        notera(console, f"{len(s.resultat)} scenarier, summa av förändringarna vid plan {svensk(total)} kr", "bold")
    return console.text()


# --- prognos och jamfor ----------------------------------------------------------------------------

_ATTONDELAR = " ▏▎▍▌▋▊▉█"


def _stapel(andel: Decimal | None, bredd: int = 10, skala: Decimal = Decimal("1.25"), tecken: str = "█") -> str:
    """En stapel av text: `bredd` tecken motsvarar `skala` (125 %); │ markerar 100 %. Läsbar utan färg."""
    if andel is None:
        return "–".ljust(bredd)
    attondelar = int(min(max(andel, Decimal(0)), skala) / skala * bredd * 8)
    hela, rest = divmod(attondelar, 8)
    text = tecken * hela + (_ATTONDELAR[rest] if rest and tecken == "█" else ("▒" if rest else ""))
    text = text.ljust(bredd)
    hundra = int(bredd / skala)
    if hundra < bredd and text[hundra] == " ":
        text = text[:hundra] + "│" + text[hundra + 1:]
    return text


def prognos(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    p, ar = r.resultat, r.ar
    sista = MANADSNAMN[p.till_och_med - 1]
    rest = ((f"{MANADSNAMN[p.till_och_med]}–december" if p.till_och_med < 11 else "december")
            if p.till_och_med < 12 else "")
    rubrik = (f"PROGNOS {ar}: {r.namn} ({p.utforare}) – utfall januari–{sista}"
              + (f", prognos {rest}" if rest else ""))
    t = Tabell(rubrik, ("Rad", "left"), ("Utfall", "right"), ("Mot plan hittills", "right"), ("Prognos", "right"),
               ("Bas", "right"), ("Tillägg", "right"), ("Prognos kr", "right"))
    for v, vrader in groupby(p.rader, key=lambda x: x.id.split(".")[0]):
        t.sektion()
        t.rad(r.grupper.get(v, v), stil="bold")
        for kat, krader in groupby(vrader, key=lambda x: x.id.rsplit(".", 1)[0]):
            t.rad("  " + r.grupper.get(kat, kat), stil="bold")
            for x in krader:
                andel = x.takt if x.plan_hittills else None
                t.rad(f"    {x.namn}", tal_text(x.utfall), f"{_stapel(andel, 8)} {procent_text(andel)}",
                      tal_text(x.prognos_antal), tal_text(x.bas), tal_text(x.tillagg), tal_text(x.belopp_kr))
    t.sektion()
    t.rad("Summa", tal_text(sum(x.utfall for x in p.rader)), "", tal_text(sum(x.prognos_antal for x in p.rader)),
          tal_text(sum(x.bas for x in p.rader)), tal_text(sum(x.tillagg for x in p.rader)), tal_text(p.tillagg_kr),
          stil="bold")
    t.visa(console)
    notera(console, f"Prognos för tilläggsersättningen {ar}: {svensk(p.tillagg_kr)} kr (utfall t.o.m. {sista}, "
                    "prognos därefter). Stapeln: utfall mot plan hittills, │ = 100 %.", "bold")
    if p.nar_inte_basen:
        notera(console, "Når inte basen (inget tillägg i prognosen): "
               + ", ".join(f"{x.namn} ({x.id}) {tal_text(x.prognos_antal)} ≤ bas {tal_text(x.bas)}"
                           for x in p.nar_inte_basen), "yellow")
    if p.nar_taket_tidigt:
        notera(console, "Når taket (bas + tillägg) före december: "
               + ", ".join(f"{x.namn} ({x.id}) i {MANADSNAMN[x.tak_manad - 1]}" for x in p.nar_taket_tidigt), "yellow")
    if p.utan_ersattning:
        notera(console, "Produktion utan ersättning (över bas + tillägg): "
               + ", ".join(f"{x.namn} ({x.id}) {tal_text(x.utan_ersattning)}" for x in p.utan_ersattning), "yellow")
    hela_aret = p.plan_per_manad[11] or Decimal(1)
    m = Tabell("Produktion hittills mot plan per månad (alla rader; █ utfall, ▒ prognos, │ = årets plan)",
               ("Månad", "left"), ("Plan", "right"), ("Utfall/prognos", "right"), ("", "right"))
    for i in range(12):
        ar_prognos = i >= p.till_och_med
        v = p.prognos_per_manad[i]
        m.rad(MANADSNAMN[i] + (" (prognos)" if ar_prognos else ""), tal_text(avrunda_heltal(p.plan_per_manad[i])),
              tal_text(avrunda_heltal(v)), _stapel(v / hela_aret, 20, Decimal("1.25"), "▒" if ar_prognos else "█"))
    m.visa(console)
    antaganden_not(console, r.antaganden)
    return console.text()


def avrunda_heltal(v: Decimal) -> Decimal:
    return avrunda(Decimal(v))


def jamfor(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    j, ar = r.resultat, r.ar
    a, b = MANADSNAMN[j.fore_till_och_med - 1], MANADSNAMN[j.efter_till_och_med - 1]
    t = Tabell(f"Förändring av tilläggsersättningen hittills: uttaget t.o.m. {a} mot t.o.m. {b} {ar} (kr)",
               ("Rad", "left"), ("Revision", "right"), ("Nya månader", "right"), ("Förändring", "right"),
               ("Korsar", "left"))
    andrade = [x for x in j.rader if x.forandring_kr or x.revision_kr]
    for x in andrade:
        t.rad(f"{x.namn} ({x.id})", tal_text(x.revision_kr), tal_text(x.nya_manader_kr), tal_text(x.forandring_kr),
              Text(" och ".join(x.korsar), style="bold yellow") if x.korsar else "")
    t.sektion()
    t.rad("Summa", tal_text(j.revision_kr), tal_text(j.nya_manader_kr), tal_text(j.forandring_kr), stil="bold")
    t.visa(console)
    notera(console, f"Revision: ändrade värden för januari–{a}; nya månader: det bara det senare uttaget täcker. "
                    "Revision + nya månader = förändringen, exakt.", "")
    if len(andrade) < len(j.rader):
        notera(console, f"{len(j.rader) - len(andrade)} rader är oförändrade (alla rader står i JSON och CSV).")
    korsar = [x for x in j.rader if x.korsar]
    if korsar:
        notera(console, "Rader där revisionen korsar basen eller taket, där en liten revision flyttar ett stort belopp: "
               + ", ".join(f"{x.namn} ({x.id}): {' och '.join(x.korsar)}" for x in korsar), "yellow")
    antaganden_not(console, r.antaganden)
    return console.text()
