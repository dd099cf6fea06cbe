"""Inläsning av utfall (`--utfall`): CSV med månadsproduktion, eller YAML med alla slags utfall.

CSV: rubrikraden `utforare,rad,manad,antal`; rader med samma nyckel adderas, så ett uttag med en
rad per utförd prestation fungerar oförändrat. Filen läses strömmande: bara summan per
(utförare, rad, månad) hålls i minnet.

YAML: en fil per utförare och år med avsnitten `produktion`, `avrakning`, `indikatorer` och
`malrelaterad_1177`.

Samma nyckel i två filer är ett fel. Alla fel blir `Fel` med fil:rad:kolumn (REGLER §12).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Optional

from vgr_ersattning.laddning import (Fel, Inlasningsfel, Plats, csv_kolumn, csv_rubrik, filfel, las_yaml,
                                     sokvag_text, tom_csv_rad, visningsnamn)
from vgr_ersattning.modell import Uppdrag

MAX_FEL = 50
# Ett utfallsuttag kan vara stort (en rad per prestation); YAML-filer är handskrivna.
MAX_CSV_BYTE = 2 * 1024 ** 3
MAX_YAML_BYTE = 16 * 1024 * 1024

_MANAD = re.compile(r"^(\d{4})-(\d{2})$")
_KVARTAL = re.compile(r"^(\d{4})-Q(\d)$")
CSV_KOLUMNER = ("utforare", "rad", "manad", "antal")


@dataclass
class Utfall:
    """Allt utfall, per utförare. Månader är 1–12 i uppdragsåret."""

    ar: int
    produktion: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    produktionsmanader: dict[str, set[int]] = field(default_factory=dict)
    avrakning: dict[str, dict[str, dict[int, Decimal]]] = field(default_factory=dict)
    indikatorer: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    malrelaterad: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    _kallor: dict[tuple, Plats] = field(default_factory=dict, repr=False)

    def sista_manad(self, utforare: str) -> Optional[int]:
        """Den sista månaden med produktion för utföraren."""
        m = self.produktionsmanader.get(utforare)
        return max(m) if m else None

    def produktion_hittills(self, utforare: str, till_och_med: int) -> dict[str, int]:
        return {rid: sum(v[:till_och_med]) for rid, v in self.produktion.get(utforare, {}).items()}


class _Felsamlare:
    def __init__(self):
        self.fel: list[Fel] = []
        self.overskjutande = 0

    def __call__(self, plats: Plats, sokvag: str, medd: str) -> None:
        if len(self.fel) < MAX_FEL:
            self.fel.append(Fel(plats, sokvag, medd))
        else:
            self.overskjutande += 1

    def kasta_om_fel(self) -> None:
        if self.fel:
            fel = list(self.fel)
            if self.overskjutande:
                p = fel[-1].plats
                fel.append(Fel(p, "", f"… och {self.overskjutande} fel till"))
            raise Inlasningsfel(fel)


def tolka_manad(text: str, ar: int) -> tuple[Optional[int], str]:
    m = _MANAD.match(text.strip())
    if not m:
        return None, f"{text!r} är inte en månad på formen ÅÅÅÅ-MM"
    manad = int(m.group(2))
    if not 1 <= manad <= 12:
        return None, f"månaden {text} finns inte"
    if int(m.group(1)) != ar:
        return None, f"månaden {text} ligger utanför uppdragsåret {ar}"
    return manad, ""


def _lagg_till_produktion(ut: Utfall, utf: str, rid: str, manad: int, antal: int) -> None:
    rader = ut.produktion.setdefault(utf, {})
    v = rader.get(rid)
    if v is None:
        v = rader[rid] = [0] * 12
    v[manad - 1] += antal
    ut.produktionsmanader.setdefault(utf, set()).add(manad)


def _registrera(ut: Utfall, nyckel: tuple, plats: Plats, fel: _Felsamlare, sokvag: str) -> bool:
    """Samma nyckel i två filer är ett fel; returnerar False då."""
    forst = ut._kallor.get(nyckel)
    if forst is not None and forst.fil != plats.fil:
        fel(plats, sokvag, f"finns redan i {forst.fil}:{forst.rad} (samma nyckel i två utfallsfiler)")
        return False
    ut._kallor.setdefault(nyckel, plats)
    return True


# --- CSV -------------------------------------------------------------------------------------


def las_csv(sokvag: Path, uppdrag: Uppdrag, ut: Utfall, framsteg: Callable[[int, int], None] | None = None) -> None:
    """Läser en CSV-fil med månadsproduktion strömmande in i `ut`."""
    import os

    namn = visningsnamn(sokvag)
    fel = _Felsamlare()
    try:
        storlek = os.stat(sokvag).st_size
        fil = open(sokvag, "r", encoding="utf-8-sig", newline="")
    except OSError as e:
        raise filfel(namn, e) from None
    if storlek > MAX_CSV_BYTE:
        fil.close()
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"filen är för stor ({storlek} byte)")])
    with fil:
        lasare = csv.reader(fil)
        try:
            (iu, ir, im, ia), ncol = csv_rubrik(lasare, namn, CSV_KOLUMNER)
            giltiga: dict[tuple[str, str, str], Optional[tuple[str, str, int]]] = {}
            summor: dict[tuple[str, str, int], int] = {}
            forsta_rad: dict[tuple[str, str, int], int] = {}
            nasta_rapport = 65536
            buffert = fil.buffer
            for rad in lasare:
                if len(rad) != ncol:
                    if tom_csv_rad(rad):
                        continue
                    fel(Plats(namn, lasare.line_num, 1), "",
                        f"raden har {len(rad)} kolumner, rubriken {ncol} (en kolumn saknas eller är för mycket)")
                    continue
                antal_text = rad[ia]
                if antal_text.isdigit() and antal_text.isascii():
                    antal = int(antal_text)
                else:
                    s = antal_text.strip()
                    if s.isdigit() and s.isascii():
                        antal = int(s)
                    else:
                        fel(Plats(namn, lasare.line_num, csv_kolumn(rad, ia)), "antal", _antal_fel(antal_text))
                        continue
                nyckel = (rad[iu], rad[ir], rad[im])
                giltig = giltiga.get(nyckel)
                if giltig is None:
                    # Ogiltiga nycklar valideras om på varje rad, så varje rad får sin felrad.
                    giltig = giltiga[nyckel] = _validera_nyckel(nyckel, uppdrag, ut.ar, namn, lasare.line_num,
                                                                (iu, ir, im), rad, fel)
                    if giltig is None:
                        continue
                if giltig in summor:
                    summor[giltig] += antal
                else:
                    summor[giltig] = antal
                    forsta_rad[giltig] = lasare.line_num
                if framsteg is not None and lasare.line_num >= nasta_rapport:
                    nasta_rapport += 65536
                    framsteg(buffert.tell(), storlek)
        except UnicodeDecodeError as e:
            fel(Plats(namn, lasare.line_num + 1, 1), "", f"filen är inte UTF-8 (byte 0x{e.object[e.start]:02x})")
        except csv.Error as e:
            fel(Plats(namn, lasare.line_num, 1), "", f"ogiltig CSV: {e}")
    if framsteg is not None:
        framsteg(storlek, storlek)
    fel.kasta_om_fel()
    for (utf, rid, manad), antal in summor.items():
        plats = Plats(namn, forsta_rad[(utf, rid, manad)], 1)
        if _registrera(ut, ("produktion", utf, rid, manad), plats, fel, f"{utf}.{rid}.{ut.ar}-{manad:02d}"):
            _lagg_till_produktion(ut, utf, rid, manad, antal)
    fel.kasta_om_fel()


def _antal_fel(text: str) -> str:
    s = text.strip()
    if not s:
        return "antal saknas"
    if s.startswith("-"):
        return f"antal {s!r} är negativt; ska vara ett icke-negativt heltal"
    if re.fullmatch(r"[+]?\d+[.,]\d*", s):
        return f"antal {s!r} är inte ett heltal"
    return f"antal {s!r} är inte ett tal; ska vara ett icke-negativt heltal"


def _validera_nyckel(nyckel, uppdrag: Uppdrag, ar: int, namn: str, radnr: int, index, rad, fel) -> Optional[tuple]:
    utf, rid, manad_text = (x.strip() for x in nyckel)
    iu, ir, im = index
    u = uppdrag.utforare.get(utf)
    if u is None or u.volymer is None:
        fel(Plats(namn, radnr, csv_kolumn(rad, iu)), "utforare",
            f"okänd utförare {utf!r}" if u is None else f"utföraren {utf} har ingen volymtabell")
        return None
    if rid not in u.volymer.rader:
        fel(Plats(namn, radnr, csv_kolumn(rad, ir)), "rad", f"okänt rad-id {rid!r} för {utf}")
        return None
    manad, medd = tolka_manad(manad_text, ar)
    if manad is None:
        fel(Plats(namn, radnr, csv_kolumn(rad, im)), "manad", medd)
        return None
    return (utf, rid, manad)


# --- YAML ------------------------------------------------------------------------------------


def _ar_tal(v: Any) -> bool:
    return isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def las_yaml_utfall(sokvag: Path, uppdrag: Uppdrag, ut: Utfall) -> None:
    """Läser en YAML-fil med utfall in i `ut`, med ett fel per problem."""
    from vgr_ersattning.kalkyl.malrelaterad import andel_procent
    from vgr_ersattning.kalkyl.uppfoljning import Period, tolka_period

    data, pos = las_yaml(sokvag, MAX_YAML_BYTE)
    fel = _Felsamlare()

    def p(*vag) -> Plats:
        return pos.plats(vag)

    def f(vag: tuple, medd: str) -> None:
        fel(p(*vag), sokvag_text(vag), medd)

    if not isinstance(data, dict):
        raise Inlasningsfel([Fel(p(), "", "utfallsfilen ska vara en mappning med utforare, ar och avsnitt")])
    for k in data:
        if k not in ("utforare", "ar", "produktion", "avrakning", "indikatorer", "malrelaterad_1177"):
            f((k,), "okänd nyckel (tillåtna: utforare, ar, produktion, avrakning, indikatorer, malrelaterad_1177)")
    utf = data.get("utforare")
    if utf is None:
        f((), "utforare saknas")
    elif not isinstance(utf, str) or utf not in uppdrag.utforare:
        f(("utforare",), f"okänd utförare {utf!r}")
        utf = None
    ar = data.get("ar")
    if ar is None:
        f((), "ar saknas")
    elif not (isinstance(ar, int) and not isinstance(ar, bool)) or ar != ut.ar:
        f(("ar",), f"året {ar!r} är inte uppdragsåret {ut.ar}")
    fel.kasta_om_fel()
    u = uppdrag.utforare[utf]

    def mappning(vag: tuple, v: Any) -> bool:
        if not isinstance(v, dict):
            f(vag, "ska vara en mappning (nyckel: värde)")
            return False
        return True

    def manadsvarden(avsnitt: str, kanda, okand: Callable[[Any], str]):
        """Avsnittets `id → ÅÅÅÅ-MM → värde`: ger (sökväg, id, månad, värde) för varje giltig
        månad hos ett känt id; okända id och ogiltiga månader blir fel."""
        sektion = data.get(avsnitt)
        if sektion is None or not mappning((avsnitt,), sektion):
            return
        for nid, manader in sektion.items():
            vag = (avsnitt, nid)
            if nid not in kanda:
                f(vag, okand(nid))
                continue
            if not mappning(vag, manader):
                continue
            for mtext, varde in manader.items():
                manad, medd = tolka_manad(str(mtext), ut.ar)
                if manad is None:
                    f(vag + (mtext,), medd)
                else:
                    yield vag + (mtext,), nid, manad, varde

    # produktion: rad → månad → antal
    rader = u.volymer.rader if u.volymer else {}
    for v2, rid, manad, antal in manadsvarden("produktion", rader, lambda rid: f"okänt rad-id {rid!r} för {utf}"):
        if not (isinstance(antal, int) and not isinstance(antal, bool)):
            f(v2, "antal ska vara ett icke-negativt heltal" if _ar_tal(antal) else f"antal {antal!r} är inte ett tal")
        elif antal < 0:
            f(v2, f"antal {antal} är negativt")
        elif _registrera(ut, ("produktion", utf, rid, manad), p(*v2), fel, sokvag_text(v2)):
            _lagg_till_produktion(ut, utf, rid, manad, antal)

    # avrakning: post → månad → tkr
    poster = u.avrakning.poster if u.avrakning else {}
    finns = f" (finns: {', '.join(poster)})" if poster else ""
    for v2, pid, manad, tkr in manadsvarden("avrakning", poster,
                                            lambda pid: f"okänd post med avräkning {pid!r} för {utf}{finns}"):
        if not _ar_tal(tkr):
            f(v2, f"utfallet {tkr!r} är inte ett tal (tkr)")
        elif tkr < 0:
            f(v2, f"utfallet {tkr} tkr är negativt")
        elif _registrera(ut, ("avrakning", utf, pid, manad), p(*v2), fel, sokvag_text(v2)):
            ut.avrakning.setdefault(utf, {}).setdefault(pid, {})[manad] = Decimal(tkr)

    # indikatorer: id → period → värde
    ind = data.get("indikatorer")
    if ind is not None and mappning(("indikatorer",), ind):
        lista = u.indikatorer.lista if u.indikatorer else {}
        # Året före får bara förekomma som jämförelse för årets första period (ska_oka/ska_minska).
        foregaende_ar = {Period(ut.ar, "manad", 1).foregaende(), Period(ut.ar, "tertial", 1).foregaende(),
                         Period(ut.ar, "ar").foregaende()}
        for iid, perioder in ind.items():
            vag = ("indikatorer", str(iid))
            indikator = lista.get(str(iid))
            if indikator is None:
                f(vag, f"okänd indikator {iid!r} för {utf}")
                continue
            if indikator.berakning:
                f(vag, "indikatorn räknas fram ur produktionen och skrivs inte in")
                continue
            if not mappning(vag, perioder):
                continue
            for ptext, varde in perioder.items():
                v2 = vag + (ptext,)
                period = tolka_period(str(ptext))
                if period is None:
                    f(v2, f"{ptext!r} är ingen period (ÅÅÅÅ-MM, ÅÅÅÅ-T1…T3 eller ÅÅÅÅ)")
                    continue
                if period.ar != ut.ar and period not in foregaende_ar:
                    f(v2, f"perioden {ptext} ligger utanför uppdragsåret {ut.ar}")
                    continue
                if indikator.typ == "ja_nej":
                    if varde not in ("Ja", "Nej"):
                        f(v2, f"{varde!r} ska vara Ja eller Nej")
                        continue
                elif indikator.typ != "information" and not _ar_tal(varde):
                    f(v2, f"{varde!r} är inte ett tal")
                    continue
                if _registrera(ut, ("indikatorer", utf, str(iid), str(period)), p(*v2), fel, sokvag_text(v2)):
                    ut.indikatorer.setdefault(utf, {}).setdefault(str(iid), {})[str(period)] = (
                        Decimal(varde) if _ar_tal(varde) else varde)

    # malrelaterad_1177: ÅÅÅÅ-Qn → {besvarade_inom_8_min, samtal} eller {andel_procent}
    mal = data.get("malrelaterad_1177")
    if mal is not None and mappning(("malrelaterad_1177",), mal):
        if u.malrelaterad_1177 is None:
            f(("malrelaterad_1177",), f"{utf} har ingen målrelaterad ersättning för 1177")
            mal = {}
        for ktext, v in mal.items():
            vag = ("malrelaterad_1177", str(ktext))
            m = _KVARTAL.match(str(ktext))
            if not m or not 1 <= int(m.group(2)) <= 4:
                f(vag, f"{ktext!r} är inget kvartal (ÅÅÅÅ-Q1 … ÅÅÅÅ-Q4)")
                continue
            if int(m.group(1)) != ut.ar:
                f(vag, f"kvartalet {ktext} ligger utanför uppdragsåret {ut.ar}")
                continue
            if not mappning(vag, v):
                continue
            okanda = [k for k in v if k not in ("besvarade_inom_8_min", "samtal", "andel_procent")]
            if okanda:
                f(vag + (okanda[0],), "okänd nyckel (besvarade_inom_8_min och samtal, eller andel_procent)")
                continue
            har_antal = "besvarade_inom_8_min" in v or "samtal" in v
            if har_antal and "andel_procent" in v:
                f(vag, "ange antingen antal (besvarade_inom_8_min, samtal) eller andel_procent, inte båda")
                continue
            if "andel_procent" in v:
                a = v["andel_procent"]
                if not _ar_tal(a) or not 0 <= a <= 100:
                    f(vag + ("andel_procent",), f"andelen {a!r} ska vara ett tal mellan 0 och 100")
                    continue
                andel = Decimal(a)
            else:
                b, s = v.get("besvarade_inom_8_min"), v.get("samtal")
                if b is None or s is None:
                    f(vag, "både besvarade_inom_8_min och samtal behövs")
                    continue
                if not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in (b, s)):
                    f(vag, "besvarade_inom_8_min och samtal ska vara icke-negativa heltal")
                    continue
                if s == 0:
                    f(vag + ("samtal",), "antalet samtal är 0")
                    continue
                if b > s:
                    f(vag + ("besvarade_inom_8_min",), f"fler besvarade ({b}) än samtal ({s})")
                    continue
                andel = andel_procent(b, s)
            if _registrera(ut, ("malrelaterad", utf, int(m.group(2))), p(*vag), fel, sokvag_text(vag)):
                ut.malrelaterad.setdefault(utf, {})[int(m.group(2))] = andel
    fel.kasta_om_fel()


def las_utfall(filer: list[Path], uppdrag: Uppdrag, framsteg_for: Callable[[Path], Any] | None = None) -> Utfall:
    """Läser alla `--utfall`-filer (CSV eller YAML efter ändelse) till ett `Utfall`."""
    ut = Utfall(uppdrag.ar)
    alla_fel: list[Fel] = []
    for sokvag in filer:
        try:
            if Path(sokvag).suffix.lower() == ".csv":
                las_csv(Path(sokvag), uppdrag, ut, framsteg_for(Path(sokvag)) if framsteg_for else None)
            else:
                las_yaml_utfall(Path(sokvag), uppdrag, ut)
        except Inlasningsfel as e:
            alla_fel += e.fel
    if alla_fel:
        raise Inlasningsfel(alla_fel)
    return ut
