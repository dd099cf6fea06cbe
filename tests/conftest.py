"""Gemensamma fixturer: de medföljande datafilerna, inlästa en gång, och en CLI-körare."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vgr_ersattning.cli import app
from vgr_ersattning.inlasning.datakatalog import standardfil
from vgr_ersattning.inlasning.dokument import las_priser, las_uppdrag

ROT = Path(__file__).resolve().parents[1]
UPPDRAG_FIL = standardfil("uppdrag_2026.yaml")
PRISER_FIL = standardfil("priser_2026.yaml")


@pytest.fixture(scope="session")
def uppdrag_dok():
    return las_uppdrag(UPPDRAG_FIL)


@pytest.fixture(scope="session")
def uppdrag(uppdrag_dok):
    return uppdrag_dok.modell


@pytest.fixture(scope="session")
def priser():
    return las_priser(PRISER_FIL).modell


@pytest.fixture(scope="session")
def sv(uppdrag):
    return uppdrag.utforare["SV"]


class Korning:
    def __init__(self, res):
        self.kod = res.exit_code
        self.ut = res.stdout
        self.fel = res.stderr
        self.undantag = res.exception

    def __repr__(self):
        return f"<kod {self.kod}\nut: {self.ut[-2000:]}\nfel: {self.fel[-2000:]}>"


@pytest.fixture
def kor():
    runner = CliRunner()

    def _kor(*args: str) -> Korning:
        res = runner.invoke(app, [str(a) for a in args])
        k = Korning(res)
        # Aldrig en traceback: ett undantag som inte är en avslutning är ett fel i verktyget.
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            raise AssertionError(f"oväntat undantag: {res.exception!r}") from res.exception
        assert "Traceback" not in k.fel
        return k
    return _kor


def andrad_kopia(tmp_path: Path, kalla: Path, gammalt: str, nytt: str, namn: str | None = None) -> Path:
    """En kopia av en datafil med en textersättning (exakt en förekomst)."""
    text = kalla.read_text(encoding="utf-8")
    assert text.count(gammalt) == 1, f"{gammalt!r} förekommer {text.count(gammalt)} gånger"
    ut = tmp_path / (namn or kalla.name)
    ut.write_text(text.replace(gammalt, nytt), encoding="utf-8")
    return ut
