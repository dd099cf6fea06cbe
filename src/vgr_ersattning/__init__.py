"""vgr-ersattning: ersättning enligt Västra Götalandsregionens uppdrag, exakt till kronan."""

__version__ = "0.1.0"
