"""Resultatobjekt som delas av kärnans moduler."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional


@dataclass(frozen=True)
class Kontroll:
    """Utfallet av en kontroll. `sokvag` pekar ut värdet i datafilen (för fil:rad:kolumn)."""

    namn: str
    ok: bool
    meddelande: str
    sokvag: tuple[Any, ...] = ()
    varde: Optional[Decimal] = None
    differens: Optional[Decimal] = None
    enhet: str = ""
    fil: str = "uppdrag"  # vilken datafil sökvägen avser: "uppdrag" eller "priser"
