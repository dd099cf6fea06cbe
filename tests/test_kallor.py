"""Källorna i datafilerna: varje `kalla` namnger ett dokument som en controller hittar (titel,
organ, datum, §, diarienummer, avsnitt), aldrig en fil, och varje antagande finns i regelboken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from vgr_ersattning.inlasning.datakatalog import standardfil

ROT = Path(__file__).resolve().parents[1]
REGELBOKEN = ROT / "docs" / "regler.md"
DATAFILER = ("uppdrag_2026.yaml", "priser_2026.yaml")

# Ett filnamn (`000_8ce566ecc9e2eb30.txt`, `REGLER.md`, `x.pdf`) eller ett hashliknande namn.
FILNAMN = re.compile(r"[\w.-]+\.(?:txt|md|pdf|ya?ml|docx?|xlsx?|csv|json|html?)\b", re.IGNORECASE)
HASHNAMN = re.compile(r"\b\d*_?[0-9a-f]{12,}\b")
# Det enda filnamn en källa får nämna: projektets egen regelbok.
TILLATEN_FIL = "docs/regler.md"
# Teamets interna underlag: REGLER.md (versaler; regelboken heter docs/regler.md), ../shared, seeds.
INTERNT = re.compile(r"REGLER|(?i:\.\./|\bshared\b|\bseeds?\b)")

DATUM = re.compile(r"\b20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
DIARIENUMMER = re.compile(r"\bOSN[ -]20\d\d-\d{5}\b")
ORGAN = re.compile(r"operativa hälso- och sjukvårdsnämnden", re.IGNORECASE)
AVSNITT = re.compile(r"\b(avsnitt|avsnitten|tabellen|titelsidan)\b")

# Block som bär pengar: (fil, nyckelväg). Här står dokumentets fullständiga namn.
PENGABLOCK = [
    ("uppdrag_2026.yaml", ("utforare", "SV", "ersattningsram")),
    ("uppdrag_2026.yaml", ("utforare", "SV", "anslag")),
    ("uppdrag_2026.yaml", ("utforare", "SV", "avrakning")),
    ("uppdrag_2026.yaml", ("utforare", "SV", "tillagg")),
    ("uppdrag_2026.yaml", ("utforare", "SV", "delegation")),
    ("uppdrag_2026.yaml", ("utforare", "SV", "volymer")),
    ("uppdrag_2026.yaml", ("utforare", "SV", "brygga")),
    ("uppdrag_2026.yaml", ("utforare", "RH", "malrelaterad_1177")),
    ("priser_2026.yaml", ("tillagg", "besok")),
    ("priser_2026.yaml", ("tillagg", "behandling")),
    ("priser_2026.yaml", ("tillagg", "kologastro")),
    ("priser_2026.yaml", ("priser",)),
]


def _las(namn: str):
    return yaml.safe_load(standardfil(namn).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data():
    return {namn: _las(namn) for namn in DATAFILER}


def _vandra(nod, vag=()):
    """Alla (nyckelväg, nyckel, värde) i trädet, i ordning."""
    if isinstance(nod, dict):
        for k, v in nod.items():
            yield vag + (k,), k, v
            yield from _vandra(v, vag + (k,))
    elif isinstance(nod, list):
        for i, v in enumerate(nod):
            yield from _vandra(v, vag + (i,))


def _kallor(data):
    return [(namn, vag, v) for namn, d in data.items() for vag, k, v in _vandra(d) if k == "kalla"]


def _hamta(d, vag):
    for k in vag:
        d = d[k]
    return d


def test_det_finns_kallor(data):
    assert len(_kallor(data)) >= 20
    assert all(isinstance(v, str) and v.strip() for _, _, v in _kallor(data))


def test_ingen_kalla_namnger_en_fil(data):
    fel = []
    for namn, vag, kalla in _kallor(data):
        utan_regelbok = kalla.replace(TILLATEN_FIL, "")
        if FILNAMN.search(utan_regelbok) or HASHNAMN.search(kalla):
            fel.append(f"{namn}: {'.'.join(map(str, vag))}: namnger en fil: {kalla}")
    assert not fel, "\n".join(fel)


def test_ingen_text_i_datafilerna_namnger_teamets_underlag(data):
    """Varken källor, anmärkningar eller antagandetexter (de visas för användaren) eller kommentarer
    nämner teamets interna underlag."""
    fel = []
    for namn, d in data.items():
        for vag, _k, v in _vandra(d):
            if isinstance(v, str) and (INTERNT.search(v) or HASHNAMN.search(v)):
                fel.append(f"{namn}: {'.'.join(map(str, vag))}: {v}")
        for nr, rad in enumerate(standardfil(namn).read_text(encoding="utf-8").splitlines(), 1):
            if INTERNT.search(rad) or re.search(r"\d{3}_[0-9a-f]{16}", rad):
                fel.append(f"{namn}:{nr}: {rad.strip()}")
    assert not fel, "\n".join(fel)


def test_varje_dokumentkalla_namnger_dokument_och_avsnitt(data):
    """Utom antagandena (som pekar på regelboken) börjar varje källa med dokumentet, i fullständig
    form eller kortform, identifierat med § eller diarienummer (annars datum), och fortsätter med
    ett avsnitt: "Uppdrag 2026 SV (OSN 2025-09-25 § 293), Uppföljning (…)"."""
    fel = []
    for namn, vag, kalla in _kallor(data):
        if vag[0] == "antaganden":
            continue
        plats = f"{namn}: {'.'.join(map(str, vag))}"
        id_match = (re.search(r"§ \d+|" + DIARIENUMMER.pattern, kalla) or DATUM.search(kalla))
        if id_match is None:
            fel.append(f"{plats}: varken §, diarienummer eller datum: {kalla}")
            continue
        dokument, rest = kalla[: id_match.start()], kalla[id_match.end():]
        if not re.match(r"[A-ZÅÄÖ]\w*( \S+){2,}", dokument):
            fel.append(f"{plats}: börjar inte med dokumentets titel: {kalla}")
        if not re.match(r"\)?, \w", rest):
            fel.append(f"{plats}: inget avsnitt efter dokumentet: {kalla}")
    assert not fel, "\n".join(fel)


@pytest.mark.parametrize("fil,vag", PENGABLOCK, ids=lambda x: ".".join(x) if isinstance(x, tuple) else x)
def test_pengablockens_kalla_namnger_datum_organ_och_avsnitt(data, fil, vag):
    kalla = _hamta(data[fil], vag)["kalla"]
    assert DATUM.search(kalla), f"inget datum: {kalla}"
    assert ORGAN.search(kalla) or DIARIENUMMER.search(kalla), f"varken organ eller diarienummer: {kalla}"
    assert AVSNITT.search(kalla), f"inget avsnitt: {kalla}"


def test_antagandenas_kalla_pekar_pa_regelbokens_avsnitt(data):
    regelbok = REGELBOKEN.read_text(encoding="utf-8")
    rubriker = {m.group(1): m.group(2).strip() for m in re.finditer(r"^## (§\d+) (.+)$", regelbok, re.MULTILINE)}
    for aid, a in data["uppdrag_2026.yaml"]["antaganden"].items():
        m = re.match(r"Regelboken \(docs/regler\.md\), (§\d+) ([^,]+), antagande (A\d+)\b", a["kalla"])
        assert m, f"{aid}: {a['kalla']}"
        assert m.group(3) == aid
        assert rubriker.get(m.group(1)) == m.group(2), f"{aid}: regelboken har inte rubriken {m.group(1)} {m.group(2)}"
        assert a["text"].strip().endswith("."), aid


def test_varje_anvant_antagande_ar_definierat(data):
    definierade = set(data["uppdrag_2026.yaml"]["antaganden"])
    anvanda = set()
    for namn, d in data.items():
        anvanda |= {v for _, k, v in _vandra(d) if k == "antagande"}
        anvanda |= set(re.findall(r"\bantagande:\s*(A\d+)\b", standardfil(namn).read_text(encoding="utf-8")))
    assert anvanda, "inga antaganden används"
    assert anvanda <= definierade, f"odefinierade: {sorted(anvanda - definierade)}"


def test_regelboken_har_ett_avsnitt_per_antagande(data):
    regelbok = REGELBOKEN.read_text(encoding="utf-8")
    for aid in data["uppdrag_2026.yaml"]["antaganden"]:
        assert re.search(rf"^#{{2,4}} {aid}\b", regelbok, re.MULTILINE), f"regelboken saknar avsnittet {aid}"


def test_regelboken_har_avsnitten_1_till_15_och_namnger_inga_interna_filer():
    regelbok = REGELBOKEN.read_text(encoding="utf-8")
    nummer = [int(n) for n in re.findall(r"^## §(\d+) ", regelbok, re.MULTILINE)]
    assert nummer[:15] == list(range(1, 16)) and nummer == sorted(set(nummer))
    assert "## Antaganden" in regelbok
    for fil in sorted((ROT / "docs").rglob("*")):
        if fil.is_file():
            text = fil.read_text(encoding="utf-8")
            assert not INTERNT.search(text), f"{fil.name} nämner teamets interna underlag"
            assert not re.search(r"\d{3}_[0-9a-f]{16}", text), f"{fil.name} nämner en källfil"
