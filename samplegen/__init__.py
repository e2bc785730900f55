"""Sample document generator: realistic contracts and guarantees with ground truth."""
