"""Utdata (modulen utskrift): en ny fil skrivs atomiskt och aldrig över en befintlig, varje fel är
en svensk rad och slutkod 2, bruten pipe ger 141 och Ctrl-C 130, aldrig en traceback.

Det som beror på processen (umask, gräns för filstorlek, /dev/full som standard ut, en stängd
pipe, signaler) körs i en riktig underprocess."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vgr_ersattning import utskrift
from vgr_ersattning.utskrift import FINNS_REDAN, Utskriftsfel, skriv

POSIX = os.name == "posix"
ROT = os.name == "posix" and os.geteuid() == 0

# Ett litet program som skriver `data` (argv[2] gånger argv[3]) till `ut` (argv[1], "-" = standard
# ut) genom kor_skyddat, som konsolskriptet gör.
SKRIV = textwrap.dedent("""
    import sys
    from vgr_ersattning import utskrift
    ut = None if sys.argv[1] == "-" else sys.argv[1]
    data = sys.argv[2] * int(sys.argv[3])
    utskrift.kor_skyddat(lambda: utskrift.skriv(data, ut))
""")


def miljo(buffrad: bool = True) -> dict[str, str]:
    """Miljön för en underprocess: med buffrad standard ut (som vanligt) eller obuffrad
    (PYTHONUNBUFFERED=1, som i vissa CI-miljöer)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffrad:
        env["PYTHONUNBUFFERED"] = "1"
    return env


BUFFRING = pytest.mark.parametrize("buffrad", [True, False], ids=["buffrad", "obuffrad"])


def python(kod: str, *args: str, cwd: Path | None = None, buffrad: bool = True, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-c", kod, *args], cwd=cwd, text=True, timeout=60,
                          env=miljo(buffrad), **kw)


def utan_traceback(fel: str) -> None:
    assert "Traceback" not in fel
    assert "Exception ignored" not in fel
    assert "Error" not in fel          # ingen engelsk undantagstext (BrokenPipeError, OSError …)


def filer(katalog: Path) -> list[str]:
    return sorted(p.name for p in katalog.iterdir())


# --- en ny fil ---------------------------------------------------------------------------------


def test_ny_fil_skrivs_och_ingen_temporar_fil_blir_kvar(tmp_path):
    skriv("{\"a\": 1}\n", tmp_path / "rapport.json")
    assert (tmp_path / "rapport.json").read_text(encoding="utf-8") == "{\"a\": 1}\n"
    assert filer(tmp_path) == ["rapport.json"]


def test_text_blir_utf8_och_byte_skrivs_som_de_ar(tmp_path):
    skriv("Västra Götaland – 263 497 958 kr\n", tmp_path / "a.txt")
    assert (tmp_path / "a.txt").read_bytes() == "Västra Götaland – 263 497 958 kr\n".encode("utf-8")
    skriv(b"\x00\xff\r\n", str(tmp_path / "b.bin"))
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff\r\n"


def test_relativt_filnamn_i_arbetskatalogen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    skriv("x", "rapport.csv")
    assert (tmp_path / "rapport.csv").read_text() == "x"
    assert filer(tmp_path) == ["rapport.csv"]


def test_befintlig_fil_vagras_och_lamnas_orord(tmp_path):
    mal = tmp_path / "rapport.json"
    mal.write_text("gammalt")
    with pytest.raises(Utskriftsfel) as e:
        skriv("nytt", mal)
    assert str(e.value) == f"{mal} finns redan; välj ett nytt filnamn (befintliga filer skrivs aldrig över)"
    assert mal.read_text() == "gammalt"
    assert filer(tmp_path) == ["rapport.json"]


def test_befintlig_fil_i_underprocess_ger_kod_2_och_en_svensk_rad(tmp_path):
    (tmp_path / "rapport.json").write_text("gammalt")
    r = python(SKRIV, "rapport.json", "nytt", "1", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == "rapport.json finns redan; välj ett nytt filnamn (befintliga filer skrivs aldrig över)\n"
    assert r.stdout == ""
    assert (tmp_path / "rapport.json").read_text() == "gammalt"
    assert filer(tmp_path) == ["rapport.json"]


def test_fil_som_skapas_under_skrivningen_skrivs_inte_over(tmp_path, monkeypatch):
    """Kontrollen före skrivningen räcker inte: länken till målet vägrar själv att skriva över."""
    mal = tmp_path / "rapport.json"
    riktig_fsync = os.fsync

    def fsync_och_nagon_annan_skapar_malet(fd):
        mal.write_text("någon annans")
        riktig_fsync(fd)

    monkeypatch.setattr(utskrift.os, "fsync", fsync_och_nagon_annan_skapar_malet)
    with pytest.raises(Utskriftsfel) as e:
        skriv("mitt", mal)
    assert str(e.value) == f"{mal} {FINNS_REDAN}"
    assert mal.read_text() == "någon annans"
    assert filer(tmp_path) == ["rapport.json"]


@pytest.mark.skipif(not POSIX, reason="symboliska länkar")
def test_symbolisk_lank_som_mal_vagras_aven_om_den_ar_trasig(tmp_path):
    (tmp_path / "lank.json").symlink_to(tmp_path / "finns_inte.json")
    with pytest.raises(Utskriftsfel, match="finns redan"):
        skriv("x", tmp_path / "lank.json")
    assert not (tmp_path / "finns_inte.json").exists()


# --- katalog, snedstreck, saknad katalog ------------------------------------------------------


def test_katalog_vagras(tmp_path):
    (tmp_path / "ut").mkdir()
    for mal in (str(tmp_path / "ut"), str(tmp_path / "ut") + os.sep):
        with pytest.raises(Utskriftsfel) as e:
            skriv("x", mal)
        assert str(e.value) == f"{mal}: är en katalog; ange ett filnamn"
    assert filer(tmp_path / "ut") == []
    assert filer(tmp_path) == ["ut"]


def test_avslutande_snedstreck_vagras_och_ingen_fil_skapas(tmp_path):
    mal = str(tmp_path / "ny") + os.sep
    with pytest.raises(Utskriftsfel) as e:
        skriv("x", mal)
    assert str(e.value) == f"{mal}: anger en katalog (slutar med snedstreck); ange ett filnamn"
    assert filer(tmp_path) == []


def test_katalog_och_snedstreck_i_underprocess(tmp_path):
    (tmp_path / "ut").mkdir()
    r = python(SKRIV, "ut/", "x", "1", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "ut/: är en katalog; ange ett filnamn\n")
    r = python(SKRIV, "ny/", "x", "1", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "ny/: anger en katalog (slutar med snedstreck); ange ett filnamn\n")
    assert filer(tmp_path) == ["ut"] and filer(tmp_path / "ut") == []


def test_saknad_katalog_vagras(tmp_path):
    r = python(SKRIV, "saknas/rapport.json", "x", "1", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == "saknas/rapport.json: katalogen saknas finns inte; skapa den först\n"
    utan_traceback(r.stderr)
    assert filer(tmp_path) == []


def test_fil_som_katalog_i_sokvagen_vagras(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    mal = tmp_path / "a.txt" / "rapport.json"
    with pytest.raises(Utskriftsfel) as e:
        skriv("x", mal)
    assert str(e.value) == f"{mal}: {tmp_path / 'a.txt'} är inte en katalog"
    assert (tmp_path / "a.txt").read_text() == "a"


def test_tomt_filnamn_vagras():
    with pytest.raises(Utskriftsfel, match="^--ut: ange ett filnamn$"):
        skriv("x", "")


def test_katalog_utan_skrivratt(tmp_path, monkeypatch):
    """En katalog utan skrivrätt (som root går den inte att skapa, så operativsystemets svar spelas upp)."""
    import errno as _errno

    from vgr_ersattning import filer as filer_modul

    def vagra(katalog, namn):
        raise PermissionError(_errno.EACCES, "Permission denied", katalog)
    monkeypatch.setattr(filer_modul, "skapa_temporar", vagra)
    (tmp_path / "las").mkdir()
    with pytest.raises(Utskriftsfel) as e:
        skriv("x", tmp_path / "las" / "r.json")
    assert "Permission denied" not in str(e.value)
    assert str(e.value).startswith(f"{tmp_path / 'las' / 'r.json'}: ")
    assert "behörighet saknas" in str(e.value)
    assert filer(tmp_path / "las") == []


# --- rättigheter ---------------------------------------------------------------------------------


@pytest.mark.skipif(not POSIX, reason="umask finns bara i POSIX")
@pytest.mark.parametrize("umask, lage", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_rattigheterna_foljer_umask_som_open_w(tmp_path, umask, lage):
    r = python(SKRIV, "rapport.json", "x", "1", cwd=tmp_path, preexec_fn=lambda: os.umask(umask))
    assert (r.returncode, r.stderr) == (0, "")
    assert (tmp_path / "rapport.json").stat().st_mode & 0o777 == lage
    # samma som open(..., "w") ger med samma umask
    r = python("open('jamfor.json', 'w').close()", cwd=tmp_path, preexec_fn=lambda: os.umask(umask))
    assert (tmp_path / "jamfor.json").stat().st_mode & 0o777 == lage


# --- full disk, kvot, filstorlek, okända fel ----------------------------------------------------


@pytest.mark.parametrize("funktion", ["write", "fsync"])
@pytest.mark.parametrize("nummer, text", [
    (errno.ENOSPC, "disken är full"),
    (getattr(errno, "EDQUOT", errno.ENOSPC), "diskkvoten är slut" if hasattr(errno, "EDQUOT") else "disken är full"),
    (errno.EIO, "in- eller utmatningsfel på enheten"),
])
def test_full_disk_ger_svensk_rad_och_inga_filer(tmp_path, monkeypatch, funktion, nummer, text):
    def fel(*a, **k):
        raise OSError(nummer, os.strerror(nummer))

    monkeypatch.setattr(utskrift.os, funktion, fel)
    mal = tmp_path / "rapport.json"
    with pytest.raises(Utskriftsfel) as e:
        skriv("x" * 100_000, mal)
    assert str(e.value) == f"{mal}: {text}"
    assert os.strerror(nummer) not in str(e.value)
    assert filer(tmp_path) == []


def test_okant_fel_ger_allman_svensk_text_och_errno_namnet(tmp_path, monkeypatch):
    def fel(*a, **k):
        raise OSError(errno.EBADMSG, "Bad message")

    monkeypatch.setattr(utskrift.os, "write", fel)
    with pytest.raises(Utskriftsfel) as e:
        skriv("x", tmp_path / "r.json")
    assert str(e.value) == f"{tmp_path / 'r.json'}: kunde inte skriva (EBADMSG)"
    assert filer(tmp_path) == []


def test_ctrl_c_mitt_i_skrivningen_lamnar_ingen_temporar_fil(tmp_path, monkeypatch):
    def avbryt(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(utskrift.os, "fsync", avbryt)
    with pytest.raises(KeyboardInterrupt):
        skriv("x", tmp_path / "r.json")
    assert filer(tmp_path) == []


def test_inga_engelska_texter_i_tabellen():
    for nummer, text in utskrift.ORSAK.items():
        assert os.strerror(nummer) not in text
        assert utskrift.meddelande("r.json", OSError(nummer, os.strerror(nummer))).startswith("r.json")


def _gransa_filstorlek(byte: int):
    def _():
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (byte, byte))
    return _


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="ingen gräns för filstorlek på plattformen")
def test_gransen_for_filstorlek_ger_svensk_rad_och_inga_filer(tmp_path):
    r = python(SKRIV, "rapport.json", "x", "100000", cwd=tmp_path, preexec_fn=_gransa_filstorlek(4096))
    assert r.returncode == 2
    assert r.stderr == "rapport.json: filen blir större än gränsen för filstorlek\n"
    utan_traceback(r.stderr)
    assert filer(tmp_path) == []


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="ingen gräns för filstorlek på plattformen")
def test_forbered_ignorerar_sigxfsz():
    """CPython ignorerar redan SIGXFSZ vid start; forbered ser till det även när någon har
    återställt signalen (t.ex. en inbäddad tolk), så att gränsen blir OSError(EFBIG), inte döden."""
    fore = signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    try:
        utskrift.forbered()
        assert signal.getsignal(signal.SIGXFSZ) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGXFSZ, fore)


# --- standard ut ----------------------------------------------------------------------------------


def test_standard_ut_far_texten(capsys):
    skriv("hej\n", None)
    skriv(b"bytes\n", None)
    assert capsys.readouterr().out == "hej\nbytes\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full saknas")
@BUFFRING
@pytest.mark.parametrize("antal", ["1", "100000"])
def test_full_standard_ut_ger_kod_2_och_svensk_rad(tmp_path, antal, buffrad):
    with open("/dev/full", "w") as full:
        r = python(SKRIV, "-", "hej\n", antal, cwd=tmp_path, stdout=full, buffrad=buffrad)
    assert r.returncode == 2
    assert r.stderr == "standard ut: disken är full\n"
    utan_traceback(r.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full saknas")
@BUFFRING
def test_full_standard_ut_vid_sista_tomningen(tmp_path, buffrad):
    """Kommandot skriver med print (inte skriv): buffrat tömmer kor_skyddat standard ut själv och
    ger raden; obuffrat kommer felet ur print, utan filnamn, och blir en allmän rad."""
    kod = "from vgr_ersattning import utskrift; utskrift.kor_skyddat(lambda: print('hej'))"
    with open("/dev/full", "w") as full:
        r = python(kod, cwd=tmp_path, stdout=full, buffrad=buffrad)
    rad = "standard ut: disken är full\n" if buffrad else "ersattning: disken är full\n"
    assert (r.returncode, r.stderr) == (2, rad)


def _bruten_pipe(kod: str, *args: str, lasa_forst: bool, buffrad: bool = True) -> tuple[int, str, str]:
    """Kör `kod` med standard ut i en pipe som stängs: efter en rad, eller innan något skrivits
    (underprocessen väntar då på slutet av standard in, som skickas när läsaren har stängt)."""
    p = subprocess.Popen([sys.executable, "-c", kod, *args], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=miljo(buffrad))
    forsta = p.stdout.readline().decode() if lasa_forst else ""
    p.stdout.close()
    p.stdin.close()
    fel = p.stderr.read().decode()
    return p.wait(timeout=60), forsta, fel


@BUFFRING
def test_bruten_pipe_ger_141_utan_traceback(buffrad):
    """`ersattning berakna | head -1`: en stor skrivning, läsaren stänger efter första raden."""
    kod, forsta, fel = _bruten_pipe(SKRIV, "-", "rad\n", "1000000", lasa_forst=True, buffrad=buffrad)
    assert (kod, forsta, fel) == (141, "rad\n", "")


@BUFFRING
def test_bruten_pipe_under_manga_sma_skrivningar(buffrad):
    prog = "from vgr_ersattning import utskrift\n" \
           "utskrift.kor_skyddat(lambda: [utskrift.skriv(f'rad {i}\\n', None) for i in range(1_000_000)])"
    kod, forsta, fel = _bruten_pipe(prog, lasa_forst=True, buffrad=buffrad)
    assert (kod, forsta, fel) == (141, "rad 0\n", "")


@BUFFRING
def test_bruten_pipe_vid_sista_tomningen_eller_i_print(buffrad):
    """Kommandot skriver med sys.stdout.write (inte skriv): buffrat märks felet först när
    kor_skyddat tömmer standard ut, obuffrat redan i write; båda ger 141."""
    prog = "import sys\nfrom vgr_ersattning import utskrift\n" \
           "def app():\n    sys.stdin.read()\n    sys.stdout.write('hej\\n')\n" \
           "utskrift.kor_skyddat(app)"
    kod, _, fel = _bruten_pipe(prog, lasa_forst=False, buffrad=buffrad)
    assert (kod, fel) == (141, "")


@BUFFRING
def test_bruten_pipe_som_click_fangar_ger_ocksa_141(buffrad):
    """typer/click gör själva om OSError(EPIPE) till slutkod 1 (t.ex. från typer.echo)."""
    prog = textwrap.dedent("""
        import sys, typer
        from vgr_ersattning import utskrift
        app = typer.Typer()
        @app.command()
        def k():
            sys.stdin.read()
            typer.echo("x" * 200_000)
        @app.command()
        def l():
            pass
        utskrift.kor_skyddat(app)
    """)
    kod, _, fel = _bruten_pipe(prog, "k", lasa_forst=False, buffrad=buffrad)
    assert (kod, fel) == (141, "")


# --- Ctrl-C, slutkoder, fel från operativsystemet ---------------------------------------------------


@pytest.mark.skipif(not POSIX, reason="os.kill med SIGINT")
@pytest.mark.parametrize("med_typer", [False, True])
def test_ctrl_c_ger_avbrutet_och_130(med_typer):
    prog = textwrap.dedent(f"""
        import os, signal, time, typer
        from vgr_ersattning import utskrift
        # Som i en terminal: Python gör SIGINT till KeyboardInterrupt bara om signalen inte ärvts
        # ignorerad (ett skal utan jobbkontroll ignorerar den för `kommando &`, t.ex. under mutmut).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        def k():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(10)
        def l():
            pass
        if {med_typer}:
            app = typer.Typer()
            app.command()(k)
            app.command()(l)
            utskrift.kor_skyddat(lambda: app(["k"]))
        else:
            utskrift.kor_skyddat(k)
    """)
    r = python(prog)
    assert (r.returncode, r.stderr) == (130, "avbrutet\n")


def test_slutkoderna_fran_kommandot_behalls():
    for kod in (0, 1, 2):
        r = python(f"import sys\nfrom vgr_ersattning import utskrift\nutskrift.kor_skyddat(lambda: sys.exit({kod}))")
        assert (r.returncode, r.stderr) == (kod, "")


def test_utskriftsfel_som_inte_fangats_ger_kod_2():
    r = python("from vgr_ersattning import utskrift\n"
               "def app():\n    raise utskrift.Utskriftsfel('r.json: disken är full')\n"
               "utskrift.kor_skyddat(app)")
    assert (r.returncode, r.stderr) == (2, "r.json: disken är full\n")


def test_ofangat_fel_fran_operativsystemet_blir_svensk_rad():
    r = python("from vgr_ersattning import utskrift\n"
               "def app():\n    open('/finns/inte/alls.yaml')\n"
               "utskrift.kor_skyddat(app)")
    assert (r.returncode, r.stderr) == (2, "/finns/inte/alls.yaml: filen eller katalogen finns inte\n")


def test_kor_aterstaller_ctrl_c_hanteraren():
    fore = signal.getsignal(signal.SIGINT)
    assert utskrift.kor(lambda: None) == 0
    assert signal.getsignal(signal.SIGINT) is fore


def test_kontrollera_mal_tidigt(tmp_path):
    utskrift.kontrollera_mal(None)
    utskrift.kontrollera_mal(tmp_path / "ny.json")
    (tmp_path / "finns.json").write_text("")
    with pytest.raises(Utskriftsfel, match="finns redan"):
        utskrift.kontrollera_mal(tmp_path / "finns.json")
    assert filer(tmp_path) == ["finns.json"]


# --- en fil som läggs till utdata (Utdata.lagg_till_fil) --------------------------------------

LAGG_TILL = textwrap.dedent("""
    import os, sys, tempfile
    from vgr_ersattning import utskrift
    ut = None if sys.argv[1] == "-" else sys.argv[1]
    storlek = int(sys.argv[2])
    with tempfile.TemporaryFile() as f:
        f.write(b"xx" + bytes(range(48, 58)) * (storlek // 10) + b"yy")
        f.flush()
        f.seek(2)
        with utskrift.Utdata(ut) as u:
            u.write(b"<")
            u.lagg_till_fil(f, storlek // 10 * 10)
            assert f.tell() == 2 + storlek // 10 * 10
            u.write(b">")
            u.lagg_till_fil(f, 0)
            u.write(b"!")
    print("klart", file=sys.stderr)
""")


@pytest.mark.parametrize("storlek", [100, 3 * 1024 * 1024])
@pytest.mark.parametrize("mal", ["fil", "standard ut som fil", "pipe", "latin-1"])
def test_en_fil_laggs_till_dar_den_skrivs(tmp_path, storlek, mal):
    """Byten från filens position (inte dess början eller slut), på sin plats mellan det som skrivs
    före och efter, till en fil (--ut), till standard ut som är en fil (sendfile), en pipe och en
    standard ut i en annan kodning (byten läses då i Python). Liten och stor (bifogas) fil."""
    vantat = b"<" + bytes(range(48, 58)) * (storlek // 10) + b">!"
    env = miljo()
    if mal == "fil":
        r = subprocess.run([sys.executable, "-c", LAGG_TILL, str(tmp_path / "ut.txt"), str(storlek)],
                           capture_output=True, env=env, timeout=60)
        assert (tmp_path / "ut.txt").read_bytes() == vantat
    elif mal == "standard ut som fil":
        with open(tmp_path / "ut.txt", "wb") as ut:
            r = subprocess.run([sys.executable, "-c", LAGG_TILL, "-", str(storlek)], stdout=ut,
                               stderr=subprocess.PIPE, env=env, timeout=60)
        assert (tmp_path / "ut.txt").read_bytes() == vantat
    else:
        if mal == "latin-1":
            env["PYTHONIOENCODING"] = "latin-1"
        r = subprocess.run([sys.executable, "-c", LAGG_TILL, "-", str(storlek)], capture_output=True, env=env,
                           timeout=60)
        assert r.stdout == vantat
    assert r.returncode == 0 and r.stderr.decode().strip() == "klart"
    assert filer(tmp_path) == (["ut.txt"] if mal in ("fil", "standard ut som fil") else [])


def test_en_tillagd_fil_kastas_med_borja_om(tmp_path):
    kod = LAGG_TILL.replace('u.write(b"!")', 'u.write(b"!")\n        u.borja_om()\n        u.write(b"ny")')
    r = subprocess.run([sys.executable, "-c", kod, "-", str(3 * 1024 * 1024)], capture_output=True, env=miljo(),
                       timeout=60)
    assert r.returncode == 0 and r.stdout == b"ny"


# Skriver i ett `with Utdata(None)`-block (standard ut) och avbryter det med argv[1]: "inget",
# "fel" (ett undantag mitt i, efter en stor tillagd fil) eller "borja_om".
STANDARD_UT_KASTAS = textwrap.dedent("""
    import sys, tempfile
    from vgr_ersattning import utskrift
    def kor():
        with tempfile.TemporaryFile() as f:
            f.write(b"x" * (3 * 1024 * 1024))
            f.seek(0)
            with utskrift.Utdata(None) as u:
                u.write("början ".encode())
                u.lagg_till_fil(f, 3 * 1024 * 1024)
                if sys.argv[1] == "fel":
                    raise utskrift.Utskriftsfel("ett fel mitt i")
                if sys.argv[1] == "borja_om":
                    u.borja_om()
                u.write(b"slut")
    utskrift.kor_skyddat(kor)
""")


@pytest.mark.parametrize("oppna", ["r+b", "ab"], ids=["fil", "tillagg"])
@pytest.mark.parametrize("hur", ["inget", "fel", "borja_om"])
def test_standard_ut_som_ar_en_fil_far_hela_utdata_eller_inget(tmp_path, oppna, hur):
    """Standard ut är en fil som redan har en rad, och står efter den (`> F` efter en annan
    skrivning, eller `>> F`): utdata hamnar efter raden; ett fel mitt i (efter att tre MiB skrivits)
    lämnar filen som den var, och `borja_om` kastar det skrivna. (`>` skrivs direkt i filen och
    kortas vid ett fel, `>>` samlas i en temporär fil först.)"""
    p = tmp_path / "ut.txt"
    p.write_bytes("före\n".encode())
    with open(p, oppna) as ut:
        ut.seek(0, os.SEEK_END)
        r = subprocess.run([sys.executable, "-c", STANDARD_UT_KASTAS, hur], stdout=ut, stderr=subprocess.PIPE,
                           env=miljo(), timeout=60)
    vantat = {"inget": "början ".encode() + b"x" * (3 * 1024 * 1024) + b"slut", "fel": b"", "borja_om": b"slut"}[hur]
    assert p.read_bytes() == "före\n".encode() + vantat
    assert r.returncode == (2 if hur == "fel" else 0), r.stderr
    assert r.stderr.decode() == ("ett fel mitt i\n" if hur == "fel" else "")
    assert filer(tmp_path) == ["ut.txt"]


def test_standard_ut_som_ar_en_fil_skrivs_direkt_och_en_pipe_forst_nar_den_publiceras(tmp_path):
    """Medan blocket pågår står det skrivna redan i filen (`> F`), men inte i en pipe eller med `>>`."""
    kod = textwrap.dedent("""
        import os, sys
        from vgr_ersattning import utskrift
        with utskrift.Utdata(None) as u:
            u.write(b"x" * (5 * 1024 * 1024))
            print(os.fstat(1).st_size if os.path.isfile(sys.argv[1]) else -1, file=sys.stderr)
    """)
    p = tmp_path / "ut.txt"
    for oppna, storlek in (("wb", 5 * 1024 * 1024), ("ab", 0)):
        p.unlink(missing_ok=True)
        with open(p, oppna) as ut:
            r = subprocess.run([sys.executable, "-c", kod, str(p)], stdout=ut, stderr=subprocess.PIPE, env=miljo(),
                               timeout=60)
        assert (r.returncode, int(r.stderr), p.stat().st_size) == (0, storlek, 5 * 1024 * 1024), oppna
    r = subprocess.run([sys.executable, "-c", kod, "-"], capture_output=True, env=miljo(), timeout=60)
    assert (r.returncode, int(r.stderr), len(r.stdout)) == (0, -1, 5 * 1024 * 1024)


def test_standard_ut_som_ar_en_fil_med_nagot_efter_positionen_rors_inte_vid_ett_fel(tmp_path):
    """Standard ut står mitt i en fil (`exec 3<>F; read …; cmd >&3`, eller `1<>F`): ett fel lämnar
    hela filen som den var, också det som står efter positionen (den skrivs inte direkt)."""
    p = tmp_path / "ut.txt"
    p.write_bytes("före\nefter\n".encode())
    with open(p, "r+b") as ut:
        ut.seek(len("före\n".encode()))
        r = subprocess.run([sys.executable, "-c", STANDARD_UT_KASTAS, "fel"], stdout=ut, stderr=subprocess.PIPE,
                           env=miljo(), timeout=60)
    assert (r.returncode, p.read_bytes()) == (2, "före\nefter\n".encode()), r.stderr


# Skriver 5 MiB direkt till standard ut som fil och får sedan en signal (argv[1]) medan blocket pågår;
# med argv[2] == "barn" får i stället en process som startats med fork signalen, och blocket skrivs klart.
SIGNAL_MITT_I = textwrap.dedent("""
    import os, signal, sys
    from vgr_ersattning import utskrift
    with utskrift.Utdata(None) as u:
        u.write(b"x" * (5 * 1024 * 1024))
        nummer = getattr(signal, sys.argv[1])
        if sys.argv[2] == "barn":
            pid = os.fork()
            if pid == 0:
                os.kill(os.getpid(), nummer)
                os._exit(0)
            os.waitpid(pid, 0)
            u.write(b"!")
        else:
            os.kill(os.getpid(), nummer)
            u.write(b"kommer aldrig hit")
""")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork saknas")
@pytest.mark.parametrize("namn", ["SIGTERM", "SIGHUP"])
def test_standard_ut_som_ar_en_fil_kortas_vid_sigterm_och_sighup(tmp_path, namn):
    """SIGTERM och SIGHUP (`timeout`, systemd, en avbruten CI-körning) medan utdata skrivs direkt i
    filen: filen kortas till där den stod och processen avslutas av signalen som förut. En process
    som startats med fork och får signalen rör inte filen."""
    import signal

    p = tmp_path / "ut.txt"
    for vem, vantat in (("jag", "före\n".encode()), ("barn", "före\n".encode() + b"x" * (5 * 1024 * 1024) + b"!")):
        p.write_bytes("före\n".encode())
        with open(p, "r+b") as ut:
            ut.seek(0, os.SEEK_END)
            r = subprocess.run([sys.executable, "-c", SIGNAL_MITT_I, namn, vem], stdout=ut, stderr=subprocess.PIPE,
                               env=miljo(), timeout=60)
        kod = -getattr(signal, namn) if vem == "jag" else 0
        assert (r.returncode, p.read_bytes() == vantat) == (kod, True), (vem, r.stderr)
