"""Field finders: rule components that read application fields from page text."""
