"""Byggkrok för hjulet: de medföljande datafilerna valideras en gång när paketet byggs, och deras
cacheposter följer med i paketet (`vgr_ersattning/data/forberedd/`).

Då behöver inte den första körningen efter installationen tolka YAML och bygga pydantics
validerare, precis som pip kompilerar .pyc-filerna vid installationen (issue 17, uppstarten).
Posterna har cachens nyckel (filens byte, modellen, paketets, pydantics och Pythons version,
inläsarens källkod); stämmer något inte vid körningen läses filen som vanligt. Kroken är bara en
genväg: går något fel byggs hjulet utan posterna, med en varning. En redigerbar installation får
inga (källträdet har inga).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODELLER = {"uppdrag_": "Uppdrag", "priser_": "Priser"}


class ForbereddaPoster(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        self._katalog = None
        if self.target_name != "wheel" or version == "editable":
            return
        rot = Path(self.root)
        datafiler = [(f, modell) for f in sorted((rot / "data").glob("*.yaml"))
                     for prefix, modell in MODELLER.items() if f.name.startswith(prefix)]
        self._katalog = Path(tempfile.mkdtemp(prefix="vgr-ersattning-forberedd-"))
        sys.path.insert(0, str(rot / "src"))
        try:
            from vgr_ersattning import cache

            poster = cache.forbered(datafiler, self._katalog)
        except Exception as e:   # bara en genväg: hjulet fungerar utan posterna
            self.app.display_warning(f"vgr-ersattning: inga förberedda cacheposter ({type(e).__name__}: {e})")
            return
        finally:
            sys.path.remove(str(rot / "src"))
        for post in poster:
            build_data["force_include"][str(post)] = f"vgr_ersattning/data/forberedd/{post.name}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if self._katalog is not None:
            shutil.rmtree(self._katalog, ignore_errors=True)
