"""HTML (regelboken §25): varje rapport som en fil som inte behöver något annat, tolkad med html.parser
och jämförd med JSON, och månadens rapport utskriven av en riktig webbläsare (headless Chromium) till
PDF och läst med pdftotext: texten och storlekarna, inte pixlarna.

Webbläsartestet hoppas över bara när Chromium eller pdftotext inte är installerade (`.ci/run`
installerar dem: `apt-get install chromium poppler-utils`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vgr_ersattning.pengar import svensk

ROT = Path(__file__).resolve().parents[1]
EX = ROT / "examples"
UTFALL = EX / "produktion_2026.csv"
AUGUSTI = ("rapport", "--manad", "2026-08", "--utfall", UTFALL)

# Varje kommando som skriver en rapport, och hur många talceller i dess HTML som minst ska gå att
# jämföra med JSON (ett id och en nyckel som JSON också har).
KOMMANDON = [
    (("berakna",), 240),
    (("berakna", "--utfall", EX / "utfall_2026.yaml"), 300),
    (("utbetala", "--manad", "2026-08", "--utfall", UTFALL), 45),
    (("prognos", "--utfall", UTFALL), 300),
    (("jamfor", "--fore", EX / "produktion_2026_juli.csv", "--efter", UTFALL), 40),
    (("avrakning", "--utfall", EX / "utfall_2026.yaml"), 4),
    (("malrelaterad", "--utfall", EX / "rh_2026.yaml"), 8),
    (("uppfoljning", "--utfall", EX / "utfall_2026.yaml", "--period", "2026-08"), 15),
    (("uppfoljning", "--kalender", "-u", "SV"), 0),
    (("kontrollera",), 20),
    (("brygga",), 0),
    (("priser",), 0),
    (("antaganden",), 0),
    (("scenario", "--scenariofil", EX / "scenarier.yaml", "--utfall", UTFALL), 15),
    (("forklara", "anslag.2026-12"), 0),
    (("forklara", "--lista"), 0),
    (AUGUSTI, 400),
]


class Dokument(HTMLParser):
    """Det en HTML-rapport består av: taggarna, tabellernas rader (id och celler: nyckel, värde i JSON:s
    form och texten) och `<details>` med sina förklaringar."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.taggar: list[tuple[str, dict]] = []
        self.rader: list[dict] = []
        self.fakta: list[tuple[str, str | None, str]] = []
        self.rubriker: list[str] = []
        self.details = 0
        self._cell: dict | None = None
        self._dd: dict | None = None
        self._h2: list[str] | None = None
        self._dt = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.taggar.append((tag, a))
        if tag == "tr":
            self.rader.append({"id": a.get("data-id"), "celler": []})
        elif tag == "td" and self.rader:
            self._cell = {"nyckel": a.get("data-nyckel"), "varde": a.get("data-varde"), "text": ""}
            self.rader[-1]["celler"].append(self._cell)
        elif tag == "details":
            self.details += 1
            if self._cell is not None:
                self._cell["details"] = True
        elif tag == "dt":
            self._dt = ""
            self._dd = None
        elif tag == "dd":
            self._dd = {"varde": a.get("data-varde"), "text": ""}
        elif tag == "h2":
            self._h2 = []

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        elif tag == "dd" and self._dd is not None:
            self.fakta.append((self._dt.strip(), self._dd["varde"], self._dd["text"].strip()))
            self._dd = None
        elif tag == "h2" and self._h2 is not None:
            self.rubriker.append("".join(self._h2).strip())
            self._h2 = None

    def handle_data(self, data):
        if self._cell is not None and not self._cell.get("details_text"):
            self._cell["text"] += data
            if self._cell.get("details"):
                self._cell["details_text"] = True
        if self._dd is not None:
            self._dd["text"] += data
        elif self._h2 is not None:
            self._h2.append(data)
        else:
            self._dt += data


def _alla_dict(v):
    if isinstance(v, dict):
        yield v
        for x in v.values():
            yield from _alla_dict(x)
    elif isinstance(v, list):
        for x in v:
            yield from _alla_dict(x)


def jamfor_med_json(d: Dokument, j) -> int:
    """Varje talcell på en rad med ett id jämförs med JSON-objekten med samma id (eller kvartal) som har
    cellens nyckel: värdet ska vara ett av deras. Ger antalet jämförda celler."""
    per_id: dict[str, list[dict]] = {}
    for x in _alla_dict(j):
        for nyckel in ("id", "kvartal"):
            if isinstance(x.get(nyckel), str):
                per_id.setdefault(x[nyckel], []).append(x)
    jamforda = 0
    for rad in d.rader:
        if not rad["id"] or rad["id"] not in per_id:
            continue
        for c in rad["celler"]:
            if c["varde"] is None or not c["nyckel"]:
                continue
            kandidater = [str(x[c["nyckel"]]) for x in per_id[rad["id"]] if c["nyckel"] in x]
            if kandidater:
                assert c["varde"] in kandidater, (rad["id"], c["nyckel"], c["varde"], kandidater)
                jamforda += 1
    return jamforda


@pytest.mark.parametrize("args,minst", KOMMANDON, ids=[" ".join(str(a) for a in k[:2]) for k, _ in KOMMANDON])
def test_varje_rapport_som_html_ar_en_fil_med_samma_tal_som_json(kor, args, minst):
    k = kor(*args, "-f", "html")
    assert k.kod in (0, 1), k
    text = k.ut
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    d = Dokument(text)
    html = next(a for t, a in d.taggar if t == "html")
    assert html.get("lang") == "sv"
    assert any(t == "meta" and a.get("charset") == "utf-8" for t, a in d.taggar)
    # En fil som inte behöver något annat: inget skript, inget hämtat (stil och bilder står i filen).
    assert not any(t in ("script", "link", "img", "iframe", "object", "embed") for t, _ in d.taggar)
    for t, a in d.taggar:
        for attr in ("src", "href"):
            assert not a.get(attr) or a[attr].startswith("#"), (t, a)
    assert "url(" not in text and "@import" not in text and "http://" not in text.replace(
        "http://www.w3.org/2000/svg", "")
    if args[0] in ("forklara",):
        return
    j = json.loads(kor(*args, "-f", "json").ut)
    assert jamfor_med_json(d, j) >= minst
    if args[0] == "brygga":
        belopp = [c["varde"] for r in d.rader for c in r["celler"] if c["nyckel"] == "belopp_tkr"]
        assert belopp == [j["fran_tkr"], j["upprakning_tryckt_tkr"], j["delsumma_angiven_tkr"],
                          *(x["belopp_tkr"] for x in j["justeringar"]), j["angiven_tkr"]]
    elif args[0] == "priser":
        pris = {(x["id"], p["utforare"]): p["pris_kr"] for x in j["rader"] for p in x["priser"]}
        celler = [(r["id"], c["nyckel"], c["varde"]) for r in d.rader if r["id"] for c in r["celler"]
                  if (r["id"], c["nyckel"]) in pris and c["varde"] is not None]
        assert len(celler) == sum(1 for v in pris.values() if v is not None)
        assert all(pris[(i, n)] == v for i, n, v in celler)
    elif args[0] == "uppfoljning" and "--kalender" in args:
        ider = [r["id"] for r in d.rader if r["id"]]
        assert ider == [i["id"] for t in j["tillfallen"] for i in t["indikatorer"]]
    elif args[0] == "antaganden":
        assert [r["id"] for r in d.rader if r["id"]] == [a["id"] for a in j["antaganden"]]


def test_rapportens_html_har_utbetalningen_och_forklaringarna(kor):
    d = Dokument(kor(*AUGUSTI, "-f", "html").ut)
    j = json.loads(kor(*AUGUSTI, "-f", "json").ut)
    att_betala = [c for r in d.rader for c in r["celler"] if c["nyckel"] == "belopp_kr" and c.get("details")
                  and c["varde"] == j["utbetalning"]["summa_kr"]]
    assert att_betala and att_betala[0]["text"].strip() == "303 480 608"
    assert d.details >= 20                      # varje förklarad siffra öppnar sin förklaring
    assert d.rubriker[:3] == ["Utbetalning augusti 2026", "Produktion mot plan", "Produktion mot plan per rad"]
    assert d.rubriker[-1] == "Källor och antaganden"
    fakta = {e: (v, t) for e, v, t in d.fakta}
    assert fakta["Tilläggsersättning för året, prognos (kr)"][0] == j["prognos"]["tillagg_kr"]
    # Sidorna: ett avsnitt per sida; kolumnrubrikerna upprepas när en tabell fortsätter.
    assert "break-before: page" in kor(*AUGUSTI, "-f", "html").ut
    assert "thead { display: table-header-group; }" in kor(*AUGUSTI, "-f", "html").ut


# --- i en riktig webbläsare ---------------------------------------------------------------------------------

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
PDFTOTEXT = shutil.which("pdftotext")
A4_BREDD_PT = 595.3        # 210 mm
MARGINAL_PT = 34.0         # 12 mm (visning.html_stil: @page margin)


@pytest.mark.skipif(CHROMIUM is None or PDFTOTEXT is None,
                    reason="Chromium och pdftotext är inte installerade (apt-get install chromium poppler-utils; "
                           ".ci/run installerar dem)")
def test_rapporten_utskriven_av_chromium(kor, tmp_path):
    html = tmp_path / "r.html"
    k = kor(*AUGUSTI, "--format", "html", "--ut", html)
    assert k.kod == 0, k
    pdf = tmp_path / "r.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profil'}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                    html.as_uri()], check=True, capture_output=True, timeout=180)
    text = subprocess.run([PDFTOTEXT, "-layout", pdf, "-"], check=True, capture_output=True, text=True).stdout
    sidor = text.split("\f")
    if sidor and not sidor[-1].strip():
        sidor.pop()

    # Augustis utbetalning som `utbetala` räknar den, årets tillägg och en rads namn står på sidorna.
    u = json.loads(kor("utbetala", "--manad", "2026-08", "--utfall", UTFALL, "-f", "json").ut)
    b = json.loads(kor("berakna", "--utfall", UTFALL, "-t", "2026-08", "-f", "json").ut)
    p = json.loads(kor("prognos", "--utfall", UTFALL, "-f", "json").ut)
    platt = re.sub(r"\s+", " ", text)
    assert f"Att betala augusti 2026 {svensk(Decimal(u['summa_kr']))}" in platt
    assert svensk(Decimal(b["tillagg"]["summa_kr"])) in platt          # tillägget hittills i år
    assert svensk(Decimal(p["tillagg_kr"])) in platt                   # tillägget för året, prognos
    assert "Höft- & knäprotes" in platt and "Allmän kirurgi" in platt

    # En sida per avsnitt: sidan börjar med avsnittets rubrik (den första med rapportens titel över).
    rubriker = Dokument(html.read_text(encoding="utf-8")).rubriker
    assert len(sidor) == len(rubriker), [s.strip().splitlines()[:2] for s in sidor]
    for i, (sida, rubrik) in enumerate(zip(sidor, rubriker)):
        rader = [r.strip() for r in sida.splitlines() if r.strip()]
        assert rader[1 if i == 0 else 0] == rubrik, (i + 1, rader[:2])

    # Ingen tabell är bredare än sidan: varje ords högra kant ryms innanför marginalen.
    bbox = subprocess.run([PDFTOTEXT, "-bbox", pdf, "-"], check=True, capture_output=True, text=True).stdout
    sidbredder = [float(x) for x in re.findall(r'<page width="([\d.]+)"', bbox)]
    assert sidbredder and all(abs(w - A4_BREDD_PT) < 1 for w in sidbredder)
    hogerkanter = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    vansterkanter = [float(x) for x in re.findall(r'xMin="([\d.]+)"', bbox)]
    assert max(hogerkanter) <= A4_BREDD_PT - MARGINAL_PT + 1, max(hogerkanter)
    assert min(vansterkanter) >= MARGINAL_PT - 1, min(vansterkanter)
    # Förklaringarna är stängda på papper: trädens formler står inte i utskriften.
    assert "Bygger på antagande" not in platt
