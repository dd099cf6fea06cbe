"""Excel-arbetsböcker (regelboken §20): samma funktionsnamn som de andra renderarna; varje funktion
tar en `Rapport` och ger arbetsbokens byte (xlsx), som skrivs med `--ut FIL.xlsx`.

- Ett blad per tabell kommandot visar (för `berakna`: Översikt, Rader, Grupper, Månader, Anslag
  och Avräkning), och sist bladet "Källor och antaganden": varje siffras källa (dokumentet och
  platsen i datafilen eller utfallsfilen) och texten till varje antagande siffrorna bygger på.
- Tal är talceller med exakt samma värde som i JSON (`pengar.maskin`, avrundat som där), med
  talformaten `#,##0`, `#,##0.00` och `0.0%` (andelar som bråk: 1 = 100 %), som svenska Excel visar
  som `1 234 567`, `1 234 567,89` och `12,5 %`. Enheten står i kolumnrubriken.
- Ett tal som en Excel-cell inte kan hålla exakt (fler än 15 värdesiffror, eller ett tal vars
  flyttal inte ger tillbaka samma decimaltal) vägras: då skrivs ingen arbetsbok alls, och felraden
  namnger blad, cell och siffra (`Visningsfel`, slutkod 2). Inget avrundas tyst.
- Rubrikraderna är låsta (fönsterrutor), kolumnerna så breda att talen syns, och där kommandot
  har månader (`berakna`, `prognos`) ett linjediagram över plan mot utfall hittills per månad.

xlsxwriter importeras först när arbetsboken skrivs (uppstarten påverkas inte), och först när alla
tal är kontrollerade: en vägrad arbetsbok importerar den inte ens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, Optional, Sequence

from vgr_ersattning import pengar
from vgr_ersattning.visning import Visningsfel
from vgr_ersattning.visning.jsonformat import manad_text

MANADER = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december")

HELTAL, DECIMALER, PROCENT = "#,##0", "#,##0.00", "0.0%"
# Så många värdesiffror håller en Excel-cell (ett flyttal med dubbel precision) exakt.
EXCEL_SIFFROR = 15
KALLOR = "Källor och antaganden"
MAX_BREDD = 60


# --- celler ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Andel:
    """En andel (1 = 100 %) som visas i procentformat."""

    varde: Decimal


def tal(v, enhet: str = "kr") -> Optional[Decimal]:
    """Talet som i JSON (`pengar.maskin`: heltal som heltal, bråk avrundade till enhetens decimaler)."""
    t = pengar.maskin(v, enhet)
    return None if t is None else Decimal(t)


def andel(v) -> Optional[Andel]:
    """En andel (1 = 100 %) som i JSON."""
    t = pengar.maskin(v, "procent") if v is not None else None
    return None if t is None else Andel(Decimal(t))


def procent(v) -> Optional[Andel]:
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


def kolumnbokstav(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA (0-baserat)."""
    ut = ""
    n += 1
    while n > 0:
        n, rest = divmod(n - 1, 26)
        ut = chr(ord("A") + rest) + ut
    return ut


def _ar_tal(v: Any) -> bool:
    return isinstance(v, (Decimal, Andel)) or (isinstance(v, int) and not isinstance(v, bool))


def _ar_heltal(v: Any) -> bool:
    if isinstance(v, int):
        return True
    return isinstance(v, Decimal) and v == v.to_integral_value()


# --- arbetsbokens innehåll ---------------------------------------------------------------------------


@dataclass
class Diagram:
    """Ett linjediagram: kategorierna (månaderna) i kolumnen `kategori`, en serie per (namn, kolumn),
    över tabellens datarader."""

    titel: str
    y_axel: str
    kategori: int
    serier: list[tuple[str, int]]


@dataclass
class Blad:
    namn: str
    titel: str
    kolumner: list[str]
    rader: list[list] = field(default_factory=list)
    summor: list[list] = field(default_factory=list)        # fetstil, efter raderna
    fakta: list[tuple[str, Any]] = field(default_factory=list)   # (etikett, värde) under tabellen
    noter: list[str] = field(default_factory=list)
    diagram: Optional[Diagram] = None
    talformat_per_cell: bool = False                         # blandade enheter i samma kolumn


@dataclass
class Arbetsbok:
    blad: list[Blad]
    kallor: list[tuple] = field(default_factory=list)       # (blad, figur, vad, plats, dokument)
    antaganden: Mapping = field(default_factory=dict)        # id → Antagandetext (text, kalla)
    om_antaganden: str = ""                                  # när listan är tom: varför


class _Kalla:
    """Samlar källorna: `rapport.kalla(Kalla(...))` → (plats, dokument), en rad per siffra."""

    def __init__(self, rapport):
        self.rapport = rapport
        self.rader: list[tuple] = []

    def __call__(self, blad: str, figur: str, vad: str, dokument: str, sokvag: tuple) -> None:
        from vgr_ersattning.kalkyl.resultat import Kalla

        try:
            plats, dok = self.rapport.kalla(Kalla(dokument, tuple(sokvag)))
        except Exception:      # en källa som inte går att slå upp står utan plats, aldrig en traceback
            plats, dok = "", ""
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
                if not _ar_tal(v):
                    continue
                d = v.varde if isinstance(v, Andel) else v
                try:
                    varden[(b_i, r_i, k_i)] = excelvarde(d)
                except ValueError as e:
                    if not fel:
                        figur = next((str(c) for c in rad if isinstance(c, str) and c), "")
                        rubrik = b.kolumner[k_i] if k_i < len(b.kolumner) else ""
                        cell = f"{b.namn}!{kolumnbokstav(k_i)}{_forsta_rad(b) + r_i + 1}"
                        fel.append(f"{cell} ({figur}, {rubrik}) = {d} {e}")
                    else:
                        fel.append("")
        for f_i, (_, v) in enumerate(b.fakta):
            if _ar_tal(v):
                d = v.varde if isinstance(v, Andel) else v
                try:
                    varden[(b_i, -1, f_i)] = excelvarde(d)
                except ValueError as e:
                    fel.append(f"{b.namn} ({b.fakta[f_i][0]}) = {d} {e}" if not fel else "")
    if fel:
        fler = f" (och {len(fel) - 1} tal till)" if len(fel) > 1 else ""
        raise Visningsfel(f"arbetsboken skrevs inte: {fel[0]}{fler}; Excel skulle avrunda talet, och "
                          "--format json eller csv visar det exakt")
    return varden


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
    if _ar_tal(v):
        d = Decimal(v)
        return len(f"{d:,.2f}" if format == DECIMALER else f"{d:,.0f}")
    return max((len(rad) for rad in str(v).split("\n")), default=0)


def skriv_arbetsbok(bok: Arbetsbok) -> bytes:
    """Arbetsboken som xlsx-byte. Kastar `Visningsfel` (inget skrivs) om ett tal inte kan hållas exakt."""
    import io

    kallblad = _kallblad(bok)
    bok = Arbetsbok(bok.blad + [kallblad], bok.kallor, bok.antaganden, bok.om_antaganden)
    varden = _kontrollerad(bok)

    import xlsxwriter

    from vgr_ersattning import __version__

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

    def fmt(talformat: Optional[str] = None, fet: bool = False, radbryt: bool = False, topp: bool = False):
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
            tal_i_kol = [rad[k] for rad in alla if k < len(rad) and _ar_tal(rad[k]) and not isinstance(rad[k], Andel)]
            kolformat.append(DECIMALER if any(not _ar_heltal(v) for v in tal_i_kol) else HELTAL)
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
                if _ar_tal(v):
                    talformat = PROCENT if isinstance(v, Andel) else (
                        (HELTAL if _ar_heltal(v) else DECIMALER) if b.talformat_per_cell else kolformat[k])
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
            if _ar_tal(v):
                talformat = PROCENT if isinstance(v, Andel) else (HELTAL if _ar_heltal(v) else DECIMALER)
                ws.write_number(nasta, 1, varden[(b_i, -1, f_i)], fmt(talformat))
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


def _diagram(wb, ws, b: Blad, forsta: int, ncol: int) -> None:
    d = b.diagram
    sista = forsta + len(b.rader) - 1
    ch = wb.add_chart({"type": "line"})
    for namn, kol in d.serier:
        ch.add_series({"name": namn, "categories": [b.namn, forsta, d.kategori, sista, d.kategori],
                       "values": [b.namn, forsta, kol, sista, kol], "marker": {"type": "circle", "size": 4}})
    ch.set_title({"name": d.titel, "name_font": {"size": 12}})
    ch.set_y_axis({"name": d.y_axel, "num_format": HELTAL, "major_gridlines": {"visible": True}})
    ch.set_x_axis({"name": "Månad"})
    ch.set_legend({"position": "bottom"})
    ch.set_size({"width": 760, "height": 420})
    ws.insert_chart(1, ncol + 1, ch)


def _kallblad(bok: Arbetsbok) -> Blad:
    """Bladet "Källor och antaganden": först antagandena siffrorna bygger på (id, text, källa), sedan
    varje siffras källa (bladet, siffran, platsen i datafilen eller utfallsfilen och dokumentet)."""
    b = Blad(KALLOR, "Källor och antaganden: var siffrorna kommer ifrån och vad de bygger på",
             ["Gäller", "Figur", "Vad", "Plats (fil:rad:kolumn)", "Dokument"])
    b.rader = [["Antagande", a, t.text, "", t.kalla] for a, t in bok.antaganden.items()]
    b.rader += [list(k) for k in bok.kallor]
    b.noter = ["Gäller: ett antagande siffrorna bygger på (texten ur uppdragets data), eller bladet där siffran "
               "står. Platsen är raden i datafilen (uppdrag, priser) eller utfallsfilens rader; dokumentet är "
               "beslutet som siffran kommer ur, som en controller hittar det."]
    if not bok.antaganden:
        b.noter.append(bok.om_antaganden or "Siffrorna bygger inte på något antagande.")
    return b


# --- gemensamt för kommandona --------------------------------------------------------------------------


def _manad(ar: int, m: int) -> str:
    return manad_text(ar, m)


# --- kontrollera -------------------------------------------------------------------------------------


def kontrollera(rapport) -> bytes:
    r = rapport.resultat
    kallor = _Kalla(rapport)
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


# --- berakna -----------------------------------------------------------------------------------------


def _arsplan(rapport, b) -> Optional[tuple[Decimal, ...]]:
    """Planens tilläggsersättning per månad för hela året, räknad av kärnan (samma funktion som
    `ersattning berakna` utan utfall), för diagrammet plan mot utfall. None när den inte går att få."""
    if b.tillagg.ar_plan:
        return None
    u = getattr(rapport, "underlag", None)
    if u is None:
        return None
    try:
        from vgr_ersattning.kalkyl.utbetalning import berakna

        return tuple(berakna(u.uppdrag.modell, u.priser.modell, b.utforare).tillagg.manader)
    except Exception:      # utan plan blir diagrammet utfallet ensamt; siffrorna rörs inte
        return None


def berakna(rapport) -> bytes:
    b = rapport.resultat
    t, a, ar, uid = b.tillagg, b.anslag, b.ar, b.utforare
    tom = t.till_och_med
    kallor = _Kalla(rapport)
    slag = "plan" if t.ar_plan else "utfall"
    rubrik = f"{b.namn} ({uid}) – {slag} {ar} t.o.m. {MANADER[tom - 1]}"

    oversikt = Blad("Översikt", f"Tilläggsersättning, anslag och utbetalning: {rubrik}",
                    ["Uppgift", "Värde", "Enhet"],
                    talformat_per_cell=True)
    oversikt.rader = [
        ["Utförare", f"{b.namn} ({uid})", ""],
        ["År", str(ar), ""],
        ["Till och med", _manad(ar, tom), ""],
        ["Beräkning", "plan (produktion = uppdrag)" if t.ar_plan else "utfall", ""],
        ["Tilläggsersättning", tal(t.summa_kr), "kr"],
        ["Måluppfyllelse", andel(t.maluppfyllelse), "andel"],
        ["Ersättningsram", tal(a.ram_tkr, "tkr"), "tkr"],
        ["Anslag utbetalt", tal(a.utbetalt_kr), "kr"],
    ]
    if b.avrakning is not None:
        oversikt.rader.append(["Avräkning", tal(b.utbetalning.avrakning_kr), "kr"])
    oversikt.rader.append(["Summa utbetalt", tal(b.summa_kr), "kr"])
    if b.manader_utan_data:
        oversikt.rader.append(["Månader utan utfall (räknas som 0)",
                               ", ".join(_manad(ar, m) for m in b.manader_utan_data), ""])
    kallor("Översikt", "Ersättningsram", "ramen (tkr)", "uppdrag", ("utforare", uid, "ersattningsram", "belopp_tkr"))
    kallor("Översikt", "Anslag", "fast andel", "uppdrag", ("utforare", uid, "anslag", "fast_andel_procent"))

    rader = Blad("Rader", f"Tilläggsersättning per rad: {rubrik}",
                 ["Id", "Rad", "Bas (antal)", "Tillägg (antal)", "Utfall (antal)", "Plan (antal)", "Ersatta (antal)",
                  "Priskategori", "Pris (kr)", "Belopp (kr)", "Måluppfyllelse (%)", "Antagande"])
    for r in t.rader:
        rader.rader.append([r.id, r.namn, r.bas, r.tillagg, tal(r.utfall, "antal"), tal(r.plan, "antal"),
                            tal(r.ersatta, "antal"), r.priskategori, tal(r.pris_kr), tal(r.belopp_kr),
                            andel(r.maluppfyllelse), r.antagande or ""])
        kallor("Rader", r.id, "bas, tillägg och uppdrag", "uppdrag", ("utforare", uid, "volymer", "rader", r.id))
        kallor("Rader", r.id, f"pris ({r.priskategori})", "priser", r.pris_sokvag)
        if not t.ar_plan:
            kallor("Rader", r.id, "utfall", "utfall", ("produktion", uid, r.id))
    total = t.total
    # Summan av utfall och ersatta bara när den är exakt (heltal); planens bråk summeras inte här.
    tot_utfall = tal(total.utfall, "antal") if _ar_heltal(total.utfall) else None
    tot_ersatta = tal(total.ersatta, "antal") if _ar_heltal(total.ersatta) else None
    rader.summor.append(["Totalt", "", total.bas, total.tillagg, tot_utfall, None, tot_ersatta, "", None,
                         tal(t.summa_kr), andel(t.maluppfyllelse), ""])
    if t.ar_plan:
        rader.noter.append("Planen: produktionen är uppdraget (bas + tillägg) på varje rad, så hela tillägget "
                           "betalas.")

    grupper = Blad("Grupper", f"Summor per verksamhet och kategori: {rubrik}",
                   ["Id", "Grupp", "Bas (antal)", "Tillägg (antal)", "Utfall (antal)", "Ersatta (antal)",
                    "Belopp (kr)", "Måluppfyllelse (%)"])
    for g in t.grupper:
        grupper.rader.append([g.id, g.namn, g.bas, g.tillagg, tal(g.utfall, "antal"), tal(g.ersatta, "antal"),
                              tal(g.belopp_kr), andel(g.maluppfyllelse)])
    grupper.summor.append(["Totalt", "", total.bas, total.tillagg, tot_utfall, tot_ersatta, tal(t.summa_kr),
                           andel(t.maluppfyllelse)])

    manader = _berakna_manader(rapport, b)
    anslag = Blad("Anslag", f"Anslaget per månad (regelboken §6): {b.namn} ({uid}) {ar}", ["Månad", "Anslag (kr)"])
    anslag.rader = [[_manad(ar, i + 1), tal(v)] for i, v in enumerate(a.manader[:a.till_och_med])]
    anslag.summor = [["Utbetalt hittills", tal(a.utbetalt_kr)]]
    anslag.fakta = [("Ersättningsram (tkr)", tal(a.ram_tkr, "tkr"))]
    anslag.noter = [f"Fast andel {pengar.svensk_procent(a.fast_andel_procent, 0)}. Januari–november ram × fast "
                    "andel / 12 avrundat till hela kronor (half up), december resten, så att de tolv månaderna "
                    "summerar exakt till ramen."]
    blad = [oversikt, rader, grupper, manader, anslag]
    if b.avrakning is not None:
        blad.append(_avrakningsblad(b.avrakning, ar, uid, kallor))
    return skriv_arbetsbok(Arbetsbok(blad, kallor.rader, b.antaganden))


def _berakna_manader(rapport, b) -> Blad:
    t, ar = b.tillagg, b.ar
    tom = t.till_och_med
    u = b.utbetalning.avrundad(2)
    plan = _arsplan(rapport, b)
    kolumner = ["Månad", "Anslag (kr)", "Tillägg (kr)"]
    if u.med_avrakning:
        kolumner.append("Avräkning (kr)")
    kolumner += ["Summa (kr)", "Tillägg hittills (kr)"]
    if plan is not None:
        kolumner += ["Plan: tillägg (kr)", "Plan: tillägg hittills (kr)"]
    blad = Blad("Månader", f"Utbetalning per månad: {b.namn} ({b.utforare}) – "
                           f"{'plan' if t.ar_plan else 'utfall'} {ar} t.o.m. {MANADER[tom - 1]}", kolumner)
    plan_ore = pengar.fordela_avrundning(plan, 2) if plan is not None else None
    hittills = plan_hittills = Decimal(0)
    for m in range(1, 13):
        rad: list[Any] = [f"{_manad(ar, m)} {MANADER[m - 1]}"]
        if m <= tom:
            mu = u.manader[m - 1]
            hittills += mu.tillagg_kr
            rad += [tal(mu.anslag_kr), tal(mu.tillagg_kr)]
            if u.med_avrakning:
                rad.append(tal(mu.avrakning_kr) if mu.avrakning_kr is not None else None)
            rad += [tal(mu.summa_kr), tal(hittills)]
        else:
            rad += [None, None] + ([None] if u.med_avrakning else []) + [None, None]
        if plan_ore is not None:
            plan_hittills += plan_ore[m - 1]
            rad += [tal(plan_ore[m - 1]), tal(plan_hittills)]
        if m <= tom or plan_ore is not None:
            blad.rader.append(rad)
    summa: list[Any] = ["Summa", tal(u.anslag_kr), tal(u.tillagg_kr)]
    if u.med_avrakning:
        summa.append(tal(u.avrakning_kr))
    summa += [tal(u.summa_kr), None]
    if plan_ore is not None:
        summa += [tal(sum(plan_ore, Decimal(0))), None]
    blad.summor = [summa]
    ej_hela_oren = [v for v in t.manader if v != pengar.avrunda(v, 2)]
    if ej_hela_oren or (plan is not None and any(v != pengar.avrunda(v, 2) for v in plan)):
        blad.noter.append("Planens månadsbelopp är tolftedelar som inte är hela ören: de är avrundade till öre "
                          "kumulativt (varje månad är den avrundade summan hittills minus föregående månads, half "
                          "up), så att varje kolumn summerar exakt till sin summarad.")
    hittills_kol = kolumner.index("Tillägg hittills (kr)")
    if t.ar_plan:
        serier = [("Plan: tilläggsersättning hittills", hittills_kol)]
        blad.noter.append("Planen: produktionen är uppdraget (bas + tillägg) på varje rad, fördelad efter "
                          "planprofilen (regelboken §5).")
    else:
        serier = [("Utfall: tilläggsersättning hittills", hittills_kol)]
        if plan is not None:
            serier.insert(0, ("Plan: tilläggsersättning hittills", kolumner.index("Plan: tillägg hittills (kr)")))
            blad.noter.append("Planen är `ersattning berakna` utan utfall: produktionen är uppdraget, fördelad "
                              "efter planprofilen (regelboken §5)"
                              + (" – utan besluten under året." if getattr(b, "ikraft", None) is not None else "."))
    blad.diagram = Diagram("Tilläggsersättning hittills i år: plan mot utfall" if len(serier) > 1
                           else "Tilläggsersättning hittills i år", "kr", 0, serier)
    return blad


# --- avrakning ---------------------------------------------------------------------------------------


def _avrakningsblad(res, ar: int, uid: str, kallor: _Kalla) -> Blad:
    b = Blad("Avräkning", f"Avräkning av posterna med avräkning (regelboken §7): {uid} {ar}",
             ["Id", "Post", "Tillfälle", "Nivå (tkr)", "Utfall hittills (tkr)", "Tak (tkr)",
              "Utbetalt hittills (tkr)", "Reglerat hittills (tkr)", "Reglering (tkr)", "Anmärkning"])
    for p in res.poster:
        for tf in p.tillfallen:
            b.rader.append([p.id, p.namn, _manad(ar, tf.manad), tal(p.niva_tkr, "tkr"), tal(tf.utfall_tkr, "tkr"),
                            tal(tf.tak_tkr, "tkr"), tal(tf.utbetalt_tkr, "tkr"), tal(tf.reglerat_hittills_tkr, "tkr"),
                            tal(tf.reglering_tkr, "tkr"), ""])
        if not p.tillfallen:
            b.rader.append([p.id, p.namn, "", tal(p.niva_tkr, "tkr"), None, None, None, None, None,
                            "saknar utfall" if p.saknar_utfall else "inget avräkningstillfälle ännu"])
        kallor("Avräkning", p.id, "nivå", "uppdrag", ("utforare", uid, "avrakning", "poster", p.id, "niva_tkr"))
        kallor("Avräkning", p.id, "utfall", "utfall", ("avrakning", uid, p.id))
    b.summor = [["Summa reglering", "", "", None, None, None, None, None, tal(res.summa_reglering_tkr, "tkr"), ""]]
    kallor("Avräkning", "Tak", "tak före december", "uppdrag", ("utforare", uid, "avrakning", "tak_fore_december"))
    b.noter = ["Negativ reglering betyder pengar tillbaka till regionen."]
    return b


def avrakning(rapport) -> bytes:
    r = rapport.resultat
    kallor = _Kalla(rapport)
    return skriv_arbetsbok(Arbetsbok([_avrakningsblad(r.resultat, r.ar, r.utforare, kallor)], kallor.rader,
                                     r.antaganden))


# --- brygga ------------------------------------------------------------------------------------------


def brygga(rapport) -> bytes:
    r, m, uid = rapport.resultat.resultat, rapport.resultat.brygga, rapport.resultat.utforare
    kallor = _Kalla(rapport)
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
    avst.noter = ["Dokumentets siffror är avrundade till hela tkr var för sig: ett tryckt belopp godtas när det "
                  "skiljer högst 0,5 tkr per avrundad term från summan av termerna."]
    return skriv_arbetsbok(Arbetsbok([b, avst], kallor.rader, {}, "Bryggan bygger inte på något antagande."))


# --- malrelaterad ------------------------------------------------------------------------------------


def malrelaterad(rapport) -> bytes:
    mr = rapport.resultat
    res, ar, uid = mr.resultat, mr.ar, mr.utforare
    kallor = _Kalla(rapport)
    b = Blad("Kvartal", f"1177 målrelaterad ersättning (regelboken §9): {uid} {ar}",
             ["Kvartal", "Andel inom 8 min (%)", "Utbetalning (%)", "Belopp (kr)"])
    for k in res.kvartal:
        b.rader.append([f"{ar}-Q{k.kvartal}", procent(k.andel_procent), procent(k.utbetalning_procent),
                        tal(k.belopp_kr)])
        kallor("Kvartal", f"{ar}-Q{k.kvartal}", "andel besvarade inom 8 minuter", "utfall",
               ("malrelaterad_1177", uid, k.kvartal))
    b.summor = [["Summa", None, None, tal(res.summa_kr)]]
    b.fakta = [("Ett kvartals belopp vid 100 % (kr)", tal(res.kvartalsbelopp_kr))]
    kallor("Kvartal", "Kvartalsbelopp", "belopp (mnkr) och kvartal per belopp", "uppdrag",
           ("utforare", uid, "malrelaterad_1177", "belopp_mnkr"))
    kallor("Kvartal", "Trappa", "utbetalningsandel per andel besvarade", "uppdrag",
           ("utforare", uid, "malrelaterad_1177", "trappa"))
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, mr.antaganden))


# --- uppfoljning och kalender ------------------------------------------------------------------------

_STATUSTEXT = {"uppfyllt": "uppfyllt", "ej_uppfyllt": "ej uppfyllt", "saknar_utfall": "saknar utfall",
               "ej_bedombart": "ej bedömbart", "information": "information"}


def indikatorvarde(v, enhet: Optional[str]):
    """Ett indikatorvärde som i JSON; i procent som andel (84,7 % = 0,847)."""
    if v is None or isinstance(v, str):
        return v
    return procent(v) if enhet == "procent" else tal(v, "procent")


def uppfoljning(rapport) -> bytes:
    r = rapport.resultat
    uid = r.utforare
    kallor = _Kalla(rapport)
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
    kallor = _Kalla(rapport)
    b = Blad("Kalender", f"Uppföljningskalender: {r.utforare}", ["Tillfälle", "Id", "Indikator", "Uppgiftslämnare"])
    for p, ider in r.tillfallen:
        for i in ider:
            b.rader.append([str(p), i, r.indikatorer[i].namn, r.indikatorer[i].uppgiftslamnare or ""])
    for i in r.indikatorer:
        kallor("Kalender", i, "indikatorn och dess tillfällen", "uppdrag",
               ("utforare", r.agare.get(i, r.utforare), "indikatorer", "lista", r.indikator_id(i)))
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, {}, "Kalendern bygger inte på något antagande."))


# --- scenario ----------------------------------------------------------------------------------------


def scenario(rapport) -> bytes:
    s = rapport.resultat
    kallor = _Kalla(rapport)
    sc = Blad("Scenarier", f"Scenarier (regelboken §11): {s.utforare}",
              ["Scenario", "Förändring vid plan (kr)", "Förändring vid utfall (kr)", "Kräver nämndbeslut"])
    andr = Blad("Ändringar", "Ändringarna i varje scenario", ["Scenario", "Rad/kategori", "Fält", "Från", "Till"])
    sedda = set()
    for r in s.resultat:
        sc.rader.append([r.namn, tal(r.forandring_plan_kr), tal(r.forandring_utfall_kr), ja_nej(r.kraver_namndbeslut)])
        for a in r.andringar:
            andr.rader.append([r.namn, a.id, "tillägg" if a.falt == "tillagg" else a.falt, tal(a.fran, "kr"),
                               tal(a.till, "kr")])
            if (a.id, a.falt) in sedda:
                continue
            sedda.add((a.id, a.falt))
            if a.falt == "pris":
                kat, _, utf = a.id.partition(".")
                kallor("Ändringar", a.id, "priset före ändringen", "priser",
                       ("tillagg", kat, "per_utforare", utf) if utf else ("tillagg", kat, "pris_kr"))
            else:
                kallor("Ändringar", a.id, f"{a.falt} före ändringen", "uppdrag",
                       ("utforare", s.utforare, "volymer", "rader", a.id, a.falt))
    if len(s.resultat) > 1:
        sc.summor = [["Summa", tal(sum((r.forandring_plan_kr for r in s.resultat), Decimal(0))), None, ""]]
    kallor("Scenarier", "Delegationsgräns", "gränsen för ändringar på delegation", "uppdrag",
           ("utforare", s.utforare, "delegation", "grans_kr"))
    sc.noter = [f"Förändringen vid plan räknas vid full leverans; |förändring| upp till delegationsgränsen "
                f"{pengar.svensk(s.delegation_kr)} kr ryms i delegationen, annars krävs beslut i nämnden."]
    return skriv_arbetsbok(Arbetsbok([sc, andr], kallor.rader, {},
                                     "Scenarierna räknas med samma regler och antaganden som berakna "
                                     "(`ersattning antaganden`)."))


# --- prognos och jamfor ------------------------------------------------------------------------------


def prognos(rapport) -> bytes:
    r = rapport.resultat
    p, ar = r.resultat, r.ar
    uid = p.utforare
    kallor = _Kalla(rapport)
    tom = p.till_och_med
    rubrik = f"PROGNOS {ar}: {r.namn} ({uid}) – utfall t.o.m. {MANADER[tom - 1]}" + (
        ", prognos därefter" if tom < 12 else "")
    rader = Blad("Rader", rubrik, ["Id", "Rad", "Bas (antal)", "Tillägg (antal)", "Utfall hittills (antal)",
                                   "Plan hittills (antal)", "Takt (%)", "Prognos (antal)", "Ersatta (antal)",
                                   "Prognos (kr)", "Utan ersättning (antal)", "Når taket"])
    for x in p.rader:
        rader.rader.append([x.id, x.namn, x.bas, x.tillagg, x.utfall, tal(x.plan_hittills, "antal"), andel(x.takt),
                            x.prognos_antal, tal(x.resultat.ersatta, "antal"), tal(x.belopp_kr), x.utan_ersattning,
                            _manad(ar, x.tak_manad) if x.tak_manad else ""])
        kallor("Rader", x.id, "bas och tillägg", "uppdrag", ("utforare", uid, "volymer", "rader", x.id))
        kallor("Rader", x.id, "utfall", "utfall", ("produktion", uid, x.id))
    rader.summor = [["Summa", "", sum(x.bas for x in p.rader), sum(x.tillagg for x in p.rader),
                     sum(x.utfall for x in p.rader), None, None, sum(x.prognos_antal for x in p.rader), None,
                     tal(p.tillagg_kr), sum(x.utan_ersattning for x in p.rader), ""]]
    rader.noter = [f"Prognos: utfall t.o.m. {MANADER[tom - 1]} {ar}, därefter planen gånger radens takt mot "
                   "planen hittills, avrundad half up till hela enheter (antagande A7)."]
    manader = Blad("Månader", f"PROGNOS {ar}: produktion hittills per månad, alla rader ({uid})",
                   ["Månad", "Plan hittills (antal)", "Utfall hittills (antal)", "Prognos hittills (antal)",
                    "Prognos"])
    for m in range(12):
        manader.rader.append([f"{_manad(ar, m + 1)} {MANADER[m]}", tal(p.plan_per_manad[m], "antal"),
                              tal(p.utfall_per_manad[m], "antal") if m < tom else None,
                              tal(p.prognos_per_manad[m], "antal"), ja_nej(m >= tom)])
    manader.diagram = Diagram(f"Produktion hittills {ar}: plan, utfall och prognos", "antal", 0,
                              [("Plan", 1), ("Utfall", 2), ("Prognos", 3)])
    manader.noter = ["Planen: uppdraget fördelat efter planprofilen (regelboken §5); bråk av enheter står med "
                     "sex decimaler som i JSON."]
    agera = Blad("Att agera på", f"PROGNOS {ar}: rader att agera på ({uid})",
                 ["Lista", "Id", "Rad", "Antal", "Månad"])
    for x in p.nar_inte_basen:
        agera.rader.append(["Når inte basen", x.id, x.namn, x.prognos_antal, ""])
    for x in p.nar_taket_tidigt:
        agera.rader.append(["Når taket före december", x.id, x.namn, None, _manad(ar, x.tak_manad)])
    for x in p.utan_ersattning:
        agera.rader.append(["Produktion utan ersättning", x.id, x.namn, x.utan_ersattning, ""])
    agera.noter = ["Antal: prognosen för året (når inte basen) eller produktionen över bas + tillägg (utan "
                   "ersättning)."]
    return skriv_arbetsbok(Arbetsbok([rader, manader, agera], kallor.rader, r.antaganden))


def jamfor(rapport) -> bytes:
    r = rapport.resultat
    j, ar = r.resultat, r.ar
    kallor = _Kalla(rapport)
    a, b_ = MANADER[j.fore_till_och_med - 1], MANADER[j.efter_till_och_med - 1]
    b = Blad("Rader", f"Förändring av tilläggsersättningen hittills: uttaget t.o.m. {a} mot t.o.m. {b_} {ar} "
                      f"({j.utforare})",
             ["Id", "Rad", "Revision (kr)", "Nya månader (kr)", "Förändring (kr)", "Utfall före (antal)",
              "Utfall efter, samma månader (antal)", "Utfall efter (antal)", "Korsar"])
    for x in j.rader:
        b.rader.append([x.id, x.namn, tal(x.revision_kr), tal(x.nya_manader_kr), tal(x.forandring_kr),
                        tal(x.utfall_fore, "antal"), tal(x.utfall_efter_a, "antal"), tal(x.utfall_efter, "antal"),
                        " och ".join(x.korsar)])
        kallor("Rader", x.id, "bas och tillägg", "uppdrag", ("utforare", j.utforare, "volymer", "rader", x.id))
        kallor("Rader", x.id, "utfall (det senare uttaget)", "utfall", ("produktion", j.utforare, x.id))
    b.summor = [["Summa", "", tal(j.revision_kr), tal(j.nya_manader_kr), tal(j.forandring_kr), None, None, None, ""]]
    b.noter = [f"Revision: ändrade värden för januari–{a}; nya månader: det bara det senare uttaget täcker. "
               "Revision + nya månader = förändringen, exakt."]
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, r.antaganden))


# --- utbetala ----------------------------------------------------------------------------------------


def _komponentnamn(k: str) -> str:
    return k.replace("tillagg:", "tillägg ").replace("avrakning:", "avräkning ")


def utbetala(rapport) -> bytes:
    r = rapport.resultat
    u = r.resultat
    kallor = _Kalla(rapport)
    manad = f"{MANADER[u.manad - 1]} {u.ar}"
    b = Blad("Utbetalning", f"Utbetalning {manad} (regelboken §19): {u.namn} ({u.utforare})",
             ["Komponent", "Rätt hittills (kr)", "Betalt före (kr)", "Månadens belopp (kr)", "Kreditering"])
    for k in u.komponenter:
        b.rader.append([_komponentnamn(k.komponent), tal(k.ratt_kr), tal(k.betalt_kr), tal(k.belopp_kr),
                        ja_nej(k.kreditering)])
        slag, _, id_ = k.komponent.partition(":")
        if slag == "tillagg" and id_:
            kallor("Utbetalning", k.komponent, "bas och tillägg", "uppdrag",
                   ("utforare", u.utforare, "volymer", "rader", id_))
            kallor("Utbetalning", k.komponent, "utfall", "utfall", ("produktion", u.utforare, id_))
        elif slag == "avrakning" and id_:
            kallor("Utbetalning", k.komponent, "nivå", "uppdrag",
                   ("utforare", u.utforare, "avrakning", "poster", id_, "niva_tkr"))
        elif slag == "anslag":
            kallor("Utbetalning", k.komponent, "ersättningsramen", "uppdrag",
                   ("utforare", u.utforare, "ersattningsram", "belopp_tkr"))
    b.summor = [["Anslag", None, None, tal(u.anslag_kr), ""], ["Tillägg", None, None, tal(u.tillagg_kr), ""],
                ["Avräkning", None, None, tal(u.avrakning_kr), ""],
                [f"Att betala {manad}", None, None, tal(u.summa_kr), ""]]
    b.noter = ["Betalt före: det som bokförts i utbetalningsjournalen för månaderna före." if u.betalt_ur_journal
               else "Ingen journal: \"betalt före\" är rätten t.o.m. månaden före, räknad ur samma utfall."]
    if r.bokford:
        b.noter.append(f"Bokförd i journalen: {manad}.")
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, r.antaganden))


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
    kallor = _Kalla(rapport)
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
    kallor = _Kalla(rapport)
    b = Blad("Antaganden", "Antaganden där dokumenten är tysta", ["Id", "Antagande", "Källa", "Verkar i"])
    for a, t in r.antaganden.items():
        platser = r.anvandning.get(a, [])
        b.rader.append([a, t.text, t.kalla, "\n".join(platser)])
        for p in platser:
            kallor.plats("Antaganden", a, "där antagandet verkar", p, "")
    b.noter = ["Antagandena är data i uppdragsfilen (`antaganden` och `antagande: An` där de verkar) och ändras "
               "där, inte i koden."]
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, r.antaganden))


__all__: Sequence[str] = ("berakna", "kontrollera", "avrakning", "brygga", "malrelaterad", "uppfoljning", "kalender",
                          "scenario", "prognos", "jamfor", "utbetala", "forklara", "antaganden", "skriv_arbetsbok",
                          "excelvarde")


def priser(rapport) -> bytes:
    r = rapport.resultat
    kallor = _Kalla(rapport)
    b = Blad("Priser", "Priser 2026 och avståndet till det kalkylerade priset",
             ["Grupp", "Rad", "Utförare", "Pris (kr)", "Kalkylerat (kr)", "Differens (kr)", "Mot kalkylerat (andel)"])
    for x in r.rader:
        for p in x.priser:
            b.rader.append([x.grupp, x.namn, p.utforare, tal(p.pris_kr), tal(x.kalkylerat_kr), tal(p.differens_kr),
                            andel(p.andel)])
        kallor(b.namn, x.id, "raden i tabellen Priser 2026", "priser", ("priser", "rader", x.id))
    b.noter = ["Ett tomt pris är \"-\" i tabellen (inget pris). Tabellen visas för jämförelse; tilläggsersättningen "
               "räknas med priskategorierna i prisfilen (regelboken §4)."]
    return skriv_arbetsbok(Arbetsbok([b], kallor.rader, {}, "Tabellen bygger inte på något antagande."))
