"""Snabbvägen för utfall i CSV från en pipe (`cat F | ersattning berakna --utfall -`): samma räknare
och tolkning som för en fil (`snabb`), men strömmen läses bara en gång.

En fil läses om när felen ska få sina platser, och från början av hela CSV-läsaren när snabbvägen
inte förstår den. En pipe går inte att läsa om, så här tolkas varje ny distinkt rad och nyckel i
det block där den först står (i filens ordning, så kodningen avgörs som i en fil), och varje rad med
fel noteras med sitt radnummer medan blocken läses, tills `MAX_FEL` fel har platser (resten räknas
ur räkningen). Blocken läses som hela CSV-läsaren läser dem (`csvlasare.BLOCK` byte, räknat från
strömmens början). När något i ett block inte går snabbvägen tas blocket bort ur räkningen
(`Raknare.angra`), summorna och felen hittills räknas fram, och hela CSV-läsaren läser vidare från
blockets första rad med samma radnummer, kodning och block som om den hade läst från början
(`fortsatt`). En rubrik snabbvägen inte förstår läses om av hela läsaren ur det som redan lästs.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from itertools import repeat
from operator import itemgetter

from vgr_ersattning.inlasning import csvlasare
from vgr_ersattning.inlasning.csvlasare import CsvRader, csv_fel, csv_lasare
from vgr_ersattning.inlasning.fel import Fel, Felsamlare, Inlasningsfel, Plats
from vgr_ersattning.inlasning.kallor import fortsatt_med
from vgr_ersattning.inlasning.utfall.csvdelar import Block, Rubrik, RubrikHoppa, las_rubrik
from vgr_ersattning.inlasning.utfall.raknare import Hoppa, Raknare
from vgr_ersattning.inlasning.utfall.tabell import lagg_in_summor, las_tabell, summera_rader
from vgr_ersattning.inlasning.utfall.tolkning import Tolkare, poster, radens_fel, summera
from vgr_ersattning.modell import Uppdrag

_forsta_delen = itemgetter(0)


def _las_i_block(strom, borjan: int) -> Callable[[int], bytes]:
    """`las(n)` som läser i block om `csvlasare.BLOCK` byte räknat från strömmens början; `borjan`
    byte är redan lästa."""
    pos = borjan

    def las(_: int) -> bytes:
        nonlocal pos
        block = csvlasare.BLOCK
        data = strom.read(block - pos % block)
        pos += len(data)
        return data
    return las


def las_csv_strom(namn: str, strom, uppdrag: Uppdrag, ut) -> None:
    """Läser CSV-utfallet i `strom` (som inte går att spola tillbaka) in i `ut` (`Utfall`), eller
    `Inlasningsfel` med samma fel som hela CSV-läsaren ger."""
    try:
        rubrik = las_rubrik(namn, strom)
    except RubrikHoppa as e:
        rader = CsvRader(namn, fortsatt_med(e.data, strom))
        las_tabell(namn, rader, lambda: csv_lasare(rader), uppdrag, ut)
        return
    tolkare = Tolkare(namn, rubrik.index, rubrik.ncol, rubrik.avgransare, rubrik.ascii, uppdrag, ut.ar, minns=True)
    raknare = Raknare(rubrik.avgransare, rubrik.nyckla)
    fel = Felsamlare()
    trasiga_rader: dict[bytes, list[Fel]] = {}
    trasiga_nycklar: dict[bytes, list[Fel]] = {}
    lagda, nr, sep = 0, rubrik.rader, tolkare.sep
    block = Block(_las_i_block(strom, len(rubrik.data)), pipe=True)
    blocken = iter(block)
    while True:
        try:
            rader, _ = next(blocken)
        except StopIteration:
            break
        except Hoppa:       # en rad längre än gränsen: hela läsaren från blockets första rad
            _fortsatt(block, strom, nr, rubrik, tolkare, raknare, fel, lagda, uppdrag, ut)
            return
        kodning = tolkare.kodning, tolkare.kodningsfel
        try:
            raknare.rakna(rader, nr)
            for i, ar_nyckel, b in raknare.nya:
                r = tolkare.tolka(tolkare.nyckelrad(b) if ar_nyckel else b, nr + i + 1)
                if r.__class__ is list:
                    (trasiga_nycklar if ar_nyckel else trasiga_rader)[b] = r
        except Hoppa:
            raknare.angra()
            tolkare.kodning, tolkare.kodningsfel = kodning
            _fortsatt(block, strom, nr, rubrik, tolkare, raknare, fel, lagda, uppdrag, ut)
            return
        if (trasiga_rader or trasiga_nycklar) and len(fel.fel) < fel.max_fel and (
                not trasiga_rader.keys().isdisjoint(rader) or (trasiga_nycklar and not trasiga_nycklar.keys().isdisjoint(
                    map(_forsta_delen, map(bytes.rpartition, rader, repeat(sep)))))):
            for i, rad in enumerate(rader):
                radfel = radens_fel(rad, trasiga_rader, trasiga_nycklar, sep)
                if radfel is not None:
                    for f in radfel:
                        fel(Plats(namn, nr + i + 1, f.plats.kolumn), f.sokvag, f.meddelande)
                    lagda += len(radfel)
                    if len(fel.fel) >= fel.max_fel:
                        break
        nr += len(rader)
    summor, forsta_plats = _hittills(tolkare, rubrik, raknare, fel, lagda)
    lagg_in_summor(ut, summor, forsta_plats, fel, tolkare.kodningsfel)


def _hittills(tolkare: Tolkare, rubrik: Rubrik, raknare: Raknare, fel: Felsamlare, lagda: int):
    """Summorna och deras första platser ur räkningen hittills; felen som inte fått en plats räknas
    in i `fel`. Varje rad och nyckel är redan tolkad (`Tolkare.minne`)."""
    rader, forsta, nycklar = raknare.resultat()
    try:
        summor, forsta_plats, _, _, antal_fel = summera(tolkare, poster(rader, forsta, nycklar, tolkare.sep,
                                                                        rubrik.nyckla))
    except Hoppa:       # pragma: no cover - varje rad och nyckel förstods redan när den lästes
        raise Inlasningsfel([Fel(Plats(tolkare.namn, 0, 0), "", "filen kunde inte läsas (ett internt fel i "
                                                                   "CSV-läsaren)")]) from None
    fel.overskjutande += antal_fel - lagda
    return summor, forsta_plats


def _fortsatt(block: Block, strom, nr: int, rubrik: Rubrik, tolkare: Tolkare, raknare: Raknare, fel: Felsamlare,
              lagda: int, uppdrag: Uppdrag, ut) -> None:
    """Hela CSV-läsaren tar vid vid det senaste blockets första rad (rad `nr` + 1), med summorna och
    felen hittills: samma rader, block, kodning och fel som `tabell.las_tabell` från filens början."""
    namn = tolkare.namn
    summor, forsta_plats = _hittills(tolkare, rubrik, raknare, fel, lagda)
    forra, data = block.lasta()
    rader = CsvRader(namn, fortsatt_med(data, strom))
    rader.fortsatt_fran(nr, forra, len(data) or csvlasare.BLOCK, tolkare.kodning,
                        rubrik.ascii and tolkare.kodning is None, rubrik.bom)
    lasare = csv_lasare(rader, rubrik.avgransare)
    try:
        summera_rader(lasare, rader, rubrik.index, rubrik.ncol, tolkare.tolka_antal, uppdrag, ut.ar, fel, summor,
                      forsta_plats, nr=nr)
    except Inlasningsfel as e:          # en byte som inte går att avkoda
        for f in e.visade:
            fel.lagg_till(f)
    except csv.Error as e:
        fel(Plats(namn, rader.trasig_posts_forsta_rad(nr + lasare.line_num), 1), "", csv_fel(e))
    lagg_in_summor(ut, summor, forsta_plats, fel, tolkare.kodningsfel or rader.kodningsfel())
