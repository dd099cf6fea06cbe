"""`forklara` i terminalen: en siffra som ett träd ned till sina källor (regelboken §15), och listan
över siffror som kan förklaras. De andra kommandona skrivs ur sin rapport (`visning.tabell`)."""

from __future__ import annotations

from vgr_ersattning.kalkyl.spar import kallor, med_enhet
from vgr_ersattning.visning.tabellbas import Tabell, antaganden_not, ny_konsol
from vgr_ersattning.visning.terminal import Text, Trad

# --- forklara och antaganden -----------------------------------------------------------------------


def forklara(rapport) -> str:
    """Trädet med varje nods värde i sin enhet, regeln, formeln med värdena insatta och källans nummer;
    källorna (fil:rad:kolumn och dokumentet) står var och en en gång, numrerade, under trädet."""
    console = ny_konsol(rapport)
    r = rapport.resultat
    if hasattr(r, "figurer"):
        t = Tabell("Siffror som kan förklaras", ("Figur", "left"), ("Vad", "left"))
        for f, b in r.figurer:
            t.rad(f, b)
        t.visa(console)
        return console.text()
    lista, nummer = kallor(r.nod)

    def etikett(n) -> Text:
        # Hela etiketten är fet (namnet, värdet, formeln; regeln fet och dim, källans nummer fet cyan).
        text = Text(f"{n.namn}: ") + Text(med_enhet(n.varde, n.enhet))
        if n.plats or n.dokument:
            text += Text(f"  [{nummer[(n.plats, n.dokument)]}]", style="cyan")
        if n.regel:
            text += Text(f"  ({n.regel})", style="dim")
        if n.formel:
            text += Text(f"\n{n.formel}")
        if n.antaganden:
            text += Text("\nBygger på antagande " + ", ".join(n.antaganden), style="yellow")
        return text.stilad("bold")

    def bygg(n, gren) -> None:
        for d in n.delar:
            bygg(d, gren.add(etikett(d)))

    trad = Trad(etikett(r.nod))
    bygg(r.nod, trad)
    console.trad(trad)
    if lista:
        console.skriv()
        console.skriv(Text("Källor", style="bold"))
        for i, (plats, dokument) in enumerate(lista, start=1):
            console.skriv(Text(f"[{i}] " + " – ".join(x for x in (plats, dokument) if x), style="cyan"))
    antaganden_not(console, r.antaganden)
    return console.text()
