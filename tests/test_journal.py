"""Utbetalningsjournalen (modulen journal): formatet går fram och tillbaka exakt, månader bokförs i
ordning och bara en gång, en bokföring är atomisk (ett fel eller en krasch vid varje steg lämnar
journalen byte för byte orörd), två körningar kan inte bokföra samtidigt, och kontrollen hittar
fel summa, luckor och månader i fel ordning.

Journalerna i testerna har kedjevärden, uträknade av koden (`format_journal`, `med_kedja`); radnummer
i block efter det första räknas ut ur texten (`rad`), eftersom varje block har en rad `kedja:`."""

from __future__ import annotations

import builtins
import errno
import hashlib
import os
import subprocess
import sys
import tempfile
import textwrap
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vgr_ersattning import journal as journalmodul
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.journal import (
    TITEL,
    Bokforing,
    Journal,
    Journalfel,
    Post,
    bokfor,
    format_bokforing,
    format_journal,
    hash_fil,
    kedja_fore_januari,
    kedjevarden,
    kontrollera_journal,
    las_journal,
    las_journal_text,
    skapa_bokforing,
)

fcntl = pytest.importorskip("fcntl")      # låset och felinjektionen prövas i POSIX

SHA = "ab" * 32


def bok(nr: int, belopp: dict[str, str] | None = None, ar: int = 2026, indata=(("produktion_2026.csv", SHA),),
        korning: str | None = None) -> Bokforing:
    manad = f"{ar}-{nr:02d}"
    belopp = belopp if belopp is not None else {"anslag": "276488917", "tillagg:somatik.operation.allman_kirurgi": "0"}
    poster = tuple(Post(manad, k, D(v)) for k, v in belopp.items())
    return Bokforing(manad, korning or f"{ar}-{nr:02d}-25", poster, sum((p.belopp_kr for p in poster), D(0)),
                     tuple(indata))


def temporara(katalog: Path) -> list[str]:
    return sorted(n for n in os.listdir(katalog) if n.endswith(".tmp"))


@pytest.fixture
def fil(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path / "journal.txt"


def med_kedja(text: str) -> str:
    """Journaltexten med en rad `kedja:` sist i varje block, uträknad av koden (också för en
    journal vars innehåll inte håller ihop: kedjan är då hel, och bara innehållet är fel)."""
    j = las_journal_text(text)
    rader = text.split("\n")
    for b, varde in reversed(list(zip(j.bokforingar, kedjevarden(j)))):
        slut = b.rad
        while slut < len(rader) and rader[slut] != "":
            slut += 1
        rader.insert(slut, f"  kedja: {varde}")
    return "\n".join(rader)


def rad(text: str, borjan: str, nummer: int = 1) -> int:
    """Radnumret (från 1) för den `nummer`:e raden i `text` som börjar med `borjan`."""
    traffar = [i + 1 for i, r in enumerate(text.split("\n")) if r.startswith(borjan)]
    return traffar[nummer - 1]


# --- formatet -----------------------------------------------------------------------------------

EXEMPEL_UTAN_KEDJA = f"""\
{TITEL}
# utförare: SV
# år: 2026

manad: 2026-01
  korning: 2026-01-25
  indata: produktion_2026.csv sha256:{SHA}
  indata: data/uppdrag 2026.yaml sha256:{"cd" * 32}
  anslag: 276488917
  tillagg:somatik.operation.allman_kirurgi: 0
  avrakning:lakemedelsleveranser: -1250.50
  summa: 276487666.50

manad: 2026-02
  korning: 2026-02-25
  anslag: 276488917.00
  malrelaterad:2026-Q1: 675000.5
  summa: 277163917.50
"""
EXEMPEL = format_journal(las_journal_text(EXEMPEL_UTAN_KEDJA))
MANAD_2 = rad(EXEMPEL, "manad: 2026-02")
SISTA_RADEN = EXEMPEL.split("\n")[-2]


def test_exemplet_gar_fram_och_tillbaka_exakt():
    j = las_journal_text(EXEMPEL, "j.txt")
    assert (j.utforare, j.ar, [b.manad for b in j.bokforingar]) == ("SV", 2026, ["2026-01", "2026-02"])
    b = j.bokforingar[0]
    assert b.indata == (("produktion_2026.csv", SHA), ("data/uppdrag 2026.yaml", "cd" * 32))
    assert [p.belopp_kr for p in b.poster] == [D("276488917"), D("0"), D("-1250.50")]
    assert all(isinstance(p.belopp_kr, D) for b in j.bokforingar for p in b.poster)
    assert b.summa_kr == D("276487666.50")
    assert format_journal(j) == EXEMPEL
    assert las_journal_text(format_journal(j)) == j
    assert kontrollera_journal(j) == []
    assert j.sista_manad() == 2
    assert j.betalt_fore(2) == {"anslag": D("276488917"), "tillagg:somatik.operation.allman_kirurgi": D(0),
                                "avrakning:lakemedelsleveranser": D("-1250.50")}
    assert j.betalt_fore(13)["anslag"] == D("552977834")
    assert j.betalt_fore(1) == {}


def test_format_bokforing_ger_blocket():
    assert format_bokforing(bok(9, {"anslag": "10", "avrakning:x": "-2.5"}, indata=())) == (
        "\nmanad: 2026-09\n  korning: 2026-09-25\n  anslag: 10\n  avrakning:x: -2.5\n  summa: 7.5\n")


@pytest.mark.parametrize("belopp, text", [
    (D("1E+3"), "1000"), (D("1.500"), "1.50"), (D("-0"), "0"), (D("-0.00"), "0.00"), (D("0.10"), "0.10"),
    (D("999999999999999.99"), "999999999999999.99"),
])
def test_belopp_skrivs_exakt_utan_exponent(belopp, text):
    b = Bokforing("2026-01", "2026-01-25", (Post("2026-01", "anslag", belopp),), belopp, ())
    assert f"  anslag: {text}\n" in format_bokforing(b)
    j = Journal("SV", 2026, (b,))
    assert las_journal_text(format_journal(j)) == j


@pytest.mark.parametrize("belopp, medd", [
    (1.5, "flyttal"), (D("0.001"), "ören"), (D("NaN"), "inte ett tal"), (D("1E+15"), "orimligt stort"), (15, "flyttal"),
])
def test_belopp_som_inte_kan_bokforas_vagras(belopp, medd):
    b = Bokforing("2026-01", "2026-01-25", (Post("2026-01", "anslag", belopp),), belopp, ())
    with pytest.raises(Journalfel, match=medd):
        format_bokforing(b)


@pytest.mark.parametrize("b, medd", [
    (Bokforing("2026-01", "2026-01-25", (Post("2026-01", "anslag", D(1)),), D(2), ()), "summerar till 1"),
    (Bokforing("2026-01", "2026-01-25", (Post("2026-01", "a", D(1)), Post("2026-01", "a", D(1))), D(2), ()), "två gånger"),
    (Bokforing("2026-01", "2026-01-25", (Post("2026-01", "summa", D(1)),), D(1), ()), "ogiltig komponent"),
    (Bokforing("2026-01", "2026-01-25", (Post("2026-01", "med blanksteg", D(1)),), D(1), ()), "ogiltig komponent"),
    (Bokforing("2026-01", "2026-01-25", (Post("2026-02", "a", D(1)),), D(1), ()), "gäller månaden 2026-02"),
    (Bokforing("2026-13", "2026-01-25", (Post("2026-13", "a", D(1)),), D(1), ()), "ogiltig månad"),
    (Bokforing("2026-01", "2026-02-30", (Post("2026-01", "a", D(1)),), D(1), ()), "ogiltigt datum"),
    (Bokforing("2026-01", "2026-01-25", (Post("2026-01", "a", D(1)),), D(1), (("a\nb", SHA),)), "namn"),
    (Bokforing("2026-01", "2026-01-25", (Post("2026-01", "a", D(1)),), D(1), (("a", "xyz"),)), "SHA-256"),
])
def test_bokforing_som_inte_haller_ihop_vagras(b, medd):
    with pytest.raises(Journalfel, match=medd):
        format_bokforing(b)


def rader_med_fel(text: str) -> list[str]:
    with pytest.raises(Inlasningsfel) as e:
        las_journal_text(text, "j.txt")
    assert not isinstance(e.value, Journalfel)
    return [str(f) for f in e.value.fel]


@pytest.mark.parametrize("andring, vantat", [
    (("276488917\n", "276 488 917\n"), "j.txt:9:11: ogiltigt belopp '276 488 917'"),
    (("-1250.50", "-1250,50"), "j.txt:11:35: ogiltigt belopp '-1250,50'"),
    (("-1250.50", "-1250.505"), "j.txt:11:35: ogiltigt belopp"),
    (("  anslag: 276488917\n", "  anslag: 1e3\n"), "j.txt:9:11: ogiltigt belopp '1e3'"),
    (("  korning: 2026-01-25", "  korning: 2026-01-32"), "j.txt:6:12: ogiltigt datum '2026-01-32'"),
    (("manad: 2026-01", "manad: 2026-1"), "j.txt:5:8: ogiltig månad '2026-1'"),
    (("  summa: 276487666.50\n", ""), "j.txt:11:1: 2026-01: `summa:` saknas sist i månaden"),
    (("# år: 2026", "# år: 26"), "j.txt:3:1: tredje raden ska vara"),
    (("# utförare: SV", "# utforare: SV"), "j.txt:2:1: andra raden ska vara"),
    (("\n\nmanad: 2026-02", "\n\n\nmanad: 2026-02"), f"j.txt:{MANAD_2 - 1}:1: en tom rad för mycket"),
    (("  korning: 2026-02-25\n", ""), f"j.txt:{MANAD_2 + 1}:3: `korning:` står först i en månad"),
    (("  anslag: 276488917\n", "   anslag: 276488917\n"), "j.txt:9:1: raderna i en månad är indragna med exakt två blanksteg"),
    ((f"sha256:{SHA}", f"sha256:{SHA[:-1]}"), "j.txt:7:"),
    ((SISTA_RADEN + "\n", SISTA_RADEN), f"j.txt:{MANAD_2 + 5}:{len(SISTA_RADEN) + 1}: sista raden saknar radslut"),
])
def test_formatfel_ger_fil_rad_kolumn(andring, vantat):
    gammalt, nytt = andring
    assert gammalt in EXEMPEL
    rader = rader_med_fel(EXEMPEL.replace(gammalt, nytt, 1))
    assert any(r.startswith(vantat) for r in rader), rader


def test_formatfel_i_flera_block_visas_alla_och_crlf_och_tom_fil():
    rader = rader_med_fel(EXEMPEL.replace("276488917\n", "x\n", 1).replace("675000.5", "y"))
    assert [r.split(": ")[0] for r in rader] == ["j.txt:9:11", f"j.txt:{MANAD_2 + 3}:25"]
    assert rader_med_fel(EXEMPEL.replace("\n", "\r\n")) == [f"j.txt:1:{len(TITEL) + 1}: radslut med CR (Windows); journalen har bara LF"]
    assert rader_med_fel("")[0].startswith("j.txt:1:1: filen är tom")
    assert rader_med_fel("manad: 2026-01\n")[0].startswith("j.txt:1:1: första raden ska vara")


def test_las_journal_fran_fil(fil):
    with pytest.raises(Journalfel) as e:
        las_journal(fil)
    assert str(e.value) == "journal.txt: journalen finns inte (en ny journal skapas av `ersattning utbetala --bokfor`)"
    assert las_journal(fil, saknas_ok=True) is None
    fil.write_bytes(b"\xef\xbb\xbf" + EXEMPEL.encode())
    assert las_journal(fil) == las_journal_text(EXEMPEL)
    fil.write_bytes(EXEMPEL.encode().replace(b"anslag: 276488917\n", b"anslag: \xff\n", 1))
    with pytest.raises(Inlasningsfel, match=r"journal.txt:9:11: filen är inte UTF-8"):
        las_journal(fil)
    (fil.parent / "kat").mkdir()
    with pytest.raises(Inlasningsfel, match="^kat: är en katalog, inte en fil$"):
        las_journal("kat")


# --- bokföringen ----------------------------------------------------------------------------------


def test_bokfor_manad_1_2_3_i_ordning(fil):
    forvantat = Journal("SV", 2026, ())
    for nr in (1, 2, 3):
        ny = bokfor(fil, "SV", 2026, bok(nr, {"anslag": "276488917", f"avrakning:{nr}": f"-{nr}.25"}))
        forvantat = Journal("SV", 2026, forvantat.bokforingar + (bok(nr, {"anslag": "276488917", f"avrakning:{nr}": f"-{nr}.25"}),))
        assert ny == forvantat
        assert fil.read_text(encoding="utf-8") == format_journal(forvantat)
        assert las_journal(fil) == forvantat
    j = las_journal(fil)
    assert j.sista_manad() == 3
    assert kontrollera_journal(j, "sv", 2026) == []
    assert j.betalt_fore(3) == {"anslag": D("552977834"), "avrakning:1": D("-1.25"), "avrakning:2": D("-2.25")}
    assert fil.read_text(encoding="utf-8").startswith(f"{TITEL}\n# utförare: SV\n# år: 2026\n\nmanad: 2026-01\n")
    assert temporara(fil.parent) == []


def test_samma_manad_tva_ganger_lamnar_journalen_orord(fil):
    bokfor(fil, "SV", 2026, bok(1))
    bokfor(fil, "SV", 2026, bok(2))
    fore = fil.read_bytes()
    for b in (bok(2), bok(1), bok(2, {"anslag": "1"})):
        with pytest.raises(Journalfel) as e:
            bokfor(fil, "SV", 2026, b)
        assert isinstance(e.value, Inlasningsfel)          # CLI:t: en rad, slutkod 2
        assert len(e.value.fel) == 1
        assert str(e.value).startswith(f"journal.txt: {b.manad} är redan bokförd (körningen {b.manad}-25)")
        assert "rättelse blir nästa månads utbetalning" in str(e.value)
        assert fil.read_bytes() == fore
    assert temporara(fil.parent) == []


def test_lucka_vagras(fil):
    with pytest.raises(Journalfel, match="en ny journal börjar med 2026-01"):
        bokfor(fil, "SV", 2026, bok(2))
    assert not fil.exists()
    bokfor(fil, "SV", 2026, bok(1))
    fore = fil.read_bytes()
    with pytest.raises(Journalfel) as e:
        bokfor(fil, "SV", 2026, bok(3))
    assert str(e.value) == ("journal.txt: 2026-03 kan inte bokföras: nästa månad att bokföra är 2026-02 (senast "
                            "bokförd 2026-01; månaderna bokförs i ordning utan luckor); journalen är oförändrad")
    assert fil.read_bytes() == fore


def test_fel_utforare_eller_ar_vagras(fil):
    bokfor(fil, "SV", 2026, bok(1))
    fore = fil.read_bytes()
    with pytest.raises(Journalfel, match="journalen gäller utförare SV, inte RH"):
        bokfor(fil, "RH", 2026, bok(2))
    with pytest.raises(Journalfel, match="journalen gäller år 2026, inte 2027"):
        bokfor(fil, "SV", 2027, bok(2, ar=2027))
    with pytest.raises(Journalfel, match="2027-02 hör inte till journalens år 2026"):
        bokfor(fil, "SV", 2026, bok(2, ar=2027))
    assert fil.read_bytes() == fore
    bokfor(fil, "sv", 2026, bok(2))                      # utföraren utan hänsyn till versaler
    assert las_journal(fil).utforare == "SV"


def test_en_journal_som_inte_haller_ihop_bokfors_inte_i(fil):
    bokfor(fil, "SV", 2026, bok(1, {"anslag": "100"}))
    fil.write_text(fil.read_text(encoding="utf-8").replace("summa: 100", "summa: 101"), encoding="utf-8")
    fore = fil.read_bytes()
    with pytest.raises(Journalfel) as e:
        bokfor(fil, "SV", 2026, bok(2))
    assert [str(f) for f in e.value.fel] == [
        "journal.txt:9:1: 2026-01: summan 101 stämmer inte med komponenterna, som summerar till 100 (skillnad 1)",
        "journal.txt: bokför inte 2026-02: journalen håller inte ihop (se ovan); den är oförändrad",
    ]
    assert fil.read_bytes() == fore
    fil.write_text("inte en journal\n", encoding="utf-8")
    with pytest.raises(Inlasningsfel, match="journal.txt:1:1: första raden"):
        bokfor(fil, "SV", 2026, bok(1))
    assert fil.read_text(encoding="utf-8") == "inte en journal\n"


def test_en_katalog_eller_en_saknad_katalog_vagras(fil):
    with pytest.raises(Journalfel, match="journal.txt: är en katalog"):
        fil.mkdir()
        bokfor(fil, "SV", 2026, bok(1))
    with pytest.raises(Journalfel, match="katalogen .*saknas.* finns inte; skapa den först"):
        bokfor(fil.parent / "saknas" / "j.txt", "SV", 2026, bok(1))


def test_rattigheter_och_symbolisk_lank_behalls(fil):
    bokfor(fil, "SV", 2026, bok(1))
    os.chmod(fil, 0o640)
    lank = fil.parent / "lank.txt"
    lank.symlink_to(fil.name)
    bokfor(lank, "SV", 2026, bok(2))
    assert lank.is_symlink()
    assert os.stat(fil).st_mode & 0o777 == 0o640
    assert las_journal(fil).sista_manad() == 2


def test_temporara_filer_efter_en_krasch_stadas_bort(fil):
    bokfor(fil, "SV", 2026, bok(1))
    kvar = fil.parent / ".journal.txt.0123456789ab.tmp"
    annan = fil.parent / ".annan.txt.0123456789ab.tmp"
    kvar.write_text("halv")
    annan.write_text("rör inte")
    bokfor(fil, "SV", 2026, bok(2))
    assert not kvar.exists() and annan.exists()


# --- två körningar samtidigt ------------------------------------------------------------------------


def test_en_annan_korning_som_haller_laset_vagras(fil, monkeypatch):
    monkeypatch.setattr(journalmodul, "LOCK_VANTETID_S", 0.3)       # bokföringen väntar; inte i 5 s här
    bokfor(fil, "SV", 2026, bok(1))
    fore = fil.read_bytes()
    fd = os.open(str(fil) + ".las", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(Journalfel) as e:
            bokfor(fil, "SV", 2026, bok(2))
        assert str(e.value).startswith("journal.txt: bokförs av en annan körning just nu (låset journal.txt.las är taget)")
        assert fil.read_bytes() == fore
    finally:
        os.close(fd)
    bokfor(fil, "SV", 2026, bok(2))                      # låset släppt: nu går det
    assert las_journal(fil).sista_manad() == 2


def test_laset_galler_ocksa_en_ny_journal(fil, monkeypatch):
    monkeypatch.setattr(journalmodul, "LOCK_VANTETID_S", 0.3)
    fd = os.open(str(fil) + ".las", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(Journalfel, match="bokförs av en annan körning"):
            bokfor(fil, "SV", 2026, bok(1))
        assert not fil.exists()
    finally:
        os.close(fd)


SAMTIDIG = textwrap.dedent("""
    import sys, time
    from decimal import Decimal as D
    from vgr_ersattning.journal import bokfor, skapa_bokforing
    from vgr_ersattning.inlasning.fel import Inlasningsfel
    start = float(sys.argv[2])
    while time.time() < start:
        pass
    try:
        bokfor(sys.argv[1], "SV", 2026, skapa_bokforing("2026-01", {"anslag": D(sys.argv[3])}, korning="2026-01-25"))
    except Inlasningsfel as e:
        print(e)
        sys.exit(2)
""")


def test_tva_korningar_samtidigt_kan_inte_bada_lyckas(tmp_path):
    import time

    fil = tmp_path / "journal.txt"
    for _forsok in range(3):
        if fil.exists():
            fil.unlink()
        start = time.time() + 1.0
        processer = [subprocess.Popen([sys.executable, "-c", SAMTIDIG, str(fil), str(start), str(i)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(4)]
        resultat = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in processer]
        for p in processer:
            p.stdout.close()
            p.stderr.close()
        assert [k for k, _, _ in resultat].count(0) == 1, resultat
        for kod, ut, fel in resultat:
            assert fel == ""
            if kod:
                assert kod == 2 and ("bokförs av en annan körning" in ut or "är redan bokförd" in ut), ut
        j = las_journal(fil)
        assert [b.manad for b in j.bokforingar] == ["2026-01"]
        assert temporara(tmp_path) == []


# --- fel och krascher vid varje steg ---------------------------------------------------------------

# Funktionerna som bokföringen anropar mot operativsystemet.
STEG = [(os, "open"), (os, "write"), (os, "fsync"), (os, "replace"), (os, "close"), (os, "fchmod"),
        (os, "stat"), (os, "listdir"), (builtins, "open"), (fcntl, "flock")]


class Raknare:
    """Byter funktionerna mot omslag som räknar anropen och låter anrop nummer `n` till `namn`
    misslyckas med `fel()`; noterar om os.replace redan lyckats då."""

    def __init__(self, monkeypatch, namn: str | None = None, n: int = 0, fel=None):
        self.antal: dict[str, int] = {}
        self.felade = False
        self.felade_efter_namnbyte = False
        self.bytt = False
        for modul, attr in STEG:
            monkeypatch.setattr(modul, attr, self._omslag(f"{modul.__name__}.{attr}", getattr(modul, attr), namn, n, fel))

    def _omslag(self, fnamn, original, namn, n, fel):
        def f(*args, **kw):
            self.antal[fnamn] = self.antal.get(fnamn, 0) + 1
            if fnamn == namn and self.antal[fnamn] == n:
                self.felade = True
                self.felade_efter_namnbyte = self.bytt
                if fnamn == "os.close":          # stäng på riktigt, som NFS som rapporterar felet vid close
                    original(*args, **kw)
                raise fel()
            resultat = original(*args, **kw)
            if fnamn == "os.replace":
                self.bytt = True
            return resultat
        return f


def disken_full():
    return OSError(errno.ENOSPC, "No space left on device")


def forbered(katalog: Path, befintlig: bool) -> tuple[Path, bytes, bytes]:
    fil = katalog / "journal.txt"
    if befintlig:
        bokfor(fil, "SV", 2026, bok(1))
        bokfor(fil, "SV", 2026, bok(2))
    fore = fil.read_bytes() if befintlig else None
    foregaende = las_journal(fil).kvittens() if befintlig else kedja_fore_januari("SV", 2026)
    forvantat = ((fore or format_journal(Journal("SV", 2026, ())).encode())
                 + format_bokforing(bok(3 if befintlig else 1), foregaende).encode())
    return fil, fore, forvantat


def rakna_steg(monkeypatch, tmp_path, befintlig: bool) -> list[tuple[str, int]]:
    katalog = tmp_path / "torr"
    katalog.mkdir()
    fil, _, forvantat = forbered(katalog, befintlig)
    with monkeypatch.context() as m:
        r = Raknare(m)
        bokfor(fil, "SV", 2026, bok(3 if befintlig else 1))
    assert fil.read_bytes() == forvantat
    assert r.antal["os.write"] >= 1 and r.antal["os.replace"] == 1 and r.antal["os.fsync"] == 2
    return [(namn, n) for namn, antal in sorted(r.antal.items()) for n in range(1, antal + 1)]


@pytest.mark.parametrize("befintlig", [True, False], ids=["befintlig", "ny"])
def test_full_disk_vid_varje_steg_lamnar_journalen_orord(monkeypatch, tmp_path, befintlig):
    monkeypatch.chdir(tmp_path)
    steg = rakna_steg(monkeypatch, tmp_path, befintlig)
    for i, (namn, n) in enumerate(steg):
        katalog = tmp_path / f"steg{i}"
        katalog.mkdir()
        fil, fore, forvantat = forbered(katalog, befintlig)
        with monkeypatch.context() as m:
            r = Raknare(m, namn, n, disken_full)
            try:
                bokfor(fil, "SV", 2026, bok(3 if befintlig else 1))
                fel = None
            except Inlasningsfel as e:
                fel = e
        assert r.felade
        forklaring = f"{namn} nr {n}: {fel}"
        assert temporara(katalog) == [], forklaring
        if fel is None:
            # Bara ett fel som inte rör journalen får passera: efter namnbytet (synkningen av
            # katalogen), städningen av gamla temporära filer, rättigheterna.
            assert r.felade_efter_namnbyte or namn in ("os.listdir", "os.stat"), forklaring
            assert fil.read_bytes() == forvantat, forklaring
        else:
            assert not r.felade_efter_namnbyte, forklaring
            assert len(fel.fel) == 1 and str(fel).startswith(f"steg{i}/journal.txt: "), forklaring
            assert "No space" not in str(fel) and "Errno" not in str(fel), forklaring
            if befintlig:
                assert fil.read_bytes() == fore, forklaring
            else:
                assert not fil.exists(), forklaring
        if namn in ("os.write", "os.replace") or (namn == "os.fsync" and n == 1):
            assert fel is not None and "disken är full" in str(fel), forklaring
            assert str(fel).endswith("journalen är oförändrad, inget bokfördes"), forklaring
        # Och efteråt går det att bokföra (eller månaden är redan bokförd).
        if fel is not None:
            bokfor(fil, "SV", 2026, bok(3 if befintlig else 1))
        assert fil.read_bytes() == forvantat


@pytest.mark.parametrize("befintlig", [True, False], ids=["befintlig", "ny"])
def test_avbrott_vid_varje_steg_lamnar_journalen_orord(monkeypatch, tmp_path, befintlig):
    steg = rakna_steg(monkeypatch, tmp_path, befintlig)
    for i, (namn, n) in enumerate(steg):
        katalog = tmp_path / f"steg{i}"
        katalog.mkdir()
        fil, fore, forvantat = forbered(katalog, befintlig)
        with monkeypatch.context() as m:
            r = Raknare(m, namn, n, KeyboardInterrupt)
            with pytest.raises(KeyboardInterrupt):
                bokfor(fil, "SV", 2026, bok(3 if befintlig else 1))
        if namn == "os.close" and r.felade_efter_namnbyte:
            continue
        assert temporara(katalog) == [], (namn, n)
        if r.felade_efter_namnbyte:
            assert fil.read_bytes() == forvantat
        elif befintlig:
            assert fil.read_bytes() == fore, (namn, n)
        else:
            assert not fil.exists(), (namn, n)


KRASCH = textwrap.dedent("""
    import builtins, fcntl, os, sys
    from decimal import Decimal as D
    from vgr_ersattning.journal import Bokforing, Post, bokfor
    fil, namn, n, manad = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    modul, attr = namn.split(".")
    modul = {"os": os, "builtins": builtins, "fcntl": fcntl}[modul]
    original = getattr(modul, attr)
    antal = 0
    def f(*a, **k):
        global antal
        antal += 1
        if antal == n:
            os._exit(70)            # processen dör mitt i: inga finally, ingen städning
        return original(*a, **k)
    setattr(modul, attr, f)
    b = Bokforing(manad, manad + "-25", (Post(manad, "anslag", D("276488917")),), D("276488917"), ())
    bokfor(fil, "SV", 2026, b)
""")


def test_krasch_vid_varje_steg_lamnar_journalen_hel(monkeypatch, tmp_path):
    katalog = tmp_path / "torr"
    katalog.mkdir()
    fil = katalog / "journal.txt"
    bokfor(fil, "SV", 2026, bok(1, {"anslag": "276488917"}, indata=()))
    fore = fil.read_bytes()
    forvantat = fore + format_bokforing(bok(2, {"anslag": "276488917"}, indata=()), las_journal(fil).kvittens()).encode()
    with monkeypatch.context() as m:
        r = Raknare(m)
        bokfor(fil, "SV", 2026, bok(2, {"anslag": "276488917"}, indata=()))
    assert fil.read_bytes() == forvantat
    steg = [(namn, n) for namn, antal in r.antal.items() if namn in ("os.open", "os.write", "os.fsync", "os.replace", "os.close")
            for n in range(1, antal + 1)]
    for i, (namn, n) in enumerate(steg):
        katalog = tmp_path / f"krasch{i}"
        katalog.mkdir()
        fil = katalog / "journal.txt"
        fil.write_bytes(fore)
        p = subprocess.run([sys.executable, "-c", KRASCH, str(fil), namn, str(n), "2026-02"],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 70, (namn, n, p.stderr)
        efter = fil.read_bytes()
        assert efter in (fore, forvantat), (namn, n)
        # En kraschad körning kan lämna en temporär fil; journalen läses ändå, och nästa
        # bokföring städar bort den.
        if efter == fore:
            bokfor(fil, "SV", 2026, bok(2, {"anslag": "276488917"}, indata=()))
        assert fil.read_bytes() == forvantat
        bokfor(fil, "SV", 2026, bok(3, {"anslag": "1"}, indata=()))
        assert temporara(katalog) == []


# --- kontrollen -------------------------------------------------------------------------------------


def journaltext(*block: str) -> str:
    return med_kedja(f"{TITEL}\n# utförare: SV\n# år: 2026\n" + "".join(block))


def blocktext(manad: str, summa: str = "10", poster: str = "  anslag: 10\n") -> str:
    return f"\nmanad: {manad}\n  korning: 2026-11-25\n{poster}  summa: {summa}\n"


def test_kontrollera_hittar_fel_summa():
    text = journaltext(blocktext("2026-01"), blocktext("2026-02", "11", "  anslag: 10\n  tillagg:x: 0.50\n"))
    j = las_journal_text(text, "j.txt")
    assert kontrollera_journal(j) == [
        f"j.txt:{rad(text, '  summa:', 2)}:1: 2026-02: summan 11 stämmer inte med komponenterna, som summerar till 10.50 (skillnad 0.50)"]


def test_kontrollera_hittar_lucka_och_fel_ordning_och_dubbletter():
    text = journaltext(blocktext("2026-01"), blocktext("2026-04"), blocktext("2026-02"),
                       blocktext("2026-04"), blocktext("2025-05"),
                       blocktext("2026-05", "20", "  anslag: 10\n  anslag: 10\n"))
    j = las_journal_text(text, "j.txt")
    manad = [rad(text, "manad:", i) for i in range(1, 7)]
    assert kontrollera_journal(j) == [
        f"j.txt:{manad[1]}:1: 2026-04: lucka: 2026-02 – 2026-03 saknas före månaden",
        f"j.txt:{manad[2]}:1: 2026-02: i fel ordning: står efter 2026-04",
        f"j.txt:{manad[3]}:1: 2026-04: månaden är bokförd två gånger (första gången på rad {manad[1]})",
        f"j.txt:{manad[4]}:1: 2025-05: månaden hör inte till journalens år 2026",
        f"j.txt:{manad[5] + 3}:1: 2026-05: komponenten anslag finns två gånger (första gången på rad {manad[5] + 2})",
    ]


def test_kontrollera_hittar_lucka_i_borjan_och_fel_huvud():
    j = las_journal_text(journaltext(blocktext("2026-02"), blocktext("2026-03")), "j.txt")
    assert kontrollera_journal(j) == ["j.txt:5:1: 2026-02: lucka: 2026-01 saknas före månaden"]
    assert kontrollera_journal(las_journal_text(journaltext()), "RH", 2027) == [
        "journal:2:1: journalen gäller utförare SV, inte RH", "journal:3:1: journalen gäller år 2026, inte 2027"]
    assert kontrollera_journal(las_journal_text(journaltext(blocktext("2026-01"))), "sv", 2026) == []


def test_kontrollera_en_journal_i_minnet():
    j = Journal("SV", 2026, (bok(2), bok(1), Bokforing("2026-03", "2026-03-25", (Post("2026-03", "anslag", D(1)),), D(2), ())))
    assert kontrollera_journal(j) == [
        "journal: 2026-02: lucka: 2026-01 saknas före månaden",
        "journal: 2026-01: i fel ordning: står efter 2026-02",
        "journal: 2026-03: summan 2 stämmer inte med komponenterna, som summerar till 1 (skillnad 1)",
    ]


# --- fingeravtryck och skapa_bokforing ------------------------------------------------------------------


def test_hash_fil(fil):
    data = os.urandom(3 * 1024 * 1024 + 17)
    (fil.parent / "stor.bin").write_bytes(data)
    assert hash_fil("stor.bin") == hashlib.sha256(data).hexdigest()
    with pytest.raises(Inlasningsfel, match="^saknas.csv: filen finns inte$"):
        hash_fil("saknas.csv")
    with pytest.raises(Journalfel, match="standard in kan inte bokföras"):
        hash_fil("-")


def test_skapa_bokforing(fil):
    (fil.parent / "utfall.csv").write_text("rad,manad,antal\n", encoding="utf-8")
    b = skapa_bokforing("2026-09", {"anslag": D("276488917"), "avrakning:x": D("-0.50")}, ["utfall.csv"], "2026-09-25")
    assert b == Bokforing("2026-09", "2026-09-25", (Post("2026-09", "anslag", D("276488917")),
                                                    Post("2026-09", "avrakning:x", D("-0.50"))),
                          D("276488916.50"), (("utfall.csv", hashlib.sha256(b"rad,manad,antal\n").hexdigest()),))
    with pytest.raises(Journalfel, match="flyttal"):
        skapa_bokforing("2026-09", {"anslag": 1.5})


# --- egenskaper ------------------------------------------------------------------------------------

KOMPONENTER = ["anslag", "tillagg:somatik.operation.allman_kirurgi", "avrakning:lakemedelsleveranser",
               "malrelaterad:2026-Q3"]
belopp = st.decimals(min_value=D("-999999999999.99"), max_value=D("999999999999.99"), places=2,
                     allow_nan=False, allow_infinity=False)
manader = st.lists(st.dictionaries(st.sampled_from(KOMPONENTER), belopp, min_size=1, max_size=4), max_size=12)


def journal_av(manadsbelopp: list[dict[str, D]]) -> Journal:
    bokforingar = []
    for nr, poster in enumerate(manadsbelopp, start=1):
        manad = f"2026-{nr:02d}"
        p = tuple(Post(manad, k, v) for k, v in poster.items())
        bokforingar.append(Bokforing(manad, f"2026-{nr:02d}-01", p, sum((x.belopp_kr for x in p), D(0)), ()))
    return Journal("SV", 2026, tuple(bokforingar))


def forvantat_fore(manadsbelopp: list[dict[str, D]], m: int) -> dict[str, D]:
    ut: dict[str, D] = {}
    for poster in manadsbelopp[: m - 1]:
        for k, v in poster.items():
            ut[k] = ut.get(k, D(0)) + v
    return ut


@given(manader)
def test_betalt_fore_ar_summan_av_tidigare_manader(manadsbelopp):
    j = las_journal_text(format_journal(journal_av(manadsbelopp)))
    assert j == journal_av(manadsbelopp)
    assert format_journal(j) == format_journal(journal_av(manadsbelopp))
    assert kontrollera_journal(j) == []
    for m in range(1, 14):
        assert j.betalt_fore(m) == forvantat_fore(manadsbelopp, m)
    assert j.sista_manad() == (len(manadsbelopp) or None)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(KOMPONENTER), belopp, min_size=1, max_size=4), min_size=1, max_size=6))
def test_betalt_fore_efter_bokforing_manad_for_manad(manadsbelopp):
    with tempfile.TemporaryDirectory() as katalog:
        fil = Path(katalog) / "journal.txt"
        for nr, poster in enumerate(manadsbelopp, start=1):
            manad = f"2026-{nr:02d}"
            b = Bokforing(manad, f"{manad}-25", tuple(Post(manad, k, v) for k, v in poster.items()),
                          sum(poster.values(), D(0)), (("u.csv", SHA),))
            j = bokfor(fil, "SV", 2026, b)
            assert j.betalt_fore(nr) == forvantat_fore(manadsbelopp, nr)
        j = las_journal(fil)
        for m in range(1, 14):
            assert j.betalt_fore(m) == forvantat_fore(manadsbelopp, m)
        assert kontrollera_journal(j, "SV", 2026) == []
