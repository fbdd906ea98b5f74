"""Speech recognition experts."""
