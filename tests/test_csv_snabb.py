"""Snabbvägen för CSV-utfall: identiska råa rader räknas som byte och varje distinkt rad
tolkas en gång. Resultatet – produktionen, källornas platser och ordning, och varje fel med
fil:rad:kolumn – ska vara detsamma som hela CSV-läsarens, också för filer snabbvägen lämnar över
till den (citattecken över flera rader, ensamt \\r, NUL, Windows-1252)."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vgr_ersattning import parallell
from vgr_ersattning.inlasning.datakatalog import standardfil
from vgr_ersattning.inlasning.dokument import las_uppdrag
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.inlasning.tal import MAX_ANTAL
from vgr_ersattning.inlasning.utfall import csv as csv_mod
from vgr_ersattning.inlasning.utfall import csvdelar as csvdelar_mod
from vgr_ersattning.inlasning.utfall import snabb as snabb_mod
from vgr_ersattning.inlasning.utfall.csv import las_csv
from vgr_ersattning.inlasning.utfall.filer import Utfall, las_utfall

HUD = "somatik.forstabesok.hud"
OGON = "somatik.forstabesok.ogon"


@pytest.fixture(scope="module")
def uppdrag():
    return las_uppdrag(standardfil("uppdrag_2026.yaml")).modell


def resultat(p: Path, uppdrag, snabb: bool):
    """Allt som syns av en inläsning: produktionen och källorna i ordning, eller felraderna."""
    with mock.patch.object(csv_mod, "SNABB_CSV", snabb):
        try:
            ut = las_utfall([p], uppdrag)
        except Inlasningsfel as e:
            return ("fel", [str(f) for f in e.fel], e.fler)
    return ("ok", {u: {r: list(v) for r, v in rader.items()} for u, rader in ut.produktion.items()},
            [(k, str(v)) for k, v in ut._kallor.items()], {u: sorted(m) for u, m in ut.produktionsmanader.items()})


class Spion:
    """Räknar vad snabbvägen svarade (True: läste filen, False: lämnade över)."""

    def __init__(self):
        self.svar: list[bool] = []
        self._riktig = csv_mod.las_csv_snabb

    def __call__(self, *a, **k):
        try:
            svar = self._riktig(*a, **k)
        except Inlasningsfel:
            svar = True
            raise
        finally:
            self.svar.append(svar)
        return svar


def jamfor(p: Path, uppdrag, snabbvag: bool | None = True):
    spion = Spion()
    with mock.patch.object(csv_mod, "las_csv_snabb", spion):
        snabb = resultat(p, uppdrag, True)
    langsam = resultat(p, uppdrag, False)
    assert snabb == langsam
    if snabbvag is not None:
        assert spion.svar == [snabbvag]
    return snabb


@pytest.fixture(autouse=True)
def _i_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(parallell.MILJOVARIABEL, "2")     # flera processer också på en maskin med en kärna


# --- fasta fall ------------------------------------------------------------------------------------


def test_radniva_med_dubbletter_crlf_bom_och_utan_sista_radslut(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_bytes(b"\xef\xbb\xbf\r\nutforare,rad,manad,antal\r\n"
                  + f"SV,{HUD},2026-01,1\r\nSV,{OGON},2026-02,2\n".encode() * 1000 + f"SV,{HUD},2026-03,1".encode())
    r = jamfor(Path("u.csv"), uppdrag)
    assert r[0] == "ok" and r[1]["SV"][HUD][:3] == [1000, 0, 1] and r[1]["SV"][OGON][1] == 2000
    assert dict(r[2])[("produktion", "SV", HUD, 3)] == "u.csv:2003:1"


def test_fel_far_varje_forekomsts_rad_och_hogst_max_fel(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + f"SV,{HUD},2026-01,1\nXX,{HUD},2026-13,x\nSV,x,y\n" * 40)
    r = jamfor(Path("u.csv"), uppdrag)
    assert r[0] == "fel" and r[1][:4] == [
        "u.csv:3:1: utforare: okänd utförare 'XX' (med volymer: SV)",
        f"u.csv:3:{len(HUD) + 5}: manad: 2026-13 finns inte (ange ÅÅÅÅ-MM)",
        f"u.csv:3:{len(HUD) + 13}: antal: antal 'x' är inte ett tal; ska vara ett icke-negativt heltal",
        "u.csv:4:1: raden har 3 kolumner, rubriken 4 (en kolumn saknas eller är för mycket)"]
    assert r[1][-1] == f"u.csv:39:{len(HUD) + 5}: … och 110 fel till"


def test_summan_over_granse_pa_forsta_raden(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + f"SV,{OGON},2026-01,1\n" + f"SV,{HUD},2026-02,{MAX_ANTAL // 4}\n" * 5)
    assert jamfor(Path("u.csv"), uppdrag)[1] == [
        f"u.csv:3:1: SV.{HUD}.2026-02: summan av raderna är 12 500 000, mer än 10 000 000 per rad och månad"]


def test_svenska_excel_med_semikolon_och_citattecken(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_bytes("\ufeffUtforare;Rad;Manad;Antal\r\n".encode()
                  + f'SV;{HUD};2026-01;"1 234"\r\nSV;"{OGON}";2026-02;12,00\r\n"SV";x;2026-01;12,5\r\n'.encode() * 3)
    r = jamfor(Path("u.csv"), uppdrag)
    assert r[1][0] == "u.csv:4:6: rad: okänt rad-id 'x' för SV"


@pytest.mark.parametrize("kropp", [
    f'SV,"{HUD}\n",2026-01,1\n',           # en post över flera rader
    f"SV,{HUD},2026-01,1\rSV,{HUD},2026-02,1\n",  # ensamt \r
    f"SV,{HUD},2026-01,1\0\n",             # NUL
])
def test_lamnar_over_det_snabbvagen_inte_forstar(tmp_path, uppdrag, kropp):
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + f"SV,{HUD},2026-01,1\n" * 3 + kropp)
    jamfor(Path("u.csv"), uppdrag, snabbvag=False)


def test_windows_1252_pa_snabbvagen(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_bytes(("utforare;rad;manad;antal\n" + f"SV;{HUD};2026-01;1\xa0234\n" * 3).encode("cp1252"))
    r = jamfor(Path("u.csv"), uppdrag, snabbvag=True)
    assert r[0] == "ok" and r[1]["SV"][HUD][0] == 3 * 1234


def test_windows_1252_med_fel_far_upplysningen_om_kodningen(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_bytes(("utforare;rad;manad;antal\n" + f"SV;{HUD};2026-01;1\n" * 2 + "SV;hö;2026-01;1\n"
                   + f"SV;{HUD};2026-02;1\xa0234\n").encode("cp1252"))
    assert jamfor(Path("u.csv"), uppdrag, snabbvag=True)[1] == [
        "u.csv:4:4: rad: okänt rad-id 'hö' för SV",
        "u.csv:4:5: filen är inte UTF-8 (byte 0xf6); den lästes som Windows-1252 (cp1252)"]


@pytest.mark.parametrize("data", [
    "utforare,rad,manad,antal\nSV,hå,2026-01,1\n".encode() + b"SV,h\xe5,2026-01,1\n",   # UTF-8 först, sedan inte
    "\ufeffutforare,rad,manad,antal\n".encode() + b"SV,h\xe5,2026-01,1\n",              # BOM, sedan Windows-1252
    "utforare,rad,manad,antal\nSV,x,2026-01,1\n".encode() + b"SV,\xe5\x81,2026-01,1\n",  # 0x81 finns inte i cp1252
    "utförare,rad,manad,antal\n".encode("cp1252") + b"SV,x,2026-01,1\n",                  # rubriken
])
def test_kodningsfel_lamnas_over(tmp_path, uppdrag, data):
    p = tmp_path / "u.csv"
    p.write_bytes(data)
    assert jamfor(Path("u.csv"), uppdrag, snabbvag=False)[0] == "fel"


def test_rubrik_med_fel_lamnas_over(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal,antal\n" + f"SV,{HUD},2026-01,5,6\n")
    assert jamfor(Path("u.csv"), uppdrag, snabbvag=False)[1] == [
        "u.csv:1:26: kolumnen 'antal' står två gånger i rubrikraden"]


def test_standard_in_laser_hela_lasaren(uppdrag, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        f"utforare,rad,manad,antal\nSV,{HUD},2026-01,5\nSV,{HUD},2026-01,2\n".encode())))
    spion = Spion()
    with mock.patch.object(csv_mod, "las_csv_snabb", spion):
        assert las_utfall([Path("-")], uppdrag).produktion["SV"][HUD][0] == 7
    assert spion.svar == []


def test_framsteg_i_block(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + f"SV,{HUD},2026-01,1\n" * 5000)
    storlek = p.stat().st_size
    anrop: list[tuple[int, int]] = []
    with mock.patch.object(csvdelar_mod, "BLOCK", 4096):
        ut = Utfall(uppdrag.ar)
        las_csv(p, uppdrag, ut, lambda n, s: anrop.append((n, s)))
    assert ut.produktion["SV"][HUD][0] == 5000
    assert len(anrop) > 10 and anrop[-1] == (storlek, storlek)
    assert [n for n, _ in anrop] == sorted(n for n, _ in anrop) and all(s == storlek for _, s in anrop)


def test_framsteg_med_tva_processer(tmp_path, uppdrag):
    import os

    if not hasattr(os, "fork"):
        pytest.skip("os.fork saknas")
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + f"SV,{HUD},2026-01,1\n" * 5000)
    storlek = p.stat().st_size
    anrop: list[tuple[int, int]] = []
    with mock.patch.object(csvdelar_mod, "BLOCK", 4096), mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", 8192), \
            mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0):
        ut = Utfall(uppdrag.ar)
        las_csv(p, uppdrag, ut, lambda n, s: anrop.append((n, s)))
    assert ut.produktion["SV"][HUD][0] == 5000
    assert anrop[-1] == (storlek, storlek)
    assert [n for n, _ in anrop] == sorted(n for n, _ in anrop) and all(s == storlek for _, s in anrop)


def test_las_csv_snabb_false_tvingar_hela_lasaren(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + f"SV,{HUD},2026-01,1\n" * 3)
    spion = Spion()
    with mock.patch.object(csv_mod, "las_csv_snabb", spion):
        ut = Utfall(uppdrag.ar)
        las_csv(p, uppdrag, ut, snabb=False)
    assert spion.svar == [] and ut.produktion["SV"][HUD][0] == 3


# --- slumpade filer: snabbvägen och hela läsaren ger samma sak ------------------------------------

_FALT_UTF = ["SV", "XX", "RH", '"SV"', " SV", ""]
_FALT_RAD = [HUD, OGON, "okand.rad", f'"{HUD}"', f'"{HUD},x"', f" {HUD}"]
_FALT_MANAD = ["2026-01", "2026-02", "2026-13", "2025-01", '"2026-03"', "2026-1", "x" * 25]
_FALT_ANTAL = ["1", "1", "2", "0", "007", "-1", "1.5", "1e3", "x", "12,00", "1 234", '"1 234"', '"1,5"',
               str(MAX_ANTAL), "9" * 50, "", '"3"', "1\u00a0234", "½"]
_RARA = ["", " ", "\t", "SV,x", f"SV,{HUD},2026-01,1,extra", '"a""b",c,d,e', f'SV,"{HUD}\n",2026-01,1',
         "SV,hu\xe5d,2026-01,1", "a\rb,c,d,e", "SV,x,\0,1", '"', "\ufeffSV,x,2026-01,1", "å,ä,ö,1"]


@st.composite
def _csv_fil(draw) -> bytes:
    avg = draw(st.sampled_from([",", ";"]))
    rad_st = st.one_of(
        st.builds(lambda u, r, m, a: avg.join([u, r, m, a]), st.sampled_from(_FALT_UTF), st.sampled_from(_FALT_RAD),
                  st.sampled_from(_FALT_MANAD), st.sampled_from(_FALT_ANTAL)),
        st.sampled_from(_RARA))
    pool = draw(st.lists(rad_st, min_size=1, max_size=12))
    kropp = draw(st.lists(st.sampled_from(pool), max_size=60))
    kropp = kropp * draw(st.sampled_from([1, 1, 1, 3]))
    slut = draw(st.lists(st.sampled_from(["\n", "\r\n"]), min_size=len(kropp) + 1, max_size=len(kropp) + 1))
    rubrik = draw(st.sampled_from(["utforare,rad,manad,antal", "Utforare;Rad;Manad;Antal", "rad,antal,utforare,manad",
                                   "utforare,rad,manad", '"utforare",rad,manad,antal']))
    if avg == ";":
        rubrik = rubrik.replace(",", ";")
    fore = draw(st.sampled_from(["", "", "\n", " \r\n"]))
    text = fore + rubrik + slut[0] + "".join(r + s for r, s in zip(kropp, slut[1:]))
    if draw(st.booleans()) and text.endswith("\n"):
        text = text.rstrip("\r\n") if draw(st.booleans()) else text[:-1]
    kodning = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(kodning, "replace")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_csv_fil(), block=st.sampled_from([7, 40, 64, 1 << 20]))
def test_snabbvagen_ger_samma_som_hela_lasaren(tmp_path, uppdrag, data, block):
    p = tmp_path / "u.csv"
    p.write_bytes(data)
    with mock.patch.object(csvdelar_mod, "BLOCK", block):
        jamfor(Path("u.csv"), uppdrag, snabbvag=None)


_ICKE_ASCII = ["SV,hå,2026-01,1", f"SV,{HUD},2026-01,1\u00a0234", "SV;hö;2026-02;2", "ö", "SV,x,2026-01,€",
               f"SV;{HUD};2026-01;1\u00a0234"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rader=st.lists(st.tuples(st.sampled_from([f"SV,{HUD},2026-01,1", f"SV;{OGON};2026-02;3", ""] + _ICKE_ASCII),
                                st.sampled_from(["utf-8", "cp1252", "cp1252", "latin-1"])), max_size=30),
       rubrik=st.sampled_from(["utforare,rad,manad,antal", "utforare;rad;manad;antal",
                               "\ufeffutforare,rad,manad,antal"]),
       upprepa=st.sampled_from([1, 4]), sist=st.sampled_from([b"", b"SV,x,2026-01,\x81"]))
def test_blandad_kodning_ger_samma_som_hela_lasaren(tmp_path, uppdrag, rader, rubrik, upprepa, sist):
    """Rader i UTF-8, Windows-1252 och Latin-1 (0x80–0x9f finns inte alla i cp1252) blandade: den
    första raden som inte är ASCII avgör kodningen, i båda läsarna."""
    p = tmp_path / "u.csv"
    p.write_bytes(rubrik.encode() + b"\n" + b"".join(r.encode(k, "replace") + b"\n" for r, k in rader) * upprepa
                  + sist)
    jamfor(Path("u.csv"), uppdrag, snabbvag=None)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rader=st.lists(st.tuples(st.sampled_from([HUD, OGON, "x"]), st.integers(1, 3),
                                st.sampled_from(["1", "2", "y"]), st.sampled_from(["\n", "\r\n"])),
                      min_size=1, max_size=300))
def test_manga_distinkta_och_nya_rader_sent_i_filen(tmp_path, uppdrag, rader):
    """Block om 64 byte: nya distinkta rader dyker upp i senare block (både få och många per block)."""
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + "".join(f"SV,{r},2026-{m:02d},{a}{s}" for r, m, a, s in rader),
                 newline="")
    with mock.patch.object(csvdelar_mod, "BLOCK", 64):
        jamfor(Path("u.csv"), uppdrag, snabbvag=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_csv_fil(), block=st.sampled_from([7, 64, 1 << 20]), delar=st.sampled_from([1, 16, 100, 1 << 20]),
       arbetare=st.sampled_from(["2", "3"]))
def test_tva_processer_ger_samma_som_hela_lasaren(tmp_path, uppdrag, data, block, delar, arbetare):
    """Med gränsen för flera processer satt till 0 räknas varje fil av `arbetare` processer
    (`parallell.samla`), som tar nästa lediga del om `delar` byte."""
    import os

    if not hasattr(os, "fork"):
        pytest.skip("os.fork saknas")
    p = tmp_path / "u.csv"
    p.write_bytes(data)
    with mock.patch.object(csvdelar_mod, "BLOCK", block), \
            mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0), \
            mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", delar), \
            mock.patch.dict(os.environ, {parallell.MILJOVARIABEL: arbetare}):
        jamfor(Path("u.csv"), uppdrag, snabbvag=None)


def test_tva_processer_radnummer_och_fel_i_andra_halvan(tmp_path, uppdrag):
    p = tmp_path / "u.csv"
    p.write_text("utforare,rad,manad,antal\n" + f"SV,{HUD},2026-01,1\n" * 500 + f"SV,{OGON},2026-02,1\nSV,x,2026-01,1\n"
                 + f"SV,{HUD},2026-01,1\n" * 500 + f"SV,{HUD},2026-05,2")
    spion = Spion()
    with mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0), \
            mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", 100), \
            mock.patch.object(csv_mod, "las_csv_snabb", spion), \
            mock.patch.object(snabb_mod, "_snabb_rakna_parallellt", wraps=snabb_mod._snabb_rakna_parallellt) as par:
        r = resultat(Path("u.csv"), uppdrag, True)
    assert par.called and spion.svar == [True]
    assert r == ("fel", ["u.csv:503:4: rad: okänt rad-id 'x' för SV"], 0)
    p.write_text(p.read_text().replace("SV,x,", f"SV,{HUD},"))
    with mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0), \
            mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", 100):
        r = jamfor(Path("u.csv"), uppdrag)
    k = dict(r[2])
    assert k[("produktion", "SV", OGON, 2)] == "u.csv:502:1" and k[("produktion", "SV", HUD, 5)] == "u.csv:1004:1"


# --- flera processer: vem som tar vilken del, och när en arbetare inte hjälper till -------------


def _radniva(p: Path, rader: int = 600) -> None:
    """Ett radnivåuttag där nya distinkta rader (och fel) dyker upp i olika delar av filen."""
    kropp = []
    for i in range(rader):
        kropp.append(f"SV,{HUD if i % 3 else OGON},2026-{1 + i % 7 + (i > rader // 2):02d},1\n")
        if i in (250, 420):
            kropp.append(f"SV,x{i},2026-01,1\n")
    p.write_text("utforare,rad,manad,antal\n" + "".join(kropp), newline="")


@pytest.mark.parametrize("langsam", ["foraldern", "arbetaren"])
def test_tva_processer_den_ena_tar_nastan_allt(tmp_path, uppdrag, langsam):
    """Den process som får mindre tid tar färre delar; radnummer, källor och fel blir desamma."""
    import os
    import time

    if not hasattr(os, "fork"):
        pytest.skip("os.fork saknas")
    p = tmp_path / "u.csv"
    _radniva(p)
    riktig, forald = snabb_mod._snabb_rakna_del, os.getpid()

    def del_(*a, **k):
        if (os.getpid() == forald) == (langsam == "foraldern"):
            time.sleep(0.003)
        return riktig(*a, **k)

    with mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0), \
            mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", 64), \
            mock.patch.object(snabb_mod, "_snabb_rakna_del", del_):
        r = jamfor(Path("u.csv"), uppdrag)
    assert r[0] == "fel" and r[1] == ["u.csv:253:4: rad: okänt rad-id 'x250' för SV",
                                      "u.csv:424:4: rad: okänt rad-id 'x420' för SV"]
    p.write_text(p.read_text().replace(",x250,", f",{HUD},").replace(",x420,", f",{OGON},"))
    with mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0), \
            mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", 64), \
            mock.patch.object(snabb_mod, "_snabb_rakna_del", del_):
        r = jamfor(Path("u.csv"), uppdrag)
    assert r[0] == "ok" and dict(r[2])[("produktion", "SV", OGON, 8)] == "u.csv:324:1"


@pytest.mark.parametrize("fel", ["en arbetare kastar", "en arbetare dör", "en arbetare ser för många distinkta rader",
                                 "poolen startar inte"])
def test_flera_processer_utan_arbetarnas_hjalp_raknas_inget_dubbelt(tmp_path, uppdrag, fel):
    """En arbetare som kastar eller dör, och en pool som inte startar, ger räkningen i en process
    (samma resultat, snabbvägen läser filen); en arbetare som ser för många distinkta rader lämnar
    över till hela läsaren (samma resultat). Ingen del räknas två gånger."""
    import os
    import time

    if not hasattr(os, "fork"):
        pytest.skip("os.fork saknas")
    p = tmp_path / "u.csv"
    _radniva(p)
    p.write_text(p.read_text().replace(",x250,", f",{HUD},").replace(",x420,", f",{OGON},"))
    riktig, forald = snabb_mod._snabb_rakna_del, os.getpid()

    def del_(*a, **k):
        if os.getpid() != forald:
            if fel == "en arbetare kastar":
                raise RuntimeError("arbetaren kastar")
            if fel == "en arbetare dör":
                os._exit(3)
            raise snabb_mod._Hoppa
        time.sleep(0.001)
        return riktig(*a, **k)

    def fork():
        raise OSError(11, "Resource temporarily unavailable")

    spion = Spion()
    with mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0), \
            mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", 64), \
            mock.patch.object(csv_mod, "las_csv_snabb", spion), \
            mock.patch.object(snabb_mod, "_snabb_rakna_del", del_ if fel != "poolen startar inte" else riktig), \
            mock.patch.object(os, "fork", fork if fel == "poolen startar inte" else os.fork):
        snabb = resultat(Path("u.csv"), uppdrag, True)
    assert snabb == resultat(Path("u.csv"), uppdrag, False)
    assert snabb[0] == "ok" and sum(sum(v) for v in snabb[1]["SV"].values()) == 602
    assert spion.svar == [fel != "en arbetare ser för många distinkta rader"]


def test_en_karna_ger_en_process(tmp_path, uppdrag, monkeypatch):
    p = tmp_path / "u.csv"
    _radniva(p)
    monkeypatch.setenv(parallell.MILJOVARIABEL, "1")
    with mock.patch.object(snabb_mod, "_SNABB_PARALLELL_BYTE", 0), \
            mock.patch.object(snabb_mod, "_SNABB_DEL_BYTE", 64), \
            mock.patch.object(snabb_mod, "_snabb_rakna_parallellt") as par:
        assert jamfor(Path("u.csv"), uppdrag)[0] == "fel"
    assert not par.called


def test_nyckellagets_block_med_en_rad_som_inte_ar_en_nyckelrad_tas_tillbaka_och_raknas_rad_for_rad():
    """Blocket hinner lägga in `a,b,c,1` och den nya nyckeln `x,y,z` innan raden `5` (ingen
    avgränsare): allt tas tillbaka och blocket räknas rad för rad. `,4` (tom nyckel) räknas som en
    rå rad. Nyckeln a,b,c: 5 + 7 + 1 = 13 på 3 rader från rad 1; x,y,z: 2 + 3 = 5 från rad 4."""
    from vgr_ersattning.inlasning.utfall.raknare import Raknare

    r = Raknare(",", True)
    r.nyckellage = True
    r.rakna([b"a,b,c,5", b"a,b,c,7\r"], 0)
    assert r.nya == [(0, True, b"a,b,c")]
    r.rakna([b"a,b,c,1", b"x,y,z,2", b"5", b"x,y,z,3", b",4"], 2)
    assert r.nya == [(1, True, b"x,y,z"), (2, False, b"5"), (4, False, b",4")]
    r.rakna([b"x,y,z,10", b"q,r,s,1"], 7)         # nästa block: nyckelläget som vanligt
    assert r.nya == [(1, True, b"q,r,s")]
    r.angra()                                       # (pipen) det senaste blocket tas bort
    rader, forsta, nycklar = r.resultat()
    assert nycklar == {b"a,b,c": [13, 3, 1], b"x,y,z": [5, 2, 4]}
    assert rader == {b"5": 1, b",4": 1} and forsta == {b"5": 5, b",4": 7}
