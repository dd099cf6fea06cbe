"""Tolkningen i snabbvägen för CSV-utfall: varje distinkt rad och nyckel tolkas och kontrolleras en
gång, med samma regler och felmeddelanden som `tabell.las_tabell`.

Kodningen avgörs som i `CsvRader` (regelboken §20): den första distinkta raden (i filens ordning)
som inte är ASCII avgör om filen är UTF-8 eller Windows-1252. En nyckel (`raknare`) tolkas som
raden `nyckel,0`: antalet är ett giltigt heltal, så raden får samma fel och samma nyckel som varje
rad `nyckel,antal`, och bara byte i nyckeln kan vara annat än ASCII. Det tolkningen inte förstår –
en post över flera rader, ett ensamt \\r, NUL, en byte som inte går att avkoda, en mycket lång rad –
är `Hoppa`: hela CSV-läsaren läser filen.
"""

from __future__ import annotations

import csv
import sys
from operator import itemgetter
from typing import Any

from vgr_ersattning.inlasning.csvlasare import citat_efter, faltets_borjan, tom_csv_rad
from vgr_ersattning.inlasning.fel import Fel, Felsamlare, Plats
from vgr_ersattning.inlasning.tal import MAX_CSV_FALT, heltal_ur_text
from vgr_ersattning.inlasning.utfall.kontroll import kontrollera_rad
from vgr_ersattning.inlasning.utfall.raknare import Hoppa, ar_nyckelrad, nyckelradens_antal
from vgr_ersattning.inlasning.utfall.tabell import svenskt_antal
from vgr_ersattning.modell import Uppdrag

# En post: (första radnumret, om det är en nyckel, raden eller nyckeln, antal rader, summan av
# antalen för en nyckel).
Post = tuple[int, bool, bytes, int, int]


class _Radtext:
    """`rader` för `kontrollera_rad`: platsen för ett fält i en post på en enda rad (`text` utan
    radslut), som `CsvRader.plats` ger den. Radnumret sätts in när felet rapporteras."""

    def __init__(self, namn: str, avgransare: str):
        self.namn, self.avgransare, self.text, self._borjan = namn, avgransare, "", faltets_borjan

    def plats(self, slutrad: int, falt: list[str], i: int = 0) -> Plats:
        if i == 0:
            return Plats(self.namn, slutrad, 1)
        return Plats(self.namn, slutrad, self._borjan(self.text, i, self.avgransare)[1])


class Tolkare:
    """Tolkar distinkta rader (`tolka`): None för en tom rad, (nyckeln, antalet) för en giltig rad,
    annars radens fel (radnummer 0; platsen sätts för varje förekomst). `minns`: varje resultat
    sparas (för den som tolkar medan filen läses och summerar till sist)."""

    def __init__(self, namn: str, index: tuple[int, int, int, int], ncol: int, avgransare: str,
                 ascii_rubrik: bool, uppdrag: Uppdrag, ar: int, minns: bool = False):
        self.namn, self.index, self.ncol, self.avgransare = namn, index, ncol, avgransare
        self.ascii_rubrik, self.uppdrag, self.ar = ascii_rubrik, uppdrag, ar
        self.sep = avgransare.encode("ascii")
        self.tolka_antal = svenskt_antal if avgransare == ";" else heltal_ur_text
        self.radtext = _Radtext(namn, avgransare)
        self.giltiga: dict[tuple[str, str, str], tuple[str, str, int]] = {}
        # None tills den första raden som inte är ASCII har avgjort den (som i CsvRader).
        self.kodning: str | None = None
        self.kodningsfel: Fel | None = None
        self.minne: dict[bytes, Any] | None = {} if minns else None

    def nyckelrad(self, nyckel: bytes) -> bytes:
        """Raden som en nyckel tolkas som."""
        return nyckel + self.sep + b"0"

    def tolka(self, b: bytes, forsta: int) -> Any:
        """Raden `b` (utan b"\\n"), som först står på rad `forsta`."""
        minne = self.minne
        if minne is not None:
            r = minne.get(b, minne)
            if r is not minne:
                return r
        r = self._tolka(b, forsta)
        if minne is not None:
            minne[b] = r
        return r

    def _tolka(self, b: bytes, forsta: int) -> Any:
        if len(b) >= MAX_CSV_FALT - 8 or b"\0" in b:
            raise Hoppa
        if b.isascii():
            text = b.decode("ascii")
        elif self.kodning is None:
            try:
                text = b.decode("utf-8")
                self.kodning = "utf-8"
            except UnicodeDecodeError as e:
                # Allt före den första byten som inte är UTF-8 är ASCII (och ingen BOM): Windows-1252.
                if not self.ascii_rubrik or not b[: e.start].isascii():
                    raise Hoppa from None
                try:
                    text = b.decode("cp1252")
                except UnicodeDecodeError:
                    raise Hoppa from None
                self.kodning = "cp1252"
                self.kodningsfel = Fel(Plats(self.namn, forsta, e.start + 1), "",
                                       f"filen är inte UTF-8 (byte 0x{b[e.start]:02x}); den lästes som "
                                       "Windows-1252 (cp1252)")
        else:
            try:
                text = b.decode(self.kodning)
            except UnicodeDecodeError:
                raise Hoppa from None            # hela läsaren ger felet med sin plats
        text = text.removesuffix("\r")
        if "\r" in text:
            raise Hoppa             # ett ensamt \r är ett radslut för csv-modulen
        avgransare = self.avgransare
        if '"' in text:
            if citat_efter(text, False, avgransare):
                raise Hoppa         # en post över flera rader
            try:
                poster = list(csv.reader([text], delimiter=avgransare))
            except csv.Error:
                raise Hoppa from None
            if len(poster) != 1:
                raise Hoppa
            rad = poster[0]
        else:
            rad = text.split(avgransare) if text else []
        if len(rad) != self.ncol:
            if tom_csv_rad(rad):
                return None
            return [Fel(Plats(self.namn, 0, 1), "", f"raden har {len(rad)} kolumner, rubriken {self.ncol} "
                                                    "(en kolumn saknas eller är för mycket)")]
        iu, ir, im, ia = self.index
        antal_text = rad[ia]
        if antal_text.isdigit() and antal_text.isascii() and len(antal_text) < 8:
            v: int | None = int(antal_text)
        else:
            v, _ = self.tolka_antal(antal_text)
        nyckel = (rad[iu], rad[ir], rad[im])
        giltig = self.giltiga.get(nyckel)
        if giltig is None or v is None:
            radfel = Felsamlare(max_fel=sys.maxsize)
            self.radtext.text = text
            giltig = kontrollera_rad(rad, self.index, v is None, 0, self.radtext, self.uppdrag, self.ar, radfel,
                                     self.tolka_antal)
            if radfel.fel:
                return radfel.fel
            if giltig is None or v is None:      # pragma: no cover - ett fel har alltid rapporterats
                raise Hoppa
            self.giltiga[nyckel] = giltig
        return giltig, v


def poster(rader: dict[bytes, int], forsta: dict[bytes, int], nycklar: dict[bytes, list[int]],
           sep: bytes, nyckla: bool) -> list[Post]:
    """Räkningens distinkta rader och nycklar i filens ordning (första radnumret). Med `nyckla` (antal
    är den sista kolumnen) läggs varje rad `nyckel,antal` med ett giltigt heltal till nyckelns summa:
    nyckeldelen tolkas en gång per nyckel, och antalen summeras som heltal."""
    ut: list[Post] = []
    nycklar = {k: list(v) for k, v in nycklar.items()}
    for b, n in rader.items():
        if nyckla:
            k, s, a = b.rpartition(sep)
            if ar_nyckelrad(k, s, a):
                v = nyckelradens_antal(a)
                post = nycklar.get(k)
                f = forsta[b]
                if post is None:
                    nycklar[k] = [v * n, n, f]
                else:
                    post[0] += v * n
                    post[1] += n
                    if f < post[2]:
                        post[2] = f
                continue
        ut.append((forsta[b], False, b, n, 0))
    ut += [(f, True, k, n, s) for k, (s, n, f) in nycklar.items()]
    ut.sort(key=itemgetter(0))
    return ut


def summera(tolkare: Tolkare, poster: list[Post]):
    """Summorna per giltig nyckel (i ordningen för varje nyckels första rad) och deras första
    platser, raderna och nycklarna med fel (→ felen), och antalet fel i hela filen."""
    namn = tolkare.namn
    summor: dict[tuple[str, str, int], int] = {}
    forsta_plats: dict[tuple[str, str, int], Plats] = {}
    trasiga_rader: dict[bytes, list[Fel]] = {}
    trasiga_nycklar: dict[bytes, list[Fel]] = {}
    antal_fel = 0
    tolka, nyckelrad = tolkare.tolka, tolkare.nyckelrad
    for f, ar_nyckel, b, n, s in poster:
        r = tolka(nyckelrad(b) if ar_nyckel else b, f)
        if r is None:
            continue
        if r.__class__ is list:
            (trasiga_nycklar if ar_nyckel else trasiga_rader)[b] = r
            antal_fel += len(r) * n
            continue
        giltig, v = r
        belopp = s if ar_nyckel else v * n
        if giltig in summor:
            summor[giltig] += belopp
        else:
            summor[giltig] = belopp
            forsta_plats[giltig] = Plats(namn, f, 1)
    return summor, forsta_plats, trasiga_rader, trasiga_nycklar, antal_fel


def radens_fel(rad: bytes, trasiga_rader: dict[bytes, list[Fel]], trasiga_nycklar: dict[bytes, list[Fel]],
               sep: bytes) -> list[Fel] | None:
    """Felen för en rad i filen, eller None: raden själv bland de trasiga raderna, eller dess nyckel
    bland de trasiga nycklarna när antalet är ett giltigt heltal (som räknaren och `poster` delar)."""
    fel = trasiga_rader.get(rad)
    if fel is None and trasiga_nycklar:
        k, s, a = rad.rpartition(sep)
        if ar_nyckelrad(k, s, a):
            fel = trasiga_nycklar.get(k)
    return fel
