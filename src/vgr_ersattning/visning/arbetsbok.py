"""Arbetsbokens modell och skrivare (regelboken §20): celler, blad, källor och xlsx-skrivningen.

- Tal är talceller med exakt samma värde som i JSON (`pengar.maskin`, avrundat som där), med
  talformaten `#,##0`, `#,##0.00` och `0.0%` (andelar som bråk: 1 = 100 %), som svenska Excel visar
  som `1 234 567`, `1 234 567,89` och `12,5 %`. Enheten står i kolumnrubriken.
- Text skrivs alltid som textceller (`write_string`): ett namn som `=1+1` blir aldrig en formel.
- Ett tal som en Excel-cell inte kan hålla exakt (fler än 15 värdesiffror, eller ett tal vars
  flyttal inte ger tillbaka samma decimaltal) vägras: då skrivs ingen arbetsbok alls, och felraden
  namnger blad, cell och siffra (`Visningsfel`, slutkod 2). Inget avrundas tyst.
- Rubrikraderna är låsta (fönsterrutor), kolumnerna så breda att talen syns, och ett blad med
  `Diagram` får ett linjediagram eller liggande staplar över sina datarader.
- Ett år är ett år (`Ar`, talformatet `0`: `2026`), inte ett antal (`2 026`).
- Sist i varje arbetsbok står bladet "Källor och antaganden": varje siffras källa (dokumentet och
  platsen i datafilen eller utfallsfilen) och texten till varje antagande siffrorna bygger på.

xlsxwriter importeras först när alla tal är kontrollerade och arbetsboken skrivs (eller när en
vägrad cell ska namnges), så uppstarten påverkas inte.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from vgr_ersattning import __version__, pengar
from vgr_ersattning.kalkyl.resultat import Kalla
from vgr_ersattning.visning import Visningsfel

HELTAL, DECIMALER, PROCENT, ARTAL = "#,##0", "#,##0.00", "0.0%", "0"
# Så många värdesiffror håller en Excel-cell (ett flyttal med dubbel precision) exakt.
EXCEL_SIFFROR = 15
KALLOR = "Källor och antaganden"
MAX_BREDD = 60

# --- celler ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Andel:
    """En andel (1 = 100 %) som visas i procentformat."""

    varde: Decimal


@dataclass(frozen=True)
class Ar:
    """Ett år, som visas som ett år (`2026`, talformatet `0`), inte som ett antal (`2 026`)."""

    varde: int


def tal(v, enhet: str = "kr") -> Decimal | None:
    """Talet som i JSON (`pengar.maskin`: heltal som heltal, bråk avrundade till enhetens decimaler)."""
    t = pengar.maskin(v, enhet)
    return None if t is None else Decimal(t)


def andel(v) -> Andel | None:
    """En andel (1 = 100 %) som i JSON."""
    t = pengar.maskin(v, "procent") if v is not None else None
    return None if t is None else Andel(Decimal(t))


def procent(v) -> Andel | None:
    """Ett procenttal (76,5 = 76,5 %) som andel: JSON:s värde delat med 100 (exakt)."""
    t = pengar.maskin(v, "procent") if v is not None else None
    return None if t is None else Andel(Decimal(t) / 100)


def ja_nej(v: bool) -> str:
    return "ja" if v else "nej"


def _vardesiffror(d: Decimal) -> int:
    siffror = "".join(map(str, d.as_tuple().digits)).strip("0")
    return max(len(siffror), 1)


def excelvarde(v: Decimal | int) -> float | int:
    """Talet som Excel-cellen får, eller `ValueError` om cellen inte kan hålla det exakt: fler än
    15 värdesiffror, eller ett flyttal som inte ger tillbaka samma decimaltal."""
    d = Decimal(v)
    if not d.is_finite():
        raise ValueError("är inte ett ändligt tal")
    n = _vardesiffror(d)
    if n > EXCEL_SIFFROR:
        raise ValueError(f"har {n} värdesiffror, men en Excel-cell håller högst {EXCEL_SIFFROR} exakt")
    f = float(d)
    # Excel lagrar ett flyttal; xlsxwriter skriver det med 16 siffror (`%.16G`). Båda vägarna
    # tillbaka ska ge exakt samma decimaltal.
    if Decimal(repr(f)) != d or float(f"{f:.16G}") != f:
        raise ValueError("kan inte lagras exakt som ett tal i en Excel-cell")
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) < 2 ** 53:
        return v
    return f



def ar_tal(v: Any) -> bool:
    return isinstance(v, (Decimal, Andel, Ar)) or (isinstance(v, int) and not isinstance(v, bool))


def ar_heltal(v: Any) -> bool:
    if isinstance(v, int):
        return True
    return isinstance(v, Decimal) and v == v.to_integral_value()


# --- arbetsbokens innehåll ---------------------------------------------------------------------------


@dataclass
class Diagram:
    """Ett linjediagram (`slag` "line") eller liggande stapeldiagram ("bar"): kategorierna (månaderna,
    raderna) i kolumnen `kategori`, en serie per (namn, kolumn), över tabellens datarader."""

    titel: str
    y_axel: str
    kategori: int
    serier: list[tuple[str, int]]
    slag: str = "line"


@dataclass
class Blad:
    namn: str
    titel: str
    kolumner: list[str]
    rader: list[list] = field(default_factory=list)
    summor: list[list] = field(default_factory=list)        # fetstil, efter raderna
    fakta: list[tuple[str, Any]] = field(default_factory=list)   # (etikett, värde) under tabellen
    noter: list[str] = field(default_factory=list)
    diagram: Diagram | None = None
    talformat_per_cell: bool = False                         # blandade enheter i samma kolumn


@dataclass
class Arbetsbok:
    blad: list[Blad]
    kallor: list[tuple] = field(default_factory=list)       # (blad, figur, vad, plats, dokument)
    antaganden: Mapping = field(default_factory=dict)        # id → Antagandetext (text, kalla)
    om_antaganden: str = ""                                  # när listan är tom: varför




class Kallor:
    """Samlar källorna: `rapport.kalla(Kalla(...))` → (plats, dokument), en rad per siffra."""

    def __init__(self, rapport):
        self.rapport = rapport
        self.rader: list[tuple] = []

    def __call__(self, blad: str, figur: str, vad: str, dokument: str, sokvag: tuple) -> None:
        plats, dok = self.rapport.kalla(Kalla(dokument, tuple(sokvag)))
        if plats or dok:
            self.rader.append((blad, figur, vad, plats, dok))

    def plats(self, blad: str, figur: str, vad: str, plats: str, dokument: str = "") -> None:
        if plats or dokument:
            self.rader.append((blad, figur, vad, plats, dokument))


# --- skrivningen -------------------------------------------------------------------------------------


def _kontrollerad(bok: Arbetsbok) -> dict:
    """Varje talcell som Excel-värde, (blad, rad, kolumn) → värde; vägrar hela arbetsboken vid
    första tal som inte kan hållas exakt (med antalet till)."""
    varden: dict[tuple[int, int, int], Any] = {}
    fel: list[str] = []
    for b_i, b in enumerate(bok.blad):
        for r_i, rad in enumerate(_tabellrader(b)):
            for k_i, v in enumerate(rad):
                if not ar_tal(v):
                    continue
                d = v.varde if isinstance(v, (Andel, Ar)) else v
                try:
                    varden[(b_i, r_i, k_i)] = excelvarde(d)
                except ValueError as e:
                    if not fel:
                        figur = next((str(c) for c in rad if isinstance(c, str) and c), "")
                        rubrik = b.kolumner[k_i] if k_i < len(b.kolumner) else ""
                        cell = f"{b.namn}!{_cellnamn(_forsta_rad(b) + r_i, k_i)}"
                        fel.append(f"{cell} ({figur}, {rubrik}) = {d} {e}")
                    else:
                        fel.append("")
        for f_i, (_, v) in enumerate(b.fakta):
            if ar_tal(v):
                d = v.varde if isinstance(v, (Andel, Ar)) else v
                try:
                    varden[(b_i, -1, f_i)] = excelvarde(d)
                except ValueError as e:
                    fel.append(f"{b.namn} ({b.fakta[f_i][0]}) = {d} {e}" if not fel else "")
    if fel:
        fler = f" (och {len(fel) - 1} tal till)" if len(fel) > 1 else ""
        raise Visningsfel(f"arbetsboken skrevs inte: {fel[0]}{fler}; Excel skulle avrunda talet, och "
                          "--format json eller csv visar det exakt")
    return varden


def _cellnamn(rad: int, kolumn: int) -> str:
    """Cellens namn som Excel visar det (0-baserade rad och kolumn: (2, 1) → B3)."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(rad, kolumn)


def _tabellrader(b: Blad) -> list[list]:
    return b.rader + b.summor


def _forsta_rad(b: Blad) -> int:
    """Tabellens första datarad (0-baserat): rad 0 är titeln, rad 1 kolumnrubrikerna (låsta)."""
    return 2


def _visad_langd(v: Any, format: str) -> int:
    if v is None:
        return 0
    if isinstance(v, Andel):
        return len(f"{v.varde * 100:,.1f} %")
    if isinstance(v, Ar):
        return len(str(v.varde))
    if ar_tal(v):
        d = Decimal(v)
        return len(f"{d:,.2f}" if format == DECIMALER else f"{d:,.0f}")
    return max((len(rad) for rad in str(v).split("\n")), default=0)


def skriv_arbetsbok(bok: Arbetsbok) -> bytes:
    """Arbetsboken som xlsx-byte. Kastar `Visningsfel` (inget skrivs) om ett tal inte kan hållas exakt."""
    kallblad = _kallblad(bok)
    bok = Arbetsbok(bok.blad + [kallblad], bok.kallor, bok.antaganden, bok.om_antaganden)
    varden = _kontrollerad(bok)

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": bok.blad[0].titel if bok.blad else "", "author": f"ersattning {__version__}",
                       "comments": "Skriven av ersattning (vgr-ersattning); talen är desamma som i --format json."})
    f_titel = wb.add_format({"bold": True, "font_size": 13})
    f_rubrik = wb.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"})
    f_not = wb.add_format({"italic": True, "font_color": "#555555"})
    f_fet = wb.add_format({"bold": True})
    format_cache: dict[tuple, Any] = {}

    def fmt(talformat: str | None = None, fet: bool = False, radbryt: bool = False, topp: bool = False):
        nyckel = (talformat, fet, radbryt, topp)
        if nyckel not in format_cache:
            egenskaper: dict[str, Any] = {"valign": "top"}
            if talformat:
                egenskaper["num_format"] = talformat
            if fet:
                egenskaper["bold"] = True
            if radbryt:
                egenskaper["text_wrap"] = True
            if topp:
                egenskaper["top"] = 1
            format_cache[nyckel] = wb.add_format(egenskaper)
        return format_cache[nyckel]

    for b_i, b in enumerate(bok.blad):
        ws = wb.add_worksheet(b.namn)
        ncol = len(b.kolumner)
        alla = _tabellrader(b)
        # Talformat per kolumn: #,##0.00 om något tal i kolumnen har decimaler, annars #,##0.
        kolformat = []
        for k in range(ncol):
            tal_i_kol = [rad[k] for rad in alla if k < len(rad) and ar_tal(rad[k]) and not isinstance(rad[k], (Andel, Ar))]
            kolformat.append(DECIMALER if any(not ar_heltal(v) for v in tal_i_kol) else HELTAL)
        bredder = []
        for k, rubrik in enumerate(b.kolumner):
            langst = max([len(ord_) for ord_ in rubrik.split()] + [min(len(rubrik), 18)])
            for rad in alla:
                if k < len(rad):
                    langst = max(langst, _visad_langd(rad[k], kolformat[k]))
            bredder.append(min(langst + 2, MAX_BREDD))
        if b.fakta:
            bredder[0] = max(bredder[0], min(max(len(e) for e, _ in b.fakta) + 2, MAX_BREDD))
        radbryt = [b_ >= MAX_BREDD for b_ in bredder]
        for k, bredd in enumerate(bredder):
            ws.set_column(k, k, bredd)
        ws.write_string(0, 0, b.titel, f_titel)
        for k, rubrik in enumerate(b.kolumner):
            ws.write_string(1, k, rubrik, f_rubrik)
        ws.freeze_panes(2, 0)
        # Utskrift: A4 liggande, en sida bred, rubrikraden överst på varje sida.
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(1)
        forsta = _forsta_rad(b)
        for r_i, rad in enumerate(alla):
            summa = r_i >= len(b.rader)
            for k, v in enumerate(rad):
                rad_nr = forsta + r_i
                if v is None or v == "":
                    if summa:
                        ws.write_blank(rad_nr, k, None, fmt(fet=True, topp=r_i == len(b.rader)))
                    continue
                if ar_tal(v):
                    talformat = _talformat(v) if b.talformat_per_cell or isinstance(v, (Andel, Ar)) else kolformat[k]
                    ws.write_number(rad_nr, k, varden[(b_i, r_i, k)],
                                    fmt(talformat, fet=summa, topp=summa and r_i == len(b.rader)))
                else:
                    text = ja_nej(v) if isinstance(v, bool) else str(v)
                    ws.write_string(rad_nr, k, text, fmt(fet=summa, radbryt=radbryt[k],
                                                         topp=summa and r_i == len(b.rader)))
        if b.rader:
            ws.autofilter(1, 0, forsta + len(b.rader) - 1, max(ncol - 1, 0))
        nasta = forsta + len(alla) + 1
        for f_i, (etikett, v) in enumerate(b.fakta):
            ws.write_string(nasta, 0, etikett, f_fet)
            if ar_tal(v):
                ws.write_number(nasta, 1, varden[(b_i, -1, f_i)], fmt(_talformat(v)))
            elif v is not None:
                ws.write_string(nasta, 1, ja_nej(v) if isinstance(v, bool) else str(v))
            nasta += 1
        if b.fakta:
            nasta += 1
        for text in b.noter:
            ws.write_string(nasta, 0, text, f_not)
            nasta += 1
        if b.diagram is not None and b.rader:
            _diagram(wb, ws, b, forsta, ncol)
    wb.close()
    return buf.getvalue()


def _talformat(v) -> str:
    if isinstance(v, Andel):
        return PROCENT
    if isinstance(v, Ar):
        return ARTAL
    return HELTAL if ar_heltal(v) else DECIMALER


def _diagram(wb, ws, b: Blad, forsta: int, ncol: int) -> None:
    d = b.diagram
    sista = forsta + len(b.rader) - 1
    ch = wb.add_chart({"type": d.slag})
    for namn, kol in d.serier:
        serie = {"name": namn, "categories": [b.namn, forsta, d.kategori, sista, d.kategori],
                 "values": [b.namn, forsta, kol, sista, kol]}
        if d.slag == "line":
            serie["marker"] = {"type": "circle", "size": 4}
        ch.add_series(serie)
    ch.set_title({"name": d.titel, "name_font": {"size": 12}})
    if d.slag == "line":
        ch.set_y_axis({"name": d.y_axel, "num_format": HELTAL, "major_gridlines": {"visible": True}})
        ch.set_x_axis({"name": "Månad"})
        hojd = 420
    else:
        # Liggande staplar: kategorierna (raderna) uppifrån och ned i tabellens ordning.
        ch.set_x_axis({"name": d.y_axel, "num_format": PROCENT if d.y_axel == "%" else HELTAL,
                       "major_gridlines": {"visible": True}})
        ch.set_y_axis({"reverse": True})
        hojd = max(420, 24 * len(b.rader) + 120)
    ch.set_legend({"position": "bottom"})
    ch.set_size({"width": 760, "height": hojd})
    ws.insert_chart(1, ncol + 1, ch)


def _kallblad(bok: Arbetsbok) -> Blad:
    """Bladet "Källor och antaganden": först antagandena siffrorna bygger på (id, text, källa), sedan
    varje siffras källa (bladet, siffran, platsen i datafilen eller utfallsfilen och dokumentet)."""
    b = Blad(KALLOR, "Källor och antaganden: var siffrorna kommer ifrån och vad de bygger på",
             ["Gäller", "Figur", "Vad", "Plats (fil:rad:kolumn)", "Dokument"])
    b.rader = [["Antagande", a, t.text, "", t.kalla] for a, t in bok.antaganden.items()]
    b.rader += [list(k) for k in bok.kallor]
    b.noter = [("Gäller: ett antagande siffrorna bygger på (texten ur uppdragets data), eller bladet där siffran "
               "står. Platsen är raden i datafilen (uppdrag, priser) eller utfallsfilens rader; dokumentet är "
               "beslutet som siffran kommer ur, som en controller hittar det.")]
    if not bok.antaganden:
        b.noter.append(bok.om_antaganden or "Siffrorna bygger inte på något antagande.")
    return b
