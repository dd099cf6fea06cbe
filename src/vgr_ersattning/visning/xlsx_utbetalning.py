"""Arbetsböcker för utbetalningen: `berakna` (tillägg, anslag, månader, avräkning), `avrakning`,
`malrelaterad` och `utbetala` (regelboken §4–§7, §9, §19)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from vgr_ersattning import pengar
from vgr_ersattning.kalkyl.period import MANADSNAMN
from vgr_ersattning.visning.arbetsbok import (
    Arbetsbok,
    Blad,
    Diagram,
    Kallor,
    andel,
    ar_heltal,
    ja_nej,
    procent,
    skriv_arbetsbok,
    tal,
)
from vgr_ersattning.visning.jsonformat import bokfort_for, manad_text
from vgr_ersattning.visning.tabell_utbetalning import EFTERREGLERING_NOT

# --- berakna -----------------------------------------------------------------------------------------


def _arsplan(rapport, b) -> tuple[Decimal, ...] | None:
    """Planens tilläggsersättning per månad för hela året (`rapport.arsplan`, räknad av kommandot),
    för diagrammet plan mot utfall. None när beräkningen själv är planen, eller utan årsplan."""
    if b.tillagg.ar_plan:
        return None
    return rapport.arsplan


def berakna(rapport) -> bytes:
    b = rapport.resultat
    t, a, ar, uid = b.tillagg, b.anslag, b.ar, b.utforare
    tom = t.till_och_med
    kallor = Kallor(rapport)
    slag = "plan" if t.ar_plan else "utfall"
    rubrik = f"{b.namn} ({uid}) – {slag} {ar} t.o.m. {MANADSNAMN[tom - 1]}"

    oversikt = Blad("Översikt", f"Tilläggsersättning, anslag och utbetalning: {rubrik}",
                    ["Uppgift", "Värde", "Enhet"],
                    talformat_per_cell=True)
    oversikt.rader = [
        ["Utförare", f"{b.namn} ({uid})", ""],
        ["År", str(ar), ""],
        ["Till och med", manad_text(ar, tom), ""],
        ["Beräkning", "plan (produktion = uppdrag)" if t.ar_plan else "utfall", ""],
        ["Tilläggsersättning", tal(t.summa_kr), "kr"],
        ["Måluppfyllelse", andel(t.maluppfyllelse), "andel"],
        ["Ersättningsram", tal(a.ram_tkr, "tkr"), "tkr"],
        ["Anslag utbetalt", tal(a.utbetalt_kr), "kr"],
    ]
    if b.avrakning is not None:
        oversikt.rader.append(["Avräkning", tal(b.utbetalning.avrakning_kr), "kr"])
    oversikt.rader.append(["Summa utbetalt", tal(b.summa_kr), "kr"])
    if b.manader_utan_data:
        oversikt.rader.append(["Månader utan utfall (räknas som 0)",
                               ", ".join(manad_text(ar, m) for m in b.manader_utan_data), ""])
    kallor("Översikt", "Ersättningsram", "ramen (tkr)", "uppdrag", ("utforare", uid, "ersattningsram", "belopp_tkr"))
    kallor("Översikt", "Anslag", "fast andel", "uppdrag", ("utforare", uid, "anslag", "fast_andel_procent"))

    rader = Blad("Rader", f"Tilläggsersättning per rad: {rubrik}",
                 ["Id", "Rad", "Bas (antal)", "Tillägg (antal)", "Utfall (antal)", "Plan (antal)", "Ersatta (antal)",
                  "Priskategori", "Pris (kr)", "Belopp (kr)", "Måluppfyllelse (%)", "Antagande"])
    for r in t.rader:
        rader.rader.append([r.id, r.namn, r.bas, r.tillagg, tal(r.utfall, "antal"), tal(r.plan, "antal"),
                            tal(r.ersatta, "antal"), r.priskategori, tal(r.pris_kr), tal(r.belopp_kr),
                            andel(r.maluppfyllelse), r.antagande or ""])
        kallor("Rader", r.id, "bas, tillägg och uppdrag", "uppdrag", ("utforare", uid, "volymer", "rader", r.id))
        kallor("Rader", r.id, f"pris ({r.priskategori})", "priser", r.pris_sokvag)
        if not t.ar_plan:
            kallor("Rader", r.id, "utfall", "utfall", ("produktion", uid, r.id))
    total = t.total
    # Summan av utfall och ersatta bara när den är exakt (heltal); planens bråk summeras inte här.
    tot_utfall = tal(total.utfall, "antal") if ar_heltal(total.utfall) else None
    tot_ersatta = tal(total.ersatta, "antal") if ar_heltal(total.ersatta) else None
    rader.summor.append(["Totalt", "", total.bas, total.tillagg, tot_utfall, None, tot_ersatta, "", None,
                         tal(t.summa_kr), andel(t.maluppfyllelse), ""])
    if t.ar_plan:
        rader.noter.append("Planen: produktionen är uppdraget (bas + tillägg) på varje rad, så hela tillägget "
                           "betalas.")

    grupper = Blad("Grupper", f"Summor per verksamhet och kategori: {rubrik}",
                   ["Id", "Grupp", "Bas (antal)", "Tillägg (antal)", "Utfall (antal)", "Ersatta (antal)",
                    "Belopp (kr)", "Måluppfyllelse (%)"])
    for g in t.grupper:
        grupper.rader.append([g.id, g.namn, g.bas, g.tillagg, tal(g.utfall, "antal"), tal(g.ersatta, "antal"),
                              tal(g.belopp_kr), andel(g.maluppfyllelse)])
    grupper.summor.append(["Totalt", "", total.bas, total.tillagg, tot_utfall, tot_ersatta, tal(t.summa_kr),
                           andel(t.maluppfyllelse)])

    manader = _berakna_manader(rapport, b)
    anslag = Blad("Anslag", f"Anslaget per månad (regelboken §6): {b.namn} ({uid}) {ar}", ["Månad", "Anslag (kr)"])
    anslag.rader = [[manad_text(ar, i + 1), tal(v)] for i, v in enumerate(a.manader[:a.till_och_med])]
    anslag.summor = [["Utbetalt hittills", tal(a.utbetalt_kr)]]
    anslag.fakta = [("Ersättningsram (tkr)", tal(a.ram_tkr, "tkr"))]
    anslag.noter = [(f"Fast andel {pengar.svensk_procent(a.fast_andel_procent, 0)}. Januari–november ram × fast "
                    "andel / 12 avrundat till hela kronor (half up), december resten, så att de tolv månaderna "
                    "summerar exakt till ramen.")]
    blad = [oversikt, rader, grupper, manader, anslag]
    if b.avrakning is not None:
        blad.append(_avrakningsblad(b.avrakning, ar, uid, kallor))
    return skriv_arbetsbok(Arbetsbok(blad, kallor.rader, b.antaganden))


def _berakna_manader(rapport, b) -> Blad:
    t, ar = b.tillagg, b.ar
    tom = t.till_och_med
    u = b.utbetalning.avrundad(2)
    plan = _arsplan(rapport, b)
    kolumner = ["Månad", "Anslag (kr)", "Tillägg (kr)"]
    if u.med_avrakning:
        kolumner.append("Avräkning (kr)")
    kolumner += ["Summa (kr)", "Tillägg hittills (kr)"]
    if plan is not None:
        kolumner += ["Plan: tillägg (kr)", "Plan: tillägg hittills (kr)"]
    blad = Blad("Månader", f"Utbetalning per månad: {b.namn} ({b.utforare}) – "
                           f"{'plan' if t.ar_plan else 'utfall'} {ar} t.o.m. {MANADSNAMN[tom - 1]}", kolumner)
    plan_ore = pengar.fordela_avrundning(plan, 2) if plan is not None else None
    hittills = plan_hittills = Decimal(0)
    for m in range(1, 13):
        rad: list[Any] = [f"{manad_text(ar, m)} {MANADSNAMN[m - 1]}"]
        if m <= tom:
            mu = u.manader[m - 1]
            hittills += mu.tillagg_kr
            rad += [tal(mu.anslag_kr), tal(mu.tillagg_kr)]
            if u.med_avrakning:
                rad.append(tal(mu.avrakning_kr) if mu.avrakning_kr is not None else None)
            rad += [tal(mu.summa_kr), tal(hittills)]
        else:
            rad += [None, None] + ([None] if u.med_avrakning else []) + [None, None]
        if plan_ore is not None:
            plan_hittills += plan_ore[m - 1]
            rad += [tal(plan_ore[m - 1]), tal(plan_hittills)]
        if m <= tom or plan_ore is not None:
            blad.rader.append(rad)
    summa: list[Any] = ["Summa", tal(u.anslag_kr), tal(u.tillagg_kr)]
    if u.med_avrakning:
        summa.append(tal(u.avrakning_kr))
    summa += [tal(u.summa_kr), None]
    if plan_ore is not None:
        summa += [tal(sum(plan_ore, Decimal(0))), None]
    blad.summor = [summa]
    ej_hela_oren = [v for v in t.manader if v != pengar.avrunda(v, 2)]
    if ej_hela_oren or (plan is not None and any(v != pengar.avrunda(v, 2) for v in plan)):
        blad.noter.append("Planens månadsbelopp är tolftedelar som inte är hela ören: de är avrundade till öre "
                          "kumulativt (varje månad är den avrundade summan hittills minus föregående månads, half "
                          "up), så att varje kolumn summerar exakt till sin summarad.")
    hittills_kol = kolumner.index("Tillägg hittills (kr)")
    if t.ar_plan:
        serier = [("Plan: tilläggsersättning hittills", hittills_kol)]
        blad.noter.append("Planen: produktionen är uppdraget (bas + tillägg) på varje rad, fördelad efter "
                          "planprofilen (regelboken §5).")
    else:
        serier = [("Utfall: tilläggsersättning hittills", hittills_kol)]
        if plan is not None:
            serier.insert(0, ("Plan: tilläggsersättning hittills", kolumner.index("Plan: tillägg hittills (kr)")))
            blad.noter.append("Planen är `ersattning berakna` utan utfall: produktionen är uppdraget, fördelad "
                              "efter planprofilen (regelboken §5)"
                              + (" – utan besluten under året." if getattr(b, "ikraft", None) is not None else "."))
    blad.diagram = Diagram("Tilläggsersättning hittills i år: plan mot utfall" if len(serier) > 1
                           else "Tilläggsersättning hittills i år", "kr", 0, serier)
    return blad


# --- avrakning ---------------------------------------------------------------------------------------


def _avrakningsblad(res, ar: int, uid: str, kallor: Kallor) -> Blad:
    b = Blad("Avräkning", f"Avräkning av posterna med avräkning (regelboken §7): {uid} {ar}",
             ["Id", "Post", "Tillfälle", "Nivå (tkr)", "Utfall hittills (tkr)", "Tak (tkr)",
              "Utbetalt hittills (tkr)", "Reglerat hittills (tkr)", "Reglering (tkr)", "Anmärkning"])
    for p in res.poster:
        for tf in p.tillfallen:
            b.rader.append([p.id, p.namn, manad_text(ar, tf.manad), tal(p.niva_tkr, "tkr"), tal(tf.utfall_tkr, "tkr"),
                            tal(tf.tak_tkr, "tkr"), tal(tf.utbetalt_tkr, "tkr"), tal(tf.reglerat_hittills_tkr, "tkr"),
                            tal(tf.reglering_tkr, "tkr"), ""])
        if not p.tillfallen:
            b.rader.append([p.id, p.namn, "", tal(p.niva_tkr, "tkr"), None, None, None, None, None,
                            "saknar utfall" if p.saknar_utfall else "inget avräkningstillfälle ännu"])
        kallor("Avräkning", p.id, "nivå", "uppdrag", ("utforare", uid, "avrakning", "poster", p.id, "niva_tkr"))
        kallor("Avräkning", p.id, "utfall", "utfall", ("avrakning", uid, p.id))
    b.summor = [["Summa reglering", "", "", None, None, None, None, None, tal(res.summa_reglering_tkr, "tkr"), ""]]
    kallor("Avräkning", "Tak", "tak före december", "uppdrag", ("utforare", uid, "avrakning", "tak_fore_december"))
    b.noter = ["Negativ reglering betyder pengar tillbaka till regionen."]
    return b


def avrakning(rapport) -> bytes:
    r = rapport.resultat
    kallor = Kallor(rapport)
    return skriv_arbetsbok(Arbetsbok([_avrakningsblad(r.resultat, r.ar, r.utforare, kallor)], kallor.rader,
                                     r.antaganden))


# --- malrelaterad ------------------------------------------------------------------------------------


def malrelaterad(rapport) -> bytes:
    mr = rapport.resultat
    res, ar, uid = mr.resultat, mr.ar, mr.utforare
    kallor = Kallor(rapport)
    b = Blad("Kvartal", f"1177 målrelaterad ersättning (regelboken §9): {uid} {ar}",
             ["Kvartal", "Andel inom 8 min (%)", "Utbetalning (%)", "Belopp (kr)"])
    for k in res.kvartal:
        b.rader.append([f"{ar}-Q{k.kvartal}", procent(k.andel_procent), procent(k.utbetalning_procent),
                        tal(k.belopp_kr)])
        kallor("Kvartal", f"{ar}-Q{k.kvartal}", "andel besvarade inom 8 minuter", "utfall",
               ("malrelaterad_1177", uid, k.kvartal))
    b.summor = [["Summa", None, None, tal(res.summa_kr)]]
    b.fakta = [("Ett kvartals belopp vid 100 % (kr)", tal(res.kvartalsbelopp_kr))]
    kallor("Kvartal", "Kvartalsbelopp", "belopp (mnkr) och kvartal per belopp", "uppdrag",
           ("utforare", uid, "malrelaterad_1177", "belopp_mnkr"))
    kallor("Kvartal", "Trappa", "utbetalningsandel per andel besvarade", "uppdrag",
           ("utforare", uid, "malrelaterad_1177", "trappa"))
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, mr.antaganden))


# --- utbetala ----------------------------------------------------------------------------------------


def utbetala(rapport) -> bytes:
    r = rapport.resultat
    u = r.resultat
    kallor = Kallor(rapport)
    manad = f"{MANADSNAMN[u.manad - 1]} {u.ar}"
    b = Blad("Utbetalning", f"Utbetalning {manad} (regelboken §19): {u.namn} ({u.utforare})",
             ["Id", "Komponent", "Rätt hittills (kr)", "Betalt före (kr)", "Månadens belopp (kr)",
              "Varav efterreglering (kr)", "Utom efterreglering (kr)", "Kreditering", "Bokfört (kr)"])
    for k in u.komponenter:
        b.rader.append([k.komponent, k.namn or k.komponent, tal(k.ratt_kr), tal(k.betalt_kr), tal(k.belopp_kr),
                        tal(k.efterreglering_kr), tal(k.manadens_kr), ja_nej(k.kreditering),
                        tal(bokfort_for(r, k.komponent))])
        slag, _, id_ = k.komponent.partition(":")
        if slag == "tillagg" and id_:
            kallor("Utbetalning", k.komponent, "bas och tillägg", "uppdrag",
                   ("utforare", u.utforare, "volymer", "rader", id_))
            kallor("Utbetalning", k.komponent, "utfall", "utfall", ("produktion", u.utforare, id_))
        elif slag == "avrakning" and id_:
            kallor("Utbetalning", k.komponent, "nivå", "uppdrag",
                   ("utforare", u.utforare, "avrakning", "poster", id_, "niva_tkr"))
        elif slag == "anslag":
            kallor("Utbetalning", k.komponent, "ersättningsramen", "uppdrag",
                   ("utforare", u.utforare, "ersattningsram", "belopp_tkr"))
    b.summor = [["", "Anslag", None, None, tal(u.anslag_kr), None, None, "", None],
                ["", "Tillägg", None, None, tal(u.tillagg_kr), None, None, "", None],
                ["", "Avräkning", None, None, tal(u.avrakning_kr), None, None, "", None],
                ["", f"Att betala {manad}", None, None, tal(u.summa_kr), tal(u.efterreglering_kr), None, "",
                 tal(r.bokfort_kr)]]
    b.fakta = [("Bokförd i journalen", r.bokford)]
    if r.kvittens:
        b.fakta.append(("Kvittens (spara den utanför journalen)", r.kvittens))
    if r.differens_kr is not None:
        b.fakta.append(("Differens mot det bokförda (kr)", tal(r.differens_kr)))
    b.noter = ["Betalt före: det som bokförts i utbetalningsjournalen för månaderna före." if u.betalt_ur_journal
               else "Ingen journal: \"betalt före\" är rätten t.o.m. månaden före, räknad ur samma utfall."]
    if any(k.efterreglering_kr for k in u.komponenter):
        b.noter.append(EFTERREGLERING_NOT)
    if r.bokfort_kr is not None:
        b.noter.append(f"{manad.capitalize()} är redan bokförd i journalen; differensen är det nuvarande uttaget "
                       "minus det bokförda och betalas i nästa månads utbetalning.")
    elif r.bokford:
        b.noter.append(f"Bokförd i journalen: {manad}.")
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, r.antaganden))
