"""Utfall i xlsx läses av python-calamine: importerad först när en arbetsbok läses, formler utan
sparat värde och felvärden hittas före calamine (som visar dem som tomma celler), och de distinkta
raderna ger samma beräkning som raderna en och en."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from conftest import ROT

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


def _importerad(*argv) -> bool:
    res = subprocess.run([sys.executable, "-c", _KONTROLL, *map(str, argv)], capture_output=True, text=True,
                         cwd=ROT, check=False)
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
    assert _importerad("berakna", "--utfall", p, "-f", "json")


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
