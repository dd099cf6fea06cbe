"""Förstarten (`forstart`): ett stort `--utfall` börjar läsas i en egen process innan kommandot har
startat. Den får aldrig ändra ett resultat: samma utfall, källor och fel som en läsning i en
process, också när processen dör, när filen ändrats efteråt och när kommandot aldrig läser filen;
och den startar bara när det lönar sig."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from vgr_ersattning import forstart, parallell
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.inlasning.utfall import csvdelar, snabb
from vgr_ersattning.inlasning.utfall.filer import las_utfall

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork saknas")

HUD = "somatik.forstabesok.hud"
OGON = "somatik.forstabesok.ogon"


@pytest.fixture(autouse=True)
def _ren(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(parallell.MILJOVARIABEL, "2")
    yield
    forstart.avsluta()


@pytest.fixture
def sma_granser(monkeypatch):
    """Förstarten och delningen redan för små filer (processen ärver värdena när den startas)."""
    monkeypatch.setattr(forstart, "CSV_FRAN", 0)
    monkeypatch.setattr(forstart, "XLSX_FRAN", 0)
    monkeypatch.setattr(snabb, "_SNABB_PARALLELL_BYTE", 0)
    monkeypatch.setattr(snabb, "_SNABB_DEL_BYTE", 512)
    monkeypatch.setattr(csvdelar, "DEL_BYTE", 512)


def _csv(p: Path, rader: int = 3000, fel: bool = False) -> None:
    kropp = [f"SV,{HUD if i % 3 else OGON},2026-{1 + i % 8:02d},{1 + i % 17}\n" for i in range(rader)]
    if fel:
        kropp[rader // 2] = "SV,x,2026-01,1\n"
    p.write_text("utforare,rad,manad,antal\n" + "".join(kropp), newline="")


def _sett(p: Path, uppdrag):
    """Allt som syns av en inläsning: produktionen och källorna i ordning, eller felraderna."""
    try:
        ut = las_utfall([p], uppdrag)
    except Inlasningsfel as e:
        return ("fel", [str(f) for f in e.fel])
    return ("ok", {u: {r: list(v) for r, v in rader.items()} for u, rader in ut.produktion.items()},
            [(k, str(v)) for k, v in ut._kallor.items()])


def _i_en_process(p: Path, uppdrag, monkeypatch):
    with monkeypatch.context() as m:
        m.setenv(parallell.MILJOVARIABEL, "1")
        return _sett(p, uppdrag)


class _Tagen:
    """Vad `forstart.ta` gav läsaren."""

    def __init__(self, monkeypatch):
        self.svar: list = []
        riktig = forstart.ta

        def ta(uppgift, nyckel):
            b = riktig(uppgift, nyckel)
            self.svar.append((uppgift, b is not None))
            return b
        monkeypatch.setattr(forstart, "ta", ta)


def _dor(barn: forstart.Barn):
    """`Barn.resultat` när processen dör innan den lämnat sitt resultat."""
    barn.avbryt()
    return forstart.DOG


def _dod(pid: int) -> bool:
    """Om processen har väntats in (inte längre vårt barn)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


# --- argumenten och när den startar --------------------------------------------------------------


@pytest.mark.parametrize("argv, svar", [
    (["berakna", "--utfall", "u.csv"], ("u.csv", None)),
    (["berakna", "--utfall=u.csv", "--blad", "Uttag"], ("u.csv", "Uttag")),
    (["berakna", "--blad=Uttag", "--utfall", "a.csv", "--utfall", "b.csv"], ("a.csv", "Uttag")),
    (["berakna", "--utfall", "u.csv", "--help"], (None, None)),
    (["berakna", "--", "--utfall", "u.csv"], (None, None)),
    (["berakna", "--utfall"], (None, None)),
])
def test_utfallet_ur_argumenten(argv, svar):
    assert forstart._utfallet(argv) == svar


def test_arbetsbokens_borjan_ar_densamma_som_kallornas():
    """Förstarten känner igen en arbetsbok på samma byte som `kallor` (som är för tung att importera
    innan kommandot startat)."""
    from vgr_ersattning.inlasning import kallor

    assert forstart.ZIP_BORJAN == kallor.ZIP_BORJAN


def test_startar_inte_nar_det_inte_lonar_sig(tmp_path, monkeypatch):
    liten = tmp_path / "liten.csv"
    _csv(liten, 10)
    stor = tmp_path / "stor.csv"
    stor.write_bytes(b"utforare,rad,manad,antal\n" + b"x" * (forstart.CSV_FRAN + 10))
    for argv in (["berakna", "--utfall", str(liten)],            # under CSV_FRAN
                 ["berakna", "--utfall", "-"],                   # standard in
                 ["berakna", "--utfall", str(tmp_path)],         # en katalog
                 ["berakna", "--utfall", str(tmp_path / "saknas.csv")],
                 ["berakna", "--utfall", str(stor), "--help"],
                 ["berakna"]):
        forstart.starta(argv)
        assert forstart._barn is None, argv
    for antal in ("1", "3"):        # en processor; fler än två (snabbvägen tar en arbetare per processor)
        monkeypatch.setenv(parallell.MILJOVARIABEL, antal)
        forstart.starta(["berakna", "--utfall", str(stor)])
        assert forstart._barn is None
    monkeypatch.setenv(parallell.MILJOVARIABEL, "2")
    forstart.starta(["berakna", "--utfall", str(stor)])
    barn = forstart._barn
    assert barn is not None and barn.uppgift == "csv"
    forstart.avsluta()                                           # ingen läste filen: processen dödas
    assert forstart._barn is None and _dod(barn.pid)


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_samma_som_i_en_process_och_processen_raknar(tmp_path, uppdrag, monkeypatch, sma_granser):
    p = tmp_path / "u.csv"
    _csv(p)
    en = _i_en_process(p, uppdrag, monkeypatch)
    assert en[0] == "ok" and sum(sum(v) for v in en[1]["SV"].values()) == sum(1 + i % 17 for i in range(3000))
    tagen = _Tagen(monkeypatch)
    delar: list = []
    riktig = forstart.Barn.resultat

    def resultat(self):
        r = riktig(self)
        delar.append(r)
        return r
    monkeypatch.setattr(forstart.Barn, "resultat", resultat)
    forstart.starta(["berakna", "--utfall", str(p)])
    pid = forstart._barn.pid
    assert _sett(p, uppdrag) == en
    assert tagen.svar == [("csv", True)]
    # Processen räknade delar (de första: den startade innan läsaren kom dit) och är inväntad.
    assert delar[0] is not forstart.DOG and 0 in delar[0][1] and _dod(pid)


def test_csv_fel_har_samma_rad_och_kolumn(tmp_path, uppdrag, monkeypatch, sma_granser):
    p = tmp_path / "u.csv"
    _csv(p, fel=True)
    en = _i_en_process(p, uppdrag, monkeypatch)
    assert en == ("fel", ["u.csv:1502:4: rad: okänt rad-id 'x' för SV"])
    forstart.starta(["berakna", "--utfall", str(p)])
    assert _sett(p, uppdrag) == en


def test_csv_processen_dor_och_dess_delar_raknas_har(tmp_path, uppdrag, monkeypatch, sma_granser):
    p = tmp_path / "u.csv"
    _csv(p)
    en = _i_en_process(p, uppdrag, monkeypatch)

    monkeypatch.setattr(forstart.Barn, "resultat", _dor)
    forstart.starta(["berakna", "--utfall", str(p)])
    assert _sett(p, uppdrag) == en


def test_csv_processen_dodas_innan_den_svarat(tmp_path, uppdrag, monkeypatch, sma_granser):
    p = tmp_path / "u.csv"
    _csv(p)
    en = _i_en_process(p, uppdrag, monkeypatch)
    forstart.starta(["berakna", "--utfall", str(p)])
    os.kill(forstart._barn.pid, signal.SIGKILL)
    assert _sett(p, uppdrag) == en


def test_csv_en_fil_som_andrats_efter_starten_raknas_som_den_ar_nu(tmp_path, uppdrag, monkeypatch, sma_granser):
    p = tmp_path / "u.csv"
    _csv(p)
    tagen = _Tagen(monkeypatch)
    forstart.starta(["berakna", "--utfall", str(p)])
    barn = forstart._barn
    assert select.select([barn._in], [], [], 60)[0]     # processen har skickat sin nyckel
    _csv(p, 2500)                       # en annan storlek: en annan nyckel
    en = _i_en_process(p, uppdrag, monkeypatch)
    assert _sett(p, uppdrag) == en
    assert tagen.svar == [("csv", False)] and _dod(barn.pid)


# --- xlsx ----------------------------------------------------------------------------------------


def _xlsx(p: Path, rader: int = 2000, felvarde: bool = False) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Uttag")
    ws.write_row(0, 0, ["utforare", "rad", "manad", "antal"])
    for i in range(1, rader + 1):
        ws.write_row(i, 0, ["SV", HUD if i % 3 else OGON, f"2026-{1 + i % 8:02d}", 1 + i % 5])
    if felvarde:
        ws.write_formula(rader + 1, 3, "=1/0", None, "#DIV/0!")
        ws.write_row(rader + 1, 0, ["SV", HUD, "2026-01"])
    wb.close()


def test_xlsx_samma_som_i_en_process_och_processen_laser_bladet(tmp_path, uppdrag, monkeypatch, sma_granser):
    p = tmp_path / "u.xlsx"
    _xlsx(p)
    en = _i_en_process(p, uppdrag, monkeypatch)
    assert en[0] == "ok" and sum(sum(v) for v in en[1]["SV"].values()) == sum(1 + i % 5 for i in range(1, 2001))
    tagen = _Tagen(monkeypatch)
    forstart.starta(["berakna", "--utfall", str(p)])
    pid = forstart._barn.pid
    assert _sett(p, uppdrag) == en
    assert tagen.svar == [("xlsx", True)] and _dod(pid)


def test_xlsx_felvarde_och_dod_process(tmp_path, uppdrag, monkeypatch, sma_granser):
    p = tmp_path / "u.xlsx"
    _xlsx(p, felvarde=True)
    en = _i_en_process(p, uppdrag, monkeypatch)
    assert en == ("fel", ["u.xlsx:Uttag!D2002: antal: antal '#DIV/0!' är inte ett tal; ska vara ett icke-negativt "
                          "heltal"])
    forstart.starta(["berakna", "--utfall", str(p)])
    assert _sett(p, uppdrag) == en
    _xlsx(p)
    en = _i_en_process(p, uppdrag, monkeypatch)

    monkeypatch.setattr(forstart.Barn, "resultat", _dor)
    forstart.starta(["berakna", "--utfall", str(p), "--blad", "uttag"])
    assert _sett(p, uppdrag) == en


# --- hela kommandot ------------------------------------------------------------------------------


def test_kommandot_med_forstarten_ger_samma_byte(tmp_path):
    """Som konsolskriptet kör det (förstarten före allt annat), mot en process utan den: samma JSON;
    och ett kommando som vägrar innan det läser filen vägrar som vanligt."""
    p = tmp_path / "stor.csv"
    rad = f"SV,{HUD},2026-03,7\n".encode()
    p.write_bytes(b"utforare,rad,manad,antal\n" + rad * (forstart.CSV_FRAN // len(rad) + 1000))
    argv = [sys.executable, "-m", "vgr_ersattning", "berakna", "--utfall", str(p), "--format", "json"]
    env = {**os.environ, parallell.MILJOVARIABEL: "2"}
    med = subprocess.run(argv, capture_output=True, env=env, check=True)
    utan = subprocess.run(argv, capture_output=True, env={**env, parallell.MILJOVARIABEL: "1"}, check=True)
    assert med.stdout == utan.stdout and med.stdout.startswith(b"{")
    vagrar = subprocess.run([*argv, "-u", "XX"], capture_output=True, env=env, timeout=60)
    assert vagrar.returncode == 2 and b"XX" in vagrar.stderr


def test_standard_in_som_ar_en_fil_borjar_ocksa(tmp_path, monkeypatch, sma_granser):
    """`--utfall - < FIL` läses som en sökväg (kallor.oppna), så förstarten börjar också då: samma
    nyckel som läsaren får ur filen, och standard in är kvar i början (läsaren läser den sedan)."""
    p = tmp_path / "u.csv"
    _csv(p)
    spara = os.dup(0)
    try:
        with open(p, "rb") as f:
            os.dup2(f.fileno(), 0)
        forstart.starta(["berakna", "--utfall", "-"])
        barn = forstart._barn
        assert barn is not None and os.lseek(0, 0, os.SEEK_CUR) == 0
        with open(p, "rb") as f:
            rubrik = csvdelar.las_rubrik("u.csv", f)
            granser = csvdelar.delningsgranser(f.fileno(), f.tell(), os.fstat(f.fileno()).st_size)
            assert forstart.ta("csv", lambda: csvdelar.nyckel(f.fileno(), rubrik, granser)) is barn
        barn.avbryt()
        assert _dod(barn.pid) and os.lseek(0, 0, os.SEEK_CUR) == 0
    finally:
        os.dup2(spara, 0)
        os.close(spara)


def test_kommandot_fran_standard_in_ger_samma_byte(tmp_path):
    p = tmp_path / "stor.csv"
    rad = f"SV,{OGON},2026-04,3\n".encode()
    p.write_bytes(b"utforare,rad,manad,antal\n" + rad * (forstart.CSV_FRAN // len(rad) + 1000))
    argv = [sys.executable, "-m", "vgr_ersattning", "berakna", "--utfall", "-", "--format", "json"]
    env = {**os.environ, parallell.MILJOVARIABEL: "2"}
    with open(p, "rb") as f:
        med = subprocess.run(argv, stdin=f, capture_output=True, env=env, check=True)
    utan = subprocess.run([*argv[:5], str(p), "--format", "json"], capture_output=True,
                          env={**env, parallell.MILJOVARIABEL: "1"}, check=True)
    assert med.stdout == utan.stdout.replace(str(p).encode(), b"-") and med.stdout.startswith(b"{")


def test_processen_slutar_nar_den_som_startade_den_ar_borta(tmp_path, sma_granser):
    """Livröret: när skrivänden här stängs (som när processen som startade förstarten dör, av
    SIGKILL, SIGTERM eller minnesbrist) avslutar processen sig själv i stället för att läsa vidare."""
    import time

    p = tmp_path / "u.csv"
    _csv(p)
    forstart.starta(["berakna", "--utfall", str(p)])
    barn = forstart._barn
    os.close(barn._liv)
    for _ in range(500):
        if os.waitpid(barn.pid, os.WNOHANG)[0] == barn.pid:
            break
        time.sleep(0.01)
    else:
        pytest.fail("förstartens process lever kvar")


def test_ctrl_c_medan_nyckeln_vantas_lamnar_ingen_process(tmp_path, monkeypatch, sma_granser):
    p = tmp_path / "u.csv"
    _csv(p)
    forstart.starta(["berakna", "--utfall", str(p)])
    pid = forstart._barn.pid

    def avbruten(self):
        raise KeyboardInterrupt
    monkeypatch.setattr(forstart.Barn, "nyckel", avbruten)
    with pytest.raises(KeyboardInterrupt):
        forstart.ta("csv", lambda: ("vilken", "nyckel", "som", "helst"))
    assert forstart._barn is None and _dod(pid)
