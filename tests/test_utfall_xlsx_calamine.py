"""Utfall i xlsx läses av python-calamine: importerad först när en arbetsbok läses, formler utan
sparat värde och felvärden hittas före calamine (som visar dem som tomma celler), de distinkta
raderna ger samma beräkning som raderna en och en, och med två processer (calamine i en arbetare
medan bladet granskas) blir resultatet och felen desamma som med en."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROT
from vgr_ersattning.inlasning.utfall.xlsxlasare import (
    MAX_XLSX_CELLER,
    MAX_XLSX_RADER,
    _referenser,
    kolumnbokstaver,
)

xlsxwriter = pytest.importorskip("xlsxwriter")
HUD = "somatik.forstabesok.hud"

_KONTROLL = (
    "import sys\n"
    "import vgr_ersattning.cli as cli\n"
    "sys.argv = ['ersattning'] + sys.argv[1:]\n"
    "try:\n"
    "    cli.main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write('\\nCALAMINE=' + repr('python_calamine' in sys.modules))\n"
)


def _importerad(*argv, env=None) -> bool:
    res = subprocess.run([sys.executable, "-c", _KONTROLL, *map(str, argv)], capture_output=True, text=True,
                         cwd=ROT, check=False, env=env)
    return res.stderr.strip().rsplit("CALAMINE=", 1)[1] == "True"


def _uttag(p, rader) -> None:
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Blad1")
    ws.write_row(0, 0, ["utforare", "rad", "manad", "antal"])
    for i, rad in enumerate(rader, 1):
        ws.write_row(i, 0, rad)
    wb.close()


def test_calamine_importeras_bara_nar_en_arbetsbok_lases(tmp_path):
    assert not _importerad("--help")
    assert not _importerad("berakna", "-f", "json")
    assert not _importerad("berakna", "--utfall", ROT / "examples" / "produktion_2026.csv", "-f", "json")
    p = tmp_path / "u.xlsx"
    _uttag(p, [["SV", HUD, "2026-01", 3]])
    assert _importerad("berakna", "--utfall", p, "-f", "json", env={**os.environ, "VGR_ERSATTNING_ARBETARE": "1"})


def _med_cell(p, ny, cell: str) -> None:
    """Arbetsboken `p` med cellen D2 utbytt mot `cell` (XML), som `ny`."""
    with zipfile.ZipFile(p) as z, zipfile.ZipFile(ny, "w") as ut:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b'<c r="D2"')
                slut = data.index(b"</c>", start) + 4
                data = data[:start] + cell.encode() + data[slut:]
            ut.writestr(info, data)


def test_formel_utan_sparat_varde_vagras_med_sin_cell(kor, tmp_path, monkeypatch):
    """calamine ger en tom cell för en formel utan `<v>`; den vägras före calamine, i D2."""
    monkeypatch.chdir(tmp_path)
    _uttag(tmp_path / "u.xlsx", [["SV", HUD, "2026-01", 3]])
    _med_cell(tmp_path / "u.xlsx", tmp_path / "f.xlsx", '<c r="D2"><f>1+2</f></c>')
    k = kor("berakna", "--utfall", "f.xlsx")
    assert k.kod == 2 and k.fel.strip() == ("f.xlsx:Blad1!D2: cellen har en formel utan sparat värde (arbetsboken "
                                            "är inte beräknad); öppna och spara den i Excel, eller spara bladet som CSV")
    # med sparat värde läses formeln som värdet: 3 besök
    _med_cell(tmp_path / "u.xlsx", tmp_path / "v.xlsx", '<c r="D2"><f>1+2</f><v>3</v></c>')
    k = kor("berakna", "--utfall", "v.xlsx", "-f", "json")
    assert k.kod == 0
    assert next(r for r in json.loads(k.ut)["tillagg"]["rader"] if r["id"] == HUD)["utfall"] == "3"


def test_felvarde_lases_som_sin_text(kor, tmp_path, monkeypatch):
    """`#N/A` i antal (calamine: en tom cell) är ett antal som inte är ett tal, i D2."""
    monkeypatch.chdir(tmp_path)
    _uttag(tmp_path / "u.xlsx", [["SV", HUD, "2026-01", 3]])
    _med_cell(tmp_path / "u.xlsx", tmp_path / "e.xlsx", '<c r="D2" t="e"><v>#N/A</v></c>')
    k = kor("berakna", "--utfall", "e.xlsx")
    assert k.kod == 2 and k.fel.strip() == ("e.xlsx:Blad1!D2: antal: antal '#N/A' är inte ett tal; ska vara ett "
                                            "icke-negativt heltal")


def test_upprepade_rader_och_fel_pa_varje_forekomst(kor, tmp_path, monkeypatch):
    """Samma rad tre gånger ger 3 × 2 = 6 besök (de distinkta raderna); en felaktig rad som står två
    gånger ger ett fel på varje förekomst (raderna en och en): D3 och D5."""
    monkeypatch.chdir(tmp_path)
    _uttag(tmp_path / "u.xlsx", [["SV", HUD, "2026-01", 2]] * 3)
    k = kor("berakna", "--utfall", "u.xlsx", "-f", "json")
    assert k.kod == 0
    assert next(r for r in json.loads(k.ut)["tillagg"]["rader"] if r["id"] == HUD)["utfall"] == "6"
    _uttag(tmp_path / "f.xlsx", [["SV", HUD, "2026-01", 2], ["SV", HUD, "2026-01", -1]] * 2)
    k = kor("berakna", "--utfall", "f.xlsx")
    assert k.kod == 2 and k.fel.splitlines() == [
        "f.xlsx:Blad1!D3: antal: antal -1 är negativt; ska vara ett icke-negativt heltal",
        "f.xlsx:Blad1!D5: antal: antal -1 är negativt; ska vara ett icke-negativt heltal"]


# --- en process och två -----------------------------------------------------------------------------

def _en_och_tva(kor, monkeypatch, *argv):
    """Samma körning i en process och med en arbetare (calamine och de distinkta raderna där, medan
    bladet granskas här): (slutkod, standard ut, standard fel) för båda."""
    ut = []
    for n in ("1", "2"):
        monkeypatch.setenv("VGR_ERSATTNING_ARBETARE", n)
        k = kor(*argv)
        ut.append((k.kod, k.ut, k.fel))
    return ut


def test_en_och_tva_processer_ger_samma_resultat_och_samma_fel(kor, tmp_path, monkeypatch):
    """Ett uttag med upprepade rader: 3 × 2 besök i januari och 1 i februari ger 7 med en och med två
    processer. Felen (ett negativt antal två gånger, en formel utan sparat värde, ett felvärde)
    står i samma celler med båda."""
    monkeypatch.chdir(tmp_path)
    _uttag(tmp_path / "u.xlsx", [["SV", HUD, "2026-01", 2]] * 3 + [["SV", HUD, "2026-02", 1]])
    en, tva = _en_och_tva(kor, monkeypatch, "berakna", "--utfall", "u.xlsx", "-f", "json")
    assert en == tva and en[0] == 0
    assert next(r for r in json.loads(en[1])["tillagg"]["rader"] if r["id"] == HUD)["utfall"] == "7"

    _uttag(tmp_path / "n.xlsx", [["SV", HUD, "2026-01", 2], ["SV", HUD, "2026-01", -1]] * 2)
    en, tva = _en_och_tva(kor, monkeypatch, "berakna", "--utfall", "n.xlsx")
    assert en == tva and en[0] == 2 and en[2].splitlines() == [
        "n.xlsx:Blad1!D3: antal: antal -1 är negativt; ska vara ett icke-negativt heltal",
        "n.xlsx:Blad1!D5: antal: antal -1 är negativt; ska vara ett icke-negativt heltal"]

    _med_cell(tmp_path / "u.xlsx", tmp_path / "f.xlsx", '<c r="D2"><f>1+2</f></c>')
    en, tva = _en_och_tva(kor, monkeypatch, "berakna", "--utfall", "f.xlsx")
    assert en == tva and en[0] == 2 and en[2].startswith("f.xlsx:Blad1!D2: cellen har en formel utan sparat värde")

    _med_cell(tmp_path / "u.xlsx", tmp_path / "e.xlsx", '<c r="D2" t="e"><v>#N/A</v></c>')
    en, tva = _en_och_tva(kor, monkeypatch, "berakna", "--utfall", "e.xlsx")
    assert en == tva and en[0] == 2 and en[2].startswith("e.xlsx:Blad1!D2: antal: antal '#N/A' är inte ett tal")


def test_ett_rutnat_med_miljarder_celler_vagras_lika_med_tva_processer(tmp_path):
    """En cell i XFD1048576 ger calamine ett rutnät på 17 miljarder celler: granskningen vägrar det
    med cellen, och arbetaren som läser samtidigt (med ett minnestak) avbryts utan en rad på standard
    fel. Samma rad och slutkod med en och med två processer (hela processer, så att också det som
    skrivs direkt på standard fel syns)."""
    _uttag(tmp_path / "u.xlsx", [["SV", HUD, "2026-01", 2]])
    _med_cell(tmp_path / "u.xlsx", tmp_path / "bred.xlsx", '<c r="XFD1048576"><v>1</v></c>')
    svar = []
    for n in ("1", "2"):
        res = subprocess.run([sys.executable, "-m", "vgr_ersattning", "berakna", "--utfall", "bred.xlsx"],
                             capture_output=True, text=True, cwd=tmp_path, check=False,
                             env={**os.environ, "VGR_ERSATTNING_ARBETARE": n})
        svar.append((res.returncode, res.stderr))
    assert svar[0] == svar[1] == (2, "bred.xlsx:Blad1!A1048576: bladet har fler än 2 000 000 celler (raderna gånger "
                                     "kolumnerna fram till den sista cellen); spara bladet som CSV (CSV läses i alla "
                                     "storlekar)\n")


_CELLER = st.sampled_from(["SV", HUD, "somatik.okand", "2026-01", "2026-13", 1, 2, -1, 0, 2.5, 10 ** 15, "", "x"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rader=st.lists(st.one_of(st.just(["SV", HUD, "2026-01", 1]), st.lists(_CELLER, min_size=3, max_size=5)),
                      max_size=12))
def test_en_och_tva_processer_ger_alltid_samma(kor, tmp_path, monkeypatch, rader):
    """Vilka rader det än är (giltiga, upprepade, felaktiga, för korta, 15 siffror) ger en och två
    processer samma slutkod, samma JSON och samma fel."""
    monkeypatch.chdir(tmp_path)
    _uttag(tmp_path / "h.xlsx", rader)
    en, tva = _en_och_tva(kor, monkeypatch, "berakna", "--utfall", "h.xlsx", "-f", "json")
    assert en == tva


# --- granskningens gräns för referenserna -----------------------------------------------------------

_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")


def _kolumn(text: str) -> int:
    n = 0
    for c in text:
        n = n * 26 + ord(c) - 64
    return n


_REFERENS = st.one_of(
    st.builds(lambda k, r: f"{kolumnbokstaver(k)}{r}", st.integers(1, 16_400), st.integers(1, 1_100_000)),
    st.builds(lambda k, r: f"{kolumnbokstaver(k)}{r}", st.integers(1, 30), st.integers(1, 300_000)),
    st.text("AZaz019-", min_size=1, max_size=9))


@settings(max_examples=300, deadline=None)
@given(kolumn=st.integers(1, 16_384), rad=st.integers(1, 1_048_576), refs=st.lists(_REFERENS, min_size=1, max_size=8))
def test_granskningens_referenser_haller_rutnatet_inom_gransen(kolumn, rad, refs):
    """Den vanliga vägen släpper bara igenom celler vars rutnät (från A1 till den största kolumnen och
    raden bland dem) har högst MAX_XLSX_CELLER celler inom Excels gränser, och den släpper igenom
    varje cell inom dimensionen när dimensionens rutnät håller sig inom gränsen."""
    uttryck = _referenser(kolumnbokstaver(kolumn), str(rad))
    inom_dimensionen = kolumn * rad <= MAX_XLSX_CELLER and rad <= MAX_XLSX_RADER
    assert (uttryck is not None) == inom_dimensionen
    if uttryck is None:
        return
    slappta = []
    for ref in refs:
        if uttryck.search(f'<c r="{ref}" t="s">'.encode()) is None:
            m = _REF.fullmatch(ref)
            assert m is not None, ref
            slappta.append((_kolumn(m.group(1)), int(m.group(2))))
        else:
            m = _REF.fullmatch(ref)
            assert m is None or _kolumn(m.group(1)) > kolumn or int(m.group(2)) > rad, ref
    if slappta:
        k, r = max(k for k, _ in slappta), max(r for _, r in slappta)
        assert k * r <= MAX_XLSX_CELLER and k <= 16_384 and r <= MAX_XLSX_RADER
    assert uttryck.search(b"<c>") and uttryck.search(b'<c s="1" r="A1">') and not uttryck.search(b"<cols>")


@pytest.mark.skipif(not hasattr(os, "fork") or not os.path.exists("/proc/self/statm"), reason="fork och /proc")
def test_arbetaren_far_ett_minnestak_och_tyst_standard_fel(tmp_path):
    """I arbetaren (här ett barn genom fork) sätts ett tak för adressrymden innan calamine läser, och
    standard fel går till /dev/null (calamines rad när ett rutnät inte får plats). Arbetsboken läses
    med os.pread: filens position här rörs inte. Taket räcker för en arbetsbok inom gränserna men
    inte för ett rutnät med miljarder celler (4 GiB här)."""
    import resource

    from vgr_ersattning.inlasning.kallor import oppna
    from vgr_ersattning.inlasning.utfall.xlsxblad import ARBETARENS_MINNE
    from vgr_ersattning.inlasning.utfall.xlsxblad import i_arbetaren as _i_arbetaren
    from vgr_ersattning.inlasning.utfall.xlsxblad import oppna_bok as _oppna

    p = tmp_path / "u.xlsx"
    _uttag(p, [["SV", HUD, "2026-01", 3]])
    kalla = oppna(p)
    borjan = kalla.strom.read(4096)
    with _oppna(kalla, borjan, None) as o:
        fore = o.strom.tell()
        las, skriv = os.pipe()
        pid = os.fork()
        if pid == 0:                                  # barnet: svarar på en rad och avslutar
            try:
                strom = _i_arbetaren(o)
                tak = resource.getrlimit(resource.RLIMIT_AS)[0]
                try:
                    bytearray(4 * 1024 ** 3)
                    stort = "fick plats"
                except MemoryError:
                    stort = "vägrat"
                svar = f"{tak} {strom.getvalue() == p.read_bytes()} {os.path.samefile('/proc/self/fd/2', os.devnull)} {stort}"
            except BaseException as e:               # noqa: BLE001 - svaret visar felet i testet
                svar = repr(e)
            os.write(skriv, svar.encode())
            os._exit(0)
        os.close(skriv)
        os.waitpid(pid, 0)
        svar = os.read(las, 1000).decode().split()
        os.close(las)
        assert o.strom.tell() == fore
    kalla.strom.close()
    assert svar[1:] == ["True", "True", "vägrat"], svar
    assert ARBETARENS_MINNE < int(svar[0]) < 4 * 1024 ** 3
