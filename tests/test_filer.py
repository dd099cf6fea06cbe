"""filer: en ny fil skrivs atomiskt och aldrig över en befintlig, en förberedd fil publiceras eller
kastas utan att något blir kvar, en fil byts ut atomiskt, och varje fel är en svensk rad.

Testerna kan köras som root, för vilken en skrivskyddad katalog inte är skrivskyddad: ett mål som
inte går att skriva är här en sökväg under en vanlig fil (ENOTDIR) eller under /proc."""

from __future__ import annotations

import errno
import os
import re
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vgr_ersattning import filer
from vgr_ersattning.filer import (
    FINNS_REDAN,
    Filfel,
    Forberedd,
    ersatt_atomiskt,
    kontrollera_mal,
    meddelande,
    orsak,
    orsak_vid_lasning,
    skapa_temporar,
    skriv_ny,
    stada_temporara,
)

TEMPORAR = re.compile(r"\.(.+)\.[0-9a-f]{12}\.tmp")


def innehall(katalog) -> list[str]:
    return sorted(os.listdir(katalog))


# --- texterna ---------------------------------------------------------------------------------


def test_inga_engelska_texter_i_tabellerna():
    for tabell in (filer.ORSAK, filer.ORSAK_VID_LASNING):
        for nummer, text in tabell.items():
            assert os.strerror(nummer) not in text
            assert text and text == text.strip()


def test_orsak_och_meddelande():
    assert orsak(OSError(errno.ENOSPC, "No space left on device")) == "disken är full"
    assert meddelande("r.json", OSError(errno.ENOSPC, "x")) == "r.json: disken är full"
    assert meddelande("r.json", FileExistsError(errno.EEXIST, "x")) == f"r.json {FINNS_REDAN}"
    # Ett okänt fel: den allmänna texten och errno-namnet, aldrig den engelska texten.
    okand = OSError(errno.ECHILD, os.strerror(errno.ECHILD))
    assert orsak(okand) == "kunde inte skriva (ECHILD)"
    assert orsak(okand, "läsfel") == "läsfel (ECHILD)"


def test_orsak_vid_lasning_ur_samma_tabell():
    assert orsak_vid_lasning(FileNotFoundError(errno.ENOENT, "x")) == "filen finns inte"
    assert orsak_vid_lasning(PermissionError(errno.EACCES, "x")) == "saknar behörighet att läsa filen"
    assert orsak_vid_lasning(IsADirectoryError(errno.EISDIR, "x")) == "är en katalog, inte en fil"
    # Utan egen text vid läsning: samma som vid skrivning.
    assert orsak_vid_lasning(OSError(errno.ELOOP, "x")) == orsak(OSError(errno.ELOOP, "x"))
    assert orsak_vid_lasning(OSError(errno.ECHILD, "x")) == "filen kan inte läsas (felkod ECHILD)"
    assert set(filer.ORSAK) == set(filer.ORSAK_VID_LASNING)


def test_filfel_ar_en_rad():
    e = Filfel("a.json", "disken är full", errno.ENOSPC)
    assert str(e) == "a.json: disken är full" and e.orsak == "disken är full" and e.errno == errno.ENOSPC
    assert str(Filfel("a.json", FINNS_REDAN)) == f"a.json {FINNS_REDAN}"


# --- temporära filer -----------------------------------------------------------------------------


def test_temporar_fil_heter_punkt_namn_hex_tmp_och_skapas_exklusivt(tmp_path):
    fd, tmp = skapa_temporar(str(tmp_path), "rapport.json")
    os.close(fd)
    assert os.path.dirname(tmp) == str(tmp_path)
    assert re.fullmatch(r"\.rapport\.json\.[0-9a-f]{12}\.tmp", os.path.basename(tmp))
    assert os.stat(tmp).st_size == 0


def test_temporar_fil_foljer_inte_en_symbolisk_lank(tmp_path, monkeypatch):
    """O_EXCL|O_NOFOLLOW: en symbolisk länk med den temporära filens namn följs aldrig; ett nytt
    namn dras i stället."""
    offer = tmp_path / "offer"
    offer.write_text("orörd")
    namn = iter(["aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    monkeypatch.setattr(filer.secrets, "token_hex", lambda n: next(namn))
    os.symlink(offer, tmp_path / ".r.json.aaaaaaaaaaaa.tmp")
    fd, tmp = skapa_temporar(str(tmp_path), "r.json")
    os.write(fd, b"nytt")
    os.close(fd)
    assert tmp.endswith(".bbbbbbbbbbbb.tmp")
    assert offer.read_text() == "orörd"


def test_langt_namn_kortas_i_den_temporara_filen(tmp_path):
    fd, tmp = skapa_temporar(str(tmp_path), "x" * 200)
    os.close(fd)
    assert len(os.path.basename(tmp)) == 1 + 100 + 1 + 12 + 4


def test_stada_temporara_tar_bara_bort_namnets_egna(tmp_path):
    for n in [".j.txt.0123456789ab.tmp", ".j.txt.0123456789ab.tmp.x", ".annan.0123456789ab.tmp", "j.txt",
              ".j.txt.0123456789AB.tmp"]:
        (tmp_path / n).write_text("")
    stada_temporara(str(tmp_path), "j.txt")
    assert innehall(tmp_path) == sorted([".j.txt.0123456789ab.tmp.x", ".annan.0123456789ab.tmp", "j.txt",
                                         ".j.txt.0123456789AB.tmp"])
    stada_temporara(str(tmp_path / "finns_inte"), "j.txt")       # tyst


# --- skriv_ny -----------------------------------------------------------------------------------------


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), namn=st.from_regex(r"[a-zåäö0-9_.\-]{1,30}", fullmatch=True)
       .filter(lambda s: s not in (".", "..")))
def test_skriv_ny_skriver_exakt_och_lamnar_ingen_temporar(tmp_path_factory, data, namn):
    katalog = tmp_path_factory.mktemp("ny")
    mal = katalog / namn
    skriv_ny(str(mal), data)
    assert mal.read_bytes() == data
    assert innehall(katalog) == [namn]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gammal=st.binary(max_size=200), ny=st.binary(max_size=200))
def test_skriv_ny_skriver_aldrig_over(tmp_path_factory, gammal, ny):
    katalog = tmp_path_factory.mktemp("over")
    mal = katalog / "r.json"
    mal.write_bytes(gammal)
    with pytest.raises(Filfel) as e:
        skriv_ny(str(mal), ny)
    assert str(e.value) == f"{mal} {FINNS_REDAN}"
    assert mal.read_bytes() == gammal
    assert innehall(katalog) == ["r.json"]


def test_skriv_ny_eexist_nar_malet_skapas_under_tiden(tmp_path, monkeypatch):
    """Kontrollen före skrivningen hjälper inte mot en fil som skapas efter den: länken
    misslyckas med EEXIST och den andra filen står kvar."""
    mal = tmp_path / "r.json"
    original = filer.lanka_utan_att_skriva_over

    def lanka(tmp, m):
        mal.write_text("den andras")
        return original(tmp, m)

    monkeypatch.setattr(filer, "lanka_utan_att_skriva_over", lanka)
    with pytest.raises(Filfel) as e:
        skriv_ny(str(mal), b"mitt")
    assert e.value.errno == errno.EEXIST and FINNS_REDAN in str(e.value)
    assert mal.read_text() == "den andras"
    assert innehall(tmp_path) == ["r.json"]


def test_skriv_ny_utan_harda_lankar(tmp_path, monkeypatch):
    def ingen_lank(a, b):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(filer.os, "link", ingen_lank)
    skriv_ny(str(tmp_path / "a"), b"1")
    assert (tmp_path / "a").read_bytes() == b"1"
    with pytest.raises(Filfel):
        skriv_ny(str(tmp_path / "a"), b"2")
    assert (tmp_path / "a").read_bytes() == b"1"
    assert innehall(tmp_path) == ["a"]


def test_skriv_ny_saknad_katalog(tmp_path):
    mal = tmp_path / "saknas" / "r.json"
    with pytest.raises(Filfel) as e:
        skriv_ny(str(mal), b"x")
    assert str(e.value) == f"{mal}: katalogen {tmp_path / 'saknas'} finns inte; skapa den först"
    assert innehall(tmp_path) == []


def test_skriv_ny_under_en_vanlig_fil(tmp_path):
    (tmp_path / "fil").write_text("")
    mal = tmp_path / "fil" / "r.json"
    with pytest.raises(Filfel) as e:
        skriv_ny(str(mal), b"x")
    assert str(e.value) == f"{mal}: {tmp_path / 'fil'} är inte en katalog"
    assert innehall(tmp_path) == ["fil"]


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="ingen /proc")
def test_skriv_ny_i_en_katalog_som_inte_tar_filer():
    """/proc tar inga nya filer, inte ens för root: en svensk rad om katalogen, ingen engelsk text."""
    mal = "/proc/self/rapport.json"
    with pytest.raises(Filfel) as e:
        skriv_ny(mal, b"x")
    text = str(e.value)
    assert text.startswith(f"{mal}: ")
    assert not any(os.strerror(k) in text for k in (errno.EACCES, errno.EPERM, errno.ENOENT, errno.EINVAL))
    assert not os.path.exists(mal)


def test_skriv_ny_full_disk_lamnar_inget(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(filer.os, "fsync", full)
    with pytest.raises(Filfel) as e:
        skriv_ny(str(tmp_path / "r.json"), b"x" * 10)
    assert str(e.value) == f"{tmp_path / 'r.json'}: disken är full"
    assert innehall(tmp_path) == []


def test_skriv_ny_ctrl_c_lamnar_inget(tmp_path, monkeypatch):
    def avbryt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(filer.os, "fsync", avbryt)
    with pytest.raises(KeyboardInterrupt):
        skriv_ny(str(tmp_path / "r.json"), b"x")
    assert innehall(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="umask")
def test_skriv_ny_rattigheter_som_open(tmp_path):
    gammal = os.umask(0o027)
    try:
        skriv_ny(str(tmp_path / "r"), b"x")
    finally:
        os.umask(gammal)
    assert stat.S_IMODE(os.stat(tmp_path / "r").st_mode) == 0o640


# --- kontrollera_mal ----------------------------------------------------------------------------------


def test_kontrollera_mal(tmp_path):
    kontrollera_mal(str(tmp_path / "ny.json"))
    (tmp_path / "finns.json").write_text("")
    fall = {
        "": "--ut: ange ett filnamn",
        str(tmp_path): f"{tmp_path}: är en katalog; ange ett filnamn",
        str(tmp_path / "ny") + os.sep: f"{tmp_path / 'ny'}{os.sep}: anger en katalog (slutar med snedstreck); ange ett filnamn",
        str(tmp_path / "finns.json"): f"{tmp_path / 'finns.json'} {FINNS_REDAN}",
        str(tmp_path / "saknas" / "a"): f"{tmp_path / 'saknas' / 'a'}: katalogen {tmp_path / 'saknas'} finns inte; skapa den först",
        str(tmp_path / "finns.json" / "a"): f"{tmp_path / 'finns.json' / 'a'}: {tmp_path / 'finns.json'} är inte en katalog",
    }
    os.symlink(tmp_path / "borta", tmp_path / "trasig")
    fall[str(tmp_path / "trasig" / "a")] = f"{tmp_path / 'trasig' / 'a'}: katalogen {tmp_path / 'trasig'} är en trasig symbolisk länk"
    for mal, text in fall.items():
        with pytest.raises(Filfel) as e:
            kontrollera_mal(mal)
        assert str(e.value) == text, mal


# --- Forberedd ----------------------------------------------------------------------------------------


def test_forberedd_syns_inte_forran_den_publiceras(tmp_path):
    mal = tmp_path / "r.json"
    f = Forberedd(str(mal), b"rapport")
    assert not mal.exists()
    [tmp] = innehall(tmp_path)
    assert TEMPORAR.fullmatch(tmp) and (tmp_path / tmp).read_bytes() == b"rapport"
    assert f.temporar == str(tmp_path / tmp)
    f.publicera()
    assert mal.read_bytes() == b"rapport"
    assert innehall(tmp_path) == ["r.json"] and f.temporar is None
    f.kasta()                                          # efteråt: ingenting händer
    assert mal.read_bytes() == b"rapport"
    with pytest.raises(Filfel):
        f.publicera()                                  # en gång


def test_forberedd_kasta_ar_idempotent(tmp_path):
    f = Forberedd(str(tmp_path / "r.json"), b"x")
    f.kasta()
    f.kasta()
    assert innehall(tmp_path) == []
    with pytest.raises(Filfel):
        f.publicera()
    assert innehall(tmp_path) == []


def test_forberedd_vagrar_tidigt(tmp_path):
    (tmp_path / "finns").write_text("gammal")
    with pytest.raises(Filfel) as e:
        Forberedd(str(tmp_path / "finns"), b"x")
    assert FINNS_REDAN in str(e.value)
    with pytest.raises(Filfel):
        Forberedd(str(tmp_path / "saknas" / "r"), b"x")
    with pytest.raises(Filfel):
        Forberedd(str(tmp_path / "finns" / "r"), b"x")
    assert innehall(tmp_path) == ["finns"]


def test_forberedd_malet_skapas_fore_publiceringen(tmp_path):
    mal = tmp_path / "r.json"
    f = Forberedd(str(mal), b"mitt")
    mal.write_text("den andras")
    with pytest.raises(Filfel) as e:
        f.publicera()
    assert str(e.value) == f"{mal} {FINNS_REDAN}"
    assert mal.read_text() == "den andras"
    assert innehall(tmp_path) == ["r.json"]


def test_forberedd_katalogen_forsvinner_fore_publiceringen(tmp_path):
    katalog = tmp_path / "k"
    katalog.mkdir()
    f = Forberedd(str(katalog / "r.json"), b"x")
    for n in os.listdir(katalog):
        os.unlink(katalog / n)
    os.rmdir(katalog)
    with pytest.raises(Filfel) as e:
        f.publicera()
    assert str(e.value).startswith(f"{katalog / 'r.json'}: ")
    assert not katalog.exists()


def test_forberedd_som_with_block_kastas(tmp_path):
    with pytest.raises(RuntimeError), Forberedd(str(tmp_path / "r.json"), b"x"):
        raise RuntimeError("bokföringen misslyckades")
    assert innehall(tmp_path) == []
    with Forberedd(str(tmp_path / "r.json"), b"x") as f:
        f.publicera()
    assert innehall(tmp_path) == ["r.json"]


def test_forberedd_full_disk_lamnar_inget(tmp_path, monkeypatch):
    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(filer.os, "write", full)
    with pytest.raises(Filfel) as e:
        Forberedd(str(tmp_path / "r.json"), b"x")
    assert str(e.value).endswith(": disken är full")
    assert innehall(tmp_path) == []


# --- ersatt_atomiskt ----------------------------------------------------------------------------------


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gammal=st.binary(max_size=500), ny=st.binary(max_size=500))
def test_ersatt_atomiskt_byter_ut(tmp_path_factory, gammal, ny):
    katalog = tmp_path_factory.mktemp("ersatt")
    mal = katalog / "j.txt"
    mal.write_bytes(gammal)
    ersatt_atomiskt(str(mal), ny)
    assert mal.read_bytes() == ny
    assert innehall(katalog) == ["j.txt"]


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="fchmod")
def test_ersatt_atomiskt_satter_rattigheterna(tmp_path):
    mal = tmp_path / "j.txt"
    ersatt_atomiskt(str(mal), b"a", 0o640)
    assert stat.S_IMODE(os.stat(mal).st_mode) == 0o640


def test_ersatt_atomiskt_fel_lamnar_malet_orort(tmp_path, monkeypatch):
    mal = tmp_path / "j.txt"
    mal.write_bytes(b"gammal")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(filer.os, "fsync", full)
    with pytest.raises(Filfel) as e:
        ersatt_atomiskt(str(mal), b"ny")
    assert e.value.orsak == "disken är full"
    assert mal.read_bytes() == b"gammal"
    assert innehall(tmp_path) == ["j.txt"]


def test_ersatt_atomiskt_saknad_katalog_och_under_en_fil(tmp_path):
    with pytest.raises(Filfel) as e:
        ersatt_atomiskt(str(tmp_path / "saknas" / "j"), b"x")
    assert e.value.orsak == f"katalogen {tmp_path / 'saknas'} finns inte; skapa den först"
    (tmp_path / "fil").write_text("")
    with pytest.raises(Filfel) as e:
        ersatt_atomiskt(str(tmp_path / "fil" / "j"), b"x")
    assert e.value.orsak == "en del av sökvägen är inte en katalog"
    assert innehall(tmp_path) == ["fil"]
