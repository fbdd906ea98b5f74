"""Prosody: how something was said, measured from the signal."""
