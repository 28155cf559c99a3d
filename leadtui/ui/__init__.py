"""Textual UI. Talks to data only through the Repository it is given."""
