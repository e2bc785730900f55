"""Extraction limits and tuning, from the environment (REEXPORT_*) with embedded defaults."""
from __future__ import annotations

import os

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ExtractSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REEXPORT_", frozen=True)

    max_pages: int = Field(500, ge=1, description="files with more pages are rejected")
    max_pixels: int = Field(60_000_000, ge=1_000_000, description="largest page raster (or embedded image) accepted, in pixels")
    max_bytes: int = Field(500 * 1024 * 1024, ge=1024)
    ocr_dpi: int = Field(300, ge=100, le=600, description="raster resolution for OCR of PDF pages")
    mark_dpi: int = Field(100, ge=50, le=300, description="raster resolution for finding marks on born-digital pages")
    languages: str = "rus+kaz+eng"
    workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1), ge=1)
    min_text_quality: float = Field(0.55, ge=0, le=1, description="share of word-like tokens below which a text layer is ignored")
