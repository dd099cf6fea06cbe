"""Cachen av validerade dokument (modulen cache): träff ger samma dokument, allt misstänkt läses
aldrig, nyckeln följer filen och inläsarens kod, gamla poster rensas, `av` stänger av."""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import PRISER_FIL, UPPDRAG_FIL
from vgr_ersattning import cache, laddning
from vgr_ersattning.laddning import Dokument, las_priser, las_uppdrag

POSIX = os.name == "posix"
ROT = POSIX and os.geteuid() == 0
HUD = "somatik.forstabesok.hud"


@pytest.fixture
def katalog(tmp_path, monkeypatch) -> Path:
    k = tmp_path / "cache"
    monkeypatch.setenv(cache.MILJOVARIABEL, str(k))
    return k


@pytest.fixture
def yaml_lasningar(monkeypatch) -> list[str]:
    """Filerna som tolkades som YAML (inte hämtades ur cachen)."""
    lasta: list[str] = []
    riktig = laddning.las_yaml_text

    def raknande(text, namn):
        lasta.append(namn)
        return riktig(text, namn)

    monkeypatch.setattr(laddning, "las_yaml_text", raknande)
    return lasta


def kopia(tmp_path: Path, kalla: Path = UPPDRAG_FIL, namn: str = "u.yaml") -> Path:
    p = tmp_path / namn
    p.write_bytes(kalla.read_bytes())
    return p


def poster(k: Path) -> list[Path]:
    return sorted(p for p in k.iterdir() if cache._ar_post(p.name))


def post_for(fil: Path, modellnamn: str = "Uppdrag") -> cache.Post:
    return cache.Post(fil.read_bytes().removeprefix(b"\xef\xbb\xbf"), modellnamn)


# --- träff och miss ---------------------------------------------------------------------------------


def test_traff_ger_ett_lika_dokument_utan_att_tolka_yaml(tmp_path, katalog, yaml_lasningar):
    u = kopia(tmp_path)
    forsta = las_uppdrag(u)
    assert len(yaml_lasningar) == 1 and len(poster(katalog)) == 1
    ur_cachen = post_for(u).las()
    assert isinstance(ur_cachen, Dokument)
    assert ur_cachen.modell == forsta.modell
    andra = las_uppdrag(u)
    assert len(yaml_lasningar) == 1                  # inte tolkad igen
    assert andra.modell == forsta.modell
    assert andra.positioner.karta == forsta.positioner.karta
    assert andra.positioner.fil == forsta.positioner.fil
    assert las_priser(kopia(tmp_path, PRISER_FIL, "p.yaml")).modell == las_priser(PRISER_FIL).modell


def test_andrad_fil_missar(tmp_path, katalog, yaml_lasningar):
    u = kopia(tmp_path)
    las_uppdrag(u)
    u.write_text(u.read_text(encoding="utf-8").replace("bas: 3858", "bas: 3859", 1), encoding="utf-8")
    assert post_for(u).las() is None
    assert las_uppdrag(u).modell.utforare["SV"].volymer.rader[HUD].bas == 3859
    assert len(yaml_lasningar) == 2 and len(poster(katalog)) == 2


def test_samma_byte_som_annan_modell_missar(tmp_path, katalog):
    u = kopia(tmp_path)
    las_uppdrag(u)
    assert post_for(u, "Priser").las() is None


def test_nyckeln_foljer_inlasarens_kallkod(tmp_path, monkeypatch):
    """En ändrad modell.py, laddning.py eller cache.py ger en ny nyckel, även med samma version."""
    mapp = Path(cache.__file__).resolve().parent
    kopior = tmp_path / "paket"
    kopior.mkdir()
    for namn in cache.KALLFILER:
        shutil.copy(mapp / namn, kopior / namn)
    monkeypatch.setattr(cache, "__file__", str(kopior / "cache.py"))

    def nyckel() -> str:
        monkeypatch.setattr(cache, "_inlasarens_version", None)
        return cache.nyckel(b"ar: 2026\n", "Uppdrag")

    forsta = nyckel()
    assert nyckel() == forsta
    for namn in cache.KALLFILER:
        with open(kopior / namn, "a", encoding="utf-8") as f:
            f.write("\n# ändrad\n")
        ny = nyckel()
        assert ny != forsta, namn
        forsta = ny


def test_nyckeln_raknas_en_gang_per_process(monkeypatch):
    cache.nyckel(b"x", "Uppdrag")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("källkoden lästes igen"))
    cache.nyckel(b"y", "Priser")


def test_nyckeln_innehaller_versionen(monkeypatch):
    import vgr_ersattning

    monkeypatch.setattr(cache, "_inlasarens_version", None)
    forsta = cache.nyckel(b"x", "Uppdrag")
    monkeypatch.setattr(vgr_ersattning, "__version__", "99.0")
    monkeypatch.setattr(cache, "_inlasarens_version", None)
    assert cache.nyckel(b"x", "Uppdrag") != forsta


# --- misstänkta kataloger och poster ---------------------------------------------------------------


@pytest.mark.skipif(not POSIX, reason="POSIX-rättigheter")
def test_katalogen_skapas_med_0700(tmp_path, katalog, monkeypatch):
    fore = os.umask(0o022)
    try:
        las_uppdrag(kopia(tmp_path))
    finally:
        os.umask(fore)
    assert katalog.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in poster(katalog))


@pytest.mark.skipif(not POSIX, reason="POSIX-rättigheter")
@pytest.mark.parametrize("lage", [0o777, 0o770, 0o722, 0o1777])
def test_katalog_som_andra_kan_skriva_i_anvands_inte(tmp_path, katalog, yaml_lasningar, lage):
    u = kopia(tmp_path)
    las_uppdrag(u)
    katalog.chmod(lage)
    try:
        assert post_for(u).las() is None
        las_uppdrag(u)
        las_priser(PRISER_FIL)
        assert len(yaml_lasningar) == 3              # inget lästes ur cachen …
        assert len(poster(katalog)) == 1             # … och inget skrevs dit
    finally:
        katalog.chmod(0o700)
    las_uppdrag(u)
    assert len(yaml_lasningar) == 3                  # skyddad igen: träff


@pytest.mark.skipif(not POSIX, reason="POSIX-ägare")
def test_katalog_som_ags_av_nagon_annan_anvands_inte(tmp_path, katalog, yaml_lasningar, monkeypatch):
    u = kopia(tmp_path)
    las_uppdrag(u)
    if ROT:
        os.chown(katalog, 4242, -1)                  # en riktig främmande ägare
    else:
        monkeypatch.setattr(cache.os, "geteuid", lambda: os.getuid() + 1)
    assert post_for(u).las() is None
    las_uppdrag(u)
    assert len(yaml_lasningar) == 2 and len(poster(katalog)) == 1


@pytest.mark.skipif(not POSIX, reason="POSIX-ägare")
def test_windows_hoppar_over_agarkontrollen(tmp_path, katalog, yaml_lasningar, monkeypatch):
    u = kopia(tmp_path)
    las_uppdrag(u)
    monkeypatch.setattr(cache.os, "geteuid", lambda: os.getuid() + 1)
    monkeypatch.setattr(cache, "_POSIX", False)
    las_uppdrag(u)
    assert len(yaml_lasningar) == 1


@pytest.mark.skipif(not POSIX, reason="POSIX-rättigheter")
def test_post_som_andra_kan_skriva_i_eller_som_ags_av_annan_lases_inte(tmp_path, katalog, yaml_lasningar):
    u = kopia(tmp_path)
    las_uppdrag(u)
    (post,) = poster(katalog)
    post.chmod(0o666)
    assert post_for(u).las() is None
    las_uppdrag(u)                                   # läses om och ersätts av en skyddad post
    assert len(yaml_lasningar) == 2
    assert post.stat().st_mode & 0o777 == 0o600
    if ROT:
        os.chown(post, 4242, -1)
        assert post_for(u).las() is None


@pytest.mark.skipif(not POSIX, reason="symboliska länkar")
def test_post_som_ar_en_symbolisk_lank_lases_inte(tmp_path, katalog):
    u = kopia(tmp_path)
    las_uppdrag(u)
    (post,) = poster(katalog)
    post.rename(tmp_path / "riktig.pickle")
    post.symlink_to(tmp_path / "riktig.pickle")
    assert post_for(u).las() is None


def test_post_under_fel_nyckel_laddas_aldrig(tmp_path, katalog, yaml_lasningar):
    """Prisfilens post, kopierad till uppdragsfilens nyckel, läses inte: posten bär sin nyckel."""
    p = kopia(tmp_path, PRISER_FIL, "p.yaml")
    las_priser(p)
    (prispost,) = poster(katalog)
    u = kopia(tmp_path)
    mal = katalog / f"{post_for(u).nyckel}{cache.ANDELSE}"
    shutil.copy(prispost, mal)
    mal.chmod(0o600)
    assert post_for(u).las() is None
    dok = las_uppdrag(u)
    assert type(dok.modell).__name__ == "Uppdrag"
    assert yaml_lasningar == [laddning.visningsnamn(p), laddning.visningsnamn(u)]


def test_planterad_pickle_kor_ingen_kod(tmp_path, katalog, yaml_lasningar):
    """Även med rätt namn och rätt huvud: avpicklingen tillåter bara dokumentets egna klasser."""
    u = kopia(tmp_path)
    forsta = las_uppdrag(u)
    spar = tmp_path / "koden_korde"

    class Elak:
        def __reduce__(self):
            return (os.system, (f"touch {spar}",))

    post = post_for(u)
    post.sokvag.write_bytes(post._huvud() + pickle.dumps(Elak()))
    assert post.las() is None
    assert las_uppdrag(u).modell == forsta.modell
    assert not spar.exists()
    assert len(yaml_lasningar) == 2

    for modul, namn in [("builtins", "eval"), ("os", "system"), ("vgr_ersattning.modell", "re"),
                        ("vgr_ersattning.modell", "BaseModel"), ("vgr_ersattning.laddning", "las_yaml"),
                        ("vgr_ersattning.modell", "Uppdrag.model_validate")]:
        with pytest.raises(pickle.UnpicklingError):
            cache._tillaten_klass(modul, namn)


def test_trasig_post_ignoreras_och_skrivs_om(tmp_path, katalog, yaml_lasningar):
    u = kopia(tmp_path)
    las_uppdrag(u)
    (post,) = poster(katalog)
    innehall = post.read_bytes()
    post.write_bytes(innehall[: len(innehall) // 2])
    assert las_uppdrag(u).modell.utforare["SV"].volymer.rader[HUD].bas == 3858
    assert post.read_bytes() == innehall
    las_uppdrag(u)
    assert len(yaml_lasningar) == 2


def test_misslyckad_skrivning_lamnar_ingen_temporar_fil(tmp_path, katalog, monkeypatch):
    def full_disk(*a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", full_disk)
    assert las_uppdrag(kopia(tmp_path)).modell.utforare["SV"].volymer.rader[HUD].bas == 3858
    assert list(katalog.iterdir()) == []


# --- rensning --------------------------------------------------------------------------------------


def _falska_poster(k: Path, antal: int, nu: float, steg_dagar: float) -> list[Path]:
    k.mkdir(mode=0o700, exist_ok=True)
    ut = []
    for i in range(antal):
        p = k / f"{i:064x}{cache.ANDELSE}"
        p.write_bytes(b"x")
        t = nu - i * steg_dagar * 86400
        os.utime(p, (t, t))
        ut.append(p)
    return ut


def test_rensning_behaller_de_64_senast_anvanda(tmp_path):
    nu = time.time()
    k = tmp_path / "c"
    alla = _falska_poster(k, 70, nu, steg_dagar=0.1)
    (k / "anteckningar.txt").write_text("användarens egen fil")
    (k / "kort.pickle").write_bytes(b"inte en post")
    cache.rensa(k, nu)
    assert poster(k) == sorted(alla[: cache.MAX_POSTER])
    assert (k / "anteckningar.txt").exists() and (k / "kort.pickle").exists()


def test_rensning_tar_bort_poster_som_inte_anvants_pa_30_dagar(tmp_path):
    nu = time.time()
    k = tmp_path / "c"
    alla = _falska_poster(k, 10, nu, steg_dagar=7)     # 0, 7, 14, … 63 dagar gamla
    gammal_tmp = k / ".abc.tmp"
    gammal_tmp.write_bytes(b"")
    os.utime(gammal_tmp, (nu - 7200, nu - 7200))
    farsk_tmp = k / ".def.tmp"                          # en annan process skriver just nu
    farsk_tmp.write_bytes(b"")
    cache.rensa(k, nu)
    assert poster(k) == sorted(alla[:5])                # 0–28 dagar
    assert not gammal_tmp.exists() and farsk_tmp.exists()


def test_ny_post_rensar_och_traff_fornyar(tmp_path, katalog):
    nu = time.time()
    gamla = _falska_poster(katalog, 3, nu - 40 * 86400, steg_dagar=1)
    u = kopia(tmp_path)
    las_uppdrag(u)                                       # miss → ny post → rensning
    (post,) = poster(katalog)
    assert all(not p.exists() for p in gamla)
    gammal_tid = nu - 20 * 86400
    os.utime(post, (gammal_tid, gammal_tid))
    las_uppdrag(u)                                       # träff förnyar
    assert post.stat().st_mtime > nu - 60


def test_rensning_tal_en_katalog_som_inte_finns(tmp_path):
    cache.rensa(tmp_path / "finns_inte")


# --- förberedda poster i paketet (hatch_build.py) ----------------------------------------------------


@pytest.fixture
def forberedda(tmp_path, monkeypatch) -> Path:
    """Poster för de medföljande datafilerna, byggda som byggkroken bygger dem, som paketets."""
    k = tmp_path / "forberedd"
    k.mkdir()
    poster = cache.forbered([(UPPDRAG_FIL, "Uppdrag"), (PRISER_FIL, "Priser")], k)
    assert [p.name for p in poster] == sorted(f"{post_for(f, m).nyckel}.pickle"
                                              for f, m in ((UPPDRAG_FIL, "Uppdrag"), (PRISER_FIL, "Priser")))
    monkeypatch.setattr(cache, "forberedd_katalog", lambda: k)
    return k


def test_forberedd_post_lases_nar_cachen_ar_tom(tmp_path, katalog, monkeypatch, yaml_lasningar):
    vanlig = las_uppdrag(kopia(tmp_path, namn="vanlig.yaml"))
    assert len(yaml_lasningar) == 1
    shutil.rmtree(katalog)
    k = tmp_path / "forberedd"
    k.mkdir()
    cache.forbered([(UPPDRAG_FIL, "Uppdrag")], k)   # som byggkroken (tolkar filen en gång)
    monkeypatch.setattr(cache, "forberedd_katalog", lambda: k)
    fore = len(yaml_lasningar)
    forsta = las_uppdrag(kopia(tmp_path))         # första körningen: användarens cache är tom
    assert len(yaml_lasningar) == fore              # ingen YAML tolkades
    assert forsta.modell == vanlig.modell and forsta.positioner.karta == vanlig.positioner.karta
    assert forsta.positioner.fil.endswith("u.yaml")
    assert not katalog.exists()                     # och användarens cache skapades inte för det


def test_forberedd_post_for_annat_innehall_anvands_inte(tmp_path, katalog, forberedda, yaml_lasningar):
    u = kopia(tmp_path)
    u.write_text(u.read_text(encoding="utf-8").replace("bas: 3858", "bas: 3859", 1), encoding="utf-8")
    fore = len(yaml_lasningar)
    assert las_uppdrag(u).modell.utforare["SV"].volymer.rader[HUD].bas == 3859
    assert len(yaml_lasningar) == fore + 1


def test_forberedd_post_under_fel_nyckel_anvands_inte(tmp_path, katalog, forberedda, yaml_lasningar):
    uppdrag, priser = (post_for(UPPDRAG_FIL, "Uppdrag").nyckel, post_for(PRISER_FIL, "Priser").nyckel)
    (forberedda / f"{uppdrag}.pickle").write_bytes((forberedda / f"{priser}.pickle").read_bytes())
    fore = len(yaml_lasningar)
    assert las_uppdrag(kopia(tmp_path)).modell.ar == 2026
    assert len(yaml_lasningar) == fore + 1


def test_av_anvander_inte_forberedda_poster(tmp_path, monkeypatch, forberedda, yaml_lasningar):
    monkeypatch.setenv(cache.MILJOVARIABEL, "av")
    fore = len(yaml_lasningar)
    las_uppdrag(kopia(tmp_path))
    assert len(yaml_lasningar) == fore + 1


def test_forbered_lamnar_miljon_som_den_var(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.MILJOVARIABEL, "min")
    cache.forbered([(PRISER_FIL, "Priser")], tmp_path)
    assert os.environ[cache.MILJOVARIABEL] == "min"
    monkeypatch.delenv(cache.MILJOVARIABEL)
    cache.forbered([(PRISER_FIL, "Priser")], tmp_path)
    assert cache.MILJOVARIABEL not in os.environ


# --- var cachen ligger, och av ---------------------------------------------------------------------


@pytest.mark.parametrize("val", ["av", "AV", "0", "nej", "off", " off "])
def test_av_stanger_av_cachen(tmp_path, monkeypatch, yaml_lasningar, val):
    monkeypatch.setenv(cache.MILJOVARIABEL, val)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    assert cache.katalog() is None
    u = kopia(tmp_path)
    las_uppdrag(u)
    las_uppdrag(u)
    assert len(yaml_lasningar) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u.yaml"]


def test_katalog_ur_miljovariabeln(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.MILJOVARIABEL, str(tmp_path / "min"))
    assert cache.katalog() == tmp_path / "min"


@pytest.mark.parametrize("plattform, miljo, vantat", [
    ("linux", {"XDG_CACHE_HOME": "/x/cache"}, "/x/cache/vgr-ersattning"),
    ("linux", {}, "{HOME}/.cache/vgr-ersattning"),
    ("linux", {"XDG_CACHE_HOME": "relativ/sokvag"}, "{HOME}/.cache/vgr-ersattning"),
    ("darwin", {"XDG_CACHE_HOME": "/x/cache"}, "{HOME}/Library/Caches/vgr-ersattning"),
    ("win32", {"LOCALAPPDATA": "/appdata/local"}, "/appdata/local/vgr-ersattning"),
    ("win32", {}, None),
])
def test_standardkatalogen_per_plattform(tmp_path, monkeypatch, plattform, miljo, vantat):
    monkeypatch.delenv(cache.MILJOVARIABEL, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for k, v in miljo.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(sys, "platform", plattform)
    vantad = None if vantat is None else Path(vantat.format(HOME=tmp_path))
    assert cache.katalog() == vantad
