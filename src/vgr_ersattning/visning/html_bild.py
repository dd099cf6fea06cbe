"""Rapportens bilder som SVG i HTML: ett linjediagram (månader) eller liggande staplar (rader), ritade
ur tabellens värden (`rapport.modell.Bild`). Ingen skript, inga typsnitt utifrån: diagrammet är en
del av filen och skrivs ut som den ser ut på skärmen."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Optional

from vgr_ersattning.pengar import svensk
from vgr_ersattning.rapport.modell import ANDEL, LINJE, RAD, Bild, Tabell
from vgr_ersattning.visning import celler

# Färger som skiljs åt också i gråskala och för den som är färgblind (Okabe–Ito).
FARGER = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
BREDD = 720


def _serier(t: Tabell, b: Bild) -> tuple[list[str], list[tuple[str, list[Optional[Decimal]]]], str]:
    kolumner = {k.nyckel: (i, k) for i, k in enumerate(t.kolumner)}
    rader = [r for r in t.rader if r.roll == RAD and r.i("html")]
    i_kat, k_kat = kolumner[b.kategori]
    kategorier = [celler.text(k_kat, celler.som_cell(r.celler[i_kat])) for r in rader]
    serier = []
    slag = ""
    for namn, nyckel in b.serier:
        i, k = kolumner[nyckel]
        slag = slag or k.slag
        varden = []
        for r in rader:
            v = celler.som_cell(r.celler[i]).varde
            varden.append(Decimal(v) if celler.ar_tal(v, k.slag) else None)
        serier.append((namn, varden))
    return kategorier, serier, slag


def _skala(hogst: Decimal) -> tuple[Decimal, Decimal]:
    """En jämn övre gräns och ett steg för axeln (fyra till fem steg)."""
    if hogst <= 0:
        return Decimal(1), Decimal("0.25")
    steg = Decimal(10) ** (len(str(int(hogst))) - 1) if hogst >= 1 else Decimal("0.1")
    for faktor in (Decimal("0.1"), Decimal("0.2"), Decimal("0.25"), Decimal("0.5"), Decimal(1), Decimal(2),
                   Decimal("2.5"), Decimal(5), Decimal(10)):
        if hogst / (steg * faktor) <= 5:
            steg = steg * faktor
            break
    tak = (hogst / steg).to_integral_value(rounding="ROUND_CEILING") * steg
    return tak, steg


def _axeltext(v: Decimal, slag: str) -> str:
    if slag == ANDEL:
        return f"{svensk(v * 100, 0)} %"
    if abs(v) >= 1_000_000:
        return f"{svensk(v / 1_000_000, 1 if v % 1_000_000 else 0)} mn"
    return svensk(v, 0 if v == v.to_integral_value() else 2)


def svg(t: Tabell, b: Bild) -> str:
    """Bilden som en SVG (text): linjediagram eller liggande staplar."""
    kategorier, serier, slag = _serier(t, b)
    return _linje(b, kategorier, serier, slag) if b.slag == LINJE else _staplar(b, kategorier, serier, slag)


def _forklaring(serier, x0: int, y: int) -> list[str]:
    ut, x = [], x0
    for j, (namn, _) in enumerate(serier):
        farg = FARGER[j % len(FARGER)]
        ut.append(f'<rect x="{x}" y="{y - 9}" width="12" height="10" fill="{farg}"/>'
                  f'<text x="{x + 16}" y="{y}" class="forklaring">{escape(namn)}</text>')
        x += 28 + 7 * len(namn)
    return ut


def _linje(b: Bild, kategorier: list[str], serier, slag: str) -> str:
    hojd, v, h, o, n = 300, 80, 16, 30, 60
    alla = [x for _, varden in serier for x in varden if x is not None]
    tak, steg = _skala(max(alla, default=Decimal(0)))
    bredd = BREDD - v - h
    y_bas = hojd - n

    def y(x: Decimal) -> float:
        return y_bas - float(x / tak) * (y_bas - o)

    def xpos(i: int) -> float:
        return v + (bredd * i / max(len(kategorier) - 1, 1))

    delar = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BREDD} {hojd}" role="img" class="bild">',
             f"<title>{escape(b.titel)}</title>"]
    niva = Decimal(0)
    while niva <= tak:
        delar.append(f'<line x1="{v}" x2="{BREDD - h}" y1="{y(niva):.1f}" y2="{y(niva):.1f}" class="rutnat"/>'
                     f'<text x="{v - 6}" y="{y(niva) + 4:.1f}" class="axel" text-anchor="end">'
                     f"{escape(_axeltext(niva, slag))}</text>")
        niva += steg
    for i, k in enumerate(kategorier):
        delar.append(f'<text x="{xpos(i):.1f}" y="{y_bas + 16}" class="axel" text-anchor="middle">'
                     f"{escape(k[:3])}</text>")
    for j, (namn, varden) in enumerate(serier):
        farg = FARGER[j % len(FARGER)]
        punkter = [(xpos(i), y(x)) for i, x in enumerate(varden) if x is not None]
        if len(punkter) > 1:
            delar.append(f'<polyline fill="none" stroke="{farg}" stroke-width="2" points="'
                         + " ".join(f"{a:.1f},{c:.1f}" for a, c in punkter) + f'"><title>{escape(namn)}</title></polyline>')
        delar += [f'<circle cx="{a:.1f}" cy="{c:.1f}" r="2.5" fill="{farg}"/>' for a, c in punkter]
    delar += _forklaring(serier, v, hojd - 12)
    delar.append(f'<text x="{v}" y="{o - 12}" class="axel">{escape(b.y_axel)}</text>')
    delar.append("</svg>")
    return "".join(delar)


def _staplar(b: Bild, kategorier: list[str], serier, slag: str) -> str:
    stapel, mellan, v, h, o = 9, 6, 230, 40, 24
    grupp = stapel * len(serier) + mellan
    hojd = o + grupp * len(kategorier) + 46
    alla = [x for _, varden in serier for x in varden if x is not None]
    tak, steg = _skala(max(alla, default=Decimal(0)))
    bredd = BREDD - v - h

    def x(varde: Decimal) -> float:
        return v + float(max(varde, Decimal(0)) / tak) * bredd

    delar = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BREDD} {hojd}" role="img" class="bild">',
             f"<title>{escape(b.titel)}</title>"]
    niva = Decimal(0)
    y_slut = o + grupp * len(kategorier)
    while niva <= tak:
        delar.append(f'<line x1="{x(niva):.1f}" x2="{x(niva):.1f}" y1="{o - 4}" y2="{y_slut}" class="rutnat"/>'
                     f'<text x="{x(niva):.1f}" y="{y_slut + 14}" class="axel" text-anchor="middle">'
                     f"{escape(_axeltext(niva, slag))}</text>")
        niva += steg
    if slag == ANDEL and tak >= 1:
        delar.append(f'<line x1="{x(Decimal(1)):.1f}" x2="{x(Decimal(1)):.1f}" y1="{o - 6}" y2="{y_slut}" '
                     'class="hundra"/>')
    for i, k in enumerate(kategorier):
        y0 = o + i * grupp
        etikett = k if len(k) <= 34 else k[:33] + "…"
        delar.append(f'<text x="{v - 6}" y="{y0 + grupp / 2 + 1:.1f}" class="axel" text-anchor="end">'
                     f"<title>{escape(k)}</title>{escape(etikett)}</text>")
        for j, (namn, varden) in enumerate(serier):
            varde = varden[i]
            if varde is None:
                continue
            farg = FARGER[j % len(FARGER)]
            delar.append(f'<rect x="{v}" y="{y0 + j * stapel}" width="{x(varde) - v:.1f}" height="{stapel - 1}" '
                         f'fill="{farg}"><title>{escape(k)}: {escape(namn)} {escape(_axeltext(varde, slag))}'
                         "</title></rect>")
    delar += _forklaring(serier, v, hojd - 8)
    delar.append("</svg>")
    return "".join(delar)
