"""Pure functions that turn bytes and page images into words, marks and fields.

Knows nothing of Prefect, the case store or the web.
"""
