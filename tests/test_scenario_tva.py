"""En stor scenariofil räknas i flera processer (`kommandon.scenario._i_delar`, `parallell.kor`).
Texten, slutkoden och felen är desamma som när hela filen räknas i en process, också när delningen
inte går (ett fel, ett namn i två delar eller som återkommer), och då räknas filen om i en process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vgr_ersattning import parallell
from vgr_ersattning.cli import app
from vgr_ersattning.inlasning.scenariodelar import Delstrom, delningspunkter
from vgr_ersattning.kommandon import scenario as kommandon

RADER = ["somatik.operation.allman_kirurgi", "somatik.forstabesok.hud", "psykiatri.utredning.vup",
         "somatik.undersokning.koloskopi", "somatik.operation.urologi", "psykiatri.behandling.bup"]


@pytest.fixture(autouse=True)
def _arbetare(monkeypatch):
    monkeypatch.setenv(parallell.MILJOVARIABEL, "2")     # flera processer också på en maskin med en kärna


def _kor(fil: Path, *flaggor: str, parallellt: bool, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setattr(kommandon, "PARALLELL_BYTE", 1 if parallellt else 10 ** 12)
    res = CliRunner().invoke(app, ["scenario", "--scenariofil", str(fil), *flaggor])
    return res.exit_code, res.stdout, res.stderr


def _fil(tmp_path: Path, rader: list[str], namn: str = "s.csv") -> Path:
    p = tmp_path / namn
    p.write_text("namn,id,falt,satt,andra\n" + "".join(r + "\n" for r in rader), encoding="utf-8")
    return p


def _batch(n: int) -> list[str]:
    return [f"s{i},{RADER[(i + j) % len(RADER)]},{'bas' if (i + j) % 2 else 'tillagg'},,{(i * 7 + j) % 90 - 20:+d}"
            for i in range(n) for j in range(1 + i % 3)]


@pytest.mark.parametrize("format", ["json", "csv"])
@pytest.mark.parametrize("arbetare", ["2", "3"])
def test_tva_processer_ger_samma_text_som_en(tmp_path, monkeypatch, format, arbetare):
    fil = _fil(tmp_path, _batch(400))
    monkeypatch.setenv(parallell.MILJOVARIABEL, arbetare)
    delar = []
    riktig, har = parallell.kor, os.getpid()

    def kor(funktion, d):       # den första delen räknades här, varje annan i en arbetare, och alla var rena
        for r, pid in riktig(lambda x: (funktion(x), os.getpid()), d):
            delar.append((pid == har, r is not None))
            yield r
    monkeypatch.setattr(parallell, "kor", kor)
    tva = _kor(fil, "--format", format, parallellt=True, monkeypatch=monkeypatch)
    assert delar == [(True, True)] + [(False, True)] * (int(arbetare) - 1)
    en = _kor(fil, "--format", format, parallellt=False, monkeypatch=monkeypatch)
    assert len(delar) == int(arbetare)
    assert tva == en and tva[0] == 0 and tva[1].count("s399") == 1


def test_tva_processer_till_fil_och_excel_dialekt(tmp_path, monkeypatch):
    fil = _fil(tmp_path, _batch(300))
    for parallellt, ut in ((True, tmp_path / "tva.csv"), (False, tmp_path / "en.csv")):
        kod, _, fel = _kor(fil, "--format", "csv", "--csv-dialekt", "excel", "--ut", str(ut),
                           parallellt=parallellt, monkeypatch=monkeypatch)
        assert kod == 0, fel
    assert (tmp_path / "tva.csv").read_bytes() == (tmp_path / "en.csv").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en.csv", "s.csv", "tva.csv"]


def test_fel_i_andra_halften_ger_filens_plats_och_ingen_utdata(tmp_path, monkeypatch):
    rader = _batch(400)
    rader[-5] = "s398,somatik.operation.allman_kirurgi,bas,,tio"
    fil = _fil(tmp_path, rader)
    ut = tmp_path / "ut.json"
    kod, stdout, fel = _kor(fil, "--format", "json", "--ut", str(ut), parallellt=True, monkeypatch=monkeypatch)
    assert kod == 2 and stdout == "" and not ut.exists()
    assert f"s.csv:{len(rader) - 3}:" in fel          # raden i hela filen, inte i delen
    assert _kor(fil, "--format", "json", "--ut", str(ut), parallellt=False, monkeypatch=monkeypatch)[2] == fel


def test_samma_namn_i_bada_halvorna_blir_ett_scenario(tmp_path, monkeypatch):
    rader = _batch(400)
    rader.append("s3,somatik.forstabesok.hud,bas,,+1")    # s3 står först i filen och återkommer sist
    fil = _fil(tmp_path, rader)
    tva = _kor(fil, "--format", "json", parallellt=True, monkeypatch=monkeypatch)
    assert tva == _kor(fil, "--format", "json", parallellt=False, monkeypatch=monkeypatch)
    assert tva[0] == 0 and tva[1].count('"s3"') == 1


def test_namnloggen_pa_fil_i_varje_del(tmp_path, monkeypatch):
    """Med få namn i minnet skriver varje del sin namnlogg till fil: ett namn i båda delarna (s3 först
    och sist) blir ändå ett scenario, som i en process, och utan det räknas delarna var för sig."""
    from vgr_ersattning.inlasning import scenariodelar

    monkeypatch.setattr(scenariodelar, "NAMN_I_MINNET", 7)
    rader = _batch(400)
    fil = _fil(tmp_path, rader + ["s3,somatik.forstabesok.hud,bas,,+1"])
    tva = _kor(fil, "--format", "json", parallellt=True, monkeypatch=monkeypatch)
    assert tva == _kor(fil, "--format", "json", parallellt=False, monkeypatch=monkeypatch)
    assert tva[0] == 0 and tva[1].count('"s3"') == 1
    delar = []
    riktig = parallell.kor

    def kor(funktion, d):
        for r in riktig(funktion, d):
            delar.append(r is not None)
            yield r
    monkeypatch.setattr(parallell, "kor", kor)
    fil = _fil(tmp_path, rader, "utan.csv")
    tva = _kor(fil, "--format", "json", parallellt=True, monkeypatch=monkeypatch)
    assert delar == [True, True] and tva == _kor(fil, "--format", "json", parallellt=False, monkeypatch=monkeypatch)


_rad = st.tuples(st.sampled_from(["a", "b", "c", "d", "e", "f", "ö"]), st.sampled_from(RADER + ["okand.rad.x"]),
                 st.sampled_from(["bas", "tillagg", "pris"]), st.sampled_from(["", "5", "-3", "x"]),
                 st.sampled_from(["", "+2", "-4000", "1,5"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_rad, min_size=1, max_size=40), st.sampled_from(["json", "csv"]), st.sampled_from(["2", "3", "5"]))
def test_tva_processer_som_en_for_godtyckliga_filer(tmp_path, monkeypatch, rader, format, arbetare):
    """Namn som återkommer, fel i vilken del som helst, okända rader och fält: allt som en process."""
    monkeypatch.setenv(parallell.MILJOVARIABEL, arbetare)
    fil = _fil(tmp_path, [",".join(r) for r in rader], "g.csv")
    assert (_kor(fil, "--format", format, parallellt=True, monkeypatch=monkeypatch)
            == _kor(fil, "--format", format, parallellt=False, monkeypatch=monkeypatch))


def test_bara_filer_som_kan_delas_delas(tmp_path):
    """`delningspunkt` läser bara: ingen fil skrivs, vare sig filen kan delas eller inte."""
    rader = _batch(50)
    assert delningspunkter(_fil(tmp_path, rader), 1) is not None
    assert delningspunkter(_fil(tmp_path, rader), 10 ** 9) is None            # för liten
    semikolon = tmp_path / "e.csv"
    semikolon.write_text("namn;id;falt;satt;andra\n" + "".join(r.replace(",", ";") + "\n" for r in rader))
    assert delningspunkter(semikolon, 1) is None                                   # inte maskinformatet
    ett = _fil(tmp_path, [f"s,{RADER[i % 6]},bas,,+1" for i in range(200)], "ett.csv")
    assert delningspunkter(ett, 1) is None                                         # ingen gräns
    assert delningspunkter("-", 1) is None
    assert not any(p.name.startswith("del") for p in tmp_path.iterdir())


def _delar(fil: Path, rubrik: bytes, granser: list[int]) -> list[str]:
    """Delarnas text som `Scenarioflode(…, intervall=…)` läser den (`Delstrom`), i block om 7 byte."""
    ut = []
    with open(fil, "rb") as f:
        for start, slut in zip([0, *granser], [*granser, fil.stat().st_size]):
            strom, text = Delstrom(f, rubrik if start else b"", start, slut), b""
            while bit := strom.read(7):
                text += bit
            ut.append(text.decode())
    return ut


def test_delarna_ar_hela_filen_med_rubriken_i_bada(tmp_path):
    fil = _fil(tmp_path, _batch(100))
    forsta, andra = _delar(fil, *delningspunkter(fil, 1))
    rubrik, *rader = fil.read_text().splitlines(keepends=True)
    a, b = forsta.splitlines(keepends=True), andra.splitlines(keepends=True)
    assert a[0] == b[0] == rubrik and a[1:] + b[1:] == rader
    assert a[-1].split(",")[0] != b[1].split(",")[0]                                      # en gräns mellan scenarier
    assert len(forsta) > fil.stat().st_size // 3


def test_flera_delar_ar_hela_filen_med_rubriken_i_varje(tmp_path):
    fil = _fil(tmp_path, _batch(300))
    rubrik, granser = delningspunkter(fil, 1, 5)
    assert len(granser) == 4 and granser == sorted(set(granser))
    forsta_raden, *rader = fil.read_text().splitlines(keepends=True)
    texter = [d.splitlines(keepends=True) for d in _delar(fil, rubrik, granser)]
    assert all(t[0] == forsta_raden for t in texter) and sum((t[1:] for t in texter), []) == rader
    for a, b in zip(texter, texter[1:]):
        assert a[-1].split(",")[0] != b[1].split(",")[0]                    # gränser mellan scenarier


def test_samma_namn_i_forsta_och_sista_av_tre_delar_blir_ett_scenario(tmp_path, monkeypatch):
    monkeypatch.setenv(parallell.MILJOVARIABEL, "3")
    rader = _batch(600)
    rader.append("s3,somatik.forstabesok.hud,bas,,+1")
    fil = _fil(tmp_path, rader)
    tre = _kor(fil, "--format", "csv", parallellt=True, monkeypatch=monkeypatch)
    assert tre == _kor(fil, "--format", "csv", parallellt=False, monkeypatch=monkeypatch)
    assert tre[0] == 0 and tre[1].count("\ns3,") == 1


def test_en_arbetare_som_dor_ger_samma_text(tmp_path, monkeypatch):
    """En arbetare som dör mitt i sin del: delen räknas om här (`parallell.kor`), texten är densamma."""
    fil = _fil(tmp_path, _batch(400))
    har, riktig = os.getpid(), kommandon.Scenarioskrivare.skriv

    def skriv(self, r):
        if os.getpid() != har and r.namn == "s390":
            os._exit(9)
        riktig(self, r)
    monkeypatch.setattr(kommandon.Scenarioskrivare, "skriv", skriv)
    tva = _kor(fil, "--format", "json", parallellt=True, monkeypatch=monkeypatch)
    monkeypatch.setattr(kommandon.Scenarioskrivare, "skriv", riktig)
    assert tva == _kor(fil, "--format", "json", parallellt=False, monkeypatch=monkeypatch) and tva[0] == 0


def test_forloppet_i_flera_delar_stiger_till_filens_storlek(tmp_path, monkeypatch):
    from vgr_ersattning import framsteg

    fil = _fil(tmp_path, _batch(400))
    anrop: list[tuple[int, int]] = []
    monkeypatch.setattr(framsteg, "for_scenarier",
                        lambda antal, byte=False: (lambda klart, totalt: anrop.append((klart, totalt))) if byte else None)
    assert _kor(fil, "--format", "json", parallellt=True, monkeypatch=monkeypatch)[0] == 0
    storlek = fil.stat().st_size
    assert len(anrop) > 2 and anrop[-1] == (storlek, storlek) and all(t == storlek for _, t in anrop)
    assert [k for k, _ in anrop] == sorted(k for k, _ in anrop)


@pytest.mark.parametrize("fall", ["citat över gränsen", "citat i första delen", "cp1252 sist", "cp1252 först"])
def test_en_del_som_inte_lases_som_i_hela_filen_raknas_om_i_en_process(tmp_path, monkeypatch, fall):
    """Citattecken och en fil som inte är UTF-8 prövas av delarna medan de läses (inte i förväg): ett
    fält med en radbrytning över gränsen mellan delarna, ett citattecken långt från gränsen och
    Windows-1252 i vilken del som helst ger samma text och kod som en process."""
    rader = _batch(400)
    mitt = len(rader) // 2
    if fall == "citat över gränsen":
        # Ett citerat namn med radbrytningar runt mitten: delningen kan hamna mitt i fältet.
        rader[mitt - 3:mitt + 3] = ['"x\n' + "\n".join(rader[mitt - 3:mitt + 3]) + '",' + RADER[0] + ",bas,,+1"]
    elif fall == "citat i första delen":
        rader[5] = '"s5",' + rader[5].split(",", 1)[1]
    fil = _fil(tmp_path, rader)
    if fall.startswith("cp1252"):
        text = fil.read_text()
        plats = len(text) - 30 if fall == "cp1252 sist" else 40
        fil.write_bytes(text[:plats].encode() + "ö".encode("cp1252") + text[plats:].encode())
    riktig, rena = parallell.kor, []

    def kor(funktion, d):
        for r in riktig(funktion, d):
            rena.append(r is not None)
            yield r
    monkeypatch.setattr(parallell, "kor", kor)
    tva = _kor(fil, "--format", "json", parallellt=True, monkeypatch=monkeypatch)
    assert rena and not all(rena)                  # delades, och någon del var inte ren
    assert tva == _kor(fil, "--format", "json", parallellt=False, monkeypatch=monkeypatch)
