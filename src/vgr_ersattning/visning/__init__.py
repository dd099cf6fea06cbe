"""Renderare: resultatobjekt från kärnan → tabell (rich), JSON eller CSV. Ingen beräkning här."""
