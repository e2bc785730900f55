"""Benchmarks that print figures: accuracy, speed, memory."""
