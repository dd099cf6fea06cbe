"""Tabeller för granskningen av underlaget: `kontrollera`, `brygga`, `uppfoljning`, `kalender`,
`priser`, `forklara` och `antaganden` (regelboken §3, §8, §10, §14, §15)."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from vgr_ersattning.pengar import svensk, svensk_procent
from vgr_ersattning.visning.tabellbas import (
    Tabell,
    antaganden_not,
    notera,
    ny_konsol,
    procent_text,
    tal_text,
    tkr_text,
)
from vgr_ersattning.visning.terminal import Text, Trad

# --- kontrollera -------------------------------------------------------------------------------


def kontrollera(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    t = Tabell("Kontroller", ("Kontroll", "left"), ("", "left"), ("Värde", "right"), ("Differens", "right"),
               ("Meddelande", "left"))
    for k in r.kontroller:
        enhet = f" {k.enhet}" if k.enhet and k.enhet != "antal" else ""
        t.rad(k.namn, Text("✓", style="green") if k.ok else Text("✗", style="bold red"),
              svensk(k.varde) + enhet if k.varde is not None else "",
              svensk(k.differens) + enhet if k.differens is not None else "",
              k.meddelande if k.ok else f"{k.meddelande}\n[{k.plats}]")
    t.visa(console)
    fel = sum(1 for k in r.kontroller if not k.ok)
    if fel:
        notera(console, f"{fel} av {len(r.kontroller)} kontroller underkända", "bold red")
    else:
        notera(console, f"Alla {len(r.kontroller)} kontroller godkända", "bold green")
    for uid, a in r.anmarkningar:
        notera(console, f"Anmärkning {uid}: {a.text} ({a.kalla})")
    return console.text()


# --- brygga ------------------------------------------------------------------------------------


def brygga(rapport) -> str:
    console = ny_konsol(rapport)
    r, b = rapport.resultat.resultat, rapport.resultat.brygga
    t = Tabell("Förändringar jämfört med föregående uppdrag (tkr)", ("Rad", "left"), ("Belopp", "right"))
    t.rad(b.fran.namn, svensk(r.fran_tkr))
    t.rad(f"{b.index.namn} (räknat {svensk(r.upprakning_tkr, 3)})", svensk(r.upprakning_tryckt_tkr))
    t.rad(b.delsumma.namn, svensk(r.delsumma.angiven_tkr), stil="bold")
    for j in b.justeringar:
        t.rad(j.namn + (" *" if j.anmarkning else ""), svensk(j.belopp_tkr))
    t.sektion()
    t.rad(b.till.namn, svensk(r.total.angiven_tkr), stil="bold")
    t.visa(console)
    notera(console, f"Källa: {b.kalla}", "")
    for steg in (r.delsumma, r.total):
        d, tol = steg.differens_tkr, steg.tolerans_tkr
        text = (f"{steg.namn}: " + ("stämmer inom avrundning" if steg.stammer else "stämmer inte")
                + f": differens {svensk(d)} tkr, tolerans {svensk(tol)} tkr (summa av tryckta termer "
                f"{svensk(steg.summa_tkr)})")
        notera(console, text, "green" if steg.stammer else "bold red")
    if not r.upprakning_stammer:
        notera(console, f"Uppräkningen stämmer inte: {svensk(r.index_procent, 1)} % av {svensk(r.fran_tkr)} = "
                        f"{svensk(r.upprakning_tkr, 3)} tkr, tryckt {svensk(r.upprakning_tryckt_tkr)} tkr", "bold red")
    for ledtrad in r.ledtradar:
        notera(console, f"Ledtråd: {ledtrad}", "yellow")
    for j in b.justeringar:
        if j.anmarkning:
            notera(console, f"* {j.namn}: {j.anmarkning}")
    return console.text()


# --- uppfoljning -------------------------------------------------------------------------------

_STATUS = {"uppfyllt": ("✓", "green"), "ej_uppfyllt": ("✗", "bold red"), "saknar_utfall": ("–", "yellow"),
           "ej_bedombart": ("?", "yellow"), "information": ("i", "dim")}
_STATUSTEXT = {"uppfyllt": "uppfyllt", "ej_uppfyllt": "ej uppfyllt", "saknar_utfall": "saknar utfall",
               "ej_bedombart": "ej bedömbart", "information": "information"}


def _indvarde(v, enhet) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    text = svensk(v, 2 if v != v.to_integral_value() else 0)
    return f"{text} %" if enhet == "procent" else (f"{text} min" if enhet == "minuter" else text)


def uppfoljning(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    t = Tabell(f"Uppföljning {r.period}", ("", "left"), ("Indikator", "left"), ("Målvärde", "left"),
               ("Utfall", "right"), ("Föregående", "right"), ("Status", "left"))
    omrade = None
    for b in sorted(r.bedomningar, key=lambda b: b.indikator.omrade):
        if b.indikator.omrade != omrade:
            t.sektion()
            omrade = b.indikator.omrade
            t.rad("", omrade, stil="bold")
        tecken, stil = _STATUS[b.status]
        t.rad(Text(tecken, style=stil), f"{b.indikator.namn} [{b.id}]", b.indikator.malvarde_text or "",
              _indvarde(b.utfall, b.indikator.enhet), _indvarde(b.foregaende, b.indikator.enhet),
              Text(_STATUSTEXT[b.status], style=stil))
    t.visa(console)
    bedomda = [b for b in r.bedomningar if b.status != "information"]
    upp = sum(1 for b in bedomda if b.status == "uppfyllt")
    saknar = sum(1 for b in bedomda if b.status == "saknar_utfall")
    rad = f"{upp} av {len(bedomda)} uppfyllda"
    if saknar:
        rad += f", {saknar} saknar utfall"
    ejb = sum(1 for b in bedomda if b.status == "ej_bedombart")
    if ejb:
        rad += f", {ejb} ej bedömbar" + ("a" if ejb > 1 else "")
    notera(console, rad, "bold")
    return console.text()


def kalender(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    t = Tabell("Uppföljningskalender", ("Tillfälle", "left"), ("Indikator", "left"), ("Uppgiftslämnare", "left"))
    for p, ider in r.tillfallen:
        if not ider:
            continue
        t.sektion()
        for i, iid in enumerate(ider):
            ind = r.indikatorer[iid]
            redovisas = f" (redovisas: {ind.redovisas})" if getattr(ind, "redovisas", None) else ""
            t.rad(str(p) if i == 0 else "", f"{ind.namn} [{iid}]{redovisas}", ind.uppgiftslamnare or "")
    t.visa(console)
    return console.text()


# --- forklara och antaganden -----------------------------------------------------------------------


def _nodvarde(n) -> str:
    v = n.varde
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if n.enhet == "procent":
        return svensk_procent(Decimal(v), 2 if Decimal(v) != Decimal(v).to_integral_value() else 0)
    text = tkr_text(Decimal(v)) if n.enhet == "tkr" else tal_text(v)
    return f"{text} {n.enhet}" if n.enhet in ("kr", "tkr") else text


def forklara(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    if hasattr(r, "figurer"):
        t = Tabell("Siffror som kan förklaras", ("Figur", "left"), ("Vad", "left"))
        for f, b in r.figurer:
            t.rad(f, b)
        t.visa(console)
        return console.text()

    def etikett(n) -> Text:
        # Hela etiketten är fet (namnet, värdet, formeln; regeln fet och dim, källan fet cyan).
        text = Text(f"{n.namn}: ") + Text(_nodvarde(n))
        if n.regel:
            text += Text(f"  ({n.regel})", style="dim")
        if n.formel:
            text += Text(f"\n{n.formel}")
        if n.plats or n.dokument:
            text += Text("\n" + " – ".join(x for x in (n.plats, n.dokument) if x), style="cyan")
        if n.antaganden:
            text += Text("\nBygger på antagande " + ", ".join(n.antaganden), style="yellow")
        return text.stilad("bold")

    def bygg(n, gren) -> None:
        for d in n.delar:
            bygg(d, gren.add(etikett(d)))

    trad = Trad(etikett(r.nod))
    bygg(r.nod, trad)
    console.trad(trad)
    antaganden_not(console, r.antaganden)
    return console.text()


def antaganden(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    t = Tabell("Antaganden (där dokumenten är tysta)", ("Id", "left"), ("Antagande", "left"), ("Källa", "left"),
               ("Verkar i", "left"))
    for a, text in r.antaganden.items():
        t.rad(a, text.text, text.kalla, "\n".join(r.anvandning.get(a, [])) or "–")
    t.visa(console)
    notera(console, "Antagandena är data i uppdragsfilen (`antaganden` och `antagande: An` där de verkar) och "
                    "ändras där, inte i koden.")
    return console.text()


# --- priser ------------------------------------------------------------------------------------------


def priser(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    utforare = [p.utforare for p in r.rader[0].priser] if r.rader else []
    t = Tabell("Priser 2026 (kr) och avståndet till det kalkylerade priset", ("Rad", "left"),
               *((u, "right") for u in utforare), ("Kalkylerat", "right"))
    for grupp, rader in groupby(r.rader, key=lambda x: x.grupp):
        t.sektion()
        t.rad(grupp, stil="bold")
        for x in rader:
            t.rad(f"  {x.namn}", *(tal_text(p.pris_kr) if p.pris_kr is not None else "–" for p in x.priser),
                  tal_text(x.kalkylerat_kr) if x.kalkylerat_kr is not None else "–")
            if x.kalkylerat_kr is not None and any(p.andel is not None for p in x.priser):
                t.rad("    mot kalkylerat", *(_procent_tecken(p.andel) for p in x.priser), "", stil="dim")
    t.visa(console)
    notera(console, f"Källa: {r.kalla}", "")
    notera(console, "\"–\" är inget pris i tabellen. Tabellen visas för jämförelse; tilläggsersättningen räknas med "
                    "priskategorierna i prisfilen (regelboken §4).")
    return console.text()


def _procent_tecken(andel) -> str:
    if andel is None:
        return "–"
    return ("+" if andel > 0 else "") + procent_text(andel)
