"""Prefect flows, the watcher, the working-day calendar and the command line."""
