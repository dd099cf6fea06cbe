"""Terminalen: vilken rapport som helst (`rapport.modell`) som tabeller och noter, svenskt talformat.
Importeras bara när tabell är formatet; ritas av `visning.terminal` (utan rich).

Varje kommando med en byggare (`rapport.byggare`) skrivs av `skriv`: `tabell.berakna(rapport)` är
`skriv(bygg("berakna", rapport), rapport)`. `forklara` skriver sitt träd själv
(`visning.tabell_granskning`).

En tabell visar kolumnerna och raderna som står i terminalen (`TABELL in visas`): rubrikerna är
kolumnernas korta rubriker, tal högerställda, en rad på nivå n indragen 2n steg i första kolumnen;
noterna följer tabellen, och sist antagandena siffrorna bygger på.
"""

from __future__ import annotations

from vgr_ersattning.rapport.byggare import KOMMANDON, bygg
from vgr_ersattning.rapport.modell import TABELL, Redovisning, Tabell
from vgr_ersattning.visning import celler
from vgr_ersattning.visning.tabell_granskning import forklara
from vgr_ersattning.visning.tabellbas import Tabell as Terminaltabell
from vgr_ersattning.visning.tabellbas import antaganden_not, notera, ny_konsol
from vgr_ersattning.visning.terminal import Konsol, Text

__all__ = ("forklara", "skriv", *KOMMANDON)


def skriv(red: Redovisning, rapport) -> str:
    """Rapporten som text i terminalens bredd (`rapport.bredd`) och med dess färgval."""
    console = ny_konsol(rapport)
    flera = len(red.avsnitt) > 1
    for i, avsnitt in enumerate(red.avsnitt):
        if flera and avsnitt.rubrik:
            if i:
                console.skriv()
            console.skriv(Text(avsnitt.rubrik.upper(), style="bold"))
        for rad in avsnitt.inledning:
            notera(console, rad, "")
        for t in avsnitt.tabeller:
            if TABELL in t.visas:
                skriv_tabell(console, t)
    if red.antaganden_som_not:
        antaganden_not(console, red.antaganden)
    return console.text()


def skriv_tabell(console: Konsol, t: Tabell) -> None:
    kolumner = t.kolumner_i(TABELL)
    if kolumner:
        tabell = Terminaltabell(t.titel, *((k.i_terminalen, "right" if k.hogerstalld else "left")
                                          for _, k in kolumner))
        for rad in t.rader_i(TABELL):
            if rad.sektion:
                tabell.sektion()
            texter = []
            for j, (i, k) in enumerate(kolumner):
                c = celler.som_cell(rad.celler[i] if i < len(rad.celler) else None)
                if c.visas is not None and TABELL not in c.visas:
                    texter.append("")
                    continue
                text = celler.text(k, c)
                if j == 0 and rad.niva:
                    text = "  " * rad.niva + text
                texter.append(Text(text, style=c.stil) if c.stil else text)
            tabell.rad(*texter, stil=rad.stil)
        tabell.visa(console)
    for f in t.fakta:
        if TABELL in f.visas:
            notera(console, f"{f.etikett}: {celler.for_manniskor(f.varde, f.slag)}", "")
    for n in t.noter:
        if TABELL in n.visas:
            notera(console, n.text, n.stil)


def __getattr__(namn: str):
    """`tabell.<kommando>(rapport)` för varje kommando med en byggare."""
    if namn in KOMMANDON:
        return lambda rapport: skriv(bygg(namn, rapport), rapport)
    raise AttributeError(f"module {__name__!r} has no attribute {namn!r}")
