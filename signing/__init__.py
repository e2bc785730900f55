"""Outgoing documents: render, sign (PAdES), verify; the development PKI."""
