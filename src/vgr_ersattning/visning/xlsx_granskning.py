"""Arbetsböcker för granskningen av underlaget: `kontrollera`, `brygga`, `uppfoljning`, `kalender`,
`priser`, `forklara` och `antaganden` (regelboken §3, §8, §10, §14, §15)."""

from __future__ import annotations

from vgr_ersattning.visning.arbetsbok import (
    Arbetsbok,
    Blad,
    Kallor,
    andel,
    ja_nej,
    procent,
    skriv_arbetsbok,
    tal,
)

# --- kontrollera -------------------------------------------------------------------------------------


def kontrollera(rapport) -> bytes:
    r = rapport.resultat
    kallor = Kallor(rapport)
    godkanda = sum(1 for k in r.kontroller if k.ok)
    kontroller = Blad("Kontroller", f"Kontroller: {godkanda} av {len(r.kontroller)} godkända",
                      ["Kontroll", "OK", "Värde", "Differens", "Enhet", "Meddelande", "Plats (fil:rad:kolumn)"],
                      talformat_per_cell=True)
    for k in r.kontroller:
        enhet = k.enhet or "antal"
        kontroller.rader.append([k.namn, ja_nej(k.ok), tal(k.varde, enhet), tal(k.differens, enhet), k.enhet or "",
                                 k.meddelande, k.plats])
        kallor("Kontroller", k.namn, "värdet som kontrolleras", k.fil, k.sokvag)
    anm = Blad("Anmärkningar", "Kända fel i dokumenten (regelboken §14)", ["Utförare", "Anmärkning", "Källa"],
               [[uid, a.text, a.kalla] for uid, a in r.anmarkningar])
    for uid, a in r.anmarkningar:
        kallor.plats("Anmärkningar", uid, a.text[:60], "", a.kalla)
    return skriv_arbetsbok(Arbetsbok([kontroller, anm], kallor.rader, {},
                                     "Kontrollerna bygger inte på något antagande."))


# --- brygga ------------------------------------------------------------------------------------------


def brygga(rapport) -> bytes:
    r, m, uid = rapport.resultat.resultat, rapport.resultat.brygga, rapport.resultat.utforare
    kallor = Kallor(rapport)
    bv = ("utforare", uid, "brygga")
    b = Blad("Brygga", f"Förändringar jämfört med föregående uppdrag (regelboken §8): {uid}",
             ["Rad", "Belopp (tkr)", "Räknat (tkr)", "Index (%)", "Anmärkning"])
    b.rader.append([m.fran.namn, tal(r.fran_tkr, "tkr"), None, None, m.fran.anmarkning or ""])
    b.rader.append([m.index.namn, tal(r.upprakning_tryckt_tkr, "tkr"), tal(r.upprakning_tkr, "tkr"), andel(r.index),
                    ""])
    b.rader.append([m.delsumma.namn, tal(r.delsumma.angiven_tkr, "tkr"), None, None, m.delsumma.anmarkning or ""])
    for (namn, belopp), j in zip(r.justeringar, m.justeringar):
        b.rader.append([namn, tal(belopp, "tkr"), None, None, j.anmarkning or ""])
    b.summor = [[m.till.namn, tal(r.total.angiven_tkr, "tkr"), None, None, m.till.anmarkning or ""]]
    kallor("Brygga", m.fran.namn, "belopp", "uppdrag", bv + ("fran", "belopp_tkr"))
    kallor("Brygga", m.index.namn, "index och uppräkning", "uppdrag", bv + ("index",))
    kallor("Brygga", m.delsumma.namn, "belopp", "uppdrag", bv + ("delsumma", "belopp_tkr"))
    for i, j in enumerate(m.justeringar):
        kallor("Brygga", j.namn, "belopp", "uppdrag", bv + ("justeringar", i, "belopp_tkr"))
    kallor("Brygga", m.till.namn, "belopp", "uppdrag", bv + ("till", "belopp_tkr"))
    b.noter = [f"Ledtråd: {x}" for x in r.ledtradar]
    avst = Blad("Avstämning", "Bryggan stämd av i två steg: tryckt belopp mot summan av de tryckta termerna",
                ["Steg", "Angiven (tkr)", "Summa av tryckta termer (tkr)", "Differens (tkr)", "Tolerans (tkr)",
                 "Avrundade termer (antal)", "Stämmer"])
    for steg in (r.delsumma, r.total):
        avst.rader.append([steg.namn, tal(steg.angiven_tkr, "tkr"), tal(steg.summa_tkr, "tkr"),
                           tal(steg.differens_tkr, "tkr"), tal(steg.tolerans_tkr, "tkr"), steg.antal_termer,
                           ja_nej(steg.stammer)])
    avst.fakta = [("Bryggan stämmer", ja_nej(r.stammer))]
    avst.noter = [("Dokumentets siffror är avrundade till hela tkr var för sig: ett tryckt belopp godtas när det "
                  "skiljer högst 0,5 tkr per avrundad term från summan av termerna.")]
    return skriv_arbetsbok(Arbetsbok([b, avst], kallor.rader, {}, "Bryggan bygger inte på något antagande."))


# --- uppfoljning och kalender ------------------------------------------------------------------------

_STATUSTEXT = {"uppfyllt": "uppfyllt", "ej_uppfyllt": "ej uppfyllt", "saknar_utfall": "saknar utfall",
               "ej_bedombart": "ej bedömbart", "information": "information"}


def indikatorvarde(v, enhet: str | None):
    """Ett indikatorvärde som i JSON; i procent som andel (84,7 % = 0,847)."""
    if v is None or isinstance(v, str):
        return v
    return procent(v) if enhet == "procent" else tal(v, "procent")


def uppfoljning(rapport) -> bytes:
    r = rapport.resultat
    uid = r.utforare
    kallor = Kallor(rapport)
    b = Blad("Indikatorer", f"Uppföljning {r.period} (regelboken §10): {uid}",
             ["Område", "Id", "Indikator", "Period", "Typ", "Målvärde", "Utfall", "Föregående", "Enhet", "Status"],
             talformat_per_cell=True)
    for x in r.bedomningar:
        ind = x.indikator
        b.rader.append([ind.omrade, x.id, ind.namn, str(x.period), ind.typ, indikatorvarde(ind.malvarde, ind.enhet),
                        indikatorvarde(x.utfall, ind.enhet), indikatorvarde(x.foregaende, ind.enhet), ind.enhet or "",
                        _STATUSTEXT.get(x.status, x.status)])
        kallor("Indikatorer", x.id, "indikator och målvärde", "uppdrag",
               ("utforare", uid, "indikatorer", "lista", x.id))
        if not ind.berakning:
            kallor("Indikatorer", x.id, "utfall", "utfall", ("indikatorer", uid, x.id, str(x.period)))
    bedomda = [x for x in r.bedomningar if x.status != "information"]
    b.fakta = [("Uppfyllda", sum(1 for x in bedomda if x.status == "uppfyllt")), ("Bedömda", len(bedomda))]
    b.noter = ["Värden i procent står som andelar (84,7 % = 0,847); andra i indikatorns enhet."]
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, {}, "Bedömningen bygger inte på något antagande."))


def kalender(rapport) -> bytes:
    r = rapport.resultat
    kallor = Kallor(rapport)
    b = Blad("Kalender", f"Uppföljningskalender: {r.utforare}", ["Tillfälle", "Id", "Indikator", "Uppgiftslämnare"])
    for p, ider in r.tillfallen:
        for i in ider:
            b.rader.append([str(p), i, r.indikatorer[i].namn, r.indikatorer[i].uppgiftslamnare or ""])
    for i in r.indikatorer:
        kallor("Kalender", i, "indikatorn och dess tillfällen", "uppdrag",
               ("utforare", r.agare.get(i, r.utforare), "indikatorer", "lista", r.indikator_id(i)))
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, {}, "Kalendern bygger inte på något antagande."))


# --- forklara och antaganden -------------------------------------------------------------------------


def _nodvarde(n):
    v = n.varde
    if v is None or isinstance(v, str):
        return v
    if n.enhet == "procent":
        return procent(v)
    return tal(v, n.enhet or "antal")


def forklara(rapport) -> bytes:
    r = rapport.resultat
    kallor = Kallor(rapport)
    if hasattr(r, "figurer"):
        b = Blad("Figurer", "Siffror som kan förklaras (ersattning forklara FIGUR)", ["Figur", "Vad"],
                 [[f, beskr] for f, beskr in r.figurer])
        return skriv_arbetsbok(Arbetsbok([b], [], {}, "Listan bygger inte på något antagande."))
    b = Blad("Förklaring", f"Förklaring av {r.figur} (regelboken §15)",
             ["Nivå", "Namn", "Värde", "Enhet", "Regel", "Formel", "Plats", "Källa", "Antaganden"],
             talformat_per_cell=True)

    def lagg_till(n, djup: int) -> None:
        b.rader.append([djup, "  " * djup + n.namn, _nodvarde(n), n.enhet or "", n.regel, n.formel, n.plats,
                        n.dokument, ", ".join(n.antaganden)])
        kallor.plats("Förklaring", n.namn, "indata" if not n.delar else "siffran", n.plats, n.dokument)
        for d in n.delar:
            lagg_till(d, djup + 1)

    lagg_till(r.nod, 0)
    b.noter = ["Värden i procent står som andelar (100 % = 1)."]
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, r.antaganden))


def antaganden(rapport) -> bytes:
    r = rapport.resultat
    kallor = Kallor(rapport)
    b = Blad("Antaganden", "Antaganden där dokumenten är tysta", ["Id", "Antagande", "Källa", "Verkar i"])
    for a, t in r.antaganden.items():
        platser = r.anvandning.get(a, [])
        b.rader.append([a, t.text, t.kalla, "\n".join(platser)])
        for p in platser:
            kallor.plats("Antaganden", a, "där antagandet verkar", p, "")
    b.noter = [("Antagandena är data i uppdragsfilen (`antaganden` och `antagande: An` där de verkar) och ändras "
               "där, inte i koden.")]
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, r.antaganden))


# --- priser -----------------------------------------------------------------------------------------


def priser(rapport) -> bytes:
    r = rapport.resultat
    kallor = Kallor(rapport)
    b = Blad("Priser", "Priser 2026 och avståndet till det kalkylerade priset",
             ["Grupp", "Rad", "Utförare", "Pris (kr)", "Kalkylerat (kr)", "Differens (kr)", "Mot kalkylerat (andel)"])
    for x in r.rader:
        for p in x.priser:
            b.rader.append([x.grupp, x.namn, p.utforare, tal(p.pris_kr), tal(x.kalkylerat_kr), tal(p.differens_kr),
                            andel(p.andel)])
        kallor(b.namn, x.id, "raden i tabellen Priser 2026", "priser", ("priser", "rader", x.id))
    b.noter = [("Ett tomt pris är \"-\" i tabellen (inget pris). Tabellen visas för jämförelse; tilläggsersättningen "
               "räknas med priskategorierna i prisfilen (regelboken §4).")]
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, {}, "Tabellen bygger inte på något antagande."))
