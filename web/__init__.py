"""FastAPI screens: review station and personal cabinet."""
