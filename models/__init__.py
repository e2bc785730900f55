"""Data shapes of the service: the extraction contract, the case and the outgoing forms.

Knows nothing of Prefect, OCR or the web (see ../shared/design/ARCHITECTURE.md).
"""
