"""Snabbvägen för utfall i CSV: rader räknas som byte, och varje distinkt rad (eller nyckel) tolkas
och kontrolleras en gång.

Ett radnivåuttag upprepar några tusen distinkta rader miljontals gånger. Snabbvägen räknar raderna
som byte i block (`raknare.Raknare`: identiska rader, eller summor per nyckel när raderna är många
olika), tolkar och kontrollerar varje distinkt rad och nyckel en gång med samma regler och
felmeddelanden som `tabell.las_tabell` (`tolkning`), och multiplicerar med antalet förekomster.
Varje distinkt rads och nyckels första radnummer noteras när den dyker upp första gången (för
`kallor` och felens plats); raderna med fel letas upp i filen igen först när felen rapporteras, så
att varje fel har sin fil:rad:kolumn. En fil som inte går att spola tillbaka (en pipe) läses av
`strom` i stället, som tolkar medan den läser. Allt snabbvägen inte förstår – en rubrik med
citattecken, fel eller annat än ASCII följt av Windows-1252, en post över flera rader, ett ensamt
\\r, NUL, en byte som inte går att avkoda, en mycket lång rad, fler distinkta rader än minnet räcker
till – läses i stället av hela CSV-läsaren från början; inget läggs in i utfallet innan snabbvägen
vet att den förstår hela filen.

Var tiden går (benchmarks/utfall_csv.py, benchmarks/utfall_distinkta.py): bytes.split och räknaren
kostar ~110 ns per rad och kärna i radläget, delningen per nyckel ~250 ns; allt annat är per block
eller per distinkt rad och nyckel. Därför finns bara en räknare per process (ingen sammanslagning
per block), och filer från _SNABB_PARALLELL_BYTE räknas av en process per processor
(`parallell.samla`) som tar nästa lediga del av filen.
"""

from __future__ import annotations

import os
from itertools import repeat
from operator import itemgetter

from vgr_ersattning import forstart
from vgr_ersattning.inlasning.fel import Felsamlare, Plats
from vgr_ersattning.inlasning.utfall import csvdelar
from vgr_ersattning.inlasning.utfall.csvdelar import Rakning, Rubrik, block_av, las_rubrik, pread, rakna_del
from vgr_ersattning.inlasning.utfall.raknare import Hoppa, Raknare, sla_ihop
from vgr_ersattning.inlasning.utfall.tabell import lagg_in_summor
from vgr_ersattning.inlasning.utfall.tolkning import Tolkare, poster, radens_fel, summera
from vgr_ersattning.modell import Uppdrag

_Hoppa = Hoppa
_snabb_rakna_del = rakna_del      # (testerna byter ut den)


def kan_spolas(strom) -> bool:
    """Om strömmen går att spola tillbaka (en vanlig fil; inte en pipe)."""
    try:
        return bool(strom.seekable())
    except (AttributeError, OSError, ValueError):
        return False



def _snabb_rakna(strom, nr: int, rubrik: Rubrik, rapport) -> Rakning:
    """Räkningen (`Raknare.resultat`) av filen från strömmens position; `nr` är antalet rader före
    den. Radnumren är filens."""
    borjan = strom.tell()
    delar = _snabb_delar(strom, borjan)
    if delar is not None:
        return _snabb_rakna_parallellt(*delar, nr, rubrik, rapport)
    try:
        las = pread(strom.fileno(), borjan) if hasattr(os, "pread") else strom.read
    except (AttributeError, OSError, ValueError):
        las = strom.read
    raknare = Raknare(rubrik.avgransare, rubrik.nyckla)
    _snabb_rakna_del(las, nr, borjan, rapport, raknare)
    return raknare.resultat()

# Filer med minst så många byte efter rubriken räknas av flera processer (`parallell.samla`: den här
# och arbetare, en process per processor; eller förstartens process, `forstart`) när processen får
# använda fler än en processor. Varje MiB kostar ~2,7 ms i en process; att dela kostar ~12 ms i en
# hel körning (importen av concurrent.futures och multiprocessing ~6 ms, att starta arbetaren,
# resultaten och avslutet ~6 ms). Mätt på en maskin med två kärnor, läsaren i processen: 8 MiB 1,1×,
# 16 MiB 1,3× och 40 MiB 1,65× så snabbt som en process; som hela processer lika snabbt vid 8 MiB
# och 1,15× vid 42 MB. Processerna tar nästa lediga del efter hand: filen delas i högst
# _SNABB_DELAR delar om minst _SNABB_DEL_BYTE (`csvdelar.delningsgranser`), så alla blir klara
# nästan samtidigt också när någon får mindre tid av maskinen.
_SNABB_PARALLELL_BYTE = forstart.CSV_FRAN
_SNABB_DEL_BYTE = csvdelar.DEL_BYTE
_SNABB_DELAR = csvdelar.DELAR


def _snabb_delar(strom, borjan: int) -> tuple[int, list[int]] | None:
    """(fd, gränserna) när filen ska räknas av flera processer, annars None: filen från `borjan`
    delad (`csvdelar.delningsgranser`; gränserna börjar med `borjan` och slutar med filens slut)."""
    if not hasattr(os, "pread"):
        return None
    try:
        fd = strom.fileno()
        slut = os.fstat(fd).st_size
    except (AttributeError, OSError, ValueError):
        return None
    if slut - borjan < max(_SNABB_PARALLELL_BYTE, 1):
        return None
    if forstart.har_barn("csv"):
        processer = forstart.arbetare()     # (= `parallell.processer()` här, utan dess import: ~6 ms)
    else:
        from vgr_ersattning import parallell

        processer = parallell.processer()
    if processer < 2:
        return None
    granser = csvdelar.delningsgranser(fd, borjan, slut, _SNABB_DEL_BYTE, _SNABB_DELAR)
    return None if granser is None else (fd, granser)


def _snabb_rakna_parallellt(fd: int, granser: list[int], nr: int, rubrik: Rubrik, rapport) -> Rakning:
    """Delarna mellan `granser` räknade av flera processer (förstartens, när den räknar samma delar
    av samma fil, annars `parallell.samla`): var och en tar nästa lediga del och räknar allt den tar
    med en räknare (`csvdelar.rakna_delar`), så varje del räknas av precis en process. En rads och en
    nyckels första plats noteras som (del << 32) + rad i delen och blir ett radnummer när alla är
    klara. En process som ger upp (`_Hoppa`: för många distinkta rader) tar resten av delarna (de
    andra slutar då också) och ger None: `_Hoppa`."""
    ndelar = len(granser) - 1

    def rakna_delar(nummer) -> tuple[Rakning, dict[int, int]] | None:
        return csvdelar.rakna_delar(fd, granser, rubrik.avgransare, rubrik.nyckla, nummer, _snabb_rakna_del)

    svar = _med_forstarten(fd, granser, rubrik, rakna_delar, rapport)
    if svar is None:
        from vgr_ersattning import parallell

        svar = parallell.samla(rakna_delar, ndelar, None if rapport is None else (lambda klara: rapport(granser[klara])))
    if any(s is None for s in svar):
        raise _Hoppa
    rakning, rader = svar[0]                # type: ignore[misc]
    for rakning2, rader2 in svar[1:]:       # type: ignore[misc]
        if not rader.keys().isdisjoint(rader2):
            raise _Hoppa            # kan inte hända: varje del räknas av precis en process
        rader.update(rader2)
        sla_ihop(rakning, rakning2)
    if len(rader) != ndelar:
        raise _Hoppa                # kan inte hända: alla delar räknas
    fore = [nr] * ndelar            # raderna före varje del
    for i in range(1, ndelar):
        fore[i] = fore[i - 1] + rader[i - 1]
    antal, forsta, nycklar = rakning
    forsta = {k: fore[v >> 32] + (v & 0xFFFFFFFF) for k, v in forsta.items()}
    for post in nycklar.values():
        post[2] = fore[post[2] >> 32] + (post[2] & 0xFFFFFFFF)
    return antal, forsta, nycklar


def _med_forstarten(fd: int, granser: list[int], rubrik: Rubrik, rakna_delar, rapport) -> list | None:
    """Räkningarna (som `parallell.samla` ger dem) när förstartens process räknar samma delar av samma
    fil: den här processen tar nästa lediga del tills alla är tagna, och sedan processens räkning. Dog
    processen räknas dess delar här. None utan en sådan process."""
    try:
        barn = forstart.ta("csv", lambda: csvdelar.nyckel(fd, rubrik, granser))
    except OSError:
        return None
    if barn is None:
        return None
    try:
        delar = barn.delar()
        if rapport is not None:
            delar = _rapporterande(delar, granser, rapport)
        har = rakna_delar(delar)
    except BaseException:
        barn.avbryt()
        raise
    dar = barn.resultat()
    if dar is forstart.DOG:
        if har is None:
            return [None]
        saknas = [i for i in range(len(granser) - 1) if i not in har[1]]
        dar = rakna_delar(iter(saknas))
    return [har, dar]


def _rapporterande(delar, granser: list[int], rapport):
    """Delarna, och förloppet (byte före varje del som tas) till `rapport`."""
    for i in delar:
        rapport(granser[i])
        yield i


def _snabb_forekomster(strom, trasiga_rader: dict, trasiga_nycklar: dict, sep: bytes, nr: int):
    """(radnummer, felen) för varje rad med fel (`tolkning.radens_fel`), i filens ordning."""
    forsta_delen = itemgetter(0)
    for rader, _ in block_av(strom.read):
        if not trasiga_rader.keys().isdisjoint(rader) or (
                trasiga_nycklar and not trasiga_nycklar.keys().isdisjoint(
                    map(forsta_delen, map(bytes.rpartition, rader, repeat(sep))))):
            for i, k in enumerate(rader):
                fel = radens_fel(k, trasiga_rader, trasiga_nycklar, sep)
                if fel is not None:
                    yield nr + i + 1, fel
        nr += len(rader)


def las_csv_snabb(namn: str, strom, uppdrag: Uppdrag, ut, rapport) -> bool:
    """Snabbvägen för en fil som går att spola tillbaka: False (utan att något lagts in i `ut`) när
    filen ska läsas av hela CSV-läsaren; annars True, eller `Inlasningsfel` med samma fel som hela
    läsaren ger. `ut` är utfallet (`Utfall`)."""
    try:
        rubrik = las_rubrik(namn, strom)
        kropp = strom.tell()
        antal, forsta, nycklar = _snabb_rakna(strom, rubrik.rader, rubrik, rapport)
        tolkare = Tolkare(namn, rubrik.index, rubrik.ncol, rubrik.avgransare, rubrik.ascii, uppdrag, ut.ar)
        summor, forsta_plats, trasiga_rader, trasiga_nycklar, antal_fel = summera(
            tolkare, poster(antal, forsta, nycklar, tolkare.sep, rubrik.nyckla))
    except _Hoppa:
        return False
    fel = Felsamlare()
    if antal_fel:
        # Felen i filens ordning, som hela läsaren samlar dem: de första MAX_FEL visas, resten räknas.
        strom.seek(kropp)
        lagda = 0
        for rnr, radfel in _snabb_forekomster(strom, trasiga_rader, trasiga_nycklar, tolkare.sep, rubrik.rader):
            for f in radfel:
                fel(Plats(namn, rnr, f.plats.kolumn), f.sokvag, f.meddelande)
            lagda += len(radfel)
            if len(fel.fel) >= fel.max_fel:
                break
        fel.overskjutande += antal_fel - lagda
    lagg_in_summor(ut, summor, forsta_plats, fel, tolkare.kodningsfel)
    return True
