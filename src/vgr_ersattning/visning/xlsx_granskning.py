"""`forklara` som arbetsbok: en siffra som ett träd ned till sina källor (regelboken §15), och listan
över siffror som kan förklaras. De andra kommandona skrivs ur sin rapport (`visning.xlsx`)."""

from __future__ import annotations

from vgr_ersattning.kalkyl.spar import kallor as numrerade
from vgr_ersattning.visning.arbetsbok import (
    Arbetsbok,
    Blad,
    Kallor,
    procent,
    skriv_arbetsbok,
    tal,
)

# --- forklara och antaganden -------------------------------------------------------------------------


def _nodvarde(n):
    v = n.varde
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if n.enhet == "procent":
        return procent(v)
    if n.enhet == "andel":
        return procent(v * 100)
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
    lista, nummer = numrerade(r.nod)

    def lagg_till(n, djup: int) -> None:
        nr = nummer.get((n.plats, n.dokument))
        b.rader.append([djup, "  " * djup + n.namn, _nodvarde(n), n.enhet or "", n.regel, n.formel, n.plats,
                        f"[{nr}]" if nr else "", ", ".join(n.antaganden)])
        for d in n.delar:
            lagg_till(d, djup + 1)

    lagg_till(r.nod, 0)
    for i, (plats, dokument) in enumerate(lista, start=1):
        kallor.plats("Förklaring", f"[{i}]", "källa", plats, dokument)
    b.noter = ["Värden i procent står som andelar (100 % = 1)."]
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, r.antaganden))
