"""init och schema: en egen datakatalog att ändra i, och JSON Schema för editorn."""

from __future__ import annotations

import os
import shlex

from vgr_ersattning import initiering
from vgr_ersattning import schema as scheman
from vgr_ersattning.inlasning.datakatalog import MILJOVARIABEL
from vgr_ersattning.inlasning.kallor import visbar
from vgr_ersattning.kommandon.gemensamt import Felrad, Korning, Sammanhang
from vgr_ersattning.visning import Text


class Kopiering:
    """Effekten av `init`: filerna kopierade till katalogen, allt eller inget (felraden säger själv
    att inget kopierades)."""

    sager_vad_som_inte_gjordes = True

    def __init__(self, katalog, ar=None):
        self.katalog, self.ar = katalog, ar
        self.beskrivning = f"kopieringen till {visbar(str(katalog))}"

    def forbered(self) -> None:
        pass

    def utfor(self) -> None:
        initiering.initiera(self.katalog, self.ar)

    def kasta(self) -> None:
        pass


def bygg_init(s: Sammanhang) -> Korning:
    katalog, ar = s.argument["katalog"], s.argument.get("ar")
    filer = list(initiering.planera(ar, katalog))
    namn = visbar(str(katalog))
    q = shlex.quote(namn)
    absolut = shlex.quote(os.path.abspath(namn))
    uppdrag, priser = initiering.datafilerna(filer)
    rader = [f"Kopierade {len(filer)} filer till {namn}:"]
    rader += [f"  {os.path.join(namn, *f.split('/'))}" for f in filer]
    if ar is not None:
        rader += ["", f"{uppdrag} och {priser} är ett utkast för {ar} (utkast: true): fyll i det som står tomt ur "
                      "nämndens beslut;", f"`ersattning kontrollera --data {q} --ar {ar}` listar det som återstår."]
    rader += [
        "",
        f"Ändra uppdraget och priserna i {os.path.join(namn, uppdrag)} och {os.path.join(namn, priser)},",
        "och räkna på kopian med --data eller med miljövariabeln för alla kommandon:",
        "",
        f"  ersattning kontrollera --data {q}",
        f"  ersattning berakna --data {q}",
        f"  export {MILJOVARIABEL}={absolut}",
        "",
        f"Scheman för editorn ligger i {os.path.join(namn, 'schema')}; de kopierade YAML-filerna har sista raden",
        "`# yaml-language-server: $schema=…` som kopplar dem till sitt schema i VS Code (YAML-tillägget).",
    ]
    return Korning(Text("\n".join(rader) + "\n"), effekter=[Kopiering(katalog, ar)])


def bygg_schema(s: Sammanhang) -> Korning:
    slag = s.argument["slag"]
    if slag is None:
        return Korning(Text(scheman.lista()))
    namn = slag.strip().casefold()
    if namn not in scheman.SLAG:
        raise Felrad(f"ersattning schema: okänt slag {slag!r}; välj "
                             f"{', '.join(scheman.SLAG_MED_SCHEMA[:-1])} eller {scheman.SLAG_MED_SCHEMA[-1]}")
    if namn not in scheman.SLAG_MED_SCHEMA:
        raise Felrad(f"ersattning schema: {namn} {scheman.saknas_text(namn)}")
    return Korning(Text(scheman.schema_text(namn)))
