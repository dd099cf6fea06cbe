"""Tabeller för utbetalningen: `berakna` (tillägg och utbetalning per månad), `avrakning`,
`malrelaterad` och `utbetala` (regelboken §4–§7, §9, §19)."""

from __future__ import annotations

from itertools import groupby

from vgr_ersattning.kalkyl.period import MANADSNAMN
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
from vgr_ersattning.visning.terminal import Text

# --- berakna -----------------------------------------------------------------------------------


def berakna(rapport) -> str:
    console = ny_konsol(rapport)
    b = rapport.resultat
    tillagg, anslag, utbetalning = b.tillagg, b.anslag, b.utbetalning
    ar = b.ar
    plan = tillagg.ar_plan and tillagg.till_och_med == 12
    if plan:
        # Planen: utfall = uppdrag, ersatta = tillägg och måluppfyllelse 100 % på varje rad, så de
        # kolumnerna visas inte.
        rubrik = f"{b.namn} ({b.utforare}) – plan {ar}, produktion = uppdrag"
        kolumner = (("Rad", "left"), ("Bas", "right"), ("Tillägg", "right"), ("Uppdrag", "right"),
                    ("Pris kr", "right"), ("Belopp kr", "right"))
    else:
        rubrik = (f"{b.namn} ({b.utforare}) – "
                  + ("plan" if tillagg.ar_plan else "utfall")
                  + f" till och med {MANADSNAMN[tillagg.till_och_med - 1]} {ar}")
        kolumner = (("Rad", "left"), ("Bas", "right"), ("Tillägg", "right"), ("Utfall", "right"),
                    ("Ersatta", "right"), ("Pris kr", "right"), ("Belopp kr", "right"), ("Måluppf.", "right"))
    t = Tabell(f"Tilläggsersättning: {rubrik}", *kolumner)

    def rad(etikett, g, pris="") -> tuple:
        if plan:
            return (etikett, tal_text(g.bas), tal_text(g.tillagg), tal_text(g.utfall), pris, tal_text(g.belopp_kr))
        return (etikett, tal_text(g.bas), tal_text(g.tillagg), tal_text(g.utfall), tal_text(g.ersatta), pris,
                tal_text(g.belopp_kr), procent_text(g.maluppfyllelse))

    grupper = {g.id: g for g in tillagg.grupper}
    for v, vrader in groupby(tillagg.rader, key=lambda r: r.id.split(".")[0]):
        t.sektion()
        t.rad(grupper[v].namn, stil="bold")
        for kat, krader in groupby(vrader, key=lambda r: r.id.rsplit(".", 1)[0]):
            t.rad("  " + grupper[kat].namn, stil="bold")
            for r in krader:
                markering = f" ({r.antagande})" if r.antagande else ""
                t.rad(*rad(f"    {r.namn}{markering}", r, tal_text(r.pris_kr)))
            t.rad(*rad(f"  Summa {grupper[kat].namn.lower()}", grupper[kat]), stil="italic")
        t.rad(*rad(f"Summa {grupper[v].namn.lower()}", grupper[v]), stil="bold")
    t.sektion()
    t.rad(*rad("Totalt", tillagg.total), stil="bold")
    t.visa(console)

    visad = utbetalning.avrundad(0)
    kolumner = [("Månad", "left"), ("Anslag", "right"), ("Tillägg", "right")]
    if utbetalning.med_avrakning:
        kolumner.append(("Avräkning", "right"))
    m = Tabell("Utbetalning per månad (kr)", *kolumner, ("Summa", "right"))
    for u in visad.manader:
        celler = [MANADSNAMN[u.manad - 1], svensk(u.anslag_kr), svensk(u.tillagg_kr)]
        if utbetalning.med_avrakning:
            celler.append(svensk(u.avrakning_kr) if u.avrakning_kr is not None else "")
        celler.append(svensk(u.summa_kr))
        # En kreditering (negativ utbetalning) syns i rött.
        m.rad(*celler, stil="red" if u.tillagg_kr < 0 else None)
    m.sektion()
    celler = ["Summa", svensk(visad.anslag_kr), svensk(visad.tillagg_kr)]
    if utbetalning.med_avrakning:
        celler.append(svensk(visad.avrakning_kr))
    m.rad(*celler, svensk(visad.summa_kr), stil="bold")
    m.visa(console)
    if not utbetalning.ar_hela_kronor:
        notera(console, "Månadsbeloppen är avrundade till hela kronor så att varje kolumn summerar till sin "
                        "summarad (avrundning av den kumulativa summan, half up); de exakta beloppen är bråk.")
    notera(console, f"Ersättningsram {svensk(anslag.ram_tkr)} tkr, anslag {svensk_procent(anslag.fast_andel_procent, 0)} "
                    "fast, betalt månadsvis (januari–november ram/12 avrundat, december resten).", "")
    if tillagg.ar_plan:
        notera(console, f"Tilläggsersättning vid full leverans: {svensk(tillagg.summa_kr)} kr", "bold")
    if b.manader_utan_data:
        notera(console, "Utfallet har ingen produktion för " + ", ".join(MANADSNAMN[m - 1] for m in b.manader_utan_data)
               + f" {ar}: de månaderna räknas som 0. `ersattning prognos` ger en prognos för dem.", "bold yellow")
    antaganden_not(console, b.antaganden)
    return console.text()


# --- avrakning ---------------------------------------------------------------------------------


def avrakning(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    res, ar = r.resultat, r.ar
    t = Tabell("Avräkning (tkr)", ("Post", "left"), ("Tillfälle", "left"), ("Nivå", "right"),
               ("Utfall hittills", "right"), ("Tak", "right"), ("Utbetalt", "right"), ("Reglerat hittills", "right"),
               ("Reglering", "right"))
    for p in res.poster:
        t.sektion()
        for i, tf in enumerate(p.tillfallen):
            t.rad(p.namn if i == 0 else "", f"{MANADSNAMN[tf.manad - 1]} {ar}", tkr_text(p.niva_tkr),
                  tkr_text(tf.utfall_tkr), tkr_text(tf.tak_tkr), tkr_text(tf.utbetalt_tkr),
                  tkr_text(tf.reglerat_hittills_tkr),
                  Text(tkr_text(tf.reglering_tkr), style="red" if tf.reglering_tkr < 0 else ""))
        if not p.tillfallen:
            t.rad(p.namn, "saknar utfall" if p.saknar_utfall else "inget avräkningstillfälle ännu",
                  tkr_text(p.niva_tkr))
    t.sektion()
    t.rad("Summa reglering", "", "", "", "", "", "", tkr_text(res.summa_reglering_tkr), stil="bold")
    t.visa(console)
    notera(console, "Negativ reglering betyder pengar tillbaka till regionen.")
    antaganden_not(console, r.antaganden)
    return console.text()


# --- malrelaterad ------------------------------------------------------------------------------


def malrelaterad(rapport) -> str:
    console = ny_konsol(rapport)
    m = rapport.resultat
    res, ar = m.resultat, m.ar
    t = Tabell("1177 målrelaterad ersättning", ("Kvartal", "left"), ("Andel inom 8 min", "right"),
               ("Utbetalning", "right"), ("Belopp kr", "right"))
    for k in res.kvartal:
        t.rad(f"{ar}-Q{k.kvartal}", svensk_procent(k.andel_procent, 2), svensk_procent(k.utbetalning_procent, 0),
              svensk(k.belopp_kr))
    t.sektion()
    t.rad("Summa", "", "", svensk(res.summa_kr), stil="bold")
    t.visa(console)
    notera(console, f"Ett kvartals belopp vid 100 %: {svensk(res.kvartalsbelopp_kr)} kr", "")
    antaganden_not(console, m.antaganden)
    return console.text()


# --- utbetala ----------------------------------------------------------------------------------------


EFTERREGLERING_NOT = ("Efterreglering: ett beslut som gäller från en månad som redan är bokförd räknar om de "
                      "bokförda månaderna, och skillnaden betalas (eller krediteras) i den här utbetalningen på en "
                      "egen rad, skild från månadens egen rätt.")


def utbetala(rapport) -> str:
    console = ny_konsol(rapport)
    r = rapport.resultat
    u = r.resultat
    manad = f"{MANADSNAMN[u.manad - 1]} {u.ar}"
    t = Tabell(f"Utbetalning {manad}: {u.namn} ({u.utforare}) (kr)", ("Komponent", "left"),
               ("Rätt hittills", "right"), ("Betalt före", "right"), ("Månadens belopp", "right"))
    visade = 0
    for k in u.komponenter:
        if not (k.ratt_kr or k.betalt_kr):
            continue
        visade += 1
        t.rad((k.namn or k.komponent) + (" (kreditering)" if k.kreditering else ""), tal_text(k.ratt_kr),
              tal_text(k.betalt_kr), tal_text(k.belopp_kr), stil="red" if k.kreditering else None)
        if k.efterreglering_kr:
            t.rad("  varav efterreglering av bokförda månader", "", "", tal_text(k.efterreglering_kr), stil="yellow")
    t.sektion()
    t.rad("Anslag", "", "", tal_text(u.anslag_kr))
    t.rad("Tillägg", "", "", tal_text(u.tillagg_kr))
    if u.avrakning_kr:
        t.rad("Avräkning", "", "", tal_text(u.avrakning_kr))
    t.rad(f"Att betala {manad}", "", "", tal_text(u.summa_kr), stil="bold")
    if u.efterreglering_kr:
        t.rad("  varav efterreglering av bokförda månader", "", "", tal_text(u.efterreglering_kr), stil="yellow")
    t.visa(console)
    if len(u.komponenter) > visade:
        notera(console, f"{len(u.komponenter) - visade} komponenter utan rätt och utan betalning visas inte "
                        "(alla står i JSON och CSV).")
    if u.betalt_ur_journal:
        notera(console, "Betalt före: det som bokförts i utbetalningsjournalen för månaderna före.", "")
    else:
        notera(console, "Ingen journal: \"betalt före\" är rätten t.o.m. månaden före, räknad ur samma utfall "
                        "(ange --journal FIL för det som faktiskt betalats).", "yellow")
    if any(k.efterreglering_kr for k in u.komponenter):
        notera(console, EFTERREGLERING_NOT, "")
    if r.bokfort_kr is not None:
        notera(console, f"{manad.capitalize()} är redan bokförd i journalen: bokfört {tal_text(r.bokfort_kr)} kr; det nuvarande "
                        f"uttaget ger {tal_text(u.summa_kr)} kr, skillnad {tal_text(r.differens_kr)} kr (en skillnad "
                        "betalas i nästa månads utbetalning, aldrig genom att bokföra om månaden).", "bold yellow")
        if r.kvittens:
            notera(console, f"Kvittens för den bokförda månaden: {r.kvittens}", "")
    elif r.bokford:
        notera(console, f"Bokförd i journalen: {manad}.", "bold green")
        if r.kvittens:
            notera(console, f"Kvittens: {r.kvittens}, spara den utanför journalen.", "bold")
    krediteringar = [k for k in u.komponenter if k.kreditering]
    if krediteringar:
        notera(console, f"{len(krediteringar)} kreditering(ar): rätten hittills har sjunkit sedan det som betalats "
                        "(en revision av utfallet).", "bold red")
    antaganden_not(console, r.antaganden)
    return console.text()
