"""Utfall ur Excel (regelboken §20): ett blad i en arbetsbok (xlsx) som rader av text, med samma
gränssnitt som CSV-läsningen (`tabell.las_tabell`), så att reglerna för kolumner, rad-id,
månader och antal är desamma och bara finns på ett ställe.

- Bladet: det första, eller det som `--blad NAMN` anger (exakt, annars utan hänsyn till skiftläge).
- Platserna i felen namnger blad och cell: `utfall.xlsx:Blad1!D17` (`Cellplats`).
- Celler: text som den står; tal som heltal när de är heltal (Excel har bara flyttal: 12 och 12,0
  är samma tal), annars som decimaltal (`12.5`, som då vägras som antal); ett datum som är den
  första i en månad (Excel gör `2026-01` till 2026-01-01) som `ÅÅÅÅ-MM`; tomma celler som tomma.
- Formler läses som sina senast beräknade värden; en formel utan sparat värde vägras med sin cell,
  och ett felvärde (`#N/A`) läses som sin text (och vägras då som antal, månad …).
- En .xls (Excel 97–2003), en trasig zip-fil, en arbetsbok som packas upp till orimligt mycket och
  ett blad över gränserna i `xlsxlasare` vägras med en rad, aldrig en traceback.

Bladet läses av python-calamine (Rust), som importeras först när en arbetsbok läses, efter att
`xlsxlasare` har granskat det calamine läser. Ett radnivåuttag upprepar samma rader: de räknas
först som cellvärden, och varje distinkt rad tolkas en gång med samma regler (`las_tabell`, med
antalet gånger förekomsterna); ett fel, eller något den vägen inte tar, läser bladet rad för rad,
så att varje fel får sin cell.

Med två processer (`parallell.kor`) granskas bladet här medan en arbetare läser det med calamine
och räknar de distinkta raderna (`_samtidigt`). Arbetaren har ett minnestak, så ett blad som
granskningen ännu inte hunnit vägra stoppar den i stället för att ta maskinens minne; dör den läses
bladet här, efter granskningen. Resultatet och felen är desamma som i en process.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import Any

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel
from vgr_ersattning.inlasning.kallor import Indatafil
from vgr_ersattning.inlasning.utfall.tabell import las_tabell
from vgr_ersattning.inlasning.utfall.xlsxblad import (
    Blad,
    Bladrader,
    Cellplats,
    Oppnad,
    delbar,
    fel_i_boken,
    i_arbetaren,
    las_ark,
    nyckel,
    oppna_bok,
)
from vgr_ersattning.inlasning.utfall.xlsxlasare import Arbetsboksfel
from vgr_ersattning.modell import Uppdrag


def _granska(o: Oppnad) -> dict[tuple[int, int], str]:
    """`xlsxlasare`:s granskning av det calamine läser (felvärdena, se `Arbetsbok.granska_blad`).
    Kastar `Inlasningsfel`, med cellen när felet har en."""
    try:
        o.bok.granska_delarna()
        return o.bok.granska_blad(o.valt)
    except Arbetsboksfel as e:
        if e.rad > 0:
            raise Inlasningsfel([Fel(Cellplats(o.bladnamn, e.rad, max(e.kolumn, 1)), "", str(e))]) from None
        raise fel_i_boken(o.namn, str(e)) from None


@contextmanager
def las_blad(kalla: Indatafil, borjan: bytes, blad: str | None = None) -> Iterator[Blad]:
    """Öppnar bladet `blad` (standard: det första) i arbetsboken `kalla` (vars första byte redan
    lästs som `borjan`), granskat av `xlsxlasare` och läst av calamine. Kastar `Inlasningsfel` med
    filens namn."""
    with oppna_bok(kalla, borjan, blad) as o:
        felvarden = _granska(o)
        ark = las_ark(o, o.strom)
    yield Blad(o.bladnamn, ark, felvarden)


def _samtidigt(o: Oppnad) -> tuple[dict[tuple[int, int], str], list | None] | None:
    """Granskningen här och samtidigt calamine med de distinkta raderna i en arbetare
    (`parallell.kor`); None med en process (eller när arbetaren inte kan läsa arbetsboken utan att
    röra strömmen här). Dör arbetaren läses bladet här, efter granskningen. Ger (felvärdena, de
    distinkta raderna eller None: felvärden, som calamine visar som tomma, eller något den distinkta
    vägen inte tar)."""
    if not delbar(o.strom):
        return None
    svar = _med_forstarten(o)
    if svar is not None:
        return svar
    from vgr_ersattning import parallell

    if parallell.processer() < 2:
        return None
    har = os.getpid()

    def del_(i: int) -> Any:
        if i == 0:
            return _granska(o)
        strom = o.strom if os.getpid() == har else i_arbetaren(o)
        return Blad(o.bladnamn, las_ark(o, strom), {}).distinkta()

    with closing(parallell.kor(del_, (0, 1))) as resultat:
        felvarden = next(resultat)
        if felvarden:
            return felvarden, None
        return felvarden, next(resultat)


def _med_forstarten(o: Oppnad) -> tuple[dict[tuple[int, int], str], list | None] | None:
    """Som `_samtidigt` när förstartens process (`forstart`) läser samma blad i samma arbetsbok: den
    har redan börjat, och granskningen görs här medan den läser. Dog den läses bladet här, efter
    granskningen. None utan en sådan process."""
    from vgr_ersattning import forstart

    if isinstance(o.strom, io.BytesIO):
        return None             # (en pipe, i minnet: ingen förstart)
    try:
        barn = forstart.ta("xlsx", lambda: nyckel(os.fstat(o.strom.fileno()), o.valt))
    except OSError:
        return None
    if barn is None:
        return None
    try:
        felvarden = _granska(o)
    except BaseException:
        barn.avbryt()
        raise
    if felvarden:
        barn.avbryt()
        return felvarden, None
    distinkta = barn.resultat()
    if distinkta is forstart.DOG:
        distinkta = Blad(o.bladnamn, las_ark(o, o.strom), {}).distinkta()
    return felvarden, distinkta


def las_xlsx(kalla: Indatafil, borjan: bytes, blad: str | None, uppdrag: Uppdrag, ut) -> None:
    """Produktionen ur ett blad i en arbetsbok (xlsx) in i utfallet `ut` (`Utfall`): samma kolumner
    och regler som CSV, och fel med blad och cell (`utfall.xlsx:Blad1!D17: antal: …`).

    Först de distinkta raderna (se modulens text), prövade mot ett tomt utfall; går de igenom utan
    fel läses de in i `ut`, annars läses bladet rad för rad (varje fel med sin cell)."""
    with oppna_bok(kalla, borjan, blad) as o:
        bladet = None
        svar = _samtidigt(o)
        if svar is None or svar[0]:     # en process, eller felvärden (som calamine visar som tomma)
            felvarden = svar[0] if svar is not None else _granska(o)
            bladet = Blad(o.bladnamn, las_ark(o, o.strom), felvarden)
            distinkta = bladet.distinkta()
        else:
            felvarden, distinkta = svar
        if distinkta is not None:
            prov = Bladrader(o.bladnamn, iter(distinkta))
            try:
                las_tabell(o.bladnamn, prov, lambda: prov, uppdrag, type(ut)(ut.ar))
            except Inlasningsfel:
                distinkta = None
        if distinkta is not None:
            rader = Bladrader(o.bladnamn, iter(distinkta))
        else:
            if bladet is None:
                bladet = Blad(o.bladnamn, las_ark(o, o.strom), felvarden)
            rader = bladet.rader()
        las_tabell(o.bladnamn, rader, lambda: rader, uppdrag, ut)
