"""Modal screens: help, welcome, tag prompt and export dialog."""
