"""CSV-utfall från standard in och uttag där raderna skiljer sig (issue 26): en pipe läses en gång av
snabbvägen (`strom`), en omdirigerad fil (`< F`) som en sökväg, och många olika rader summeras per
nyckel (`raknare`). Resultatet – produktionen, källornas platser och varje fel med fil:rad:kolumn –
ska vara detsamma som hela CSV-läsarens (`snabb=False`), vilken väg filen än kommer."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vgr_ersattning import parallell
from vgr_ersattning.inlasning import csvlasare
from vgr_ersattning.inlasning.datakatalog import standardfil
from vgr_ersattning.inlasning.dokument import las_uppdrag
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.inlasning.tal import MAX_ANTAL
from vgr_ersattning.inlasning.utfall import csv as csv_mod
from vgr_ersattning.inlasning.utfall import csvdelar as csvdelar_mod
from vgr_ersattning.inlasning.utfall import raknare as raknare_mod
from vgr_ersattning.inlasning.utfall import snabb as snabb_mod
from vgr_ersattning.inlasning.utfall import strom as strom_mod
from vgr_ersattning.inlasning.utfall.filer import las_utfall

HUD = "somatik.forstabesok.hud"
OGON = "somatik.forstabesok.ogon"


@pytest.fixture(scope="module")
def uppdrag():
    return las_uppdrag(standardfil("uppdrag_2026.yaml")).modell


@pytest.fixture(autouse=True)
def _i_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(parallell.MILJOVARIABEL, "2")     # flera processer också på en maskin med en kärna


def _resultat(sokvag: str, uppdrag, snabb: bool = True):
    """Allt som syns av en inläsning, med standard in visad som u.csv: produktionen och källorna i
    ordning, eller felraderna."""
    with mock.patch.object(csv_mod, "SNABB_CSV", snabb):
        try:
            ut = las_utfall([Path(sokvag)], uppdrag)
        except Inlasningsfel as e:
            return ("fel", [str(f).replace("<stdin>", "u.csv") for f in e.fel], e.fler)
    return ("ok", {u: {r: list(v) for r, v in rader.items()} for u, rader in ut.produktion.items()},
            [(k, str(v).replace("<stdin>", "u.csv")) for k, v in ut._kallor.items()])


def _fran_pipe(data: bytes, uppdrag, snabb: bool = True):
    """Som `_resultat` med `data` på standard in genom en riktig pipe (os.pipe), skriven av en tråd."""
    r, w = os.pipe()

    def skriv():
        try:
            with os.fdopen(w, "wb") as f:
                f.write(data)
        except BrokenPipeError:
            pass                # läsaren slutade före slutet (ett fel som avbryter läsningen)

    trad = threading.Thread(target=skriv)
    trad.start()
    stdin = io.TextIOWrapper(os.fdopen(r, "rb"))
    try:
        with mock.patch.object(sys, "stdin", stdin):
            return _resultat("-", uppdrag, snabb)
    finally:
        stdin.close()
        trad.join()


def _fran_fil_pa_stdin(p: Path, uppdrag):
    """Som `_resultat` med filen som standard in (`< F`)."""
    with open(p, "rb") as f:
        stdin = io.TextIOWrapper(f)
        with mock.patch.object(sys, "stdin", stdin):
            return _resultat("-", uppdrag)


def alla_vagar(p: Path, uppdrag):
    """Sökvägen, `< F`, en pipe och hela CSV-läsaren ger samma sak; den returneras."""
    langsam = _resultat(p.name, uppdrag, snabb=False)
    assert _resultat(p.name, uppdrag) == langsam
    assert _fran_fil_pa_stdin(p, uppdrag) == langsam
    assert _fran_pipe(p.read_bytes(), uppdrag) == langsam
    return langsam


# --- fasta fall ------------------------------------------------------------------------------------


def test_manga_olika_antal_summeras_per_nyckel(tmp_path, uppdrag):
    """Antalen 1…1000 för en nyckel i januari och 2×(1…1000) i februari, blandade med radslut
    \\r\\n: summan 1+2+…+1000 = 1000·1001/2 = 500 500, och 1 001 000 i februari."""
    p = tmp_path / "u.csv"
    rader = [f"SV,{HUD},2026-01,{a}\r\n" for a in range(1, 1001)] + [f"SV,{HUD},2026-02,{a}\n" for a in range(1, 1001)] * 2
    rader.sort(key=lambda r: (hash(r) % 7, r))
    p.write_bytes(("utforare,rad,manad,antal\n" + "".join(rader)).encode())
    with mock.patch.object(raknare_mod, "NYCKEL_FRAN", 10), mock.patch.object(csvdelar_mod, "BLOCK", 256):
        r = alla_vagar(p, uppdrag)
    assert r[0] == "ok" and r[1]["SV"][HUD][:2] == [500_500, 1_001_000]


def test_nyckellaget_anvands_for_manga_olika_rader(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + "".join(f"SV,{HUD},2026-{1 + a % 8:02d},{a}\n" for a in range(1, 5001)))
    with mock.patch.object(raknare_mod.Raknare, "_nyckla", autospec=True,
                           side_effect=raknare_mod.Raknare._nyckla) as nyckla:
        r = alla_vagar(p, uppdrag)
    assert nyckla.called
    # Januari har a = 8, 16, …, 5000: 8·(1+2+…+625) = 8·625·626/2 = 1 565 000.
    assert r[1]["SV"][HUD][0] == 1_565_000


def test_fel_i_nyckellaget_far_varje_forekomsts_plats(tmp_path, uppdrag):
    """En okänd rad-id med olika antal: varje förekomst är ett fel på sin rad (kolumn 4), de 50
    första visas och resten räknas (120 − 50 = 70)."""
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + "".join(f"SV,{HUD},2026-01,{a}\nSV,x,2026-02,{a}\n" for a in range(120)))
    with mock.patch.object(raknare_mod, "NYCKEL_FRAN", 4), mock.patch.object(csvdelar_mod, "BLOCK", 64), \
            mock.patch.object(csvlasare, "BLOCK", 64):
        r = alla_vagar(p, uppdrag)
    assert r[1][:2] == ["u.csv:3:4: rad: okänt rad-id 'x' för SV", "u.csv:5:4: rad: okänt rad-id 'x' för SV"]
    assert r[1][49] == "u.csv:101:4: rad: okänt rad-id 'x' för SV"
    assert r[1][50] == "u.csv:101:4: … och 70 fel till" and r[2] == 70


@pytest.mark.parametrize("sist", [
    f'SV,"{HUD}\n",2026-01,1\n'.encode(),             # en post över flera rader: hela läsaren tar vid
    f"SV,{HUD},2026-01,1\rSV,{HUD},2026-02,1\n".encode(),    # ensamt \r
    f"SV,{HUD},2026-01,1\0\n".encode(),               # NUL: csv-modulens fel
    "SV,hå,2026-01,1\n".encode() + b"SV,h\xe5,2026-01,1\n",   # UTF-8 och sedan inte
])
def test_pipe_lamnar_over_mitt_i_strommen(tmp_path, uppdrag, sist):
    """Det snabbvägen inte förstår står efter många block: hela läsaren tar vid vid blockets början
    med samma radnummer, och felen före det har redan sina platser."""
    p = tmp_path / "u.csv"
    kropp = "".join(f"SV,{HUD if i % 3 else 'y'},2026-0{1 + i % 8},{i % 5}\n" for i in range(400)).encode()
    p.write_bytes(b"utforare,rad,manad,antal\n" + kropp + sist + kropp)
    spion = mock.MagicMock(wraps=strom_mod._fortsatt)
    with mock.patch.object(csvlasare, "BLOCK", 256), mock.patch.object(strom_mod, "_fortsatt", spion):
        r = alla_vagar(p, uppdrag)
    assert spion.call_count == 1 and spion.call_args.args[2] > 300     # mitt i strömmen
    assert r[0] == "fel" and r[1][0] == "u.csv:2:4: rad: okänt rad-id 'y' för SV"   # i = 0 på rad 2


@pytest.mark.parametrize("kropp", [
    "SV,hå,2026-01,1\n".encode() + b"SV,h\xe5,2026-01,1\n",       # UTF-8 först, sedan inte
    b"SV,h\xe5,2026-01,1\nSV,x\xf6,2026-02,1\n",                  # Windows-1252
    "SV,x,2026-01,1\n".encode() + b"SV,\xe5\x81,2026-01,1\n",     # 0x81 finns inte i cp1252
])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_kodningen_fran_pipe_som_fran_fil(tmp_path, uppdrag, kropp, bom):
    """Den första raden som inte är ASCII avgör kodningen också när den står mitt i en pipe; en fil
    med BOM är aldrig Windows-1252."""
    p = tmp_path / "u.csv"
    fore = "".join(f"SV,{HUD},2026-0{1 + i % 8},{i % 3}\n" for i in range(300)).encode()
    p.write_bytes(bom + b"utforare,rad,manad,antal\n" + fore + kropp + fore)
    with mock.patch.object(csvlasare, "BLOCK", 512):
        r = alla_vagar(p, uppdrag)
    assert r[0] == "fel"


def test_pipe_med_for_manga_olika_rader_lamnar_over(tmp_path, uppdrag):
    """Över minnesgränsen (här 1 byte) läser hela läsaren vidare; samma resultat."""
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + "".join(f"SV,{HUD},2026-0{1 + i % 8},{i}\n" for i in range(300))
                 + f"SV,{HUD},2026-01,1 234\n")
    with mock.patch.object(raknare_mod, "MAX_MINNE", 1), mock.patch.object(csvlasare, "BLOCK", 512):
        r = alla_vagar(p, uppdrag)
    # Kolumnen: "SV," (3) + rad-id + "," (1) + "2026-01," (8), och antalet börjar på nästa: 3+23+1+8+1 = 36.
    assert r[0] == "fel" and r[1] == [f"u.csv:302:{3 + len(HUD) + 1 + 8 + 1}: antal: antal '1 234' är inte ett tal; ska vara ett "
                                      "icke-negativt heltal"]


def test_omdirigerad_fil_lases_som_en_sokvag_ocksa_av_arbetarna(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + f"SV,{HUD},2026-01,1\nSV,{OGON},2026-02,3\n" * 500)
    with mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0), mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", 100), \
            mock.patch.object(snabb_mod, "_snabb_rakna_parallellt", wraps=snabb_mod._snabb_rakna_parallellt) as par, \
            mock.patch.object(strom_mod, "las_csv_strom") as pipe:
        r = _fran_fil_pa_stdin(p, uppdrag)
    assert par.called and not pipe.called
    assert r[1]["SV"][HUD][0] == 500 and r[1]["SV"][OGON][1] == 1500
    assert dict(r[2])[("produktion", "SV", OGON, 2)] == "u.csv:3:1"


def test_pipe_raknas_utan_hela_lasaren(uppdrag):
    data = ("utforare,rad,manad,antal\n" + f"SV,{HUD},2026-01,1\n" * 1000).encode()
    with mock.patch.object(strom_mod, "las_tabell") as hela, mock.patch.object(strom_mod, "_fortsatt") as vidare:
        r = _fran_pipe(data, uppdrag)
    assert not hela.called and not vidare.called and r[1]["SV"][HUD][0] == 1000


def test_rubrik_med_citattecken_fran_pipe(uppdrag):
    data = ('"utforare",rad,manad,antal\n' + f"SV,{HUD},2026-01,2\n" * 3).encode()
    assert _fran_pipe(data, uppdrag) == _fran_pipe(data, uppdrag, snabb=False)
    assert _fran_pipe(data, uppdrag)[1]["SV"][HUD][0] == 6


def test_kommandoraden_pipe_och_omdirigering_ger_samma_json(tmp_path):
    """Hela processer: `--utfall FIL`, `--utfall - < FIL` och `cat FIL | … --utfall -` ger samma JSON
    byte för byte, och samma fel (med <stdin> som namn) och slutkod 2."""
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + "".join(f"SV,{HUD},2026-0{1 + i % 4},{i % 9}\n" for i in range(3000)))
    argv = [sys.executable, "-m", "vgr_ersattning", "berakna", "--format", "json", "--utfall"]
    sokvag = subprocess.run(argv + [str(p)], capture_output=True, check=True).stdout
    with open(p, "rb") as f:
        omdirigerad = subprocess.run(argv + ["-"], stdin=f, capture_output=True, check=True).stdout
    pipe = subprocess.run(argv + ["-"], input=p.read_bytes(), capture_output=True, check=True).stdout
    assert sokvag == omdirigerad == pipe and json.loads(sokvag)
    p.write_text(p.read_text() + "SV,x,2026-01,1\n")
    fel = subprocess.run(argv + ["-"], input=p.read_bytes(), capture_output=True)
    assert fel.returncode == 2 and fel.stderr.decode().strip().endswith("<stdin>:3002:4: rad: okänt rad-id 'x' för SV")


# --- slumpade filer: pipe, `< F`, sökväg och hela läsaren ger samma sak ----------------------------

_UTF = ["SV", "XX", '"SV"', " SV", ""]
_RAD = [HUD, OGON, "okand.rad", f'"{HUD}"', f'"{HUD},x"']
_MANAD = ["2026-01", "2026-02", "2026-13", '"2026-03"', "x" * 25]
_ANTAL = ["1", "2", "17", "999", "0", "007", "-1", "1.5", "x", "12,00", "1 234", '"1 234"', '"3"', "",
          str(MAX_ANTAL), "9" * 9, "1\u00a0234", "½"]
_RARA = ["", " ", "SV,x", f"SV,{HUD},2026-01,1,extra", f'SV,"{HUD}\n",2026-01,1', "SV,hu\xe5d,2026-01,1",
         "a\rb,c,d,e", "SV,x,\0,1", '"', "å,ä,ö,1", f"SV,{HUD},2026-01,\x81", "12345", ",5", ",,,3"]


@st.composite
def _csv_fil(draw) -> bytes:
    avg = draw(st.sampled_from([",", ",", ";"]))
    rad_st = st.one_of(
        st.builds(lambda u, r, m, a: avg.join([u, r, m, a]), st.sampled_from(_UTF), st.sampled_from(_RAD),
                  st.sampled_from(_MANAD), st.sampled_from(_ANTAL)),
        st.builds(lambda r, m, a: avg.join(["SV", r, f"2026-{m:02d}", str(a)]), st.sampled_from([HUD, OGON]),
                  st.integers(1, 12), st.integers(0, 400)),
        st.sampled_from(_RARA))
    pool = draw(st.lists(rad_st, min_size=1, max_size=30))
    # Först rader snabbvägen förstår, så att det den inte förstår ofta står mitt i strömmen.
    kropp = [avg.join(["SV", HUD, f"2026-0{1 + i % 3}", str(i % 4)]) for i in range(draw(st.integers(0, 40)))]
    kropp += draw(st.lists(st.sampled_from(pool), max_size=120))
    slut = draw(st.lists(st.sampled_from(["\n", "\n", "\r\n"]), min_size=len(kropp) + 1, max_size=len(kropp) + 1))
    rubrik = draw(st.sampled_from(["utforare,rad,manad,antal", "Utforare,Rad,Manad,Antal", "rad,antal,utforare,manad",
                                   '"utforare",rad,manad,antal']))
    if avg == ";":
        rubrik = rubrik.replace(",", ";")
    text = draw(st.sampled_from(["", "", "\n"])) + rubrik + slut[0] + "".join(r + s for r, s in zip(kropp, slut[1:]))
    if draw(st.booleans()) and text.endswith("\n"):
        text = text[:-1]
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252"])), "replace")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_csv_fil(), block=st.sampled_from([16, 64, 1 << 16]), snabbblock=st.sampled_from([7, 64, 1 << 16]),
       nyckel_fran=st.sampled_from([0, 3, 4096]), parallellt=st.booleans())
def test_pipe_omdirigering_sokvag_och_hela_lasaren_ger_samma(tmp_path, uppdrag, data, block, snabbblock, nyckel_fran,
                                                             parallellt):
    p = tmp_path / "u.csv"
    p.write_bytes(data)
    with mock.patch.object(csvlasare, "BLOCK", block), mock.patch.object(csvdelar_mod, "BLOCK", snabbblock), \
            mock.patch.object(raknare_mod, "NYCKEL_FRAN", nyckel_fran), \
            mock.patch.object(raknare_mod, "NYCKEL_MULTIPLICITET", 10 ** 9 if nyckel_fran < 4096 else 8), \
            mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0 if parallellt else 1 << 62), \
            mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", 128):
        alla_vagar(p, uppdrag)
