"""Talking to web services: the only package that opens network connections.

Everything here turns a network failure into one ``ShelfError`` a person can
act on; what comes back is handed to ``formats/`` as text, like a file.
"""
